"""The content schema: every field of every file kind, in one place."""
from __future__ import annotations

from typing import Any

from atlas.content.fields import (AsOf, Bool, Choice, Context, Date, Domain, Field, Key, ListOf, MoneyType, Number,
                     Record, Slug, TenureType, Text, Url)
from atlas.content.load import YMap
from atlas.model.records import (AIModel, Check, Claim, ClaimSource, Company, CompanyKind, Confidence,
                    Event, FundingRound, Link, Metric, ModelStatus, Paper, Person,
                    SiteConfig, Stint, Wording)

SOURCES = Field("sources", ListOf(Url(), min_items=1), True, "URLs of the sources that support this fact")
SOURCES_OPTIONAL = Field("sources", ListOf(Url(), min_items=1), False, "URLs of the sources for the facts above")
NOTE = Field("note", Text(markdown=True), doc="Markdown: context for the fact, where sources disagree and which value was chosen")
DISAGREEMENT = Field("disagreement", Text(markdown=True),
                     doc="Markdown: where sources disagree, and which value is used (shown under that heading; "
                         "other remarks go in note)")
CONFIDENCE = Field("confidence", Choice(Confidence), doc="how sure the sources make this fact")
ALIASES = Field("aliases", ListOf(Text()), doc="other names and spellings")


def _one_company(values: dict[str, Any], raw: YMap, prefix: str, ctx: Context) -> None:
    """A stint names exactly one of `company` or `organization`, and does not end before it starts."""
    if ("company" in values) == ("organization" in values):
        ctx.error(raw.loc, prefix.rstrip(".") or "stint",
                  "give exactly one of 'company' (a slug) or 'organization' (a name without a page)")
        return
    start, end = values.get("start"), values.get("end")
    if start and end and end.hi < start.lo:
        ctx.error(raw.value_locs["end"], f"{prefix}end",
                  f"ends ({end}) before it starts ({start}); swap them or fix the year")


STINT = Record("stint", [
    Field("company", Slug("company"), doc="the organisation's slug (a unit such as meta-fair is fine)"),
    Field("organization", Text(), doc="name of an organisation that has no page"),
    Field("role", Text(), doc="job title"),
    Field("start", Date(), True, "when the stint began; 'by DATE' if only known to have begun by then"),
    Field("end", Date(), doc="when it ended; absent means still there"),
    Field("tenure", TenureType(), doc="tenure reported by a source, e.g. 'about 7 years'"),
    Field("concurrent", Bool(), doc="true: held alongside the stint before it (a professorship, an advisory post), "
          "so a 'by' start is not taken to follow that one"),
    NOTE, CONFIDENCE, SOURCES,
], Stint, _one_company, {"oneOf": [{"required": ["company"]}, {"required": ["organization"]}]})

LINK = Record("link", [Field("title", Text(), True), Field("url", Url(), True)], Link)

PERSON = Record("person", [
    Field("name", Text(), True, "display name"),
    ALIASES,
    Field("summary", Text(), doc="one line"),
    Field("bio", Text(markdown=True), doc="Markdown"),
    Field("links", ListOf(LINK), doc="links to profiles and pages"),
    Field("career", ListOf(STINT), doc="stints, one per job at one organisation"),
], Person)

ROUND = Record("funding round", [
    Field("date", Date(), True, "announcement date"),
    Field("round", Text(), True, "Seed, Series A, ..."),
    Field("amount", MoneyType(), doc="money raised, e.g. 'EUR 105M'"),
    Field("amount_usd", MoneyType(), doc="the USD equivalent a source reported"),
    Field("valuation", MoneyType(), doc="post-money valuation; never part of the money raised"),
    Field("lead", ListOf(Slug("company")), doc="lead investors (company slugs)"),
    Field("investors", ListOf(Slug("company")), doc="other investors (company slugs)"),
    Field("other_investors", ListOf(Text()), doc="investors without a page"),
    NOTE, CONFIDENCE, SOURCES,
], FundingRound)

EVENT = Record("event", [
    Field("date", Date(), True),
    Field("title", Text(), True),
    Field("id", Key(), doc="a name for the event, unique in this file, by which claims refer to it"),
    Field("text", Text(markdown=True), doc="Markdown"),
    Field("people", ListOf(Slug("person")), doc="people the event is about"),
    Field("models", ListOf(Slug("model")), doc="models the event is about"),
    NOTE, CONFIDENCE, SOURCES,
], Event)

