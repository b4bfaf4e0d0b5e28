"""JSON Schemas and docs/fields.md: generated from atlas/schema.py, committed, and in
agreement with the validator. Regenerate with `python build.py schemas`."""
from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from atlas.commands.cli import main
from atlas.errors import ContentError, Problem, SourceLoc
from atlas.content.fields import INVALID, Context
from atlas.content.load import load_file, load_text
from atlas.commands.schemas import MODELINE_PREFIX, RECORDS, generated_files, kind_of, modeline, stale_files
from ci_guards import missing_tool
from conftest import SEED

ROOT = Path(__file__).resolve().parents[1]
CONTENT = SEED
U = "https://example.com/a"


def test_committed_schemas_and_field_reference_are_up_to_date() -> None:
    assert stale_files(ROOT) == [], "run: python build.py schemas"


def test_schemas_check_command_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas", "--check"]) == 0


def test_generated_files_are_the_five_schemas_and_the_reference() -> None:
    assert sorted(generated_files()) == ["docs/fields.md"] + [f"schemas/{k}.schema.json" for k in sorted(RECORDS)]


def test_every_field_is_in_the_reference() -> None:
    text = (ROOT / "docs" / "fields.md").read_text(encoding="utf-8")
    for record in RECORDS.values():
        for name in record.fields:
            assert f"| `{name}` |" in text


def test_every_content_file_points_at_its_schema() -> None:
    for path in sorted(CONTENT.rglob("*.yaml")):
        rel = path.relative_to(CONTENT).as_posix()
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == modeline(rel), rel
        # As it resolves from the repository's own content/ folder, where the file would live:
        target = (ROOT / "content" / rel).parent.joinpath(first.removeprefix(MODELINE_PREFIX)).resolve()
        assert target == ROOT / "schemas" / f"{kind_of(rel)}.schema.json"
        assert target.is_file()


def test_patterns_use_no_python_only_syntax() -> None:
    for rel, text in generated_files().items():
        if rel.endswith(".json"):
            assert "(?P<" not in text and "\\\\d" not in text, rel


@pytest.fixture(scope="module")
def jsonschema() -> ModuleType:
    """The jsonschema package (the test extra); only the tests that validate against the
    schemas need it, so the freshness tests above run without it."""
    try:
        import jsonschema
    except ImportError:
        missing_tool("jsonschema is not installed (pip install -e '.[test]')")
    return jsonschema


def _validator(jsonschema: ModuleType, kind: str):  # type: ignore[no-untyped-def]
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_every_content_file_validates_against_its_schema(jsonschema: ModuleType) -> None:
    for path in sorted(CONTENT.rglob("*.yaml")):
        rel = path.relative_to(CONTENT).as_posix()
        errors = [e.message for e in _validator(jsonschema, kind_of(rel) or "").iter_errors(load_file(path, rel))]
        assert errors == [], rel


def _validator_accepts(kind: str, text: str) -> bool:
    """The Python validator on one file alone (references to other files are not checked)."""
    src_path = "site.yaml" if kind == "site" else f"{kind}s/x.yaml"
    problems: list[Problem] = []
    try:
        raw = load_text(text, src_path)
    except ContentError:
        return False
    extra = {} if kind == "site" else {"slug": "x", "src_path": src_path}
    value = RECORDS[kind].convert(raw, SourceLoc(src_path, 1, 1), "", Context(problems), **extra)
    return value is not INVALID and not problems


STINT = "career:\n  - company: acme\n    start: {start}\n    sources: [{url}]\n"
CLAIM = ("text: t\nsource: {{title: T, url: " + U + "}}\ndate: 2025-01-01\n"
         "checks:\n  - metric: {metric}\n{params}    expect: {expect}\n")
MC = "    model: m\n    company: acme\n"

