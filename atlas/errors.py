"""Source locations and the errors reported to contributors."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, NamedTuple


class SourceLoc(NamedTuple):
    """A position in a content file: 1-based line and column.

    A named tuple rather than a dataclass: every key of every file has one, and tuples are
    several times cheaper to create and to pickle into the entity cache.
    """

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at one place."""

    loc: SourceLoc
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.message}"


class ContentError(Exception):
    """The content has problems; they are all listed, sorted by place."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
