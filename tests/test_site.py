"""Whole-site tests: golden output, determinism, links, and safe writing.

Refresh the golden files after an intended change with (1 exactly; never under CI):
    UPDATE_GOLDEN=1 python -m pytest tests/test_site.py
"""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from atlas.commands.cli import main
from atlas.commands.linkcheck import broken_links
from atlas.site.urls import Urls
from atlas.site.write import MARKER, OutputError
from ci_guards import refresh_requested
from conftest import build_site, SEED

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
DEFAULT_CONTENT = SEED


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_golden_output_of_the_mini_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(MINI / "content", out)
    built = {k: v for k, v in tree(out).items() if not k.startswith("static/") and k != MARKER}
    expected_dir = MINI / "expected"
    if refresh_requested("UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, data in built.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_bytes(data)
    expected = tree(expected_dir)
    assert sorted(built) == sorted(expected), "pages added or removed; see UPDATE_GOLDEN in this file"
    for rel in expected:
        if built[rel] != expected[rel]:
            diff = difflib.unified_diff(expected[rel].decode().splitlines(), built[rel].decode().splitlines(),
                                        f"expected/{rel}", f"built/{rel}", lineterm="", n=2)
            pytest.fail("\n".join(list(diff)[:80]))


def test_same_content_builds_byte_identical_output(tmp_path: Path) -> None:
    build_site(DEFAULT_CONTENT, tmp_path / "a")
    build_site(DEFAULT_CONTENT, tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


@pytest.mark.parametrize("base_url", ["/", "/talent-atlas/", "https://example.github.io/repo/"])
def test_default_site_has_no_broken_internal_link(tmp_path: Path, base_url: str) -> None:
    out = tmp_path / "site"
    build_site(DEFAULT_CONTENT, out, base_url=base_url)
    urls = Urls(base_url, {})
    assert broken_links(out, urls.base_path, urls.origin) == []


def test_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="/people/nobody/">x</a><a href="#here">y</a><p id="here"></p>')
    assert broken_links(tmp_path) == ["index.html: /people/nobody/"]


def test_every_entity_has_a_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(DEFAULT_CONTENT, out)
    for folder in ("companies", "people", "models"):
        for path in (DEFAULT_CONTENT / folder).glob("*.yaml"):
            assert (out / folder / path.stem / "index.html").is_file()


def test_a_failed_build_leaves_the_previous_site_intact(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(MINI / "content", out)
    before = tree(out)
    broken = tmp_path / "content"
    shutil.copytree(MINI / "content", broken)
    (broken / "people" / "bob.yaml").write_text("name: Bob\ncareer:\n  - company: nowhere\n    start: 2020\n    sources: [https://x.org]\n")
    assert main(["--content", str(broken), "--out", str(out), "--quiet"]) == 1
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_deleted_profiles_disappear_from_the_next_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI / "content", content)
    out = tmp_path / "site"
    build_site(content, out)
    assert (out / "people" / "alice" / "index.html").exists()
    (content / "people" / "alice.yaml").unlink()
    (content / "models" / "alpha-1.yaml").write_text((content / "models" / "alpha-1.yaml").read_text().replace("[alice, bob]", "[bob]"))
    build_site(content, out)
    assert not (out / "people" / "alice").exists()


def test_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    out = tmp_path / "important"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(OutputError):
        build_site(MINI / "content", out)
    assert (out / "notes.txt").read_text() == "keep me"


def test_check_reports_problems_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI / "content", content)
    (content / "people" / "bob.yaml").write_text("name: Bob\ncareer:\n  - company: newcoo\n    start: 2020\n    sources: [https://x.org]\n")
    assert main(["check", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert f"{content}/people/bob.yaml:3:14: career[0].company: unknown company 'newcoo' (did you mean 'newco'?)" in err


def test_check_passes_on_the_default_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(DEFAULT_CONTENT)]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_markdown_from_content_cannot_inject_markup(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(MINI / "content", out)
    page = (out / "companies" / "bigco" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "javascript:" not in page


def test_a_template_with_a_missing_variable_fails_with_its_name_and_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(HERE.parent / "templates", templates)
    (templates / "404.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ no_such_thing }}\n{% endblock %}\n')
    from atlas.site.render import TemplateError
    with pytest.raises(TemplateError, match=r"templates/404.html:3: 'no_such_thing' is undefined"):
        build_site(MINI / "content", tmp_path / "site", templates=templates)
