"""Print problems for people (path:line:col: message) or for GitHub Actions (::error ...)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from atlas.errors import Problem


def in_github_actions(env: Mapping[str, str] | None = None) -> bool:
    """True when running as a GitHub Actions step."""
    return (os.environ if env is None else env).get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    """Escape a workflow command's message: %, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value: as data, plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, file: str | None = None, line: int = 0, col: int = 0,
               title: str | None = None) -> str:
    """One workflow command: `::error file=F,line=L,col=C::message`."""
    props = []
    if file:
        props.append(f"file={escape_property(file)}")
        if line:
            props.append(f"line={line}")
            if col:
                props.append(f"col={col}")
    if title:
        props.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(props)}::{escape_data(message)}" if props else f"::{level}::{escape_data(message)}"


def shown_path(path: Path, root: Path) -> str:
    """A path relative to root when inside it, else relative to the working folder if
    below it, else as given; always with forward slashes."""
    resolved = path.resolve()
    for base in (root.resolve(), Path.cwd().resolve()):
        try:
            return resolved.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


class Reporter:
    """Formats problems about files in one content folder."""

    def __init__(self, content_dir: Path, root: Path, github: bool):
        self.content_dir = content_dir
        self.root = root
        self.github = github

    def path_of(self, src_path: str) -> str:
        if self.github:
            return shown_path(self.content_dir / src_path, self.root)
        shown = os.path.relpath(self.content_dir)
        base = str(self.content_dir) if shown.startswith("..") else shown
        return f"{Path(base).as_posix().rstrip('/')}/{src_path}"

    def problem(self, problem: Problem, level: str = "error") -> str:
        loc = problem.loc
        path = self.path_of(loc.path)
        if self.github:  # GitHub's levels: error, warning, notice
            github_level = "notice" if level == "note" else level
            return annotation(github_level, problem.message, path, loc.line, loc.col, title=f"content {level}")
        where = f"{path}:{loc.line}:{loc.col}" if loc.line else path
        prefix = "" if level == "error" else f"{level}: "
        return f"{where}: {prefix}{problem.message}"
