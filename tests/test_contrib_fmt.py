"""`build.py fmt`: the canonical form of content files, where comments go when fields
move, `check`'s warnings about it, and that `check` and `fmt` read exactly the same files."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from atlas.build import load
from atlas.commands.canonical import Change, FormatError, canonical
from atlas.commands.cli import main
from atlas.commands.fmt import canonical_warning, content_files, format_text, unformatted
from atlas.content.load import load_bytes, load_text
from atlas.content.schema import CLAIM, PERSON
from atlas.errors import ContentError
from conftest import SEED
from layouts import Choices, misplaced, write

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


# The two reports: a comment written above `summary:` ended up above `career:`, and
# a comment between two jobs landed inside the first one.
COMMENTED = """\
name: Ada
career:
  - start: 2020
    sources:
      - https://a.example/x
    # the first lab she joined
    company: acme
    role: Researcher   # as on the badge
  # She left in 2021 (no source yet).
  - company: beta
    start: 2021
    sources:
      - https://a.example/y
      # a second source is wanted
# One line, for the index page.
summary: Mathematician
"""
COMMENTED_CANONICAL = """\
name: Ada
# One line, for the index page.
summary: Mathematician
career:
  # the first lab she joined
  - company: acme
    role: Researcher   # as on the badge
    start: 2020
    sources:
      - https://a.example/x
  # She left in 2021 (no source yet).
  - company: beta
    start: 2021
    sources:
      - https://a.example/y
      # a second source is wanted
