"""`build.py fmt`: the canonical form of content files, and `check`'s warning about it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atlas.commands.cli import main
from atlas.build import load
from atlas.commands.fmt import format_text, unformatted
from atlas.content.load import load_text
from atlas.content.schema import CLAIM, PERSON
from conftest import SEED

ROOT = Path(__file__).resolve().parents[1]
MESSY = """\
# Ada: a header comment that must stay on top.
career:  # jobs, newest first
  - sources: [https://a.example/x, https://b.example/y]
    start: "2023-05-27"      # the day is known (the comment keeps its column)
    company: acme
    end: by   2024
  - organization: A university
    start: ~2019
    sources:
      - https://c.example/z
aliases:
  - Ada L.
  - A. Lovelace
name: Ada Lovelace   # as on the paper
"""
CANONICAL = """\
# Ada: a header comment that must stay on top.
name: Ada Lovelace   # as on the paper
aliases: [Ada L., A. Lovelace]
career:  # jobs, newest first
  - company: acme
    start: 2023-05-27        # the day is known (the comment keeps its column)
    end: by 2024
    sources:
      - https://a.example/x
      - https://b.example/y
  - organization: A university
    start: ~2019
    sources:
      - https://c.example/z
"""


def test_format_puts_fields_dates_and_lists_in_canonical_form_and_keeps_comments() -> None:
    assert format_text(MESSY, PERSON) == CANONICAL


def test_format_is_idempotent_and_keeps_the_meaning() -> None:
    once = format_text(MESSY, PERSON)
    assert format_text(once, PERSON) == once
    before, after = load_text(MESSY, "x"), load_text(once, "x")
    assert after["career"][0]["start"] == "2023-05-27" and before["career"][0]["start"] == "2023-05-27"
    assert after["career"][0]["end"] == "by 2024"
    assert sorted(before) == sorted(after)


def test_unknown_fields_and_invalid_dates_are_left_for_check() -> None:
    text = "zzz: 1\nname: Ada\ncareer:\n  - company: acme\n    start: May 2023\n"
    assert format_text(text, PERSON) == "name: Ada\ncareer:\n  - company: acme\n    start: May 2023\nzzz: 1\n"


def test_claim_fields_follow_the_schema_order() -> None:
    text = "date: 2025-01-01\ntext: t\nchecks:\n  - expect: 3\n    metric: authors_left\n"
    assert format_text(text, CLAIM) == "text: t\ndate: 2025-01-01\nchecks:\n  - metric: authors_left\n    expect: 3\n"


def test_the_default_content_is_in_canonical_form() -> None:
    assert unformatted(SEED) == []


def test_fmt_command_rewrites_and_check_warns_until_it_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "content", content)
    (content / "people" / "ada.yaml").write_text(MESSY.replace("acme", "newco"), encoding="utf-8")
    assert main(["check", "--content", str(content)]) == 0
    err = capsys.readouterr().err
    assert "people/ada.yaml:1:1: warning: not in canonical form" in err
    assert main(["check", "--strict", "--content", str(content)]) == 1
    assert main(["fmt", "--check", "--content", str(content)]) == 1
    capsys.readouterr()
    assert main(["fmt", "--content", str(content)]) == 0
    assert "formatted" in capsys.readouterr().out
    assert (content / "people" / "ada.yaml").read_text(encoding="utf-8") == CANONICAL.replace("acme", "newco")
    assert main(["check", "--strict", "--content", str(content)]) == 0
    assert "warning" not in capsys.readouterr().err
    load(content).site


def test_no_format_warning_while_there_are_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "content", content)
    (content / "people" / "ada.yaml").write_text("sumary: x\n", encoding="utf-8")
    assert main(["check", "--content", str(content)]) == 1
    assert "warning:" not in capsys.readouterr().err


def test_fmt_reports_unreadable_yaml_and_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    (content / "people").mkdir(parents=True)
    (content / "site.yaml").write_text("title: T\nas_of: 2025-06-01\n", encoding="utf-8")
    (content / "people" / "x.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    assert main(["fmt", "--content", str(content)]) == 1
    assert "people/x.yaml: cannot format" in capsys.readouterr().err
    assert (content / "people" / "x.yaml").read_text(encoding="utf-8") == "name: [unclosed\n"
