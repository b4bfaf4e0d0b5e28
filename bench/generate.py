#!/usr/bin/env python3
"""Write a synthetic Talent Atlas content folder of N people, for build-speed benchmarks.

    python bench/generate.py N OUT_DIR [--seed S] [--hugo HUGO_DIR]

OUT_DIR gets site.yaml, companies/ (N/10), people/ (N) and models/ (N/5) in the format of
docs/content.md. The output depends only on N and the seed: one random.Random(seed) drives
everything and files are written in sorted order. With --hugo, an equivalent Hugo site
(same pages, same Markdown, departures computed here in Python) is written to HUGO_DIR.

Standard library only, so it runs with any Python 3.10+ and never imports atlas/.
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

AS_OF = "2025-06-01"
AS_OF_MONTH = 2025 * 12 + 4  # month index (year * 12 + month - 1) of May 2025: last month fully before as_of
STAMP = ".generated-by-bench"  # dotfiles are ignored by the content loader

# ---------------------------------------------------------------------------------------
# Vocabularies. Each name is (display, ascii); ascii is None when NFKD gives a good slug.

FIRST = {
    "fr": ["Timothée", "Aurélien", "Hélène", "Édouard", "Chloé", "Benoît", "Gaëlle", "François",
           "Mathilde", "Jérôme", "Léa", "Noémie", "Raphaël", "Anaïs", "Thibaut", "Marie-Anne"],
    "de": ["Jürgen", "Jörg", "Lena", "Matthias", "Björn", "Käthe", "Uwe", "Sören", "Annika", "Lukas"],
    "es": ["José", "María", "Inés", "Sebastián", "Lucía", "Andrés", "Ramón", "Begoña", "Joaquín", "Ángela"],
    "pl": [("Łukasz", "Lukasz"), ("Małgorzata", "Malgorzata"), "Wojciech", ("Paweł", "Pawel"), "Agnieszka", "Zofia"],
    "nordic": [("Søren", "Soren"), ("Åsa", "Asa"), ("Øystein", "Oystein"), "Ingrid", "Magnus", "Sigrún"],
    "tr": ["Çağla", "Şebnem", "İbrahim", "Gökhan", "Ayşe", ("Barış", "Baris")],
    "en": ["James", "Emily", "Olivia", "Daniel", "Sarah", "Michael", "Naman", "Faisal", "Priya", "Arjun",
           "Grace", "Oliver", "Hannah", "Samuel", "Chloe", "Ethan", "Aisha", "Kwame", "Ngozi", "Tariq"],
}
LAST = {
    "fr": ["Lacroix", "Rozière", "Lavril", "Grave", "Joulin", "Lample", "Lefèvre", "Dupré", "Bénard",
           "Chastel", "Mercier", "Gauthier", "Fontaine", "Roussel", "Faure"],
    "de": ["Müller", "Schäfer", ("Weiß", "Weiss"), ("Groß", "Gross"), "Köhler", "Fischer", "Wagner", "Becker", "Hoffmann"],
    "es": ["Gómez", "Núñez", "Rodríguez", "Martín", "Peña", "Jiménez", "Sánchez", "Castaño", "Ibáñez"],
    "pl": [("Wiśniewski", "Wisniewski"), ("Kowalczyk", None), ("Wójcik", "Wojcik"), ("Łęcki", "Lecki"), "Nowak"],
    "nordic": [("Østergaard", "Ostergaard"), ("Sjöberg", None), ("Ødegård", "Odegard"), "Lindqvist", "Hansen"],
    "tr": [("Yılmaz", "Yilmaz"), "Öztürk", "Çelik", "Şahin", "Doğan", ("Aydın", "Aydin")],
    "en": ["Smith", "Johnson", "Goyal", "Azhar", "Hambro", "Martinet", "Okafor", "Mensah", "Patel",
           "O'Brien", "Nguyen", "Brown", "Taylor", "Walker", "Khan", "Reid"],
}
# (native, romanised) family and given names; a person's name combines one of each.
CJK = {
    "zh": ([("张", "Zhang"), ("王", "Wang"), ("李", "Li"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
            ("黄", "Huang"), ("赵", "Zhao"), ("周", "Zhou"), ("吴", "Wu"), ("徐", "Xu"), ("孙", "Sun"),
            ("马", "Ma"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("林", "Lin"), ("罗", "Luo")],
           [("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("洋", "Yang"), ("静", "Jing"), ("磊", "Lei"),
            ("敏", "Min"), ("强", "Qiang"), ("杰", "Jie"), ("婷", "Ting"), ("明", "Ming"), ("丽", "Li"),
            ("晓东", "Xiaodong"), ("子涵", "Zihan"), ("浩然", "Haoran"), ("思远", "Siyuan"), ("雨桐", "Yutong"),
            ("嘉怡", "Jiayi"), ("俊杰", "Junjie"), ("欣怡", "Xinyi")]),
    "ja": ([("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"), ("渡辺", "Watanabe"),
            ("伊藤", "Ito"), ("山本", "Yamamoto"), ("中村", "Nakamura")],
           [("健", "Ken"), ("花子", "Hanako"), ("翔", "Sho"), ("美咲", "Misaki"), ("蓮", "Ren"), ("陽菜", "Hina"),
            ("大輝", "Daiki"), ("結衣", "Yui")]),
    "ko": ([("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"), ("강", "Kang")],
           [("민준", "Minjun"), ("서연", "Seoyeon"), ("지훈", "Jihoon"), ("유진", "Yujin"), ("도윤", "Doyun"),
            ("하은", "Haeun"), ("현우", "Hyunwoo"), ("수아", "Sua")]),
}
CYRILLIC_FIRST = [("Дмитрий", "Dmitry"), ("Анастасия", "Anastasia"), ("Сергей", "Sergey"), ("Ольга", "Olga"),
                  ("Алексей", "Alexey"), ("Екатерина", "Ekaterina"), ("Иван", "Ivan"), ("Мария", "Maria"),
                  ("Олександр", "Oleksandr"), ("Юлія", "Yuliia")]
CYRILLIC_LAST = [("Иванов", "Ivanov"), ("Смирнова", "Smirnova"), ("Кузнецов", "Kuznetsov"), ("Попова", "Popova"),
                 ("Соколов", "Sokolov"), ("Лебедева", "Lebedeva"), ("Шевченко", "Shevchenko"), ("Ковальчук", "Kovalchuk")]

COMPANY_WORDS = ["Aurora", "Nordlicht", "Quanta", "Helix", "Lumière", "Zephyr", "Kōan", "Polaris", "Vértice",
                 "Daybreak", "Meridian", "Sirocco", "Halcyon", "Cobalt", "Tessera", "Nimbus", "Fjord", "Sakura",
                 "Solstice", "Orrery", "Basalt", "Cirrus", "Ember", "Gradient", "Lattice", "Monsoon", "Obsidian",
                 "Pinnacle", "Quill", "Rivage", "Saffron", "Tundra", "Umbra", "Vireo", "Wavelet", "Xenon",
                 "Yarrow", "Zenith", "Æther", "Øresund", "Mistral", "Tramontane", "Bora", "Foehn", "Levante"]
COMPANY_WORDS2 = ["Deep", "Open", "Bright", "Blue", "Silent", "Iron", "Golden", "Clear", "Swift", "North",
                  "Second", "Prime", "Vector", "Tensor", "Neural", "Signal", "Latent", "Kernel", "Sparse", "Dense"]
SUFFIX = {
    "lab": ["AI", "Labs", "Research", "Intelligence"],
    "big-tech": ["Systems", "Technologies", "Group", "Corporation"],
    "startup": ["AI", "Labs", "Robotics", "Technologies", "Machines", "Computing"],
    "investor": ["Ventures", "Capital", "Partners", "Growth"],
    "media": ["Daily", "Times", "Review", "Post"],
    "nonprofit": ["Foundation", "Institute", "Collective"],
    "other": ["Consulting", "Holdings", "Industries"],
}
UNIVERSITY_CITIES = ["Paris-Saclay", "Zürich", "München", "Kraków", "Lyon", "Tōkyō", "Toronto", "Montréal",
                     "Edinburgh", "Tel Aviv", "São Paulo", "Bengaluru", "Seoul", "Wrocław", "Göteborg", "Cambridge"]
UNIT_NAMES = ["Research", "AI Lab", "Cloud", "Applied Science", "Brain", "Superintelligence Lab", "Robotics"]
HQS = ["Paris, France", "London, United Kingdom", "Zürich, Switzerland", "Berlin, Germany", "München, Germany",
       "San Francisco, United States", "New York, United States", "Toronto, Canada", "Montréal, Canada",
       "Tel Aviv, Israel", "Beijing, China", "Shenzhen, China", "Tokyo, Japan", "Seoul, South Korea",
       "Kraków, Poland", "Stockholm, Sweden", "København, Denmark", "Bengaluru, India", "Singapore"]
KIND_WEIGHTS = [("startup", 42), ("lab", 14), ("big-tech", 5), ("investor", 16), ("university", 9),
                ("media", 4), ("nonprofit", 5), ("other", 5)]
EMPLOYER_WEIGHT = {"big-tech": 12.0, "lab": 6.0, "startup": 3.0, "university": 5.0, "nonprofit": 1.5,
                   "other": 1.0, "investor": 0.4, "media": 0.3}
ROLES = ["Research Scientist", "Senior Research Scientist", "Research Engineer", "Software Engineer",
         "Staff Engineer", "Principal Scientist", "PhD student", "Postdoctoral researcher",
         "Head of Research", "Member of Technical Staff", "Engineering Manager", "Co-founder and CEO",
         "Co-founder and CTO", "Chief Scientist", "Partner", "Professor", "Director of AI",
         "Machine learning engineer", "Research intern", "VP Engineering"]
ORGANIZATIONS = ["an unnamed start-up founded in {y}", "a stealth AI start-up", "a family office in Geneva",
                 "the French Ministry of Armed Forces", "a hedge fund in London", "a quantitative trading firm",
                 "Université Paris Cité", "Technische Universität München", "an independent research collective"]
TOPICS = ["large language models", "reinforcement learning", "speech recognition", "computer vision",
          "machine translation", "code generation", "retrieval-augmented generation", "mixture-of-experts models",
          "efficient inference", "alignment and safety", "multimodal models", "robotics", "protein folding",
          "graph neural networks", "optimisation theory", "distributed training", "tokenisation", "evaluation"]
OUTLETS = ["www.lemonde.fr", "www.ft.com", "techcrunch.com", "www.usine-digitale.fr", "www.theinformation.com",
           "www.bloomberg.com", "www.reuters.com", "sifted.eu", "www.wired.com", "www.heise.de",
           "www.elmundo.es", "www.nikkei.com", "www.lesechos.fr", "www.businessinsider.com", "arxiv.org",
           "www.linkedin.com", "scholar.google.com", "github.com", "venturebeat.com", "thenextweb.com"]
MODEL_WORDS = ["Llama", "Falcon", "Orca", "Heron", "Kestrel", "Lynx", "Marmot", "Ibex", "Puffin", "Quokka",
               "Raven", "Stoat", "Tapir", "Vole", "Wren", "Yak", "Narwhal", "Otter", "Pika", "Gecko"]
MODEL_SIZES = ["1B", "3B", "7B", "8B", "13B", "22B", "34B", "70B", "123B", "405B"]
LICENSES = ["Apache 2.0", "MIT", "Research licence (non-commercial)", "Custom community licence", "Proprietary"]
CONFIDENCES = ["high", "medium", "low"]


def _money(currency: str, millions: float) -> str:
    """'EUR 105M', 'USD 1.2B'."""
    if millions >= 1000:
        return f"{currency} {millions / 1000:.2f}".rstrip("0").rstrip(".") + "B"
    return f"{currency} {millions:.1f}".removesuffix(".0") + "M"


def slugify(text: str) -> str:
    """Same rule as atlas.content.folder.slugify: NFKD, drop non-ASCII, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c.lower() if c.isalnum() else " " for c in ascii_text).split())


