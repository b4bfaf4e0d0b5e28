"""Broken and hostile YAML: a located message or the value the contributor meant, never a traceback."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from atlas.build import load
from atlas.errors import ContentError
from atlas.content.load import MAX_FILE_BYTES, load_file, load_text

SITE = "title: T\nas_of: 2025-06-01\n"


def messages(text: str) -> list[str]:
    with pytest.raises(ContentError) as err:
        load_text(text, "people/x.yaml")
    return [str(p) for p in err.value.problems]


def site_messages(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    (tmp_path / "site.yaml").write_text(SITE)
    for rel, data in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    with pytest.raises(ContentError) as err:
        load(tmp_path).site
    return [str(p) for p in err.value.problems]


def test_alias_bomb_fails_fast_with_a_clear_message() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    started = time.process_time()
    found = messages("\n".join(lines))
    assert time.process_time() - started < 1.0
    assert found[0] == "people/x.yaml:1:4: YAML anchors and aliases (&name, *name) are not supported; write the value out"


def test_tabs_for_indentation_are_located() -> None:
    assert messages("name: X\ncareer:\n\t- company: meta\n") == [
        "people/x.yaml:3:1: YAML syntax error: tabs are not allowed for indentation; indent with spaces"]


def test_bom_and_crlf_load_as_meant() -> None:
    value = load_text("\ufeffname: Ada\r\nsummary: x\r\n", "people/x.yaml")
    assert value == {"name": "Ada", "summary": "x"}
    assert value.key_locs["summary"].line == 2


def test_yaml_1_1_surprises_stay_text() -> None:
    value = load_text("a: no\nb: yes\nc: on\nd: 1:30\ne: 2023-05-27\nf: 0o17\ng: 1_000\n", "p.yaml")
    assert value == {"a": "no", "b": "yes", "c": "on", "d": "1:30", "e": "2023-05-27", "f": "0o17", "g": 1000}


def test_a_boolean_field_written_as_no_gets_a_located_message(tmp_path: Path) -> None:
    found = site_messages(tmp_path, {
        "companies/c.yaml": "name: C\n",
        "models/m.yaml": "name: M\ncompany: c\nopen_weights: no\nsources: [https://example.org]\n"})
    assert found == ["models/m.yaml:3:15: open_weights: expected true or false, got 'no'"]


def test_a_name_that_yaml_would_read_as_a_date_or_number_stays_text(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(SITE)
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "x.yaml").write_text("name: 2023-05-27\nsummary: 1e3\n")
    person = load(tmp_path).site.people["x"]
    assert (person.name, person.summary) == ("2023-05-27", "1e3")


def test_empty_file_and_list_at_top(tmp_path: Path) -> None:
    found = site_messages(tmp_path, {"people/a.yaml": "", "people/b.yaml": "- name: B\n"})
    assert found == [
        "people/a.yaml:1:1: the file is empty; it must hold a mapping of fields such as 'name: ...'",
        "people/b.yaml:1:1: expected a person mapping with fields like 'name: ...', got a list",
    ]


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    found = site_messages(tmp_path, {"people/a.yaml": b"name: A\nsummary: caf\xe9\n"})
    assert found == ["people/a.yaml:2:13: not valid UTF-8; save the file as UTF-8"]


def test_oversized_file_is_refused_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"name: x\nbio: " + b"a" * MAX_FILE_BYTES)
    with pytest.raises(ContentError, match="content files are limited to"):
        load_file(path, "people/big.yaml")


def test_python_tags_are_not_executed() -> None:
    found = messages("name: !!python/object/apply:os.system ['echo owned']\n")
    assert found == ["people/x.yaml:1:7: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; remove it and write a plain value"]


def test_merge_keys_are_not_merged_but_reported_as_unknown_fields(tmp_path: Path) -> None:
    found = site_messages(tmp_path, {"people/a.yaml": "name: A\n<<: {summary: x}\n"})
    assert found == ["people/a.yaml:2:1: <<: unknown field (allowed: name, aliases, summary, bio, links, career)"]


@pytest.mark.parametrize("name", ["Ada.yaml", "ada lovelace.yaml", "ada-.yaml", "ädä.yaml", "ada_l.yaml"])
def test_file_names_must_be_slugs(tmp_path: Path, name: str) -> None:
    found = site_messages(tmp_path, {f"people/{name}": "name: A\n"})
    assert len(found) == 1 and "is not a slug" in found[0] and found[0].startswith(f"people/{name}")


def test_symlinked_content_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("name: Secret\n")
    content = tmp_path / "content"
    (content / "people").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE)
    (content / "people" / "x.yaml").symlink_to(outside)
    with pytest.raises(ContentError) as err:
        load(content).site
    assert [str(p) for p in err.value.problems] == ["people/x.yaml: is a symbolic link; content files must be regular files"]


@pytest.mark.parametrize("text", [
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",   # crashed libyaml's composer (segfault) before the depth check
    "a:\n" + "- " * 100_000 + "x\n",
    "a: " + "{a: " * 50_000 + "\n",
    "a:\n" + "".join(" " * i + "k:\n" for i in range(1, 700)),  # block nesting by indentation
], ids=["flow-sequences", "block-sequences", "flow-mappings", "indentation"])
def test_deep_nesting_is_refused_in_a_separate_process(tmp_path: Path, text: str) -> None:
    import subprocess
    import sys

    path = tmp_path / "deep.yaml"
    path.write_text(text)
    code = ("import sys; from pathlib import Path; from atlas.content.load import load_file; from atlas.errors import ContentError\n"
            "try:\n    load_file(Path(sys.argv[1]), 'people/deep.yaml')\nexcept ContentError as e:\n    print(e)\n")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert "values are nested more than 50 levels deep" in done.stdout
    assert time.perf_counter() - started < 10


WORST_CASES = {
    "block-list": "name: A\naliases:\n" + "  - x\n" * (MAX_FILE_BYTES // 6 - 10),
    "flow-list": "name: A\naliases: [" + "x," * (MAX_FILE_BYTES // 2 - 20) + "]\n",
    "many-keys": "name: A\n" + "".join(f"k{i}: v\n" for i in range(MAX_FILE_BYTES // 10)),
    "long-string": "name: " + "a" * (MAX_FILE_BYTES - 20) + "\n",
    "many-stints": "name: A\ncareer:\n" + "  - {company: acme, start: 2020, sources: [https://e.org]}\n" * (MAX_FILE_BYTES // 60),
    "many-bad-dates": "name: A\ncareer:\n" + "  - {company: acme, start: 20x0, sources: [x]}\n" * 2000,
}


@pytest.mark.parametrize("name", sorted(WORST_CASES))
def test_a_file_under_the_size_limit_is_judged_within_a_second(name: str) -> None:
    from atlas.content.fields import Context
    from atlas.content.schema import PERSON

    text = WORST_CASES[name]
    assert len(text.encode()) < MAX_FILE_BYTES
    # CPU seconds, not wall: a busy machine stretches the clock, not the work (super-linear
    # work on these inputs takes minutes, so a second is far from a speed target)
    started = time.process_time()
    try:
        value = load_text(text, "people/a.yaml")
        PERSON.convert(value, value.loc, "", Context([]), slug="a", src_path="people/a.yaml")
    except ContentError:
        pass
    assert time.process_time() - started < 1.0
