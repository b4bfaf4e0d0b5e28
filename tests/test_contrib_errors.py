"""docs/errors.md lists every validation message with an example: the examples must be
exactly what the validator prints, and every message the validator can give must be there.

After a deliberate change to a message, update its example in docs/errors.md.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.build import load
from atlas.commands.cli import main
from atlas.errors import ContentError

DOC = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
SITE = "title: T\nas_of: 2025-06-01\n"

# One broken content folder per message: {path inside content/: text or bytes}.
P = "https://example.com/a"
# What a claim's checks refer to, so that their examples show only the problem they are about.
REFERRED = {"models/m.yaml": f"name: M\ncompany: acme\nsources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"}
CASES: dict[str, dict[str, str | bytes]] = {
 "yaml-syntax": {"people/ada.yaml": "name: Ada\nsummary: Born: 1815\n"},
 "no-space-colon": {"people/ada.yaml": "name: Ada\nsummary:Mathematician\n"},
 "no-space-colon-value": {"people/ada.yaml": "name:Ada\n"},
 "no-space-dash": {"people/ada.yaml": "name: Ada\ncareer:\n  -company: acme\n    start: 2023\n"},
 "no-space-dash-texts": {"people/ada.yaml": "name: Ada\naliases:\n  -Ada L.\n  -A. Lovelace\n"},
 "no-space-dash-mapping": {"people/ada.yaml": "name: Ada\ncareer:\n  -company: acme\n"},
 "no-space-dash-twice": {"people/ada.yaml": "name: Ada\ncareer:\n  -company: acme\n  -company: initech\n"},
 "unclosed-quote": {"people/ada.yaml": 'name: Ada\nsummary: "Mathematician\ncareer: []\n'},
 "quote-ends-early": {"people/ada.yaml": "name: Ada\nsummary: 'Byron's daughter'\n"},
 "double-quote-ends-early": {"people/ada.yaml": 'name: Ada\nsummary: "The "Enchantress" of numbers"\n'},
 "unclosed-bracket": {"people/ada.yaml": "name: Ada\naliases: [Ada L., A. Lovelace\nsummary: Mathematician\n"},
 "indented-more": {"people/ada.yaml": "name: Ada\n  summary: Mathematician\n"},
 "not-lined-up": {"people/ada.yaml": "name: Ada\ncareer:\n  - company: acme\n   start: 2023\n"},
 "dash-not-lined-up": {"people/ada.yaml": "name: Ada\ncareer:\n  - company: acme\n    start: 2023\n - company: initech\n    start: 2024\n"},
 "stray-line": {"people/ada.yaml": "name: Ada\nsummary: Mathematician and\nwriter on the Analytical Engine\ncareer: []\n"},
 "text-less-indented": {"people/ada.yaml": "name: Ada\nbio: >-\n  Mathematician and\n writer on the Analytical Engine.\n"},
 "comment-continued": {"people/ada.yaml": "# Ada Lovelace: mathematician,\nfirst programmer.\nname: Ada\n"},
 "tabs": {"people/ada.yaml": "name: Ada\ncareer:\n\t- company: acme\n"},
 "empty-file": {"people/ada.yaml": ""},
 "not-utf8": {"people/ada.yaml": b"name: Ad\xe9\n"},
 "anchors": {"people/ada.yaml": "name: &n Ada\nsummary: *n\n"},
 "plain-keys": {"people/ada.yaml": "[a, b]: 1\nname: Ada\n"},
 "duplicate-key": {"people/ada.yaml": "name: Ada\nname: Ada L.\n"},
 "not-a-mapping": {"people/ada.yaml": "- name: Ada\n"},
 "unknown-field": {"people/ada.yaml": "name: Ada\nsumary: Mathematician\n"},
 "unknown-field-allowed": {"people/ada.yaml": "name: Ada\nwebsite: https://ada.example/\n"},
 "missing-required": {"people/ada.yaml": "summary: Mathematician\n"},
 "empty-value": {"people/ada.yaml": "name: Ada\nsummary:\n"},
 "empty-text": {"people/ada.yaml": "name: ' '\n"},
 "expected-text": {"people/ada.yaml": "name: [Ada]\n"},
 "expected-bool": {"models/m.yaml": f"name: M\ncompany: acme\nopen_weights: no\nsources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "at-least": {"claims/c.yaml": f"text: t\nsource: {{title: T, url: {P}}}\ndate: 2025-01-01\nchecks:\n  - metric: authors_joined_within\n    model: m\n    company: acme\n    months: 0\n    expect: 1\n", **REFERRED},
 "at-most": {"claims/c.yaml": f"text: t\nsource: {{title: T, url: {P}}}\ndate: 2025-01-01\nchecks:\n  - metric: authors_joined_within\n    model: m\n    company: acme\n    months: 120000\n    expect: 1\n", **REFERRED},
 "long-number": {"people/ada.yaml": "name: Ada\nsummary: 1" + "0" * 102 + "\n"},
 "tenure-too-long": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: 2016\n    tenure: about 700 years\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "expected-number": {"claims/c.yaml": f"text: t\nsource: {{title: T, url: {P}}}\ndate: 2025-01-01\nchecks:\n  - metric: leavers_tenure_over\n    model: m\n    company: acme\n    years: five\n    expect: 1\n", **REFERRED},
 "not-a-date": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: May 2023\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "date-type": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: [2023]\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "bad-month": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: 2023-13\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "bad-day": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: 2023-02-30\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "year-range": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: 0202\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "between-order": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: between 2025-11 and 2025-05-30\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "full-date": {"site.yaml": "title: T\nas_of: 2025-06\n"},
 "url": {"people/ada.yaml": "name: Ada\ncareer:\n  - company: acme\n    start: 2023\n    sources: [www.example.com/a]\n", "companies/acme.yaml": "name: Acme\n"},
 "example-source": {"people/ada.yaml": "name: Ada\ncareer:\n  - company: acme\n    start: 2023\n    sources: [https://example.com/article-that-says-so]\n", "companies/acme.yaml": "name: Acme\n"},
 "slug": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: Mistral AI\n    start: 2023\n    sources: [{P}]\n"},
 "choice": {"companies/acme.yaml": "name: Acme\nkind: labb\n"},
 "money": {"companies/acme.yaml": f"name: Acme\nfunding:\n  - date: 2023\n    round: Seed\n    amount: 105M EUR\n    sources: [{P}]\n"},
 "tenure": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: 2016\n    end: 2023\n    tenure: 7 yrs\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "list": {"people/ada.yaml": "name: Ada\ncareer:\n  company: acme\n"},
 "min-items": {"people/ada.yaml": "name: Ada\ncareer:\n  - company: acme\n    start: 2023\n    sources: []\n", "companies/acme.yaml": "name: Acme\n"},
 "one-company": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    organization: Acme Inc.\n    start: 2023\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "end-before-start": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: 2023\n    end: 2021\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "metric-needs": {"claims/c.yaml": f"text: t\nsource: {{title: T, url: {P}}}\ndate: 2025-01-01\nchecks:\n  - metric: authors_remaining\n    company: acme\n    expect: 3\n", "companies/acme.yaml": "name: Acme\n"},
 "expect": {"claims/c.yaml": f"text: t\nsource: {{title: T, url: {P}}}\ndate: 2025-01-01\nchecks:\n  - metric: authors_remaining\n    model: m\n    company: acme\n    expect: three\n", **REFERRED},
 "expect-word": {"claims/c.yaml": f"text: t\nsource: {{title: T, url: {P}}}\ndate: 2025-01-01\nchecks:\n  - metric: event\n    company: acme\n    event: launch\n    expect: true\n", **REFERRED},
 "event-id": {"companies/acme.yaml": f"name: Acme\nevents:\n  - date: 2025-01\n    title: Launch\n    id: The launch\n    sources: [{P}]\n"},
 "event-id-twice": {"companies/acme.yaml": f"name: Acme\nevents:\n  - date: 2025-01\n    title: Launch\n    id: launch\n    sources: [{P}]\n  - date: 2025-03\n    title: Second launch\n    id: launch\n    sources: [{P}]\n"},
 "unknown-slug": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acmee\n    start: 2023\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "unknown-slug-name": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: mistral\n    start: 2023\n    sources: [{P}]\n", "companies/mistral-ai.yaml": "name: Mistral AI\naliases: [Mistral]\n"},
 "slug-written-as-name": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: Mistral AI\n    start: 2023\n    sources: [{P}]\n", "companies/mistral-ai.yaml": "name: Mistral AI\naliases: [Mistral]\n"},
 "unknown-slug-add": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: initech\n    start: 2023\n    sources: [{P}]\n", "companies/acme.yaml": "name: Acme\n"},
 "parent-loop": {"companies/a.yaml": "name: A\nparent: b\n", "companies/b.yaml": "name: B\nparent: a\n"},
 "listed-twice": {"models/m.yaml": f"name: M\ncompany: acme\nauthors: [ada, ada]\nsources: [{P}]\n", "companies/acme.yaml": "name: Acme\n", "people/ada.yaml": "name: Ada\n"},
 "file-name": {"people/Ada Lovelace.yaml": "name: Ada\n"},
 "yml": {"people/ada.yml": "name: Ada\n"},
 "unexpected-file": {"people/notes.txt": "x\n"},
 "unexpected-top": {"pictures/a.yaml": "x: 1\n"},
 "tag": {"people/ada.yaml": "name: !custom Ada\n"},
 "too-big": {"people/ada.yaml": "name: Ada\nbio: " + "x" * 300_000 + "\n"},
 "too-many": {"people/ada.yaml": "name: Ada\naliases: [" + ", ".join(["a"] * 20_001) + "]\n"},
 "too-deep": {"people/ada.yaml": "name: Ada\nbio: " + "[" * 60 + "]" * 60 + "\n"},
}


# One content folder per documented warning or note: valid, so that check gets to them.
WARNING_CASES: dict[str, dict[str, str | bytes]] = {
 "canonical": {"people/ada.yaml": f"name: Ada\ncareer:\n  - start: 2023\n    company: acme\n    sources: [{P}]\n",
               "companies/acme.yaml": "name: Acme\n"},
 "reminder": {"people/ada.yaml": "# Ada: add one line on who or what this is, then delete this line.\nname: Ada\n"},
 "starts-after-as-of": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: 2025-12\n    sources:\n      - {P}\n",
                        "companies/acme.yaml": "name: Acme\n"},
 "round-after-as-of": {"companies/acme.yaml": f"name: Acme\nfunding:\n  - date: 2025-09\n    round: Series A\n    sources:\n      - {P}\n"},
 "after-as-of": {"people/ada.yaml": f"name: Ada\ncareer:\n  - company: acme\n    start: 2023\n    end: 2025-11\n    sources:\n      - {P}\n",
                 "companies/acme.yaml": "name: Acme\n"},
}


def _problems(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    root = tmp_path / "content"
    files = {"site.yaml": SITE, **files}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load(root).site
    return [str(p) for p in err.value.problems]


def _documented() -> set[str]:
    """Lines of the plain code blocks of docs/errors.md that look like problems."""
    found, fence = set(), None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fence = None if fence is not None else line[3:]
        elif fence == "" and re.match(r"^[\w.-]+(/[^:]+)?(:\d+:\d+)?: ", line):
            found.add(line)
    return found


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in {"site.yaml": SITE, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


@pytest.mark.parametrize("case", sorted(WARNING_CASES))
def test_each_documented_warning_and_note_is_what_check_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], case: str) -> None:
    monkeypatch.chdir(_write(tmp_path / "content", WARNING_CASES[case]))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "--no-cache", "--content", "."]) == 0
    warnings = [line.removeprefix("./") for line in capsys.readouterr().err.splitlines()]
    assert warnings and all(line in _documented() for line in warnings), warnings


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_documented_example_is_what_the_validator_prints(tmp_path: Path, case: str) -> None:
    found = _problems(tmp_path, CASES[case])
    missing = [line for line in found if line not in _documented()]
    assert not missing, f"docs/errors.md lacks (or has an outdated) example: {missing}"


def test_docs_hold_no_stale_example(tmp_path: Path) -> None:
    produced = set()
    for i, files in enumerate(CASES.values()):
        produced.update(_problems(tmp_path / str(i), files))
    stale = sorted(line for line in _documented() - produced if "warning:" not in line and "note:" not in line)
    assert not stale, f"docs/errors.md shows messages the validator no longer prints: {stale}"


def test_every_message_teaches(tmp_path: Path) -> None:
    """Each message names a place, and says what was expected or how to fix it."""
    hints = ("expected", "use ", "did you mean", "allowed", "add ", "rename", "remove", "give", "keep one",
             "swap", "write", "save", "needs", "must", "not a date", "months run", "has day", "is the year right",
             "holds only", "not allowed", "not supported", "cannot be part", "listed twice", "is empty", "missing", "shorten", "flatten", "split",
             "give at most", "must be at most", "swap them", "its own", "start it", "put ", "end ", "indent it")
    for i, files in enumerate(CASES.values()):
        for line in _problems(tmp_path / str(i), files):
            assert re.match(r"^[\w.-]+(/[^:]+)?(:\d+:\d+)?: ", line), line
            assert any(h in line for h in hints), line
