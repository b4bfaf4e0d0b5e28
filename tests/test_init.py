"""`build.py init`: a new atlas from nothing, which checks, builds, links and shows only
the sections it has; editor schemas that resolve beside it; the workflows of a site's own
repository; and the `talent-atlas` command of an installed generator."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from atlas.commands import init
from atlas.commands.cli import main, run
from atlas.commands.fmt import unformatted
from atlas.commands.schemas import MODELINE_PREFIX, kind_of
from atlas.content.load import load_file, load_text
from atlas.content.schema import MODEL_LABEL, SITE
from ci_guards import missing_tool

TITLE = "Biotech Talent Atlas"
PIN = "talent-atlas @ git+https://github.com/example/talent-atlas@v0.1.0"


def start(tmp_path: Path, *extra: str) -> Path:
    content = tmp_path / "content"
    assert main(["init", str(content), "--title", TITLE, "--quiet", *extra]) == 0
    return content


def nav(page: str) -> list[str]:
    found = re.search(r'<nav aria-label="Site">(.*?)</nav>', page, re.S)
    assert found, "no navigation"
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', found.group(1))


def test_a_new_atlas_checks_builds_links_and_shows_no_empty_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = start(tmp_path, "--model-label", "Drug")
    assert main(["check", "--strict", "--content", str(content)]) == 0, capsys.readouterr().err
    assert unformatted(content) == []
    out = tmp_path / "site"
    assert main(["--content", str(content), "--out", str(out), "--base-url", "/atlas/", "--no-cache", "--quiet"]) == 0
    assert main(["linkcheck", "--content", str(content), "--out", str(out), "--base-url", "/atlas/"]) == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    # one company, person and drug, and no move or claim: those sections are nowhere
    assert [title for _, title in nav(home)] == ["People", "Companies", "Drugs", "Timeline"]
    for href, _ in nav(home):
        assert (out / href.removeprefix("/atlas/") / "index.html").is_file(), href
    for section in ("moves", "claims"):
        assert not (out / section).exists()
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/atlas/models/example-drug/" in sitemap and not re.search(r"/(moves|claims)/", sitemap)
    counts = re.search(r'<p class="counts">(.*?) — as of', home)
    assert counts and counts.group(1) == "1 person · 1 company · 1 drug"
    assert f"<h1>{TITLE}</h1>" in home
    drug = (out / "models" / "example-drug" / "index.html").read_text(encoding="utf-8")
    assert '<p class="kind">Drug</p>' in drug and "<title>Example Drug · Biotech Talent Atlas</title>" in drug
    assert "1 of 1 " in drug and "<h3>" not in drug  # nobody has left: no empty "Where they are now"


def test_each_example_says_it_is_an_example_to_replace(tmp_path: Path) -> None:
    content = start(tmp_path, "--model-label", "Programme")
    examples = sorted(p.relative_to(content).as_posix() for p in content.rglob("*.yaml") if p.name != "site.yaml")
    assert examples == ["companies/example-company.yaml", "models/example-programme.yaml", "people/example-person.yaml"]
    for rel in examples:
        text = (content / rel).read_text(encoding="utf-8")
        assert "# An example to replace" in text and "to replace with a real one" in load_file(content / rel, rel)["summary"]
    site = (content / "site.yaml").read_text(encoding="utf-8")
    assert load_file(content / "site.yaml", "site.yaml")["model_label"] == {"singular": "Programme", "plural": "Programmes"}
    for setting in (*SITE.fields, *MODEL_LABEL.fields):  # every setting there is, set or commented out
        assert re.search(rf"^[ #]*{setting}:", site, re.M), f"site.yaml does not show the setting {setting}"


def test_a_plural_alone_renames_the_section_too(tmp_path: Path) -> None:
    content = start(tmp_path, "--model-plural", "Model families")
    assert load_file(content / "site.yaml", "site.yaml")["model_label"] == {"singular": "Model", "plural": "Model families"}


def test_an_atlas_without_models_has_neither_the_folder_nor_the_section(tmp_path: Path) -> None:
    content = start(tmp_path, "--no-models")
    assert not (content / "models").exists()
    assert re.search(r"^# model_label:", (content / "site.yaml").read_text(encoding="utf-8"), re.M)
    out = tmp_path / "site"
    assert main(["--content", str(content), "--out", str(out), "--no-cache", "--quiet"]) == 0
    assert [title for _, title in nav((out / "index.html").read_text(encoding="utf-8"))] == ["People", "Companies", "Timeline"]


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert main(["init", str(content), "--title", TITLE]) == 1
    assert f"error: {content} is not an empty folder; init writes a new content folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["content", "notes.txt"]


def test_init_refuses_a_title_that_check_would_not_accept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "content"), "--title", " "]) == 1
    assert "site.yaml:6:8: title: is empty" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_every_file_points_its_editor_at_a_schema_beside_the_content(tmp_path: Path) -> None:
    content = start(tmp_path)
    assert main(["new", "person", "Jane Doe", "--content", str(content)]) == 0  # a contributor's first file
    files = sorted(content.rglob("*.yaml"))
    assert len(files) == 5
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE_PREFIX)
        schema = (path.parent / first.removeprefix(MODELINE_PREFIX)).resolve()
        rel = path.relative_to(content).as_posix()
        assert schema == (tmp_path / "schemas" / f"{kind_of(rel)}.schema.json"), rel


def test_the_new_files_validate_against_the_schemas_written_beside_them(tmp_path: Path) -> None:
    try:
        import jsonschema
    except ImportError:
        missing_tool("jsonschema is not installed (pip install -e '.[test]')")
    content = start(tmp_path, "--model-label", "Product")
    for path in sorted(content.rglob("*.yaml")):
        rel = path.relative_to(content).as_posix()
        schema = json.loads((tmp_path / "schemas" / f"{kind_of(rel)}.schema.json").read_text(encoding="utf-8"))
        errors = [e.message for e in jsonschema.validators.validator_for(schema)(schema).iter_errors(load_file(path, rel))]
        assert errors == [], rel


def test_workflows_build_the_site_with_the_pinned_generator(tmp_path: Path) -> None:
    start(tmp_path, "--workflows", "--generator", PIN)
    assert (tmp_path / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == PIN
    assert "/site/" in (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    pages = load_text((tmp_path / ".github/workflows/pages.yml").read_text(encoding="utf-8"), "pages.yml")
    steps = pages["jobs"]["build"]["steps"]
    runs = "\n".join(str(step.get("run", "")) for step in steps)
    assert "python -m pip install -r requirements.txt" in runs
    assert 'talent-atlas --base-url "${{ steps.pages.outputs.base_url }}/"' in runs
    assert dict(pages["jobs"]["deploy"]["permissions"]) == {"pages": "write", "id-token": "write"}
    pr_text = (tmp_path / ".github/workflows/pr.yml").read_text(encoding="utf-8")
    pr = load_text(pr_text, "pr.yml")
    assert pr["on"] == "pull_request" and dict(pr["permissions"]) == {"contents": "read"}
    pr_runs = "\n".join(str(s.get("run", "")) for job in pr["jobs"].values() for s in job["steps"])
    for command in ("talent-atlas check", "talent-atlas --quiet", "talent-atlas linkcheck",
                    'talent-atlas diff --base "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"'):
        assert command in pr_runs, command
    assert "${{" not in pr_runs and "secrets." not in pr_text


def test_workflows_are_never_written_over_and_need_a_content_folder_named_content(tmp_path: Path,
                                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "pages.yml").write_text("mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path / "content"), "--title", TITLE, "--workflows", "--generator", PIN]) == 1
    assert ".github/workflows/pages.yml already exists beside content/" in capsys.readouterr().err
    assert not (tmp_path / "content").exists() and not (tmp_path / "requirements.txt").exists()
    assert main(["init", str(tmp_path / "data"), "--title", TITLE, "--workflows", "--generator", PIN]) == 1
    assert "with --workflows the content folder must be named content" in capsys.readouterr().err


def test_the_pin_is_the_generator_as_it_was_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    def installed(direct_url: dict[str, Any] | None) -> None:
        text = json.dumps(direct_url) if direct_url is not None else None
        found = SimpleNamespace(version="0.1.0", read_text=lambda name: text if name == "direct_url.json" else None)
        monkeypatch.setattr(init.importlib.metadata, "distribution", lambda name: found)

    installed({"url": "https://github.com/example/talent-atlas", "vcs_info": {"vcs": "git", "commit_id": "a" * 40,
                                                                              "requested_revision": "v0.1.0"}})
    assert init.installed_generator() == "talent-atlas @ git+https://github.com/example/talent-atlas@" + "a" * 40
    installed(None)  # from a package index
    assert init.installed_generator() == "talent-atlas==0.1.0"
    installed({"url": "file:///home/me/talent-atlas", "dir_info": {"editable": True}})  # a checkout: nothing to pin
    assert init.installed_generator() is None


def test_without_a_pin_workflows_ask_for_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(init, "installed_generator", lambda: None)
    assert main(["init", str(tmp_path / "content"), "--title", TITLE, "--workflows"]) == 1
    assert "give it, e.g. --generator 'talent-atlas @ git+https://github.com/OWNER/talent-atlas@v0.1.0'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_installed_command_works_in_the_sites_own_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for argv in (["init", "content", "--title", TITLE], ["check"], ["--no-cache", "--quiet"], ["linkcheck"]):
        monkeypatch.setattr(sys, "argv", ["talent-atlas", *argv])
        with pytest.raises(SystemExit) as done:
            run()
        assert done.value.code == 0, capsys.readouterr().err
    assert "next: talent-atlas serve --content content" in capsys.readouterr().out
    assert (tmp_path / "site" / "index.html").is_file() and (tmp_path / "schemas" / "site.schema.json").is_file()
