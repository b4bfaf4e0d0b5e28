"""A site's own templates/ and static/, beside its content folder, override the built-in
ones file by file; the generator finds its built-in ones wherever it is installed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atlas.build import Options, builtin, search_path
from atlas.commands.cli import main
from atlas.site.write import static_files
from rjsmin import jsmin

MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "content"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A site's own repository: its content, and nothing of the generator."""
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path


def own_footer(repository: Path) -> str:
    """Give the site its own site_footer.html: the built-in one, one sentence changed."""
    footer = (builtin("templates") / "site_footer.html").read_text(encoding="utf-8")
    assert "About the data" in footer
    (repository / "templates").mkdir()
    (repository / "templates" / "site_footer.html").write_text(footer.replace("About the data", "How this atlas is made"),
                                                               encoding="utf-8")
    return "How this atlas is made"


def test_a_template_of_the_site_overrides_the_built_in_one_and_only_that_one(repository: Path) -> None:
    line = own_footer(repository)
    out = repository / "site"
    assert main(["--content", str(repository / "content"), "--out", str(out), "--no-cache", "--quiet"]) == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    assert line in home and "About the data" not in home
    assert '<nav aria-label="Site">' in home  # the header is still the built-in one
    assert line in (out / "people" / "alice" / "index.html").read_text(encoding="utf-8")


def test_a_static_file_of_the_site_overrides_the_built_in_one(repository: Path) -> None:
    (repository / "static").mkdir()
    (repository / "static" / "style.css").write_text("body { color: teal; }\n", encoding="utf-8")
    (repository / "static" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>\n", encoding="utf-8")
    out = repository / "site"
    assert main(["--content", str(repository / "content"), "--out", str(out), "--no-cache", "--quiet"]) == 0
    assert (out / "static" / "style.css").read_text(encoding="utf-8") == "body{color:teal}"  # minified as written
    assert (out / "static" / "logo.svg").is_file()  # a file of its own is added
    assert (out / "static" / "site.js").read_bytes() == jsmin((builtin("static") / "site.js").read_bytes())


def test_the_first_folder_wins_file_by_file(tmp_path: Path) -> None:
    own, built_in = tmp_path / "own", tmp_path / "built-in"
    for folder, files in ((own, {"a.css": "own a", "sub/c.js": "own c"}), (built_in, {"a.css": "built-in a", "b.js": "b"})):
        for rel, text in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
    assert list(static_files((own, built_in))) == [("static/a.css", b"own a"), ("static/b.js", b"b"),
                                                   ("static/sub/c.js", b"own c")]


def test_only_folders_that_exist_beside_the_content_are_searched(repository: Path) -> None:
    content = repository / "content"
    assert search_path(content, "templates") == (builtin("templates"),)
    (repository / "templates").mkdir()
    assert search_path(content, "templates") == (repository / "templates", builtin("templates"))
    options = Options.of_site(content, repository / "site")
    assert options.templates[0] == repository / "templates" and options.static == (builtin("static"),)


def test_the_generators_own_content_folder_has_no_override() -> None:
    """In the generator's checkout, templates/ beside content/ is the built-in folder itself."""
    root = builtin("templates").parent
    assert search_path(root / "content", "templates") == (builtin("templates"),)
