"""Hints for the usual YAML mistakes: the line to change, and what to write there.

docs/errors.md shows one example of each (checked by test_contrib_errors.py); these are
the variants a contributor meets, each with its exact message.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from atlas.content.load import load_text
from atlas.errors import ContentError

STINT = "name: Ada\ncareer:\n  - company: acme\n    start: 2023\n    sources:\n      - https://example.com/a\n"


def problem(text: str) -> str:
    with pytest.raises(ContentError) as err:
        load_text(text, "people/ada.yaml")
    [found] = err.value.problems
    return str(found)


@pytest.mark.parametrize("text, expected", [
    # A missing space after ':' is found on its own line, though YAML stops on the next one.
    ("name: Ada\nsummary:Mathematician\ncareer: []\n",
     "people/ada.yaml:2:9: YAML syntax error: a space is missing after 'summary:'; write 'summary: Mathematician'"),
    ("name:Ada\nsummary: Mathematician\n",
     "people/ada.yaml:1:6: YAML syntax error: a space is missing after 'name:'; write 'name: Ada'"),
    ("name: Ada\ncareer:\n  - company:acme\n    start: 2023\n",
     "people/ada.yaml:3:13: YAML syntax error: a space is missing after 'company:'; write 'company: acme'"),
    ("name: Ada\ncareer:\n  -company: acme\n    start: 2023\n",
     "people/ada.yaml:3:4: YAML syntax error: a space is missing after '-'; write '- company: acme'"),
], ids=["colon-then-field", "colon-first-line", "colon-in-a-job", "dash"])
def test_a_missing_space(text: str, expected: str) -> None:
    assert problem(text) == expected


@pytest.mark.parametrize("text, expected", [
    ('name: Ada\nsummary: "Mathematician\ncareer: []\n',
     'people/ada.yaml:2:10: YAML syntax error: the quote " that starts here is never closed; end the text with " (or remove this one)'),
    ("name: Ada\naliases:\n  - 'Ada L.\n  - A. Lovelace\n",
     "people/ada.yaml:3:5: YAML syntax error: the quote ' that starts here is never closed; end the text with ' (or remove this one)"),
    ('name: "Ada\n',
     'people/ada.yaml:1:7: YAML syntax error: the quote " that starts here is never closed; end the text with " (or remove this one)'),
    ("name: Ada\nsummary: 'it''s Byron's daughter'\n",
     "people/ada.yaml:2:22: YAML syntax error: the text in quotes ends at this ', but the line goes on; a ' inside the "
     "text must be written twice (''): 'it''s Byron''s daughter'"),
    ('name: Ada\nsummary: "The "Enchantress" of numbers"\n',
     'people/ada.yaml:2:15: YAML syntax error: the text in quotes ends at this ", but the line goes on; a " inside the '
     'text must be written \\" (or put the whole text in \' quotes): "The \\"Enchantress\\" of numbers"'),
], ids=["unclosed-double", "unclosed-in-a-list", "unclosed-last-line", "apostrophe", "double-quotes"])
def test_quotes(text: str, expected: str) -> None:
    assert problem(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("name: Ada\n  summary: Mathematician\n",
     "people/ada.yaml:2:3: YAML syntax error: 'summary' is indented more than 'name' on line 1, so YAML reads it as "
     "part of the value of 'name'; start it in the same column as 'name' (column 1)"),
    ("name: Ada\ncareer:\n  - company: acme\n      start: 2023\n",
     "people/ada.yaml:4:7: YAML syntax error: 'start' is indented more than 'company' on line 3, so YAML reads it as "
     "part of the value of 'company'; start it in the same column as 'company' (column 5)"),
    ("name: Ada\ncareer:\n  - company: acme\n   start: 2023\n",
     "people/ada.yaml:4:4: YAML syntax error: 'start' is not lined up with 'company' on line 3: fields at the same "
     "level must start in the same column (here column 5)"),
    ("name: Ada\ncareer:\n  - company: acme\n    start: 2023\n  sources: [https://example.com/a]\n",
     "people/ada.yaml:5:3: YAML syntax error: 'sources' is not lined up with 'start' on line 4: fields at the same "
     "level must start in the same column (here column 5)"),
    (STINT + " - company: initech\n    start: 2024\n",
     "people/ada.yaml:7:2: YAML syntax error: this '-' is not lined up with the '-' on line 3: the items of one list "
     "must start in the same column (here column 3)"),
    (STINT + "    - company: initech\n      start: 2024\n",
     "people/ada.yaml:7:5: YAML syntax error: this '-' is not lined up with the '-' on line 6: the items of one list "
     "must start in the same column (here column 7)"),
    (STINT + "     - https://example.com/b\n",
     "people/ada.yaml:7:6: YAML syntax error: this '-' is not lined up with the '-' on line 6: the items of one list "
     "must start in the same column (here column 7)"),
], ids=["field-under-field", "field-under-field-in-a-job", "field-one-space-short", "field-two-spaces-short",
        "job-one-space-short", "job-indented-under-sources", "source-one-space-short"])
def test_indentation(text: str, expected: str) -> None:
    assert problem(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("name: Ada\nsummary: Born: 1815\n",
     "people/ada.yaml:2:14: YAML syntax error: the text after 'summary:' contains ': ', which YAML reads as the start "
     "of another field; put the text in quotes: summary: \"Born: 1815\""),
    ("name: Ada\naliases: [Ada L., A. Lovelace\nsummary: Mathematician\n",
     "people/ada.yaml:2:10: YAML syntax error: the list that starts with [ here is not closed; end it with ], and put "
     "', ' between its items"),
], ids=["colon-in-text", "unclosed-bracket"])
def test_punctuation(text: str, expected: str) -> None:
    assert problem(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("name: Llama\nparameters: 288B active / ~2\nT total\nlicense: open\n",
     "people/ada.yaml:3:1: YAML syntax error: this line is not a field ('name: value') and is not indented under "
     "'parameters' on line 2; if it continues the text of 'parameters', indent it further than 'parameters' (or join "
     "the two lines)"),
    ("# yaml-language-server:\n$schema=../../schemas/person.schema.json\nname: Ada\n",
     "people/ada.yaml:2:1: YAML syntax error: this line seems to continue the comment on line 1: start it with '#' "
     "too (or join the two lines)"),
    ("# Ada: first\nprogrammer\nname: Ada\n",
     "people/ada.yaml:2:1: YAML syntax error: this line seems to continue the comment on line 1: start it with '#' "
     "too (or join the two lines)"),
    ("name: Ada\ncareer:\n  - company: acme\n    note: >-\n      Joined in\n     2023.\n",
     "people/ada.yaml:6:6: YAML syntax error: this line is indented less than the text on line 5, so YAML does not "
     "read it as more of that text; indent it like line 5 (column 7)"),
], ids=["text-not-indented", "modeline-split", "comment-split", "long-text-one-space-short"])
def test_lines_of_text(text: str, expected: str) -> None:
    assert problem(text) == expected


def test_an_error_no_hint_fits_keeps_the_parsers_words() -> None:
    assert problem("name: Ada\n? [a]\n: b\n- c\n").startswith("people/ada.yaml:4:1: YAML syntax error: ")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_slip_in_a_valid_file_gives_one_located_problem_or_loads(data: st.DataObject) -> None:
    """Delete, double or insert a space, colon, dash, quote or bracket anywhere in a file
    with every construct: the loader reads it or gives a located message, never a crash."""
    text = STINT + "aliases: [Ada L., 'A. Lovelace']\nsummary: \"Mathematician\"\n"
    at = data.draw(st.integers(0, len(text) - 1))
    edit = data.draw(st.sampled_from(["delete", "double", *[f"insert{c}" for c in " :-'\"[]\t"]]))
    if edit == "delete":
        text = text[:at] + text[at + 1:]
    elif edit == "double":
        text = text[:at] + text[at] + text[at:]
    else:
        text = text[:at] + edit[-1] + text[at:]
    try:
        load_text(text, "people/ada.yaml")
    except ContentError as err:
        for found in err.problems:
            assert found.loc.line >= 1 and found.loc.col >= 1, found