class Slugs:
    """Unique slugs: 'wei-zhang', 'wei-zhang-2', ..."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next: dict[str, int] = {}

    def make(self, text: str) -> str:
        base = slugify(text) or "x"
        slug, n = base, self.next.get(base, 2)
        while slug in self.used:
            slug, n = f"{base}-{n}", n + 1
        self.next[base] = n
        self.used.add(slug)
        return slug


def _pair(item: str | tuple[str, str | None]) -> tuple[str, str]:
    if isinstance(item, tuple):
        return item[0], item[1] or item[0]
    return item, item


# ---------------------------------------------------------------------------------------
# The in-memory dataset.

@dataclass
class Stint:
    company: str | None  # slug, or None for an organisation without a page
    organization: str | None
    role: str | None
    start_m: int  # month index
    end_m: int | None
    start: str  # as written
    end: str | None
    tenure: str | None = None
    confidence: str | None = None
    note: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass
class Person:
    slug: str
    name: str
    aliases: list[str]
    summary: str
    bio: str
    links: list[tuple[str, str]]
    career: list[Stint]


@dataclass
class Company:
    slug: str
    name: str
    kind: str
    parent: str | None
    hq: str
    aliases: list[str] = field(default_factory=list)
    founded: str | None = None
    founders: list[str] = field(default_factory=list)
    funding: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    summary: str = ""
    description: str = ""
    note: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass
class Model:
    slug: str
    name: str
    companies: list[str]
    released: str
    released_m: int
    status: str
    summary: str
    description: str
    paper: dict | None
    authors: list[str]
    parameters: str
    license: str
    open_weights: bool
    sources: list[str]


@dataclass
class Dataset:
    companies: dict[str, Company]
    people: dict[str, Person]
    models: dict[str, Model]
    featured: list[str]


class Generator:
    def __init__(self, n: int, seed: int):
        self.n = n
        self.rng = random.Random(seed)

    # --- small helpers -------------------------------------------------------------------

    def url(self, words: str) -> str:
        r = self.rng
        host = r.choice(OUTLETS)
        if host == "arxiv.org":
            return f"https://arxiv.org/abs/{r.randint(1501, 2505)}.{r.randint(1, 19999):05d}"
        return f"https://{host}/{r.randint(2015, 2025)}/{r.randint(1, 12):02d}/{slugify(words)[:60]}-{r.randint(1000, 99999)}"

    def sources(self, words: str, lo: int = 1, hi: int = 2) -> list[str]:
        return [self.url(words) for _ in range(self.rng.randint(lo, hi))]

    def date(self, month: int, allow_by: bool, allow_approx: bool = True) -> str:
        """Write a month index at a random precision, sometimes '~' or 'by '."""
        r = self.rng
        year, m = divmod(month, 12)
        p = r.random()
        text = str(year) if p < 0.22 else f"{year}-{m + 1:02d}" if p < 0.72 else f"{year}-{m + 1:02d}-{r.randint(1, 28):02d}"
        q = r.random()
        if allow_approx and q < 0.09:
            return "~" + text
        if allow_by and q < 0.15:
            return "by " + text
        return text

    def markdown(self, subject: str, paragraphs: tuple[int, int] = (2, 4)) -> str:
        """A few paragraphs of Markdown with links, emphasis and a list."""
        r = self.rng
        topic, topic2 = r.sample(TOPICS, 2)
        parts = []
        for i in range(r.randint(*paragraphs)):
            kind = r.random()
            if i == 0:
                parts.append(f"{subject} works on **{topic}** and {topic2}. The best-known work, "
                             f"[a paper on {r.choice(TOPICS)}]({self.url(topic)}), was cited "
                             f"{r.randint(20, 9000)} times; an interview with {r.choice(OUTLETS).removeprefix('www.')} "
                             f"describes the approach as *pragmatic*.")
            elif i == 1 and kind < 0.5:
                items = r.sample(TOPICS, r.randint(2, 4))
                parts.append("Main interests:\n\n" + "\n".join(f"- *{t}*" for t in items))
            elif kind < 0.6:
                parts.append(f"Earlier work spent {r.randint(2, 9)} years on {r.choice(TOPICS)}, "
                             f"published at NeurIPS, ICML and ACL. See also the "
                             f"[project page]({self.url(subject)}) and the *{r.choice(MODEL_WORDS)}* benchmark "
                             f"(`{r.choice(MODEL_WORDS).lower()}-eval`).")
            else:
                parts.append(f"> \"{r.choice(['Scale is not a strategy', 'Data beats cleverness', 'Ship the eval first'])}.\" "
                             f"— quoted in **{r.choice(OUTLETS).removeprefix('www.')}**, {r.randint(2016, 2025)}.")
        return "\n\n".join(parts)

    # --- companies -------------------------------------------------------------------------

    def make_companies(self) -> dict[str, Company]:
        r = self.rng
        count = max(5, self.n // 10)
        slugs = Slugs()
        kinds = [k for k, _ in KIND_WEIGHTS]
        weights = [w for _, w in KIND_WEIGHTS]
        companies: list[Company] = []
        tops: list[Company] = []
        for i in range(count):
            parent = None
            if tops and r.random() < 0.08:
                candidates = [c for c in tops[-50:] if c.kind in ("big-tech", "lab", "university")] or tops[-20:]
                parent = r.choice(candidates)
            if parent is not None:
                kind = "lab"
                name = f"{parent.name} {r.choice(UNIT_NAMES)}"
                hq = parent.hq
            else:
                kind = r.choices(kinds, weights)[0]
                hq = r.choice(HQS)
                if kind == "university":
                    name = r.choice(["University of {}", "Université {}", "Technische Universität {}", "{} Institute of Technology"]).format(r.choice(UNIVERSITY_CITIES))
                elif kind == "media" and r.random() < 0.5:
                    name = f"The {r.choice(COMPANY_WORDS)} {r.choice(SUFFIX['media'])}"
                else:
                    first = r.choice(COMPANY_WORDS) if r.random() < 0.7 else r.choice(COMPANY_WORDS2) + r.choice(COMPANY_WORDS).lower()
                    name = f"{first} {r.choice(SUFFIX[kind])}"
            slug = slugs.make(name)
            company = Company(slug, name, kind, parent.slug if parent else None, hq)
            if r.random() < 0.2:
                company.aliases = [name.split()[0], name + " SAS" if "France" in hq else name + " Inc."]
            company.summary = f"{kind.replace('-', ' ').capitalize()} based in {hq}, working on {r.choice(TOPICS)}."
            company.description = self.markdown(name, (1, 3))
            if r.random() < 0.5:
                company.sources = self.sources(name, 1, 3)
            if r.random() < 0.05:
                company.note = f"Sources disagree on the founding year; **{r.randint(2010, 2023)}** is used, as in the [registry filing]({self.url(name)})."
            companies.append(company)
            if parent is None:
                tops.append(company)
        return {c.slug: c for c in companies}

    # --- people ----------------------------------------------------------------------------

    def name(self) -> tuple[str, str, list[str]]:
        """(display name, ascii name for the slug, aliases)."""
        r = self.rng
        culture = r.choices(["fr", "de", "es", "pl", "nordic", "tr", "en", "cjk", "cyr"],
                            [16, 8, 8, 5, 4, 4, 25, 20, 10])[0]
        if culture == "cjk":
            families, givens = CJK[r.choices(["zh", "ja", "ko"], [6, 2, 2])[0]]
            (fam, rfam), (given, rgiven) = r.choice(families), r.choice(givens)
            latin = f"{rgiven} {rfam}"
            style = r.random()
            if style < 0.4:
                return latin, latin, [fam + given]
            if style < 0.7:
                return fam + given, latin, [latin, f"{rfam} {rgiven}"]
            return f"{latin} ({fam}{given})", latin, [fam + given]
        if culture == "cyr":
            (first, rfirst), (last, rlast) = r.choice(CYRILLIC_FIRST), r.choice(CYRILLIC_LAST)
            latin = f"{rfirst} {rlast}"
            style = r.random()
            if style < 0.4:
                return latin, latin, [f"{first} {last}"]
            if style < 0.7:
                return f"{first} {last}", latin, [latin]
            return f"{rfirst} {last}", latin, [latin, f"{first} {last}"]  # a mixed-script spelling
        first, afirst = _pair(r.choice(FIRST[culture]))
        last, alast = _pair(r.choice(LAST[culture]))
        if r.random() < 0.3:  # a middle initial, as papers print it
            initial = r.choice("ABCDEFGHJKLMNOPRSTVW")
            first, afirst = f"{first} {initial}.", f"{afirst} {initial}"
        display, ascii_name = f"{first} {last}", f"{afirst} {alast}"
        aliases = []
        if display != ascii_name or any(ord(c) > 127 for c in display):
            plain = unicodedata.normalize("NFKD", ascii_name).encode("ascii", "ignore").decode()
            if plain != display and r.random() < 0.6:
                aliases.append(plain)
        if r.random() < 0.1:
            aliases.append(f"{first[0]}. {last}")
        return display, ascii_name, aliases

    def make_people(self, companies: dict[str, Company]) -> dict[str, Person]:
        r = self.rng
        slugs = Slugs()
        employers = sorted(companies)
        # Zipf-like popularity, scaled by kind: a few companies hire most people.
        order = employers[:]
        r.shuffle(order)
        weights = [EMPLOYER_WEIGHT[companies[s].kind] / (i + 1) ** 0.8 for i, s in enumerate(order)]
        cum = list(itertools.accumulate(weights))
        family = {s: companies[s].parent or s for s in employers}
        people: dict[str, Person] = {}
        for _ in range(self.n):
            display, ascii_name, aliases = self.name()
            slug = slugs.make(ascii_name)
            career = self.career(display, order, cum, family)
            now = next((s for s in reversed(career) if s.end is None), None)
            where = companies[now.company].name if now and now.company else (now.organization if now else None)
            summary = f"{now.role or 'Works'} at {where}." if where else f"Formerly {career[-1].role or 'at ' + (career[-1].organization or companies[career[-1].company].name)}."
            links = []
            if r.random() < 0.4:
                links.append(("Google Scholar", f"https://scholar.google.com/citations?user={slug[:12]}"))
            if r.random() < 0.3:
                links.append(("Personal site", f"https://{slug}.github.io/"))
            people[slug] = Person(slug, display, aliases, summary, self.markdown(display), links, career)
        return people

    def career(self, who: str, order: list[str], cum: list[float], family: dict[str, str]) -> list[Stint]:
        r = self.rng
        total = cum[-1]
        month = r.randint(1998 * 12, 2023 * 12)
        wanted = r.choices([1, 2, 3, 4, 5, 6], [14, 24, 26, 18, 11, 7])[0]
        stints: list[Stint] = []
        previous_family = None
        for i in range(wanted):
            if month > AS_OF_MONTH:
                break
            last = i == wanted - 1
            if r.random() < 0.07:
                company, org = None, r.choice(ORGANIZATIONS).format(y=month // 12)
            else:
                company = order[bisect.bisect(cum, r.random() * total)]
                if family[company] == previous_family and r.random() < 0.85:
                    company = order[bisect.bisect(cum, r.random() * total)]
                org = None
            duration = r.randint(6, 110)
            end_m: int | None = month + duration
            if end_m > AS_OF_MONTH or (last and r.random() < 0.65):
                end_m = None
            start = self.date(month, allow_by=True)
            end = None if end_m is None else self.date(end_m, allow_by=r.random() < 0.15)
            stint = Stint(company, org, r.choice(ROLES) if r.random() < 0.92 else None, month, end_m, start, end)
            if start.startswith("by ") and r.random() < 0.5:
                stint.tenure = f"{r.choice(['about', 'over', 'nearly'])} {max(1, duration // 12)} years"
            if r.random() < 0.3:
                stint.confidence = r.choice(CONFIDENCES)
            if r.random() < 0.08:
                stint.note = (f"Dates from a *{r.choice(OUTLETS).removeprefix('www.')}* profile; another source gives "
                              f"{month // 12 + r.choice([-1, 1])}. The profile's date is used.")
            stint.sources = self.sources(f"{who} {r.choice(TOPICS)}")
            stints.append(stint)
            previous_family = family[company] if company else None
            if end_m is None:
                break
            month = end_m + r.choice([0, 0, 0, 1, 1, 2, 3, 6, 12])
        return stints

    # --- models ----------------------------------------------------------------------------

    def make_models(self, companies: dict[str, Company], people: dict[str, Person]) -> dict[str, Model]:
        r = self.rng
        slugs = Slugs()
        family = {s: c.parent or s for s, c in companies.items()}
        staff: dict[str, list[str]] = {}
        for slug in sorted(people):
            for stint in people[slug].career:
                if stint.company:
                    staff.setdefault(family[stint.company], []).append(slug)
        makers = [s for s in sorted(companies) if companies[s].kind in ("lab", "big-tech", "startup", "university", "nonprofit")]
        maker_weights = [len(staff.get(family[s], ())) + 1 for s in makers]
        everyone = sorted(people)
        models: dict[str, Model] = {}
        for _ in range(max(1, self.n // 5)):
            company = r.choices(makers, maker_weights)[0]
            developers = [company]
            if r.random() < 0.1:
                other = r.choice(makers)
                if other != company:
                    developers.append(other)
            base = r.choice(MODEL_WORDS)
            name = f"{base} {r.randint(1, 4)}" + (f" {r.choice(MODEL_SIZES)}" if r.random() < 0.5 else "") + (" Instruct" if r.random() < 0.2 else "")
            slug = slugs.make(name)
            count = min(r.randint(3, 15), len(everyone))
            pool = staff.get(family[company], [])
            authors = list(dict.fromkeys(r.sample(pool, min(len(pool), int(count * 0.8)))))
            while len(authors) < count:
                candidate = r.choice(everyone)
                if candidate not in authors:
                    authors.append(candidate)
            released_m = r.randint(2018 * 12, AS_OF_MONTH)
            released = self.date(released_m, allow_by=False, allow_approx=False)
            status = r.choices(["released", "preview", "delayed", "announced"], [85, 7, 3, 5])[0]
            sizes = sorted(r.sample(MODEL_SIZES, r.randint(1, 4)), key=MODEL_SIZES.index)
            paper = None
            if r.random() < 0.7:
                y, m = divmod(released_m, 12)
                paper = {"title": f"{base}: {r.choice(['Open', 'Efficient', 'Scalable', 'Sparse'])} {r.choice(['Foundation', 'Language', 'Multimodal'])} Models",
                         "url": f"https://arxiv.org/abs/{y % 100:02d}{m + 1:02d}.{r.randint(1, 19999):05d}",
                         "published": f"{y}-{m + 1:02d}"}
            models[slug] = Model(slug, name, developers, released, released_m, status,
                                 f"{', '.join(sizes)} {r.choice(TOPICS)} model by {companies[company].name}.",
                                 self.markdown(name, (1, 3)), paper, authors, ", ".join(sizes),
                                 r.choice(LICENSES), r.random() < 0.5, self.sources(name, 1, 3))
        return models

    # --- founders, funding, events -----------------------------------------------------------

    def enrich_companies(self, companies: dict[str, Company], people: dict[str, Person], models: dict[str, Model]) -> None:
        r = self.rng
        starts: dict[str, list[tuple[int, str]]] = {}
        for slug in sorted(people):
            for stint in people[slug].career:
                if stint.company:
                    starts.setdefault(stint.company, []).append((stint.start_m, slug))
        by_company: dict[str, list[str]] = {}
        for slug in sorted(models):
            for c in models[slug].companies:
                by_company.setdefault(c, []).append(slug)
        investors = [s for s in sorted(companies) if companies[s].kind == "investor"]
        for slug in sorted(companies):
            company = companies[slug]
            joined = sorted(starts.get(slug, []))
            first_m = joined[0][0] if joined else r.randint(1990 * 12, 2022 * 12)
            if company.kind in ("startup", "lab") and joined and company.parent is None:
                founders = list(dict.fromkeys(p for m, p in joined if m - first_m <= 6))[: r.randint(1, 3)]
                if r.random() < 0.8:
                    company.founders = founders
                company.founded = self.date(first_m, allow_by=False)
            elif r.random() < 0.6:
                company.founded = str(first_m // 12 - r.randint(0, 30))
            if company.kind == "startup" and investors and r.random() < 0.45:
                month = first_m + r.randint(1, 12)
                for i, name in enumerate(["Seed", "Series A", "Series B", "Series C", "Series D"][: r.randint(1, 5)]):
                    if month > AS_OF_MONTH + 6:
                        break
                    amount = round(r.uniform(1, 60) * (3 ** i), 1)
                    cur = r.choice(["EUR", "USD", "GBP"])
                    rnd: dict = {"date": self.date(month, allow_by=False), "round": name,
                                 "amount": _money(cur, amount)}
                    if cur != "USD" and r.random() < 0.5:
                        rnd["amount_usd"] = _money("USD", round(amount * 1.08))
                    if r.random() < 0.6:
                        rnd["valuation"] = _money(cur, round(amount * r.randint(4, 12)))
                    backers = r.sample(investors, min(len(investors), r.randint(1, 5)))
                    rnd["lead"] = backers[:1 + (r.random() < 0.2)]
                    if backers[len(rnd["lead"]):]:
                        rnd["investors"] = backers[len(rnd["lead"]):]
                    if r.random() < 0.3:
                        rnd["other_investors"] = r.sample(["Xavier Niel", "Eric Schmidt", "Sofina", "La Famiglia",
                                                           "Motier Ventures", "Exor Ventures", "Headline"], 2)
                    if r.random() < 0.2:
                        rnd["note"] = f"Reported as *{name.lower()}* by one source and as an extension by another."
                    if r.random() < 0.5:
                        rnd["confidence"] = r.choice(CONFIDENCES)
                    rnd["sources"] = self.sources(f"{company.name} raises {name}", 1, 3)
                    company.funding.append(rnd)
                    month += r.randint(6, 24)
            if r.random() < 0.2:
                staff = sorted({p for _, p in joined})
                for _ in range(r.randint(1, 3)):
                    month = r.randint(max(first_m, 2015 * 12), AS_OF_MONTH)
                    event: dict = {"date": self.date(month, allow_by=False),
                                   "title": r.choice(["Opens an office in Paris", "Announces a partnership",
                                                      "Reorganises its research teams", "Launches a developer platform",
                                                      "Hires a new chief scientist", "Wins a government contract"])}
                    event["text"] = f"According to [{r.choice(OUTLETS)}]({self.url(company.name)}), the move is *strategic*."
                    if staff and r.random() < 0.6:
                        event["people"] = r.sample(staff, min(len(staff), r.randint(1, 3)))
                    if by_company.get(slug) and r.random() < 0.4:
                        event["models"] = r.sample(by_company[slug], 1)
                    if r.random() < 0.4:
                        event["confidence"] = r.choice(CONFIDENCES)
                    event["sources"] = self.sources(company.name + " " + event["title"])
                    company.events.append(event)
                company.events.sort(key=lambda e: e["date"].lstrip("~").removeprefix("by "))

    def dataset(self) -> Dataset:
        companies = self.make_companies()
        people = self.make_people(companies)
        models = self.make_models(companies, people)
        self.enrich_companies(companies, people, models)
        featured = sorted(models, key=lambda s: (-len(models[s].authors), s))[:2]
        return Dataset(companies, people, models, featured)


# ---------------------------------------------------------------------------------------
# YAML writing (by hand, so the output is stable and looks like hand-written content).

_PLAIN = re.compile(r"^[A-Za-z\u00C0-\uFFFF][^:#\"'\n\[\]{},&*!|>%@`]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off"}


def q(text: str) -> str:
    """A YAML scalar: plain when safe, else a JSON string (which is valid YAML)."""
    if _PLAIN.match(text) and text == text.strip() and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def block(key: str, text: str, indent: str = "") -> list[str]:
    """A literal block scalar for Markdown."""
    inner = indent + "  "
    return [f"{indent}{key}: |-"] + [inner + line if line else "" for line in text.split("\n")]


def flow(items: list[str]) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


def url_list(key: str, urls: list[str], indent: str) -> list[str]:
    return [f"{indent}{key}:"] + [f"{indent}  - {u}" for u in urls]


def person_yaml(p: Person) -> str:
    lines = [f"# {p.name}: synthetic person for the build benchmark.", f"name: {q(p.name)}"]
    if p.aliases:
        lines.append(f"aliases: {flow(p.aliases)}")
    lines.append(f"summary: {q(p.summary)}")
    lines += block("bio", p.bio)
    if p.links:
        lines.append("links:")
        for title, url in p.links:
            lines += [f"  - title: {q(title)}", f"    url: {url}"]
    lines.append("career:")
    for s in p.career:
        lines.append(f"  - company: {s.company}" if s.company else f"  - organization: {q(s.organization or '')}")
        if s.role:
            lines.append(f"    role: {q(s.role)}")
        lines.append(f"    start: {s.start}")
        if s.end:
            lines.append(f"    end: {s.end}")
        if s.tenure:
            lines.append(f"    tenure: {s.tenure}")
        if s.note:
            lines.append(f"    note: {q(s.note)}")
        if s.confidence:
            lines.append(f"    confidence: {s.confidence}")
        lines += url_list("sources", s.sources, "    ")
    return "\n".join(lines) + "\n"


def company_yaml(c: Company) -> str:
    lines = [f"# {c.name}: synthetic company for the build benchmark.", f"name: {q(c.name)}"]
    if c.aliases:
        lines.append(f"aliases: {flow(c.aliases)}")
    lines.append(f"kind: {c.kind}")
    if c.parent:
        lines.append(f"parent: {c.parent}")
    if c.founded:
        lines.append(f"founded: {c.founded}")
    lines += [f"hq: {q(c.hq)}", f"website: https://{c.slug}.example.com/", f"summary: {q(c.summary)}"]
    lines += block("description", c.description)
    if c.founders:
        lines.append(f"founders: {flow(c.founders)}")
    if c.funding:
        lines.append("funding:")
        for rnd in c.funding:
            lines.append(f"  - date: {rnd['date']}")
            lines.append(f"    round: {q(rnd['round'])}")
            for key in ("amount", "amount_usd", "valuation"):
                if key in rnd:
                    lines.append(f"    {key}: {rnd[key]}")
            for key in ("lead", "investors", "other_investors"):
                if key in rnd:
                    lines.append(f"    {key}: {flow(rnd[key])}")
            if "note" in rnd:
                lines.append(f"    note: {q(rnd['note'])}")
            if "confidence" in rnd:
                lines.append(f"    confidence: {rnd['confidence']}")
            lines += url_list("sources", rnd["sources"], "    ")
    if c.events:
        lines.append("events:")
        for ev in c.events:
            lines += [f"  - date: {ev['date']}", f"    title: {q(ev['title'])}"]
            lines += block("text", ev["text"], "    ")
            for key in ("people", "models"):
                if key in ev:
                    lines.append(f"    {key}: {flow(ev[key])}")
            if "confidence" in ev:
                lines.append(f"    confidence: {ev['confidence']}")
            lines += url_list("sources", ev["sources"], "    ")
    if c.note:
        lines += block("note", c.note)
    if c.sources:
        lines += url_list("sources", c.sources, "")
    return "\n".join(lines) + "\n"


def model_yaml(m: Model) -> str:
    lines = [f"# {m.name}: synthetic model for the build benchmark.", f"name: {q(m.name)}",
             f"company: {m.companies[0] if len(m.companies) == 1 else flow(m.companies)}",
             f"released: {m.released}"]
    if m.status != "released":
        lines.append(f"status: {m.status}")
    lines.append(f"summary: {q(m.summary)}")
    lines += block("description", m.description)
    if m.paper:
        lines += ["paper:", f"  title: {q(m.paper['title'])}", f"  url: {m.paper['url']}", f"  published: {m.paper['published']}"]
    lines += [f"authors: {flow(m.authors)}", f"parameters: {q(m.parameters)}", f"license: {q(m.license)}",
              f"open_weights: {'true' if m.open_weights else 'false'}"]
    lines += url_list("sources", m.sources, "")
    return "\n".join(lines) + "\n"


def site_yaml(data: Dataset, n: int, seed: int) -> str:
    return "\n".join([
        f"# Synthetic benchmark dataset: N={n}, seed={seed} (bench/generate.py).",
        f"title: \"Talent Atlas benchmark: {n} people\"",
        f"description: Synthetic content generated for build-speed benchmarks (seed {seed}).",
        "base_url: /",
        "language: en",
        f"as_of: {AS_OF}",
        f"featured: {flow(data.featured)}",
    ]) + "\n"


def _prepare(out: Path) -> None:
    """Use out only if it is missing, empty, or a previous output of this script."""
    if out.exists():
        if not out.is_dir():
            raise SystemExit(f"error: {out} exists and is not a folder")
        if any(out.iterdir()) and not (out / STAMP).exists():
            raise SystemExit(f"error: {out} is not empty and was not written by bench/generate.py; refusing to overwrite it")
        shutil.rmtree(out)
    out.mkdir(parents=True)


def write_content(data: Dataset, out: Path, n: int, seed: int) -> int:
    _prepare(out)
    (out / "site.yaml").write_text(site_yaml(data, n, seed), encoding="utf-8")
    files = 1
    for folder, table, render in (("companies", data.companies, company_yaml), ("people", data.people, person_yaml),
                                  ("models", data.models, model_yaml)):
        (out / folder).mkdir()
        for slug in sorted(table):
            (out / folder / f"{slug}.yaml").write_text(render(table[slug]), encoding="utf-8")
            files += 1
    (out / STAMP).write_text(f"n={n} seed={seed}\n")
    return files


# ---------------------------------------------------------------------------------------
# The equivalent Hugo site.

def departures_by_destination(data: Dataset) -> dict[str, list[dict]]:
    """For each company (with its units), people who left its family, grouped by where they went first.

    A simplified version of atlas' definition: stints in start order; a stint that ended
    by as_of and is followed by a stint in another family (or by nothing) is a departure.
    """
    companies = data.companies
    family = {s: c.parent or s for s, c in companies.items()}
    groups: dict[str, dict[str, list[str]]] = {}
    labels: dict[str, tuple[str, str | None]] = {}
    for slug in sorted(data.people):
        person = data.people[slug]
        career = sorted(person.career, key=lambda s: s.start_m)
        for i, stint in enumerate(career):
            if not stint.company or stint.end_m is None:
                continue
            here = family[stint.company]
            nxt = career[i + 1] if i + 1 < len(career) else None
            if nxt is not None and nxt.company and family[nxt.company] == here:
                continue  # a move inside one family is not a departure
            if nxt is None:
                key, label, link = "", "Unknown", None
            elif nxt.company:
                key, label, link = nxt.company, companies[nxt.company].name, nxt.company
            else:
                key, label, link = "org:" + (nxt.organization or ""), nxt.organization or "?", None
            labels[key] = (label, link)
            for origin in {stint.company, here}:
                groups.setdefault(origin, {}).setdefault(key, []).append(slug)
    result: dict[str, list[dict]] = {}
    for company, by_key in groups.items():
        rows = [{"label": labels[k][0], "company": labels[k][1], "count": len(v),
                 "people": [{"slug": p, "name": data.people[p].name} for p in v]} for k, v in by_key.items()]
        rows.sort(key=lambda g: (g["label"] == "Unknown", -g["count"], g["label"].lower()))
        result[company] = rows
    return result


HUGO_CONFIG = """baseURL = "/"
title = "Talent Atlas benchmark (Hugo)"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
enableRobotsTXT = false