COMPANY = Record("company", [
    Field("name", Text(), True, "display name"),
    ALIASES,
    Field("kind", Choice(CompanyKind), doc="what sort of organisation"),
    Field("parent", Slug("company"), doc="the company this is part of"),
    Field("founded", Date()),
    Field("hq", Text(), doc="headquarters"),
    Field("website", Url()),
    Field("summary", Text(), doc="one line"),
    Field("description", Text(markdown=True), doc="Markdown"),
    Field("founders", ListOf(Slug("person")), doc="person slugs"),
    Field("funding", ListOf(ROUND), doc="funding rounds"),
    Field("events", ListOf(EVENT), doc="dated events"),
    NOTE, DISAGREEMENT, SOURCES_OPTIONAL,
], Company, lambda values, raw, prefix, ctx: _unique_event_ids(values, raw, ctx))


def _unique_event_ids(values: dict[str, Any], raw: YMap, ctx: Context) -> None:
    """Two events of one company cannot share an id: claims name an event by it."""
    first: dict[str, int] = {}
    for i, event in enumerate(values.get("events", ())):
        if not event.id:
            continue
        if event.id in first:
            loc = raw["events"][i].value_locs["id"]
            ctx.error(loc, f"events[{i}].id", f"'{event.id}' is already the id of events[{first[event.id]}]; give each event its own")
        else:
            first[event.id] = i

PAPER = Record("paper", [
    Field("title", Text(), True), Field("url", Url()), Field("published", Date()),
], Paper)


MODEL = Record("model", [
    Field("name", Text(), True, "display name"),
    ALIASES,
    Field("company", ListOf(Slug("company"), scalar_ok=True, min_items=1), True, "developer: a company slug or a list",
          attr="companies"),
    Field("released", Date(), doc="release or announcement date"),
    Field("status", Choice(ModelStatus)),
    Field("summary", Text(), doc="one line"),
    Field("description", Text(markdown=True), doc="Markdown"),
    Field("paper", PAPER, doc="the paper that describes the model"),
    Field("authors", ListOf(Slug("person")), doc="person slugs, in paper order"),
    Field("parameters", Text()),
    Field("license", Text()),
    Field("open_weights", Bool()),
    NOTE, DISAGREEMENT, SOURCES,
], AIModel)

CLAIM_SOURCE = Record("claim source", [
    Field("title", Text(), True), Field("publisher", Text()),
    Field("url", Url(), True), Field("date", Date()),
], ClaimSource)

# Which parameters each metric needs; 'expect' is always needed.
METRIC_PARAMS: dict[Metric, tuple[str, ...]] = {
    Metric.AUTHORS_REMAINING: ("model", "company"),
    Metric.AUTHORS_LEFT: ("model", "company"),
    Metric.AUTHORS_AT: ("model", "company"),
    Metric.AUTHORS_JOINED_WITHIN: ("model", "company", "months"),
    Metric.LEAVERS_TENURE_OVER: ("model", "company", "years"),
    Metric.FUNDING_RAISED: ("company",),
    Metric.EVENT: ("company", "event"),
    Metric.MODEL_STATUS: ("model",),
    Metric.OPEN_WEIGHTS: ("model",),
    Metric.FOUNDERS: ("company", "people"),
}
# What 'expect' may be for the metrics whose figure is not a count or an amount.
EXPECT_WORDS: dict[Metric, tuple[str, ...]] = {
    Metric.EVENT: ("yes", "no"),  # did it happen by the claim's date?
    Metric.OPEN_WEIGHTS: ("yes", "no"),
    Metric.MODEL_STATUS: tuple(s.value for s in ModelStatus),
    Metric.FOUNDERS: ("exactly", "among"),  # the people named are the founders, or some of them
}


def _check_rule(values: dict[str, Any], raw: YMap, prefix: str, ctx: Context) -> None:
    """Each metric needs its own parameters; `expect` is an amount for funding_raised, one of
    EXPECT_WORDS for the metrics that check facts other than counts, else a count or `most`."""
    metric = values["metric"]
    for name in METRIC_PARAMS[metric]:
        if name not in values:
            ctx.error(raw.loc, prefix.rstrip("."), f"metric '{metric.value}' needs '{name}' ({CHECK.fields[name].type.label})")
    expect = raw["expect"]
    loc = raw.value_locs["expect"]
    if metric is Metric.FUNDING_RAISED:
        money = MoneyType().convert(expect, loc, f"{prefix}expect", ctx)
        values["expect"] = money
    elif metric in EXPECT_WORDS:
        words = EXPECT_WORDS[metric]
        if expect not in words:
            ctx.error(loc, f"{prefix}expect", f"'{expect}' is not allowed for metric '{metric.value}'; use {' or '.join(words)}")
        else:
            values["expect"] = ModelStatus(expect) if metric is Metric.MODEL_STATUS else expect
    elif not (expect == "most" or (isinstance(expect, int) and not isinstance(expect, bool) and expect >= 0)):
        ctx.error(loc, f"{prefix}expect", f"expected a count (a whole number such as 3) or 'most', got '{expect}'")
    else:
        values["expect"] = expect


