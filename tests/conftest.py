"""Shared factories for the Talent Atlas tests.

Refreshing the expected output of the invalid-content cases (tests/invalid/*/expected.txt):

    python -m pytest tests/test_invalid.py --update-expected
    # or
    UPDATE_EXPECTED=1 python -m pytest tests/test_invalid.py

Read the diff of every refreshed expected.txt before committing it: each line must name
path:line:col, say what is wrong and how to fix it. Only the value 1 refreshes, and never
under CI; tools a test needs skip locally and fail under ATLAS_REQUIRE_TOOLS=1 (ci_guards.py).
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Iterable

import pytest

from atlas.model.dates import PartialDate
from atlas.model.records import (AIModel, Check, Claim, ClaimSource, Company, FundingRound, Money, Person,
                         Site, SiteConfig, Stint, Tenure)
from atlas.build import Options, Report, build
from atlas.compute.graph import Graph
from atlas.kinds import KINDS
from ci_guards import pytest_sessionfinish, pytest_terminal_summary, refresh_requested  # noqa: F401 - hooks

# A frozen copy of the default dataset as it stood when these tests were written. Tests
# never read the repository's own content/: a pull request that corrects the data must not
# fail them (CI checks content/ with `build.py check --strict`, the build and the link check;
# `build.py diff` shows what the change does to the figures).
SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "content"
AS_OF = dt.date(2025, 6, 1)
SITE_YAML = "title: Test atlas\nas_of: 2025-06-01\n"
SOURCE = "https://example.com/source"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-expected", action="store_true", default=False,
                     help="rewrite tests/invalid/*/expected.txt from the loader's current output")


@pytest.fixture
def update_expected(request: pytest.FixtureRequest) -> bool:
    return refresh_requested("UPDATE_EXPECTED", flag=request.config.getoption("--update-expected"))


GENERATE = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
GENERATED_PEOPLE = 2000  # enough for every long list to be split into pages
GENERATED_SUB_PATH = "/talent-atlas/"


@pytest.fixture(scope="session")
def generated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of 2,000 people made by bench/generate.py (seeded), built under /talent-atlas/:
    its indexes, years and largest companies' lists run to several pages. Returns the folder
    the site is served from (the site itself is in its talent-atlas/)."""
    root = tmp_path_factory.mktemp("generated")
    content = root / "content"
    subprocess.run([sys.executable, str(GENERATE), str(GENERATED_PEOPLE), str(content), "--seed", "1", "--quiet"], check=True)
    build_site(content, root / "served" / GENERATED_SUB_PATH.strip("/"), base_url=GENERATED_SUB_PATH)
    return root / "served"


def build_site(content: Path, out: Path, **options: Any) -> Report:
    """Build content into out with the plain pipeline (Options' fields as keywords)."""
    return build(Options(content, out, **options))


def write_content(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: YAML text} under root/content, adding a minimal site.yaml."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    files = dict(files)
    files.setdefault("site.yaml", SITE_YAML)
    for rel, text in files.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return content


@pytest.fixture
def make_content(tmp_path: Path):
    """Fixture form of write_content: make_content({'people/x.yaml': '...'}) -> content dir."""
    return lambda files: write_content(tmp_path, files)


def d(text: str) -> PartialDate:
    return PartialDate.parse(text)


def stint(company: str | None = None, start: str = "2020", end: str | None = None, *,
          organization: str | None = None, tenure: Tenure | None = None, role: str = "") -> Stint:
    """A stint at a company slug (or an organization without a page)."""
    return Stint(start=d(start), company=company, organization=organization,
                 end=d(end) if end else None, role=role, tenure=tenure, sources=(SOURCE,))


def person(slug: str, *stints: Stint, name: str | None = None) -> Person:
    return Person(slug=slug, name=name or slug.replace("-", " ").title(),
                  src_path=f"people/{slug}.yaml", career=tuple(stints))


def company(slug: str, parent: str | None = None, *, name: str | None = None,
            founders: Iterable[str] = (), funding: Iterable[FundingRound] = ()) -> Company:
    return Company(slug=slug, name=name or slug.replace("-", " ").title(),
                   src_path=f"companies/{slug}.yaml", parent=parent,
                   founders=tuple(founders), funding=tuple(funding))


def funding_round(date: str, amount: str | None, round_name: str = "Seed", *,
                  usd: str | None = None, valuation: str | None = None) -> FundingRound:
    return FundingRound(date=d(date), round=round_name, amount=money(amount) if amount else None,
                        amount_usd=money(usd) if usd else None,
                        valuation=money(valuation) if valuation else None, sources=(SOURCE,))


def money(text: str) -> Money:
    from decimal import Decimal

    currency, amount = text.split()
    value = Decimal(amount[:-1]) * {"K": 10**3, "M": 10**6, "B": 10**9}[amount[-1]] if amount[-1] in "KMB" else Decimal(amount)
    return Money(value, currency)


def model(slug: str, companies: Iterable[str], authors: Iterable[str]) -> AIModel:
    return AIModel(slug=slug, name=slug.upper(), src_path=f"models/{slug}.yaml",
                   companies=tuple(companies), authors=tuple(authors))


def claim(slug: str, date: dt.date, *checks: Check) -> Claim:
    """A claim about `date`, made in a source of that date, with its checks."""
    return Claim(slug=slug, text=slug, src_path=f"claims/{slug}.yaml",
                 source=ClaimSource(title="T", url=SOURCE), date=date, checks=checks)


def make_site(companies: Iterable[Company] = (), people: Iterable[Person] = (),
              models: Iterable[AIModel] = (), as_of: dt.date = AS_OF, claims: Iterable[Claim] = ()) -> Site:
    return Site(SiteConfig(title="Test", as_of=as_of),
                {"company": {c.slug: c for c in companies}, "person": {p.slug: p for p in people},
                 "model": {m.slug: m for m in models}, "claim": {c.slug: c for c in claims}})


def make_graph(companies: Iterable[Company] = (), people: Iterable[Person] = (),
               models: Iterable[AIModel] = (), as_of: dt.date = AS_OF, claims: Iterable[Claim] = ()):
    return Graph(make_site(companies, people, models, as_of, claims), KINDS)


@pytest.fixture(scope="session")
def new_atlas_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An atlas as `init` starts it, its third kind named "Products", built under
    /talent-atlas/ (no moves nor claims yet: those sections are left out). Returns the
    folder the site is served from (the site itself is in its talent-atlas/)."""
    from atlas.commands.init import Start, start

    root = tmp_path_factory.mktemp("new-atlas")
    start(Start(root / "content", "Chip Talent Atlas", model_label="Product"))
    build_site(root / "content", root / "served" / GENERATED_SUB_PATH.strip("/"), base_url=GENERATED_SUB_PATH)
    return root / "served"


def site_pages(served: Path) -> list[str]:
    """Every HTML page of a site served from `served` under /talent-atlas/, as a path to open."""
    site = served / GENERATED_SUB_PATH.strip("/")
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html"))
