"""Each folder in tests/invalid/ holds a broken content/ and the exact problems it must give.

To refresh expected.txt after a deliberate change to a message (then read the diff!):

    python -m pytest tests/test_invalid.py --update-expected
    UPDATE_EXPECTED=1 python -m pytest tests/test_invalid.py
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.commands.cli import main
from atlas.build import load
from atlas.errors import ContentError

from conftest import SEED, write_content

CASES = Path(__file__).parent / "invalid"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "content").is_dir())
LOC = re.compile(r"^[a-z]+/[^:]+\.ya?ml(:\d+:\d+)?: |^site\.yaml(:\d+:\d+)?: ")


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as err:
        load(content).site
    return sorted(str(p) for p in err.value.problems)


def test_there_are_cases():
    assert len(CASE_NAMES) >= 15


@pytest.mark.parametrize("case", CASE_NAMES)
def test_invalid_case_reports_exactly_the_expected_problems(case, update_expected):
    found = problems(CASES / case / "content")
    expected_file = CASES / case / "expected.txt"
    if update_expected:
        expected_file.write_text("\n".join(found) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert found == expected


@pytest.mark.parametrize("case", CASE_NAMES)
def test_every_problem_names_a_place(case):
    for line in (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert LOC.match(line), line


def test_file_level_problems_are_the_only_ones_without_a_line():
    for case in CASE_NAMES:
        for line in (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines():
            if not re.match(r"^[^:]+:\d+:\d+: ", line):
                assert "file name" in line, line


def test_cli_check_prints_every_problem_with_the_content_folder_and_fails(capsys):
    content = CASES / "several-problems" / "content"
    assert main(["check", "--content", str(content)]) == 1
    err = capsys.readouterr().err.splitlines()
    expected = (CASES / "several-problems" / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert err[-1] == f"{len(expected)} problems found; nothing was written."
    assert [line.split("/content/", 1)[1] for line in err[:-1]] == expected


def test_cli_check_accepts_the_default_content(capsys):
    content = SEED
    assert main(["check", "--content", str(content)]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_missing_site_yaml_is_reported(tmp_path):
    (tmp_path / "people").mkdir()
    assert problems(tmp_path) == [
        f"site.yaml: missing: {tmp_path.resolve()}/site.yaml must exist with at least 'title' and 'as_of'"]


def test_yml_extension_is_refused(tmp_path):
    content = write_content(tmp_path, {"people/ada.yml": "name: Ada\n"})
    assert problems(content) == ["people/ada.yml: rename to ada.yaml (the extension is .yaml)"]


def test_stray_file_in_content_is_reported(tmp_path):
    content = write_content(tmp_path, {"notes.txt": "hello\n"})
    assert problems(content) == ["notes.txt: unexpected file in content/; expected site.yaml and the folders "
                                 "companies, people, models, claims"]


def test_reference_to_an_entity_with_an_error_is_not_reported_as_unknown(tmp_path):
    content = write_content(tmp_path, {
        "companies/acme.yaml": "name: Acme\nkind: labb\n",
        "people/ada.yaml": "name: Ada\ncareer:\n  - company: acme\n    start: 2020\n    sources: [https://e.com/a]\n",
    })
    found = problems(content)
    assert len(found) == 1 and found[0].startswith("companies/acme.yaml:2:7: kind:")


def test_unknown_investor_is_reported_on_its_own_line(tmp_path):
    content = write_content(tmp_path, {"companies/acme.yaml": (
        "name: Acme\nfunding:\n  - date: 2023\n    round: Seed\n    lead:\n      - acme\n      - nobody\n"
        "    sources: [https://e.com/a]\n")})
    assert problems(content) == [
        "companies/acme.yaml:7:9: funding[0].lead[1]: unknown company 'nobody' (add companies/nobody.yaml, or fix the slug)"]


def test_unknown_investor_is_reported_in_its_file(tmp_path):
    content = write_content(tmp_path, {"companies/acme.yaml": (
        "name: Acme\nfunding:\n  - date: 2023\n    round: Seed\n    lead: [nobody]\n    sources: [https://e.com/a]\n")})
    [found] = problems(content)
    assert found.startswith("companies/acme.yaml:5:") and "unknown company 'nobody'" in found


def test_unclosed_bracket_points_at_the_line_that_opened_it(tmp_path):
    content = write_content(tmp_path, {"people/ada.yaml": "name: Ada\nsummary: [Mathematician\n"})
    [found] = problems(content)
    assert found.startswith("people/ada.yaml:2:") or "line 2" in found


@pytest.mark.parametrize("command", [[], ["check"], ["fmt"], ["new", "person", "Ada Lovelace"]])
def test_a_content_folder_that_is_not_there_is_one_clear_error(tmp_path: Path, capsys, command: list[str]) -> None:
    (tmp_path / "a-file").write_text("not a folder\n")
    for content in (tmp_path / "missing", tmp_path / "a-file"):
        out = ["--out", str(tmp_path / "site")] if not command else []  # the build's option
        assert main([*command, "--content", str(content), *out]) == 1
        err = capsys.readouterr().err
        assert err == f"error: {content} is not a folder; give the content folder with --content DIR\n"
    assert not (tmp_path / "site").exists()
