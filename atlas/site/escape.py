"""HTML escaping that gives a plain str.

markupsafe.escape returns a Markup, whose Python-level constructor costs several times
the escaping itself. Where the result is only joined into a larger text (f-strings in
html.py and svg.py, the output of compiled templates), that object is thrown away at
once: `escape` here gives the same characters without making it.
"""
from __future__ import annotations

from typing import Any

import markupsafe

_escape_str = getattr(markupsafe, "_escape_inner", None)  # markupsafe's own (C) escaping of a str, from 3.0

if _escape_str is not None:
    def escape(value: Any) -> str:
        """The text of markupsafe.escape(value): what has __html__ is trusted as it is."""
        if type(value) is str:
            return _escape_str(value)  # type: ignore[no-any-return]
        if hasattr(value, "__html__"):
            return value.__html__()  # type: ignore[no-any-return]
        return _escape_str(str(value))  # type: ignore[no-any-return]
else:  # pragma: no cover - older markupsafe
    def escape(value: Any) -> str:
        """The text of markupsafe.escape(value): what has __html__ is trusted as it is."""
        return str(markupsafe.escape(value))


def as_markup(text: str) -> markupsafe.Markup:
    """Markup(text) for a str of HTML: the same object, made without Markup's Python-level
    constructor (two thirds of its cost; html.py makes 450,000 at 10,000 people)."""
    return _new_str(markupsafe.Markup, text)  # type: ignore[no-any-return]


_new_str = str.__new__
