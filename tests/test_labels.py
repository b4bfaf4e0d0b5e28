"""Labels that match the numbers: a company's departures say who among them a paper card
counts, and 'Where sources disagree' heads only what records a disagreement."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import build_site, write_content

P = "https://example.com/s"


def stint(company: str, start: str, end: str = "") -> str:
    return f"  - company: {company}\n    start: {start}\n" + (f"    end: {end}\n" if end else "") + f"    sources: [{P}]\n"


def build(tmp_path: Path, company: str) -> str:
    files = {
        "companies/lab.yaml": company,
        "companies/next.yaml": "name: Next\n",
        "people/ada.yaml": "name: Ada\ncareer:\n" + stint("lab", "2015", "2020") + stint("next", "2020-02"),
        "people/bo.yaml": "name: Bo\ncareer:\n" + stint("lab", "2016", "2021") + stint("next", "2021-03"),
        "people/cy.yaml": "name: Cy\ncareer:\n" + stint("lab", "2010", "2019") + stint("next", "2019-05"),
        "models/m.yaml": f"name: Emm\ncompany: lab\nreleased: 2018\nauthors: [ada, bo]\nsources: [{P}]\n",
    }
    out = tmp_path / "out"
    build_site(write_content(tmp_path, files), out)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (out / "companies" / "lab" / "index.html").read_text()))


def test_departures_say_which_of_them_a_paper_card_counts(tmp_path: Path) -> None:
    text = build(tmp_path, "name: Lab\n")
    assert "3 departures from Lab by 1 Jun 2025" in text
    assert "Emm : its card counts 2 of its 2 authors as having left; of the 3 people here, 2 are its authors and 1 is not ( Cy )." in text


def test_a_lab_with_many_papers_lists_those_with_most_authors_among_its_departures(tmp_path: Path) -> None:
    files = {
        "companies/lab.yaml": "name: Lab\n",
        "companies/next.yaml": "name: Next\n",
        "people/ada.yaml": "name: Ada\ncareer:\n" + stint("lab", "2015", "2020") + stint("next", "2020-02"),
        "people/bo.yaml": "name: Bo\ncareer:\n" + stint("lab", "2016", "2021") + stint("next", "2021-03"),
        "people/cy.yaml": "name: Cy\ncareer:\n" + stint("lab", "2010", "2019") + stint("next", "2019-05"),
    }
    for i in range(1, 8):  # seven papers by Ada alone, then one by Ada and Bo
        files[f"models/m{i}.yaml"] = f"name: Paper {i}\ncompany: lab\nreleased: 2018-0{i}\nauthors: [ada]\nsources: [{P}]\n"
    files["models/m8.yaml"] = f"name: Paper 8\ncompany: lab\nreleased: 2018-08\nauthors: [ada, bo]\nsources: [{P}]\n"
    out = tmp_path / "out"
    build_site(write_content(tmp_path, files), out)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (out / "companies" / "lab" / "index.html").read_text()))
    listed = re.findall(r"(Paper \d) : its card counts", text)
    assert listed == ["Paper 8", "Paper 1", "Paper 2", "Paper 3", "Paper 4"]
    assert "3 other papers of Lab count differently too" in text


def test_only_a_disagreement_is_headed_where_sources_disagree(tmp_path: Path) -> None:
    text = build(tmp_path / "n", "name: Lab\nnote: Only the founders with a page are listed.\n")
    assert "Notes Only the founders" in text and "Where sources disagree" not in text
    text = build(tmp_path / "d", "name: Lab\ndisagreement: One source says 2014, another 2013.\n")
    assert "Where sources disagree One source says 2014" in text
