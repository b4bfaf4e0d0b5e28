"""`build.py check`: every problem in one run, as the README promises, exactly as printed."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from atlas.commands.cli import main
from conftest import SEED

ROOT = Path(__file__).resolve().parents[1]

# (file, text as in the seed, text with the mistake): one typo in an author, two field
# errors and an unknown company in one person's file, a company written by its name.
MISTAKES = [
    ("models/llama-1.yaml", "xavier-martinet,", "xavier-martinett,"),
    ("people/eric-hambro.yaml", "    start: by 2023-02\n", "    stat: by 2023-02\n"),
    ("people/eric-hambro.yaml", "  - company: anthropic\n", "  - company: antropic\n"),
    ("people/hugo-touvron.yaml", "  - company: meta-fair\n", "  - company: FAIR\n"),
]
EXPECTED = [
    "content/models/llama-1.yaml:16:58: authors[3]: unknown person 'xavier-martinett' (did you mean 'xavier-martinet'?)",
    "content/people/eric-hambro.yaml:6:5: career[0]: missing required field 'start' (a date)",
    "content/people/eric-hambro.yaml:7:5: career[0].stat: unknown field (did you mean 'start'?)",
    "content/people/eric-hambro.yaml:22:14: career[1].company: unknown company 'antropic' (did you mean 'anthropic'?)",
    "content/people/hugo-touvron.yaml:6:14: career[0].company: expected a company slug (lower-case words joined by "
    "hyphens, like 'mistral-ai'), got 'FAIR' (did you mean 'meta-fair'? 'FAIR' is one of its names)",
    "5 problems found; nothing was written.",
]


@pytest.fixture
def broken_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seed dataset with MISTAKES made, in tmp_path/content (the working folder)."""
    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    for rel, before, after in MISTAKES:
        path = content / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(before) == 1, (rel, before)
        path.write_text(text.replace(before, after), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return content


def test_one_run_lists_field_errors_and_unknown_references_of_the_same_file(
        broken_seed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", "content"]) == 1
    assert capsys.readouterr().err.splitlines() == EXPECTED


def test_the_readme_shows_what_check_prints(broken_seed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n((?:  content/.*\n)+  \d+ problems found; nothing was written\.\n)  ```", readme)
    assert block, "README.md has no example of check's output"
    assert main(["check", "--content", "content"]) == 1
    shown = [line.removeprefix("  ") for line in block.group(1).splitlines()]
    assert shown == capsys.readouterr().err.splitlines()
