"""The typed model: frozen records built from validated content."""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from atlas.model.dates import PartialDate
from atlas.errors import SourceLoc

Locs = dict  # field name (or 'field[i]') -> SourceLoc of a slug reference; out of equality and repr


def _locs() -> dict[str, SourceLoc]:
    return field(default_factory=dict, compare=False, repr=False)  # type: ignore[return-value]


class CompanyKind(enum.Enum):
    LAB = "lab"
    BIG_TECH = "big-tech"
    STARTUP = "startup"
    INVESTOR = "investor"
    MEDIA = "media"
    UNIVERSITY = "university"
    NONPROFIT = "nonprofit"
    OTHER = "other"


class Confidence(enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ModelStatus(enum.Enum):
    RELEASED = "released"
    PREVIEW = "preview"
    DELAYED = "delayed"
    ANNOUNCED = "announced"


class Metric(enum.Enum):
    AUTHORS_REMAINING = "authors_remaining"
    AUTHORS_LEFT = "authors_left"
    AUTHORS_AT = "authors_at"
    AUTHORS_JOINED_WITHIN = "authors_joined_within"
    LEAVERS_TENURE_OVER = "leavers_tenure_over"
    FUNDING_RAISED = "funding_raised"
    # Facts other than counts:
    EVENT = "event"  # an event a company records happened by the claim's date
    MODEL_STATUS = "model_status"  # a model's status (released, preview, delayed, announced)
    OPEN_WEIGHTS = "open_weights"  # whether a model's weights are open
    FOUNDERS = "founders"  # who founded a company


class Wording(enum.Enum):
    """Whether a claim's text is the source's exact words."""

    QUOTE = "quote"
    PARAPHRASE = "paraphrase"


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def display(self) -> str:
        """Short form: 'EUR 105M', 'EUR 1.105bn'."""
        for size, suffix in ((Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "K")):
            if abs(self.amount) >= size:
                return f"{self.currency} {(self.amount / size).normalize():f}{suffix}"
        return f"{self.currency} {self.amount.normalize():f}"


@dataclass(frozen=True, slots=True)
class Tenure:
    """A tenure reported by a source: 'about 7 years', 'over 8 years', 'nearly 3 years'."""

    years: float
    bound: str  # "about", "over" or "under"
    text: str

    def display(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str
    locs: dict[str, SourceLoc] = _locs()


@dataclass(frozen=True, slots=True)
class Stint:
    """One job at one organisation."""

    start: PartialDate
    company: str | None = None
    organization: str | None = None
    end: PartialDate | None = None
    role: str = ""
    tenure: Tenure | None = None
    concurrent: bool | None = None  # true: held alongside the stint before it (compute/known.py)
    note: str = ""
    confidence: Confidence | None = None
    sources: tuple[str, ...] = ()
    locs: dict[str, SourceLoc] = _locs()

    @property
    def org_key(self) -> str:
        """The company slug, or a key for an organisation without a page."""
        return self.company or f"~{self.organization}"


@dataclass(frozen=True, slots=True)
class Person:
    slug: str
    name: str
    src_path: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    bio: str = ""
    links: tuple[Link, ...] = ()
    career: tuple[Stint, ...] = ()
    locs: dict[str, SourceLoc] = _locs()


@dataclass(frozen=True, slots=True)
class FundingRound:
    date: PartialDate
    round: str
    amount: Money | None = None
    amount_usd: Money | None = None
    valuation: Money | None = None
    lead: tuple[str, ...] = ()
    investors: tuple[str, ...] = ()
    other_investors: tuple[str, ...] = ()
    note: str = ""
    confidence: Confidence | None = None
    sources: tuple[str, ...] = ()
    locs: dict[str, SourceLoc] = _locs()


@dataclass(frozen=True, slots=True)
class Event:
    date: PartialDate
    title: str
    id: str = ""  # unique in its company's file; claims refer to the event by it
    text: str = ""
    people: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    note: str = ""
    confidence: Confidence | None = None
    sources: tuple[str, ...] = ()
    locs: dict[str, SourceLoc] = _locs()


@dataclass(frozen=True, slots=True)
class Company:
    slug: str
    name: str
    src_path: str
    aliases: tuple[str, ...] = ()
    kind: CompanyKind = CompanyKind.OTHER
    parent: str | None = None
    founded: PartialDate | None = None
    hq: str = ""
    website: str = ""
    summary: str = ""
    description: str = ""
    founders: tuple[str, ...] = ()
    funding: tuple[FundingRound, ...] = ()
    events: tuple[Event, ...] = ()
    note: str = ""
    disagreement: str = ""  # where sources disagree about the company, and which value is used
    sources: tuple[str, ...] = ()
    locs: dict[str, SourceLoc] = _locs()


@dataclass(frozen=True, slots=True)
class Paper:
    title: str
    url: str = ""
    published: PartialDate | None = None
    locs: dict[str, SourceLoc] = _locs()


@dataclass(frozen=True, slots=True)
class AIModel:
    slug: str
    name: str
    src_path: str
    companies: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    released: PartialDate | None = None
    status: ModelStatus = ModelStatus.RELEASED
    summary: str = ""
    description: str = ""
    paper: Paper | None = None
    authors: tuple[str, ...] = ()
    parameters: str = ""
    license: str = ""
    open_weights: bool | None = None
    note: str = ""
    disagreement: str = ""  # where sources disagree about the model, and which value is used
    sources: tuple[str, ...] = ()
    locs: dict[str, SourceLoc] = _locs()


@dataclass(frozen=True, slots=True)
class ClaimSource:
    title: str
    url: str
    publisher: str = ""
    date: PartialDate | None = None
    locs: dict[str, SourceLoc] = _locs()


@dataclass(frozen=True, slots=True)
class Check:
    """One figure a claim asserts, and how to compute it."""

    metric: Metric
    expect: int | str | Money | ModelStatus
    model: str | None = None
    company: str | None = None
    event: str | None = None
    people: tuple[str, ...] = ()
    months: int | None = None
    years: float | None = None
    tolerance: float = 0.1
    locs: dict[str, SourceLoc] = _locs()


@dataclass(frozen=True, slots=True)
class Claim:
    slug: str
    text: str
    src_path: str
    source: ClaimSource
    date: dt.date
    wording: Wording = Wording.PARAPHRASE
    checks: tuple[Check, ...] = ()
    note: str = ""
    locs: dict[str, SourceLoc] = _locs()


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str
    as_of: dt.date
    today: bool = False  # site.yaml says 'as_of: today': the site tracks the present, and as_of is the build's day
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    featured: tuple[str, ...] = ()
    cname: str = ""
    repository: str = ""  # https://github.com/OWNER/REPO: pages link to their files there
    branch: str = "main"
    locs: dict[str, SourceLoc] = _locs()
    src_path: str = "site.yaml"


@dataclass(frozen=True)
class Site:
    """Everything loaded from content/: the settings, and each kind's entities by slug."""

    config: SiteConfig
    tables: dict[str, dict[str, Any]]  # kind ("person") -> slug -> record, in slug order

    def table(self, kind: str) -> dict[str, Any]:
        return self.tables[kind]

    @property
    def companies(self) -> dict[str, Company]:
        return self.tables["company"]

    @property
    def people(self) -> dict[str, Person]:
        return self.tables["person"]

    @property
    def models(self) -> dict[str, AIModel]:
        return self.tables["model"]

    @property
    def claims(self) -> dict[str, Claim]:
        return self.tables["claim"]
