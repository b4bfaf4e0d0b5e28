"""The edits bench/run.py times a rebuild after: one of each kind a contributor makes.

Each edit takes the content folder and returns the file it changed with its original
bytes, so that run.py can put it back. The entity edited is the middle one by slug (a
typical one, neither the first nor the largest), always the same for a given content.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable


def middle(folder: Path, keep: Callable[[str], bool] = lambda text: True) -> Path:
    """The middle file by name of those whose text `keep` accepts."""
    files = [p for p in sorted(folder.glob("*.yaml")) if keep(p.read_text(encoding="utf-8"))]
    return files[len(files) // 2]


def _edit(path: Path, change: Callable[[str], str]) -> tuple[Path, bytes]:
    original = path.read_bytes()
    text = original.decode("utf-8")
    changed = change(text)
    if changed == text:
        raise ValueError(f"the edit left {path.name} unchanged")
    path.write_text(changed, encoding="utf-8")
    return path, original


def bio(content: Path, n: int) -> tuple[Path, bytes]:
    """One more sentence at the end of one person's bio."""
    def change(text: str) -> str:
        match = re.search(r"^bio: \|-?\n((?:  .*\n|\n)*)", text, re.MULTILINE)
        assert match, "no block bio"
        at = match.end(1) - (1 if text[match.end(1) - 1] == "\n" else 0)
        return text[:at] + f" Benchmark edit {n}: one more sentence." + text[at:]
    return _edit(middle(content / "people", lambda t: "\nbio: |" in t), change)


def role(content: Path, n: int) -> tuple[Path, bytes]:
    """Another job title for one stint."""
    return _edit(middle(content / "people", lambda t: "\n    role: " in t),
                 lambda text: re.sub(r"^    role: .*$", f"    role: Benchmark role {n}", text, count=1, flags=re.MULTILINE))


def new_stint(content: Path, n: int) -> tuple[Path, bytes]:
    """A new job, appended to one person's career: at a company they already worked at, from 2026."""
    def change(text: str) -> str:
        company = re.findall(r"^  - company: (\S+)$", text, re.MULTILINE)[0]
        stint = (f"  - company: {company}\n    role: Benchmark stint {n}\n    start: 2026-0{n % 9 + 1}\n"
                 f"    sources:\n      - https://example.org/benchmark-{n}\n")
        at = re.search(r"^career:\n(?:  .*\n)*", text, re.MULTILINE)
        assert at, "no career"
        return text[:at.end()] + stint + text[at.end():]
    return _edit(middle(content / "people", lambda t: "\n  - company: " in t), change)


def person_name(content: Path, n: int) -> tuple[Path, bytes]:
    """A typo fixed in one person's name."""
    return _edit(middle(content / "people"),
                 lambda text: re.sub(r"^name: (.*)$", lambda m: f"name: {m.group(1)} {n}", text, count=1, flags=re.MULTILINE))


def company_name(content: Path, n: int) -> tuple[Path, bytes]:
    """A typo fixed in one company's name."""
    return _edit(middle(content / "companies"),
                 lambda text: re.sub(r"^name: (.*)$", lambda m: f"name: {m.group(1)} {n}", text, count=1, flags=re.MULTILINE))


def model_authors(content: Path, n: int) -> tuple[Path, bytes]:
    """One author fewer in one model's author list."""
    def change(text: str) -> str:
        return re.sub(r"^authors: \[(.*), ([^,\]]+)\]$", r"authors: [\1]", text, count=1, flags=re.MULTILINE)
    return _edit(middle(content / "models", lambda t: re.search(r"^authors: \[[^\]]*,", t, re.MULTILINE) is not None), change)


EDITS: dict[str, Callable[[Path, int], tuple[Path, bytes]]] = {
    "bio": bio, "role": role, "new stint": new_stint, "person name": person_name,
    "company name": company_name, "model authors": model_authors,
}