SAMPLES: list[tuple[str, str, bool]] = [
    ("person", "name: Ada\n", True),
    ("person", "name: Ada\n" + STINT.format(start="2023-05", url=U), True),
    ("person", "name: Ada\n" + STINT.format(start="2019", url=U), True),
    ("person", "name: Ada\n" + STINT.format(start="~2019-02-03", url=U), True),
    ("person", "name: Ada\n" + STINT.format(start="by 2025-03", url=U), True),
    ("person", "name: Ada\ncareer:\n  - organization: A university\n    start: 2010\n    end: 2014\n"
               f"    tenure: about 4 years\n    confidence: low\n    sources: [{U}]\n", True),
    ("person", "name: Ada\nlinks:\n  - {title: Home, url: https://ada.example/}\n", True),
    ("person", "summary: no name\n", False),
    ("person", "name: Ada\nsumary: typo\n", False),
    ("person", "name: ''\n", False),
    ("person", "name: '   '\n", False),
    ("person", "name: [Ada]\n", False),
    ("person", "name: Ada\n" + STINT.format(start="May 2023", url=U), False),
    ("person", "name: Ada\n" + STINT.format(start="2023-13", url=U), False),
    ("person", "name: Ada\n" + STINT.format(start="2023-05-32", url=U), False),
    ("person", "name: Ada\n" + STINT.format(start="~ 2023", url=U), False),
    ("person", "name: Ada\n" + STINT.format(start="2023", url="ftp://example.com/a"), False),
    ("person", "name: Ada\n" + STINT.format(start="2023", url="www.example.com"), False),
    ("person", "name: Ada\ncareer:\n  - company: acme\n    start: 2023\n    sources: []\n", False),
    ("person", "name: Ada\ncareer:\n  - company: acme\n    start: 2023\n", False),
    ("person", "name: Ada\ncareer:\n  - start: 2023\n    sources: [" + U + "]\n", False),
    ("person", "name: Ada\ncareer:\n  - company: acme\n    organization: Acme\n    start: 2023\n    sources: [" + U + "]\n", False),
    ("person", "name: Ada\ncareer:\n  - company: Acme Inc\n    start: 2023\n    sources: [" + U + "]\n", False),
    ("person", "name: Ada\ncareer:\n  - company: acme\n    start: 2023\n    tenure: 7 yrs\n    sources: [" + U + "]\n", False),
    ("person", "name: Ada\ncareer:\n  company: acme\n", False),
    ("company", "name: Acme\nkind: startup\nparent: bigco\nfounded: 2023-05\nwebsite: https://acme.example/\n", True),
    ("company", f"name: Acme\nfunding:\n  - date: 2023-06-13\n    round: Seed\n    amount: EUR 105M\n"
                f"    valuation: USD 1.2B\n    lead: [vc-one]\n    sources: [{U}]\n", True),
    ("company", "name: Acme\nkind: labb\n", False),
    ("company", f"name: Acme\nfunding:\n  - date: 2023\n    round: Seed\n    amount: 105M EUR\n    sources: [{U}]\n", False),
    ("company", f"name: Acme\nfunding:\n  - round: Seed\n    sources: [{U}]\n", False),
    ("model", f"name: M\ncompany: acme\nsources: [{U}]\n", True),
    ("model", f"name: M\ncompany: [acme, bigco]\nauthors: [ada, bob]\nopen_weights: true\nsources: [{U}]\n", True),
    ("model", f"name: M\nsources: [{U}]\n", False),
    ("model", "name: M\ncompany: acme\n", False),
    ("model", f"name: M\ncompany: acme\nopen_weights: no\nsources: [{U}]\n", False),
    ("model", f"name: M\ncompany: acme\nstatus: rumoured\nsources: [{U}]\n", False),
    ("claim", CLAIM.format(metric="authors_remaining", params=MC, expect="3"), True),
    ("claim", CLAIM.format(metric="authors_left", params=MC, expect="most"), True),
    ("claim", CLAIM.format(metric="authors_joined_within", params=MC + "    months: 12\n", expect="2"), True),
    ("claim", CLAIM.format(metric="funding_raised", params="    company: acme\n", expect="USD 1.2B"), True),
    ("claim", CLAIM.format(metric="authors_joined_within", params=MC, expect="2"), False),
    ("claim", CLAIM.format(metric="authors_remaining", params="    company: acme\n", expect="3"), False),
    ("claim", CLAIM.format(metric="authors_remaining", params=MC, expect="three"), False),
    ("claim", CLAIM.format(metric="authors_remaining", params=MC, expect="-1"), False),
    ("claim", CLAIM.format(metric="funding_raised", params="    company: acme\n", expect="3"), False),
    ("claim", CLAIM.format(metric="authors_joined_within", params=MC + "    months: 0\n", expect="2"), False),
    ("claim", CLAIM.format(metric="headcount", params=MC, expect="2"), False),
    ("claim", CLAIM.format(metric="authors_remaining", params=MC, expect="3").replace("2025-01-01", "~2025"), False),
    ("site", "title: T\nas_of: 2025-06-01\nfeatured: [llama-1]\n", True),
    ("site", "title: T\nas_of: 2025-06\n", False),
    ("site", "title: T\n", False),
]


@pytest.mark.parametrize("kind,text,valid", SAMPLES)
def test_schema_and_validator_agree(jsonschema: ModuleType, kind: str, text: str, valid: bool) -> None:
    raw = load_text(text, "x.yaml") if _loads(text) else None
    assert _validator_accepts(kind, text) is valid
    assert (raw is not None and not list(_validator(jsonschema, kind).iter_errors(raw))) is valid


def _loads(text: str) -> bool:
    try:
        load_text(text, "x.yaml")
    except ContentError:
        return False
    return True
