"""The YAML reader: positions, refused YAML features, encodings and scalar typing."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.errors import ContentError, SourceLoc
from atlas.content.load import MAX_FILE_BYTES, YList, YMap, load_file, load_text


def problems_of(text: str, path: str = "people/x.yaml") -> list[str]:
    with pytest.raises(ContentError) as err:
        load_text(text, path)
    return [str(p) for p in err.value.problems]


def test_key_and_value_positions_are_one_based():
    doc = load_text("name: Ada\ncareer:\n  - company: acme\n    start: 2020\n", "people/ada.yaml")
    assert isinstance(doc, YMap)
    assert doc.loc == SourceLoc("people/ada.yaml", 1, 1)
    assert doc.key_locs["name"] == SourceLoc("people/ada.yaml", 1, 1)
    assert doc.value_locs["name"] == SourceLoc("people/ada.yaml", 1, 7)
    assert doc.key_locs["career"] == SourceLoc("people/ada.yaml", 2, 1)
    career = doc["career"]
    assert isinstance(career, YList)
    assert career.item_locs == [SourceLoc("people/ada.yaml", 3, 5)]
    stint = career[0]
    assert stint.key_locs["start"] == SourceLoc("people/ada.yaml", 4, 5)
    assert stint.value_locs["start"] == SourceLoc("people/ada.yaml", 4, 12)


def test_flow_mapping_positions():
    doc = load_text("links: [{title: A, url: 'https://a.example'}]\n", "x.yaml")
    link = doc["links"][0]
    assert link.value_locs["url"] == SourceLoc("x.yaml", 1, 25)


def test_duplicate_key_names_both_lines():
    assert problems_of("name: A\nsummary: s\nname: B\n") == [
        "people/x.yaml:3:1: duplicate key 'name' (first defined at line 1); keep one"]


def test_duplicate_key_in_a_nested_mapping():
    text = "career:\n  - company: a\n    start: 2020\n    start: 2021\n"
    assert problems_of(text) == ["people/x.yaml:4:5: duplicate key 'start' (first defined at line 3); keep one"]


def test_every_duplicate_key_is_reported():
    assert len(problems_of("a: 1\na: 2\nb: 1\nb: 2\n")) == 2


def test_alias_is_refused():
    problems = problems_of("name: &n Ada\nsummary: *n\n")
    assert len(problems) == 1
    assert "anchors and aliases" in problems[0] and "write the value out" in problems[0]
    assert problems[0].startswith("people/x.yaml:")


def test_billion_laughs_fails_fast_with_a_message():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.process_time()
    problems = problems_of("\n".join(lines) + "\n")
    assert time.process_time() - started < 1.0
    assert problems and all("anchors and aliases" in p for p in problems)


def test_tab_indentation_is_an_error_on_its_line():
    problems = problems_of("name: A\n\tsummary: s\n")
    assert len(problems) == 1 and problems[0].startswith("people/x.yaml:2:")


@pytest.mark.parametrize("text", ["name: A\n\tsummary: s\n", "career:\n\t- company: a\n"])
def test_tab_indentation_message_says_to_use_spaces(text):
    assert problems_of(text) == [
        "people/x.yaml:2:1: YAML syntax error: tabs are not allowed for indentation; indent with spaces"]


def test_tab_after_a_colon_is_ordinary_whitespace():
    assert load_text("name:\tAda\n", "x.yaml") == {"name": "Ada"}


def test_byte_order_mark_is_stripped():
    doc = load_text("\ufeffname: Ada\n", "x.yaml")
    assert list(doc) == ["name"]
    assert doc.key_locs["name"] == SourceLoc("x.yaml", 1, 1)


def test_crlf_and_cr_line_endings_keep_lines_right():
    for newline in ("\r\n", "\r"):
        doc = load_text(newline.join(["name: Ada", "summary: s", ""]), "x.yaml")
        assert doc == {"name": "Ada", "summary": "s"}
        assert doc.key_locs["summary"].line == 2


def test_crlf_duplicate_key_line():
    assert problems_of("a: 1\r\nb: 2\r\na: 3\r\n")[0].startswith("people/x.yaml:3:1: duplicate key 'a'")


@pytest.mark.parametrize("text", ["", "\n\n", "# just a comment\n", "\ufeff"])
def test_empty_file_is_an_error_at_line_one(text):
    assert problems_of(text) == [
        "people/x.yaml:1:1: the file is empty; it must hold a mapping of fields such as 'name: ...'"]


def test_invalid_utf8_names_line_and_column(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"name: Ada\nsummary: caf\xe9\n")
    with pytest.raises(ContentError) as err:
        load_file(path, "people/x.yaml")
    assert [str(p) for p in err.value.problems] == ["people/x.yaml:2:13: not valid UTF-8; save the file as UTF-8"]


def test_valid_utf8_file_with_bom_loads(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("\ufeffname: Timothée\r\n".encode("utf-8"))
    assert load_file(path, "people/x.yaml") == {"name": "Timothée"}


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES)
    with pytest.raises(ContentError) as err:
        load_file(path, "people/x.yaml")
    assert f"content files are limited to {MAX_FILE_BYTES:,}" in str(err.value)


@pytest.mark.parametrize("raw, value", [
    ("no", "no"), ("yes", "yes"), ("on", "on"), ("off", "off"), ("y", "y"), ("NO", "NO"),
    ("1:30", "1:30"), ("2023-05-27", "2023-05-27"), ("2023-05", "2023-05"),
    ("2023-05-27 10:00:00", "2023-05-27 10:00:00"), ("012", "012"), ("0x1F", "0x1F"),
    ("true", True), ("false", False), ("2023", 2023), ("1.5", 1.5), ("~", None), ("null", None),
    ("'yes'", "yes"), ('"2023"', "2023"),
])
def test_scalars_follow_yaml_1_2_core_rules(raw, value):
    loaded = load_text(f"v: {raw}\n", "x.yaml")["v"]
    assert loaded == value and type(loaded) is type(value)


def test_list_at_top_level_loads_as_ylist():
    doc = load_text("- a\n- b\n", "x.yaml")
    assert isinstance(doc, YList) and doc == ["a", "b"]
    assert doc.item_locs == [SourceLoc("x.yaml", 1, 3), SourceLoc("x.yaml", 2, 3)]


def test_syntax_error_names_its_position():
    assert problems_of("name: [Ada\n") == [
        "people/x.yaml:1:7: YAML syntax error: the list that starts with [ here is not closed; end it with ], and put ', ' between its items"]


def test_second_document_is_refused():
    assert "another document" in problems_of("a: 1\n---\nb: 2\n")[0]


def test_complex_keys_are_refused():
    assert problems_of("[a, b]: 1\n") == ["people/x.yaml:1:1: keys must be plain field names"]


@pytest.mark.parametrize("text, col", [
    ("a: !!python/object:os.system x\n", 4),
    ("a: !!python/object/apply:os.system ['true']\n", 4),
    ("a: !!binary aGVsbG8=\n", 4),
    ("a: !custom {b: 1}\n", 4),
])
def test_explicit_tags_are_refused_at_their_position(text, col):
    [problem] = problems_of(text)
    assert problem.startswith(f"people/x.yaml:1:{col}: YAML tag ")
    assert "not allowed" in problem


def test_standard_tags_are_allowed():
    assert load_text("a: !!str 5\n", "x.yaml") == {"a": "5"}


@given(st.one_of(st.text(max_size=12), st.sampled_from(["", "~", "null", "True", "false", "0", "-1", "+2_0", "1.5e3",
                                                         ".inf", ".NaN", "2019-05", "nothing", "Nope", "tx", "f"])),
       st.booleans())
@settings(max_examples=400, deadline=None)
def test_the_fast_scalar_resolver_agrees_with_pyyaml_s(value: str, plain: bool) -> None:
    import yaml
    from yaml.resolver import BaseResolver

    from atlas.content.load import _Resolver

    resolver = _Resolver()
    assert resolver.resolve(yaml.ScalarNode, value, (plain, not plain)) == \
        BaseResolver.resolve(resolver, yaml.ScalarNode, value, (plain, not plain))