"""


def test_a_comment_moves_with_its_field_and_stays_between_items() -> None:
    assert format_text(COMMENTED, PERSON) == COMMENTED_CANONICAL


def test_the_header_stays_on_top_and_a_field_takes_its_comment_lines_and_blank_lines() -> None:
    text = ("# yaml-language-server: $schema=../../schemas/person.schema.json\n# Ada: the header.\n"
            "summary: Mathematician\n\n# The name as on her papers.\nname: Ada\n")
    assert format_text(text, PERSON) == ("# yaml-language-server: $schema=../../schemas/person.schema.json\n"
                                         "# Ada: the header.\n\n# The name as on her papers.\nname: Ada\n"
                                         "summary: Mathematician\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_every_comment_stays_where_it_belongs_in_any_layout(rnd: random.Random) -> None:
    """A seed file written in a random layout (field order, list styles, quoted dates,
    indentation, flow mappings) with marked comments everywhere: fmt puts it in canonical
    form in one go, and every comment stays with its field, its item or its value."""
    path, src_path, record = rnd.choice(SEED_FILES)
    choices = Choices(rnd.choice)
    text = write(load_bytes(path.read_bytes(), src_path), record, choices)
    result = canonical(text.encode("utf-8"), record, src_path)
    assert misplaced(result.text, choices.comments) == [], (text, result.text)
    assert canonical(result.text.encode("utf-8"), record, src_path).changes == ()


SEED_FILES = content_files(SEED)


# check's warning: the first line that differs, and what to change there.

@pytest.mark.parametrize("text, expected", [
    (MESSY, "people/ada.yaml:2:1: not in canonical form: put 'name' before 'career' (fields go in the order of "
            "docs/fields.md); run 'python build.py fmt' to fix it and 5 more"),
    ("name: Ada\ncareer:\n  - company: acme\n    start: '2023-05'\n    sources:\n      - https://a.example/x\n",
     "people/ada.yaml:4:12: not in canonical form: career[0].start: write the date as 2023-05, not '2023-05'; "
     "run 'python build.py fmt' to fix it"),
    ("name: Ada\ncareer:\n  - start: 2023\n    company: acme\n    sources: [https://a.example/x]\n",
     "people/ada.yaml:3:5: not in canonical form: career[0]: put 'company' before 'start' (fields go in the order "
     "of docs/fields.md); run 'python build.py fmt' to fix it and 1 more"),
    ("name: Ada\naliases:\n  - Ada L.\n  - A. Lovelace\n",
     "people/ada.yaml:2:9: not in canonical form: aliases: write the list on one line: [Ada L., A. Lovelace]; "
     "run 'python build.py fmt' to fix it"),
    ("name: Ada\nlinks: [{url: https://a.example/, title: Home}]\n",
     "people/ada.yaml:2:8: not in canonical form: links: write one item per line, each starting with '- '; "
     "run 'python build.py fmt' to fix it and 1 more"),
    ("name: Ada\r\nsummary: Mathematician\r\n",
     "people/ada.yaml:1:1: not in canonical form: lines end in CR LF (Windows style); end them in LF alone; "
     "run 'python build.py fmt' to fix it"),
    ("\ufeffname: Ada\n",
     "people/ada.yaml:1:1: not in canonical form: the file starts with a byte order mark; save it as UTF-8 "
     "without one; run 'python build.py fmt' to fix it"),
    ("name: Ada\nsummary: Mathematician",
     "people/ada.yaml:2:1: not in canonical form: the file does not end with a line break; add one; "
     "run 'python build.py fmt' to fix it"),
], ids=["messy", "date", "order-in-a-job", "block-names", "flow-records", "crlf", "bom", "no-final-newline"])
def test_the_warning_names_the_first_line_that_differs_and_what_to_change(text: str, expected: str) -> None:
    data = text.encode("utf-8")
    assert str(canonical_warning(data, canonical(data, PERSON, "people/ada.yaml"), "people/ada.yaml")) == expected


def test_check_warns_about_a_reminder_left_by_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    assert main(["new", "person", "Ada Lovelace", "--content", str(content)]) == 0
    capsys.readouterr()
    assert main(["check", "--strict", "--no-cache", "--content", str(content)]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if ": note: " not in line]
    assert err[0].endswith("people/ada-lovelace.yaml:2:1: warning: a reminder written by 'build.py new' is still here; "
                           "do what it says, then delete it")
    assert err[1].endswith("people/ada-lovelace.yaml:4:1: warning: a reminder written by 'build.py new' is still here; "
                           "do what it says, then delete it")
    assert err[-1] == "2 warnings; --strict makes them fail the check."


# check and fmt read exactly the same files.

def _corpus() -> list[tuple[str, bytes]]:
    """Every content file of the test fixtures and invalid cases, and hostile snippets."""
    files = [(f"{root.parent.name}/{src}", path.read_bytes()) for root in
             [SEED, ROOT / "tests" / "fixtures" / "mini" / "content", *sorted((ROOT / "tests" / "invalid").glob("*/content"))]
             for path, src, _ in content_files(root)]
    snippets = [
        "name: Ada\ncareer:\n  - company: acme\n    role:\tFounding director\n    start: 2020\n",  # the tab
        "name:\tAda\n", "name: Ada\t# comment\n", "\tname: Ada\n", "name: Ada\ncareer:\n\t- company: acme\n",
        "name: &a Ada\nsummary: *a\n", "name: !!str Ada\n", "name: Ada\nname: Ada\n", "? name\n: Ada\n",
        "---\nname: Ada\n...\n", "%YAML 1.2\n---\nname: Ada\n", "name: Ada\n---\nname: Bob\n",
        "name: [Ada\n", "name: 'Ada\n", "name: \"Ada\\q\"\n", "name: >-\n  Ada\n\n\n", "name: |2\n   Ada\n",
        "summary: x\nname: Ada\ncareer: [{start: '2020', sources: [https://e.org], company: acme}]\n",
        "career:\n- sources:\n  - https://e.org\n  company: acme\nname: Ada\n",
        "name: Ada\ncareer:\n  -   start: 2020\n      company: acme\n", "name: Ada\naliases: [a, b,]\n",
        "{name: Ada, summary: x}\n", "[a, b]\n", "", "# only a comment\n", "name: Ada # no space\n",
        "name: " + "[" * 60 + "]" * 60 + "\n", "name: Ada\n\x00\n", "name: Ada\n\x85x: y\n",
        "name: Ada\nsummary: \"\\ud800\"\n", "name: Ada\r\rsummary: x\r", "\ufeff\ufeffname: Ada\n",
        # Found by test_check_and_fmt_agree_on_damaged_files: an empty item, an item that is a
        # mapping only inside [...], a byte order mark that a moved field brings to the top, and
        # a date quoted over two lines inside a mapping written on one line.
        "name: N\naliases:\n  -\n  - NVIDIA\n",
        'name: N\ncareer:\n  - company: acme\n    start: 2020\n    sources: ["https"://b.example/y]\n',
        "summary: x\n\ufeff# a comment\nname: N\n",
        'summary: x\ncareer:\n  - {sources: ["https://e.org"], company: acme, start: "by 2023-02\n  "}\nname: N\n',
    ]
    return files + [(f"snippet {i}", text.encode("utf-8")) for i, text in enumerate(snippets)] + [
        ("latin-1", b"name: Ad\xe9\n"), ("lone-cr", b"name: Ada\rsummary: x\n")]


def _reads(data: bytes) -> tuple[bool, bool]:
    """(check reads it, fmt reads it); fmt's result must also be in canonical form."""
    try:
        load_bytes(data, "people/x.yaml")
        check = True
    except ContentError:
        check = False
    try:
        result = canonical(data, PERSON, "people/x.yaml")
    except FormatError:
        return check, False
    assert canonical(result.text.encode("utf-8"), PERSON, "people/x.yaml").changes == ()
    return check, True


