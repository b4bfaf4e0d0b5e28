"""`build.py diff --base REF`: how a change alters the computed summaries, as Markdown."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from atlas.commands.cli import main
from atlas.commands.diff import DiffError, Fact, compare, diff_report, render
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
    assert out.startswith("## What this change does to the computed summaries\n\nCompared with `HEAD`, as of 2025-06-01.\n")
    assert "### Departures\n\n- BigCo → NewCo: 1 → 2 departures (now also Alice Émile)\n" in out
    assert "- Alpha 1 authors remaining at BigCo: 1 → 0 of 2 (no longer Alice Émile)\n" in out
    assert "- Alpha 1 authors who left BigCo: 1 → 2 of 2 (now also Alice Émile)\n" in out
    assert "### Flows\n\n- BigCo Lab → NewCo: 1 → 2 moves (now also Alice Émile)\n" in out
    assert "- Claim `alpha-remaining`: contradicted (1; 0) → contradicted (0; 0)\n" in out


def test_diff_never_touches_the_working_tree(repo: Path) -> None:
    _move_alice(repo / "content")
    status = _git(repo, "status", "--porcelain")
    diff_report(repo / "content", "HEAD")
    assert _git(repo, "status", "--porcelain") == status == " M content/people/alice.yaml\n"


def test_no_change_says_so(repo: Path) -> None:
    assert "No computed figure changes." in diff_report(repo / "content", "HEAD")


def test_unknown_revision_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DiffError, match="failed"):
        diff_report(repo / "content", "no-such-branch")
    assert main(["diff", "--base", "no-such-branch", "--content", str(repo / "content")]) == 1
    assert capsys.readouterr().err.startswith("error: ")


def test_new_and_removed_figures() -> None:
    base = {"Departures": {"a>b": Fact("A → B", "2", "departures", frozenset({"X", "Y"}))}}
    head = {"Departures": {"a>c": Fact("A → C", "1", "departures", frozenset({"Y"}))}}
    lines = compare(base, head)["Departures"]
    assert lines == ["- A → B: 2 → 0 departures (no longer X, Y)", "- A → C: 0 → 1 departures (now also Y)"]
    import datetime as dt
    text = render({"Departures": lines}, "main", (dt.date(2025, 1, 1), dt.date(2025, 6, 1)))
    assert "as of 2025-01-01 (base) and 2025-06-01 (this change)" in text
