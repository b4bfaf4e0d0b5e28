"""Every scalar a contributor can write, however large or odd, gives a located message or
a site, never a traceback; and values that are valid but unlikely are warnings."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from atlas.build import load
from atlas.content.fields import ListOf, Record
from atlas.content.warnings import date_warnings
from atlas.errors import ContentError
from atlas.kinds import KINDS
from conftest import build_site, write_content

P = "https://example.com/a"
# Minimal valid files of each kind, with every reference resolvable.
BASE = {
    "companies/acme.yaml": "name: Acme\n",
    "people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: 2020\n    sources: [{P}]\n",
    "models/m.yaml": f"name: M\ncompany: acme\nauthors: [ada]\nsources: [{P}]\n",
    "claims/c.yaml": (f"text: t\nsource: {{title: T, url: {P}}}\ndate: 2025-01-01\nchecks:\n"
                      "  - metric: authors_joined_within\n    model: m\n    company: acme\n    months: 12\n    expect: 1\n"),
}
HOSTILE = ["9" * 5000, "9" * 99, "1e400", "-1e400", ".nan", "-0", "~9999", "by 2999-12-31", "~2999",
           '"' + "x" * 20_000 + '"', "0202", "2023-02-29", "EUR 9" + "9" * 300 + "B", "about 9999999 years"]


def scalar_paths(record: Record, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, field type) of every scalar field of a record, items of lists as [0]."""
    for name, field in record.fields.items():
        kind = field.type
        path = f"{prefix}{name}"
        if isinstance(kind, ListOf):
            kind, path = kind.item, f"{path}[0]"
        if isinstance(kind, Record):
            yield from scalar_paths(kind, f"{path}.")
        else:
            yield path, kind


def with_value(text: str, path: str, value: str) -> str:
    """The YAML of a file with the field at `path` ('career[0].start') set to `value` as written."""
    import yaml

    data = yaml.safe_load(text)
    _set(data, path.split("."))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).replace("'@@'", value)


def _set(data: dict[str, Any], parts: list[str]) -> None:
    key, rest = parts[0], parts[1:]
    if key.endswith("[0]"):
        name = key[:-3]
        if not rest:
            data[name] = ["@@"]
            return
        items = data.get(name)
        if not (isinstance(items, list) and items and isinstance(items[0], dict)):
            items = data[name] = [{}]
        _set(items[0], rest)
    elif not rest:
        data[key] = "@@"
    else:
        child = data.get(key)
        if not isinstance(child, dict):
            child = data[key] = {}
        _set(child, rest)


KIND_FILE = {"company": "companies/acme.yaml", "person": "people/ada.yaml", "model": "models/m.yaml", "claim": "claims/c.yaml"}
CASES = [(kind.name, path) for kind in KINDS for path, _ in scalar_paths(kind.schema)]


@pytest.mark.parametrize("kind,path", CASES)
def test_no_scalar_in_any_field_ends_in_a_traceback(tmp_path: Path, kind: str, path: str) -> None:
    rel = KIND_FILE[kind]
    for i, value in enumerate(HOSTILE):
        files = {**BASE, rel: with_value(BASE[rel], path, value)}
        content = write_content(tmp_path / f"{i}", files)
        try:
            load(content)
        except ContentError as err:
            assert all(p.loc.path and p.message for p in err.problems)
            continue
        build_site(content, tmp_path / f"{i}" / "site")  # valid: the whole build must succeed too


def test_a_huge_integer_is_a_located_error(tmp_path: Path) -> None:
    content = write_content(tmp_path, {**BASE, "people/ada.yaml": f"name: Ada\nsummary: {'7' * 5000}\n"})
    with pytest.raises(ContentError) as err:
        load(content)
    assert [str(p) for p in err.value.problems] == [
        "people/ada.yaml:2:10: this number is 5,000 characters long; numbers are limited to 100: "
        "shorten it, or write it in quotes if it is text"]


def test_years_from_1000_are_valid_and_old_years_are_warned_about_where_unlikely(tmp_path: Path) -> None:
    content = write_content(tmp_path, {
        "companies/oxford.yaml": "name: University of Oxford\nkind: university\nfounded: 1096\n",
        "companies/acme.yaml": "name: Acme\nfounded: 2023-05\n",
        "people/ada.yaml": (f"name: Ada\ncareer:\n  - company: oxford\n    start: 1852\n    end: 2230\n    sources: [{P}]\n"
                            f"  - company: acme\n    start: 2019\n    sources: [{P}]\n  - company: acme\n    start: by 2024\n"
                            f"    sources: [{P}]\n"),
    })
    graph = load(content)
    assert graph.companies["oxford"].founded.year == 1096
    assert [str(p) for p in date_warnings(content, graph.site, KINDS)] == [
        "people/ada.yaml:4:12: career[0].start: '1852' is before 1900, which is unlikely here; is the year right?",
        "people/ada.yaml:5:10: career[0].end: '2230' is after 2100; is the year right?",
        "people/ada.yaml:8:12: career[1].start: '2019' is before Acme was founded (May 2023); check both dates",
    ]


def test_check_prints_date_warnings_and_strict_fails_on_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from atlas.commands.cli import main

    content = write_content(tmp_path, {
        "companies/acme.yaml": "name: Acme\nfounded: 2023-05\n",
        "people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: 2019\n    sources:\n      - {P}\n",
    })
    assert main(["check", "--content", str(content)]) == 0
    assert "people/ada.yaml:4:12: warning: career[0].start: '2019' is before Acme was founded" in capsys.readouterr().err
    assert main(["check", "--strict", "--content", str(content)]) == 1
    assert "1 warning; --strict makes them fail the check." in capsys.readouterr().err