[markup.goldmark.renderer]
unsafe = false
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<nav><a href="{{ "/" | relURL }}">Home</a> · <a href="{{ "/companies/" | relURL }}">Companies</a> · <a href="{{ "/people/" | relURL }}">People</a> · <a href="{{ "/models/" | relURL }}">Models</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>
{{ end }}
""",
    "section.html": """{{ define "main" }}<h1>{{ .Title }} ({{ len .Pages }})</h1>
<ul>{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }} — {{ . }}{{ end }}</li>{{ end }}</ul>
{{ end }}
""",
    "page.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
""",
    "people/page.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ with .Params.aliases_ }}<p>Also written: {{ delimit . ", " }}</p>{{ end }}
<div class="prose">{{ .Content }}</div>
<h2>Career</h2>
<ol>{{ range .Params.career }}<li><strong>{{ if .company }}<a href="{{ printf "/companies/%s/" .company | relURL }}">{{ .org }}</a>{{ else }}{{ .org }}{{ end }}</strong>{{ with .role }}, {{ . }}{{ end }}
<br>{{ .start }} – {{ with .end }}{{ . }}{{ else }}present{{ end }}
{{ range .sources }} <a href="{{ . }}" rel="nofollow noopener">{{ (urls.Parse .).Host }}</a>{{ end }}</li>{{ end }}</ol>
{{ with .Params.models }}<h2>Models</h2><ul>{{ range . }}<li><a href="{{ printf "/models/%s/" .slug | relURL }}">{{ .name }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
""",
    "companies/page.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Params.kind }}{{ with .Params.parent }}, part of <a href="{{ printf "/companies/%s/" .slug | relURL }}">{{ .name }}</a>{{ end }}</p>
<div class="prose">{{ .Content }}</div>
{{ with .Params.departures }}<h2>Who left for where</h2>
<table><caption>Departures by destination</caption><tbody>
{{ range . }}<tr><td>{{ if .company }}<a href="{{ printf "/companies/%s/" .company | relURL }}">{{ .label }}</a>{{ else }}{{ .label }}{{ end }}</td><td>{{ .count }}</td>
<td>{{ range $i, $p := .people }}{{ if $i }}, {{ end }}<a href="{{ printf "/people/%s/" $p.slug | relURL }}">{{ $p.name }}</a>{{ end }}</td></tr>
{{ end }}</tbody></table>{{ end }}
{{ with .Params.funding }}<h2>Funding</h2><ul>{{ range . }}<li>{{ .date }}: {{ .round }}{{ with .amount }}, {{ . }}{{ end }}</li>{{ end }}</ul>{{ end }}
</article>{{ end }}
""",
    "models/page.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Params.summary }}</p>
<div class="prose">{{ .Content }}</div>
<h2>Authors</h2>
<ol>{{ range .Params.authors }}<li><a href="{{ printf "/people/%s/" .slug | relURL }}">{{ .name }}</a></li>{{ end }}</ol>
</article>{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Page not found</h1>{{ end }}
""",
}


def write_hugo(data: Dataset, out: Path) -> int:
    """A Hugo site with one page per entity, section lists, and the same extra pages as ours."""
    _prepare(out)
    (out / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        path = out / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    content = out / "content"
    departures = departures_by_destination(data)
    models_by: dict[str, list[dict]] = {}
    for slug in sorted(data.models):
        for author in data.models[slug].authors:
            models_by.setdefault(author, []).append({"slug": slug, "name": data.models[slug].name})
    companies = data.companies

    def org(s: Stint) -> str:
        return companies[s.company].name if s.company else s.organization or "?"

    def write(rel: str, front: dict, body: str) -> None:
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + body + "\n", encoding="utf-8")

    for folder, title in (("companies", "Companies"), ("people", "People"), ("models", "Models")):
        write(f"{folder}/_index.md", {"title": title}, "")
    files = 3
    for slug in sorted(data.people):
        p = data.people[slug]
        career = [{"company": s.company, "org": org(s), "role": s.role, "start": s.start, "end": s.end,
                   "sources": s.sources} for s in sorted(p.career, key=lambda s: s.start_m)]
        write(f"people/{slug}.md", {"title": p.name, "summary": p.summary, "aliases_": p.aliases, "career": career,
                                    "models": models_by.get(slug, [])}, p.bio)
        files += 1
    for slug in sorted(companies):
        c = companies[slug]
        parent = {"slug": c.parent, "name": companies[c.parent].name} if c.parent else None
        write(f"companies/{slug}.md", {"title": c.name, "summary": c.summary, "kind": c.kind, "parent": parent,
                                       "departures": departures.get(slug, []),
                                       "funding": [{"date": r["date"], "round": r["round"], "amount": r.get("amount")} for r in c.funding]},
              c.description)
        files += 1
    for slug in sorted(data.models):
        m = data.models[slug]
        write(f"models/{slug}.md", {"title": m.name, "summary": m.summary,
                                    "authors": [{"slug": a, "name": data.people[a].name} for a in m.authors]},
              m.description)
        files += 1
    for slug, title in (("timeline", "Timeline"), ("moves", "Moves"), ("claims", "Claims checked"),
                        ("about", "About"), ("search", "Search")):
        write(f"{slug}.md", {"title": title}, f"The {title.lower()} page.")
        files += 1
    (out / STAMP).write_text("hugo site\n")
    return files


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic Talent Atlas content folder.")
    parser.add_argument("n", type=int, help="number of people (companies: N/10, models: N/5)")
    parser.add_argument("out", type=Path, help="content folder to write (must be empty, missing, or a previous output)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--hugo", type=Path, metavar="HUGO_DIR", help="also write an equivalent Hugo site here")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.n < 10:
        parser.error("N must be at least 10")
    data = Generator(args.n, args.seed).dataset()
    files = write_content(data, args.out, args.n, args.seed)
    if not args.quiet:
        print(f"wrote {files} files into {args.out}: {len(data.companies)} companies, "
              f"{len(data.people)} people, {len(data.models)} models")
    if args.hugo:
        hugo_files = write_hugo(data, args.hugo)
        if not args.quiet:
            print(f"wrote a Hugo site of {hugo_files} content files into {args.hugo}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