@pytest.mark.parametrize("name, data", _corpus(), ids=lambda v: v if isinstance(v, str) else "")
def test_check_and_fmt_read_the_same_files(name: str, data: bytes) -> None:
    check, fmt = _reads(data)
    assert check == fmt


def test_fmt_gives_checks_own_message_for_a_file_it_cannot_read() -> None:
    data = b"name: Ada\nsummary:Mathematician\ncareer: []\n"
    with pytest.raises(ContentError) as checked:
        load_bytes(data, "people/ada.yaml")
    with pytest.raises(FormatError) as formatted:
        canonical(data, PERSON, "people/ada.yaml")
    assert formatted.value.problems == checked.value.problems


def test_a_comment_indented_with_a_tab_is_indented_with_spaces() -> None:
    # Found by the property test below: YAML reads a tab before a comment where one stands,
    # but fmt had moved the comment where it does not.
    text = "summary: Investor.\naliases:\n- NVIDIA\n \t # end aliases\nname: Nvidia\nkind: big-tech\n"
    assert _reads(text.encode("utf-8")) == (True, True)
    result = canonical(text.encode("utf-8"), PERSON, "people/x.yaml")
    assert "\t" not in result.text and "  # end aliases" in result.text
    assert Change(4, 1, 4, "a comment line is indented with a tab; indent it with spaces") in result.changes


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_check_and_fmt_agree_on_damaged_files(rnd: random.Random) -> None:
    """A seed file in a random layout, then a character or two deleted, doubled or inserted."""
    path, src_path, record = rnd.choice(SEED_FILES)
    text = write(load_bytes(path.read_bytes(), src_path), record, Choices(rnd.choice))
    for _ in range(rnd.randint(1, 2)):
        at = rnd.randrange(len(text))
        edit = rnd.choice(["delete", "double", " ", ":", "-", "'", '"', "[", "]", "{", "}", ",", "#", "\t", "\n",
                           "\n  ", "\n- ", "\r\n"])
        text = (text[:at] + text[at + 1:] if edit == "delete" else text[:at] + text[at] + text[at:]
                if edit == "double" else text[:at] + edit + text[at:])
    check, fmt = _reads(text.encode("utf-8"))
    assert check == fmt, text


def test_fmt_command_rewrites_and_check_warns_until_it_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "content", content)
    (content / "people" / "ada.yaml").write_text(MESSY.replace("acme", "newco"), encoding="utf-8")
    assert main(["check", "--content", str(content)]) == 0
    err = capsys.readouterr().err
    assert ("people/ada.yaml:2:1: warning: not in canonical form: put 'name' before 'career' (fields go in the order "
            "of docs/fields.md); run 'python build.py fmt' to fix it and 5 more") in err
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
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("people/x.yaml:1:7: YAML syntax error: the list that starts with [ here is not closed; "
                           "end it with ], and put ', ' between its items")
    assert err[1] == "1 file not formatted: fix the problems above first (check lists them too)"
    assert (content / "people" / "x.yaml").read_text(encoding="utf-8") == "name: [unclosed\n"
