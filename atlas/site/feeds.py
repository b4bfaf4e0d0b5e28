"""What the web expects besides pages: an Atom feed, sitemap.xml and robots.txt.

All output is deterministic: the feed's `updated` time is the newest entry's date (or
as_of when there is none), never the clock.
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from atlas.model.records import SiteConfig
from atlas.compute.timeline import Entry
from atlas.site.urls import FEED_PATH, SITEMAP_PATH, Urls

FEED_KINDS = ("left", "event")  # moves and events
FEED_LIMIT = 50
_NAMESPACE = "6f1c2a52-7d4e-4d0e-9a51-6a7c1f0e2b11"  # of the entries' ids (uuid5)


# xml.sax.saxutils's escape and quoteattr, whose module imports urllib.request (and with
# it http, ssl and email: a fifth of the build's import time) for other functions.
def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


def feed_entries(timeline: Sequence[Entry], as_of: dt.date, limit: int = FEED_LIMIT) -> list[Entry]:
    """Moves and events surely on or before as_of, newest first."""
    chosen = [e for e in timeline if e.kind in FEED_KINDS and e.date.hi <= as_of]
    return list(reversed(chosen))[:limit]


def entry_text(entry: Entry) -> str:
    return "".join(p.text for p in entry.parts)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _entry_day(entry: Entry) -> dt.date:
    return entry.date.key


def _entry_url(entry: Entry, urls: Urls) -> str:
    ref = next((p.ref for p in entry.parts if p.ref), None)
    return urls.absolute(urls.entity_path(*ref)) if ref else urls.absolute("timeline/index.html")


def atom_feed(config: SiteConfig, entries: Sequence[Entry], urls: Urls) -> str:
    """An Atom 1.0 feed of the given entries."""
    updated = max((_entry_day(e) for e in entries), default=config.as_of)
    home = urls.absolute("index.html")
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
             f"  <title>{escape(config.title)}</title>",
             f"  <subtitle>{escape('Moves and events, newest first. ' + config.description)}</subtitle>",
             f'  <link rel="self" type="application/atom+xml" href={quoteattr(urls.absolute(FEED_PATH))}/>',
             f'  <link rel="alternate" type="text/html" href={quoteattr(home)}/>',
             f"  <id>urn:uuid:{_entry_id('feed:' + config.title)}</id>",
             f"  <updated>{_stamp(updated)}</updated>",
             f"  <author><name>{escape(config.title)}</name></author>",
             '  <generator>Talent Atlas</generator>']
    for entry in entries:
        lines += _atom_entry(entry, urls)
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _entry_id(key: str) -> str:
    """A stable id for the feed or an entry: a name-based UUID (version 5)."""
    import uuid  # here: with platform, which it imports, 5 ms of every build that keeps the feed

    return str(uuid.uuid5(uuid.UUID(_NAMESPACE), key))


def _atom_entry(entry: Entry, urls: Urls) -> list[str]:
    text = entry_text(entry)
    when = entry.date.display()
    key = f"{entry.kind}:{entry.date}:{text}"
    summary = f"{when}: {text}." + (f" {entry.text}" if entry.text else "")
    return ["  <entry>",
            f"    <title>{escape(text)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(_entry_url(entry, urls))}/>',
            f"    <id>urn:uuid:{_entry_id(key)}</id>",
            f"    <updated>{_stamp(_entry_day(entry))}</updated>",
            f"    <category term={quoteattr('move' if entry.kind == 'left' else entry.kind)}/>",
            f"    <summary>{escape(summary)}</summary>",
            "  </entry>"]


def sitemap(out_paths: Sequence[str], urls: Urls) -> str:
    """Every HTML page but the 404 page; absolute URLs when the base URL has an origin."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(p for p in out_paths if p.endswith(".html") and p != "404.html"):
        lines.append(f"  <url><loc>{escape(urls.absolute(path))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(urls: Urls) -> str:
    """Allow everything; name the sitemap when its absolute URL is known."""
    text = "User-agent: *\nAllow: /\n"
    if urls.origin:
        text += f"Sitemap: {urls.absolute(SITEMAP_PATH)}\n"
    return text