def _check_schema() -> dict[str, Any]:
    """The parameters each metric needs, and the form of its 'expect', as JSON Schema."""
    rules = []
    for metric, params in METRIC_PARAMS.items():
        money = metric is Metric.FUNDING_RAISED
        expect = ({"type": "string", "pattern": MoneyType().schema()["pattern"]} if money
                  else {"enum": list(EXPECT_WORDS[metric])} if metric in EXPECT_WORDS
                  else {"anyOf": [{"type": "integer", "minimum": 0}, {"const": "most"}]})
        rules.append({"if": {"properties": {"metric": {"const": metric.value}}, "required": ["metric"]},
                      "then": {"required": list(params), "properties": {"expect": expect}}})
    return {"allOf": rules}


class _Expect(Text):
    """Checked by the claim rule, which knows the metric."""

    def __init__(self) -> None:
        super().__init__()
        self.label = "a count, 'most', an amount, or a word the metric names"

    def convert(self, value: Any, loc: Any, path: str, ctx: Context) -> Any:
        return value

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "integer", "minimum": 0}, {"const": "most"},
                          {"type": "string", "pattern": MoneyType().schema()["pattern"]},
                          {"enum": sorted({w for words in EXPECT_WORDS.values() for w in words})}]}


CHECK = Record("check", [
    Field("metric", Choice(Metric), True, "what to compute"),
    Field("model", Slug("model"), doc="the model whose authors are counted, or whose status or weights are checked"),
    Field("company", Slug("company"), doc="the company (with its units) the figure is about; for 'event', the file that records it"),
    Field("event", Key(), doc="for 'event': the id of one of the company's events"),
    Field("people", ListOf(Slug("person"), min_items=1), doc="for 'founders': the people the claim names as founders"),
    Field("months", Number(integer=True, minimum=1, maximum=1200), doc="window length, for authors_joined_within"),
    Field("years", Number(minimum=0, maximum=100), doc="tenure threshold, for leavers_tenure_over"),
    Field("expect", _Expect(), True, "what the claim asserts: a count, 'most' or an amount; for 'event' and "
          "'open_weights' yes or no; for 'model_status' a status; for 'founders' exactly or among"),
    Field("tolerance", Number(minimum=0, maximum=10), doc="relative tolerance for amounts (default 0.1)"),
], Check, _check_rule, _check_schema())

CLAIM = Record("claim", [
    Field("text", Text(), True, "the claim, in the source's words or paraphrased (see wording)"),
    Field("wording", Choice(Wording), doc="quote: text is the source's exact words, shown as a quotation; "
          "paraphrase (the default): shown as a paraphrase"),
    Field("source", CLAIM_SOURCE, True, "who made the claim"),
    Field("date", Date(plain=True), True, "the date the claim speaks of"),
    Field("checks", ListOf(CHECK, min_items=1), True, "figures to compute and compare"),
    NOTE,
], lambda date, **v: Claim(date=date.span()[0], **v))

SITE = Record("site", [
    Field("title", Text(), True, "site title"),
    Field("description", Text(), doc="one sentence"),
    Field("base_url", Text(), doc="where the site is served: '/' or 'https://user.github.io/repo/'"),
    Field("language", Text(), doc="BCP 47 language tag"),
    Field("as_of", AsOf(), True, "the date computed summaries are taken at, or 'today' for the day of the build"),
    Field("featured", ListOf(Slug("model")), doc="models whose author diaspora the home page shows"),
    Field("cname", Domain(), doc="custom domain for GitHub Pages, written to a CNAME file, e.g. 'atlas.example.org'"),
    Field("repository", Url(), doc="the site's GitHub repository, e.g. 'https://github.com/OWNER/REPO': every entity page "
          "then links to its file there ('Edit this page') and to a new issue about it ('Report a problem')"),
    Field("branch", Text(), doc="the repository's branch that content is edited on (default 'main')"),
], lambda as_of, **v: SiteConfig(as_of=as_of[0], today=as_of[1], **v))
