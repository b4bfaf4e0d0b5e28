"""The speed layer as the command line uses it: nothing done when nothing changed, a
store that cannot be trusted only costs time, hand-made damage to the output repaired,
problems reported with their lines, templates compiled again when edited."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atlas.build import Options, build, builtin
from atlas.commands.cli import main
from atlas.errors import ContentError
from atlas.site.render import TemplateError
from atlas.site.write import MARKER
from atlas.speed import incremental
from atlas.speed.engine import cached_build

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini" / "content"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != MARKER}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(MINI, folder)
    return folder


def plain(content: Path, out: Path, **options: object) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    build(Options(content, out, **options))  # type: ignore[arg-type]
    return tree(out)


def test_the_command_line_does_nothing_when_nothing_changed(tmp_path: Path, content: Path,
                                                           monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "site"
    assert main(["--content", str(content), "--out", str(out)]) == 0
    assert main(["--content", str(content), "--out", str(out)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert main(["--content", str(content), "--out", str(out), "--as-of", "2024-01-01"]) == 0  # another option: rebuilt
    assert "nothing changed" not in capsys.readouterr().out
    assert tree(out) == plain(content, tmp_path / "plain", as_of=__import__("datetime").date(2024, 1, 1))


def test_a_corrupt_store_is_set_aside_and_the_build_made_whole(tmp_path: Path, content: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    cached_build(Options(content, out), cache)
    for path in cache.glob("build-*.sqlite*"):
        path.write_bytes(b"not a database at all" * 100)
    (content / "people" / "alice.yaml").write_text((content / "people" / "alice.yaml").read_text().replace("Stayed", "Has stayed"))
    cached_build(Options(content, out), cache)
    assert tree(out) == plain(content, tmp_path / "plain")


def test_a_rebuild_puts_back_files_deleted_by_hand_and_removes_strays(tmp_path: Path, content: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    cached_build(Options(content, out), cache)
    (out / "people" / "alice" / "index.html").unlink()
    (out / "stray.html").write_text("left here by hand")
    (content / "people" / "bob.yaml").write_text((content / "people" / "bob.yaml").read_text().replace("Co-founded", "Founded"))
    report = cached_build(Options(content, out), cache)
    assert report.made < report.files
    assert tree(out) == plain(content, tmp_path / "plain")


def test_a_problem_in_a_rebuild_names_its_line_and_leaves_the_site(tmp_path: Path, content: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    cached_build(Options(content, out), cache)
    before = tree(out)
    (content / "people" / "alice.yaml").write_text("name: Alice\ncareer:\n  - company: bigco-labb\n    start: 2020\n"
                                                   "    sources: [https://example.org/a]\n")
    with pytest.raises(ContentError) as err:
        cached_build(Options(content, out), cache)
    assert [str(p) for p in err.value.problems] == [
        "people/alice.yaml:3:14: career[0].company: unknown company 'bigco-labb' (did you mean 'bigco-lab'?)"]
    assert tree(out) == before
    (content / "people" / "alice.yaml").unlink()  # now models/alpha-1.yaml names a person who is gone
    with pytest.raises(ContentError) as err:
        cached_build(Options(content, out), cache)
    assert "authors[0]: unknown person 'alice'" in str(err.value)
    assert tree(out) == before


def test_a_file_saved_again_while_a_rebuild_reads_it_gives_what_was_read(tmp_path: Path, content: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # An editor that saves in two writes can be read between them: the rebuild finds a
    # problem, and the full check it then runs for every problem reads the finished file.
    out, cache = tmp_path / "site", tmp_path / "cache"
    cached_build(Options(content, out), cache)
    alice = content / "people" / "alice.yaml"
    good = alice.read_text()
    alice.write_text(good.replace("company: bigco-lab", "company: bigco-labb", 1))
    full_check = incremental.load_site

    def saved_again(*args: object) -> object:
        alice.write_text(good)
        return full_check(*args)

    monkeypatch.setattr(incremental, "load_site", saved_again)
    with pytest.raises(ContentError) as err:
        cached_build(Options(content, out), cache)
    assert "unknown company 'bigco-labb'" in str(err.value)
    monkeypatch.undo()
    cached_build(Options(content, out), cache)  # the next build reads the file anew
    assert tree(out) == plain(content, tmp_path / "plain")


def test_an_edited_template_is_compiled_again_and_every_page_made(tmp_path: Path, content: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    out, cache = tmp_path / "site", tmp_path / "cache"
    cached_build(Options(content, out, templates=(templates,)), cache)
    assert list(cache.glob("templates-*/*")), "no compiled template was kept"
    footer = templates / "site_footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("About the data", "About these data"), encoding="utf-8")
    report = cached_build(Options(content, out, templates=(templates,)), cache)
    assert report.made == report.files
    assert tree(out) == plain(content, tmp_path / "plain", templates=(templates,))
    assert "About these data" in (out / "index.html").read_text(encoding="utf-8")


def test_a_template_error_in_a_worker_stops_the_build_and_keeps_the_site(tmp_path: Path, content: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    out, cache = tmp_path / "site", tmp_path / "cache"
    cached_build(Options(content, out, templates=(templates,)), cache, jobs=2)
    before = tree(out)
    person = templates / "person.html"
    person.write_text(person.read_text(encoding="utf-8").replace("{{ p.name }}", "{{ p.no_such_field }}"), encoding="utf-8")
    with pytest.raises(TemplateError, match="person.html"):
        cached_build(Options(content, out, templates=(templates,)), cache, jobs=2)
    assert tree(out) == before


def test_the_sites_own_templates_and_static_files_are_part_of_the_cache_key(tmp_path: Path, content: Path) -> None:
    """A template the site adds to override a built-in one, then edits, then takes away,
    and a static file it overrides: each cached rebuild equals a plain build."""
    out, cache = tmp_path / "site", tmp_path / "cache"

    def rebuilt() -> dict[str, bytes]:
        cached_build(Options.of_site(content, out), cache)
        shutil.rmtree(tmp_path / "plain", ignore_errors=True)
        build(Options.of_site(content, tmp_path / "plain"))
        assert tree(out) == tree(tmp_path / "plain")
        return tree(out)

    rebuilt()
    own = tmp_path / "templates"  # beside the content folder: the site's own
    own.mkdir()
    footer = (builtin("templates") / "site_footer.html").read_text(encoding="utf-8")
    (own / "site_footer.html").write_text(footer.replace("About the data", "About these data"), encoding="utf-8")
    assert "About these data" in rebuilt()["people/alice/index.html"].decode()
    (own / "site_footer.html").write_text(footer.replace("About the data", "How it is made"), encoding="utf-8")
    assert "How it is made" in rebuilt()["index.html"].decode()
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "style.css").write_text("body { color: teal; }\n", encoding="utf-8")
    assert rebuilt()["static/style.css"] == b"body{color:teal}"  # minified as written
    shutil.rmtree(own)
    assert "About the data" in rebuilt()["index.html"].decode()
