"""`build.py diff --base REF`: how a change alters the computed summaries, as Markdown."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from atlas.commands.cli import main
from atlas.commands.diff import DiffError, Fact, Report, compare, diff_report, render
from ci_guards import missing_tool

MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "content"


@pytest.fixture(autouse=True)
def git_installed() -> None:
    if shutil.which("git") is None:
        missing_tool("git is not installed")


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.com",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(MINI, root / "content")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    return root


def _move_alice(content: Path) -> None:
    alice = content / "people" / "alice.yaml"
    text = alice.read_text(encoding="utf-8").replace("    start: by 2023-02\n", "    start: by 2023-02\n    end: 2024-03\n")
    alice.write_text(text + "  - company: newco\n    start: 2024-03\n    sources: [https://example.org/alice-moves]\n",
                     encoding="utf-8")


def test_diff_reports_departures_diaspora_flows_and_claims(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _move_alice(repo / "content")
    assert main(["diff", "--base", "HEAD", "--content", str(repo / "content")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## What this change does to the computed summaries\n\nCompared with `HEAD`. Every figure is "
                          "computed as of 2025-06-01 (the as-of date, set in `content/site.yaml`).\n\n### Departures\n")
    assert "### Departures\n\n- BigCo → NewCo: 1 → 2 departures (now also Alice Émile)\n" in out
    assert "- Alpha 1 authors remaining at BigCo: 1 → 0 of 2 (no longer Alice Émile)\n" in out
    assert "- Alpha 1 authors who left BigCo: 1 → 2 of 2 (now also Alice Émile)\n" in out
    assert "### Flows\n\n- BigCo Lab → NewCo: 1 → 2 moves (now also Alice Émile)\n" in out
    # A claim by its text, each figure labelled with what it counts.
    assert ("- Claim “Only one of the two Alpha authors is still at BigCo.”: contradicted (1 remain at BigCo, 0 joined "
            "NewCo within 12 months) → contradicted (0 remain at BigCo, 0 joined NewCo within 12 months)\n") in out


def test_diff_never_touches_the_working_tree(repo: Path) -> None:
    _move_alice(repo / "content")
    status = _git(repo, "status", "--porcelain")
    diff_report(repo / "content", "HEAD")
    assert _git(repo, "status", "--porcelain") == status == " M content/people/alice.yaml\n"


def test_no_change_says_so(repo: Path) -> None:
    assert "No computed figure changes." in diff_report(repo / "content", "HEAD")


def test_unknown_revision_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DiffError, match="'no-such-branch' is not a commit git knows here; give a branch, tag or commit"):
        diff_report(repo / "content", "no-such-branch")
    assert main(["diff", "--base", "no-such-branch", "--content", str(repo / "content")]) == 1
    assert capsys.readouterr().err.startswith("error: ")


def _rename_references(content: Path, old: str, new: str) -> None:
    for path in content.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"\b{old}\b(?!-)", new, text), encoding="utf-8")


def test_added_removed_and_renamed_entities_are_listed(repo: Path) -> None:
    content = repo / "content"
    _git(repo, "mv", "content/people/carol.yaml", "content/people/carol-chen.yaml")
    _rename_references(content, "carol", "carol-chen")
    (content / "companies" / "initech.yaml").write_text("name: Initech\n", encoding="utf-8")
    (content / "claims" / "alpha-remaining.yaml").unlink()
    out = diff_report(content, "HEAD")
    assert ("### Entities\n\n"
            "- Added company **Initech** (`companies/initech.yaml`)\n"
            "- Removed claim **Only one of the two Alpha authors is still at BigCo.** (`claims/alpha-remaining.yaml`)\n"
            "- Renamed person **Carol Ng**: `people/carol.yaml` → `people/carol-chen.yaml`\n\n") in out


def test_a_rename_with_a_new_name_is_found_by_its_text(repo: Path) -> None:
    content = repo / "content"
    carol = content / "people" / "carol.yaml"
    text = carol.read_text(encoding="utf-8")
    carol.unlink()
    (content / "people" / "carol-d.yaml").write_text(text.replace("name: Carol Ng", "name: Carol N."), encoding="utf-8")
    _rename_references(content, "carol", "carol-d")
    assert "- Renamed person **Carol N.**: `people/carol.yaml` → `people/carol-d.yaml`\n" in diff_report(content, "HEAD")


def test_an_edit_after_the_as_of_date_is_recorded_but_not_counted(repo: Path) -> None:
    """The issue's report: real dates after as_of made diff say 'No computed figure changes', with no reason."""
    content = repo / "content"
    alice = content / "people" / "alice.yaml"
    text = alice.read_text(encoding="utf-8").replace("    start: by 2023-02\n", "    start: by 2023-02\n    end: 2025-11\n")
    alice.write_text(text + "  - company: newco\n    start: 2025-12\n    sources: [https://example.org/alice-moves]\n",
                     encoding="utf-8")
    out = diff_report(content, "HEAD")
    assert ("### Recorded, but not counted yet\n\nThese facts are dated after the as-of date (2025-06-01), so no figure "
            "counts them until the as-of date reaches them (`build.py diff --base REF --as-of YYYY-MM-DD` shows what "
            "they would change then).\n\n"
            "- Alice Émile (`people/alice.yaml`, `career[0].end`): 2025-11; the summaries count this job as going on "
            "until then\n"
            "- Alice Émile (`people/alice.yaml`, `career[1].start`): 2025-12; the summaries ignore this job until then\n"
            "\nNo computed figure changes.\n") in out
    later = diff_report(content, "HEAD", as_of=__import__("datetime").date(2026, 1, 1))
    assert "- BigCo → NewCo: 1 → 2 departures (now also Alice Émile)\n" in later


def test_check_notes_a_fact_after_the_as_of_date(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    alice = repo / "content" / "people" / "alice.yaml"
    alice.write_text(alice.read_text(encoding="utf-8").replace("    start: by 2023-02\n",
                                                               "    start: by 2023-02\n    end: 2025-11\n"), encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "--no-cache", "--content", "content"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[1] == ("content/people/alice.yaml:7:10: note: career[0].end: 2025-11 is after the as-of date (2025-06-01, "
                      "set in site.yaml): it is recorded, but the summaries count this job as going on until then")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    main(["check", "--content", "content"])
    assert capsys.readouterr().err.splitlines()[1].startswith(
        "::notice file=content/people/alice.yaml,line=7,col=10,title=content note::career[0].end: 2025-11 is after")


def test_new_and_removed_figures() -> None:
    base = {"Departures": {"a>b": Fact("A → B", "2", "departures", frozenset({"X", "Y"}))}}
    head = {"Departures": {"a>c": Fact("A → C", "1", "departures", frozenset({"Y"}))}}
    lines = compare(base, head)["Departures"]
    assert lines == ["- A → B: 2 → 0 departures (no longer X, Y)", "- A → C: 0 → 1 departures (now also Y)"]
    import datetime as dt
    text = render(Report("main", (dt.date(2025, 1, 1), dt.date(2025, 6, 1)), "--as-of", [], [], {"Departures": lines}))
    assert "as of 2025-01-01 (base) and 2025-06-01 (this change) (the as-of date, set in --as-of)" in text
