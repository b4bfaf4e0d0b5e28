"""`build.py new`: skeletons that pass check, and a contributor's path from `new` to a
passing `check` (the worked example of CONTRIBUTING.md)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atlas.commands.cli import main
from atlas.build import load
from atlas.commands.fmt import unformatted
from atlas.commands.scaffold import ScaffoldError, Stub, create
from atlas.commands.schemas import modeline
from conftest import SEED

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "https://example.com/jane-joins-mistral"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(SEED, target)
    return target


@pytest.mark.parametrize("stub", [
    Stub("person", "Timothée Lacroix Jr."),
    Stub("person", "Jane Doe", company="mistral-ai", role="Research scientist", start="2024-01", source=SOURCE),
    Stub("person", "Ana: the \"quoted\" #1", company="meta", start="~2019", source=SOURCE),
    Stub("company", "Société Générale Labs"),
    Stub("company", "Acme", source=SOURCE),
    Stub("model", "Mistral Tiny 2", company="mistral-ai", source=SOURCE),
])
def test_every_skeleton_passes_check_and_strict_check_once_its_reminders_are_done(
        content: Path, stub: Stub, capsys: pytest.CaptureFixture[str]) -> None:
    path = create(content, stub)
    rel = path.relative_to(content).as_posix()
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == modeline(rel)
    assert main(["check", "--content", str(content)]) == 0, capsys.readouterr().err
    assert unformatted(content) == []
    # --strict fails on exactly the reminder lines, and passes once they are done and deleted.
    reminders = [n for n, line in enumerate(text.splitlines(), 1) if "then delete this line" in line
                 or "uncomment and edit" in line.lower()]
    assert reminders
    capsys.readouterr()
    assert main(["check", "--strict", "--content", str(content)]) == 1
    warned = [line for line in capsys.readouterr().err.splitlines() if ": warning: " in line]
    assert [int(line.split(":")[1]) for line in warned] == reminders
    assert all(f"{rel}:" in line and "a reminder written by 'build.py new'" in line for line in warned)
    kept = [line for n, line in enumerate(text.splitlines(), 1) if n not in reminders]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert main(["check", "--strict", "--content", str(content)]) == 0, capsys.readouterr().err


def test_slug_handles_accents_and_spaces(content: Path) -> None:
    assert create(content, Stub("person", "  Timothée  Lacroix II ")).name == "timothee-lacroix-ii.yaml"


def test_new_refuses_to_overwrite(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = content / "people" / "arthur-mensch.yaml"
    before = existing.read_bytes()
    assert main(["new", "person", "Arthur Mensch", "--content", str(content)]) == 1
    assert "people/arthur-mensch.yaml already exists; edit it instead" in capsys.readouterr().err
    assert existing.read_bytes() == before


def test_new_explains_what_is_missing_or_wrong(content: Path) -> None:
    with pytest.raises(ScaffoldError, match="also needs --company and --source"):
        create(content, Stub("model", "Some Model"))
    with pytest.raises(ScaffoldError, match=r"unknown company 'mistral' \(did you mean 'mistral-ai'\?\)"):
        create(content, Stub("person", "Jane Doe", company="mistral", start="2024", source=SOURCE))
    with pytest.raises(ScaffoldError, match="also needs --start"):
        create(content, Stub("person", "Jane Doe", company="mistral-ai", source=SOURCE))
    with pytest.raises(ScaffoldError, match="no letters or digits"):
        create(content, Stub("company", "!!!"))
    with pytest.raises(ScaffoldError, match="is not a date"):
        create(content, Stub("person", "Jane Doe", company="mistral-ai", start="January 2024", source=SOURCE))
    assert not (content / "people" / "jane-doe.yaml").exists()


EARLIER_JOB = """\
  - company: meta-fair
    role: Research scientist
    start: ~2019                 # about 2019: the article says "five years at Meta"
    end: 2023-12
    tenure: about 5 years        # as the source put it
    sources:
      - https://example.com/jane-joins-mistral
"""


def test_a_contributor_goes_from_new_to_a_passing_check(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The worked example of CONTRIBUTING.md: someone left FAIR (Meta) for Mistral AI."""
    args = ["--content", str(content)]
    assert main(["new", "person", "Jane Doe", "--company", "mistral-ai", "--role", "Research scientist",
                 "--start", "2024-01", "--source", SOURCE, *args]) == 0
    assert "people/jane-doe.yaml" in capsys.readouterr().out
    path = content / "people" / "jane-doe.yaml"
    assert main(["check", *args]) == 0
    # The reminders done: a line on who she is, and the job she left (first with a typo in the slug).
    text = path.read_text(encoding="utf-8")
    text = text.replace("# Jane Doe: add one line on who or what this is, then delete this line.",
                        "# Jane Doe: research scientist at FAIR, then Mistral AI.")
    text = text.replace("# Add other jobs as more items of career, each with its own start and sources; "
                        "then delete this line.\n", EARLIER_JOB.replace("meta-fair", "meta-fiar"))
    path.write_text(text, encoding="utf-8")
    assert main(["check", *args]) == 1
    assert "people/jane-doe.yaml:10:14: career[1].company: unknown company 'meta-fiar' (did you mean 'meta-fair'?)" \
        in capsys.readouterr().err
    path.write_text(text.replace("meta-fiar", "meta-fair"), encoding="utf-8")
    assert main(["check", "--strict", *args]) == 0
    site = load(content).site
    jane = site.people["jane-doe"]
    assert [s.company for s in jane.career] == ["mistral-ai", "meta-fair"]


def test_contributing_describes_the_commands_it_uses() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for command in ("build.py new person", "build.py new company", "build.py check", "build.py fmt",
                    "build.py serve", "build.py diff --base", "build.py schemas", ".github/workflows/pr.yml"):
        assert command in guide, command
    assert EARLIER_JOB.strip() in guide


@pytest.mark.parametrize("command, shown, hidden", [
    ("new", ["--content", "--company", "--role", "--start", "--source"], ["--out", "--as-of", "--base-url", "--no-cache", "--quiet"]),
    ("check", ["--content", "--as-of", "--strict", "--no-cache", "--quiet"], ["--out", "--base-url"]),
    ("fmt", ["--content", "--check", "--quiet"], ["--out", "--as-of", "--base-url", "--no-cache"]),
    ("diff", ["--content", "--as-of", "--base"], ["--out", "--base-url", "--no-cache", "--quiet"]),
])
def test_help_lists_only_the_options_that_apply(command: str, shown: list[str], hidden: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    assert all(option in text for option in shown), text
    assert not [option for option in hidden if option in text.replace("--base ", "")]
