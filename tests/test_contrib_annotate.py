"""Problems as GitHub Actions annotations (under GITHUB_ACTIONS=true) or as path:line:col."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atlas.commands.annotate import Reporter, annotation, escape_data, escape_property, in_github_actions
from atlas.commands.cli import main
from atlas.errors import Problem, SourceLoc

MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "content"


def test_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("100% sure\r\nnext: a, b") == "100%25 sure%0D%0Anext: a, b"
    assert escape_property("content/a:b,c%.yaml\n") == "content/a%3Ab%2Cc%25.yaml%0A"


def test_annotation_format() -> None:
    assert annotation("error", "name: is empty", "content/people/a.yaml", 3, 5) == \
        "::error file=content/people/a.yaml,line=3,col=5::name: is empty"
    assert annotation("warning", "m", "content/a.yaml") == "::warning file=content/a.yaml::m"
    assert annotation("error", "50%\nmore", "x,y.yaml", 1, 0, title="t:1") == "::error file=x%2Cy.yaml,line=1,title=t%3A1::50%25%0Amore"


def test_github_actions_is_detected_from_the_environment() -> None:
    assert in_github_actions({"GITHUB_ACTIONS": "true"})
    assert not in_github_actions({"GITHUB_ACTIONS": "false"})
    assert not in_github_actions({})


def test_reporter_paths_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    content = tmp_path / "repo" / "content"
    problem = Problem(SourceLoc("people/a.yaml", 2, 7), "career[0].start: 'May 2023' is not a date")
    github = Reporter(content, tmp_path / "repo", github=True)
    assert github.problem(problem) == ("::error file=content/people/a.yaml,line=2,col=7,title=content error::"
                                       "career[0].start: 'May 2023' is not a date")
    file_level = Problem(SourceLoc("people/A B.yaml"), "file name 'A B' is not a slug")
    assert github.problem(file_level).startswith("::error file=content/people/A B.yaml,title=")
    plain = Reporter(content, tmp_path / "repo", github=False)
    assert plain.problem(problem).endswith("content/people/a.yaml:2:7: career[0].start: 'May 2023' is not a date")


def _broken_repo(tmp_path: Path) -> Path:
    content = tmp_path / "repo" / "content"
    shutil.copytree(MINI, content)
    bob = content / "people" / "bob.yaml"
    bob.write_text(bob.read_text(encoding="utf-8").replace("company: newco", "company: newcoo"), encoding="utf-8")
    return content


def test_check_prints_annotations_under_github_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    content = _broken_repo(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    assert main(["check", "--content", str(content)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("::error file=content/people/bob.yaml,line=12,col=14,title=content error::"
                      "career[1].company: unknown company 'newcoo' (did you mean 'newco'?)")
    assert err[-1] == "1 problem found; nothing was written."
    assert str(tmp_path) not in "\n".join(err)


def test_check_prints_path_line_column_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    content = _broken_repo(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "--content", str(content)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{content}/people/bob.yaml:12:14: career[1].company: unknown company 'newcoo' (did you mean 'newco'?)"


def test_format_warnings_are_warning_annotations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "repo" / "content"
    shutil.copytree(MINI, content)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    assert main(["check", "--content", str(content)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert ("::warning file=content/people/bob.yaml,line=11,col=14,title=content warning::not in canonical form: "
            "career[0].sources: write one item per line, each starting with '- '; run 'python build.py fmt' to fix it "
            "and 1 more") in err
