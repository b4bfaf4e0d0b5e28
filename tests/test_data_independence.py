"""A correct change to the data leaves the test suite green.

The tests read frozen fixtures (tests/fixtures/), never the repository's own content/,
so a contributor whose data is right never sees a red run they cannot fix. This test
proves it: it copies content/, applies correct edits generated from the data as it is
now (a new company, a new person who moves there from FAIR, a paper author who leaves
Meta for it), checks and builds the result, and runs the engine tests of a copy of the
repository whose content/ is the edited one.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from atlas.build import load

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "https://example.com/acme-ai-announcement"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".cache-home")}
    env.pop("UPDATE_GOLDEN", None)
    env.pop("UPDATE_EXPECTED", None)
    # The copy has no .cache/tools, so its Nu checker test skips; the outer run requires it.
    env.pop("ATLAS_REQUIRE_TOOLS", None)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)


def _staying_author(content: Path) -> tuple[str, str]:
    """A paper author with an open stint at a company that published the paper: (slug, company)."""
    graph = load(content)
    site = graph.site
    for model in sorted(site.models.values(), key=lambda m: (-len(m.authors), m.slug)):
        family = graph.family(model.companies[0])
        for slug in model.authors:
            for stint in site.people[slug].career:
                if stint.company and stint.end is None and graph.family(stint.company) == family:
                    return slug, stint.company
    raise AssertionError("no author with an open stint at their paper's company")


def _do_reminders(path: Path, description: str) -> None:
    """What the comments of `build.py new` ask for: a line on who or what this is instead
    of the first reminder; the other reminders deleted (check --strict warns about them)."""
    kept = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "add one line on who or what this is" in line:
            kept.append(f"# {description}")
        elif "then delete this line" not in line and "uncomment and edit" not in line.lower():
            kept.append(line)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


def _unused(content: Path, folder: str, name: str) -> tuple[str, str]:
    """A display name and its slug that no file in content/<folder> has yet: the data may
    already hold the example (CONTRIBUTING's worked example adds a Jane Doe)."""
    n = 1
    while True:
        candidate = name if n == 1 else f"{name} {n}"
        slug = "-".join(candidate.lower().split())
        if not (content / folder / f"{slug}.yaml").exists():
            return candidate, slug
        n += 1


def _edit(repo: Path) -> tuple[str, str, str]:
    """Apply the edits a contributor would make, through the commands they would use;
    (the paper author who moves, the new person's slug, the new company's name)."""
    content = repo / "content"
    author, company = _staying_author(content)
    lab, lab_slug = _unused(content, "companies", "Acme AI")
    person, person_slug = _unused(content, "people", "Jane Doe")
    steps = [
        ["build.py", "new", "company", lab, "--source", SOURCE],
        ["build.py", "new", "person", person, "--company", lab_slug, "--role", "Research scientist",
         "--start", "2024-01", "--source", SOURCE],
    ]
    for step in steps:
        done = _run(step, repo)
        assert done.returncode == 0, done.stderr
    _do_reminders(content / "companies" / f"{lab_slug}.yaml", f"{lab}: a lab founded by former Meta researchers.")
    _do_reminders(content / "people" / f"{person_slug}.yaml", f"{person}: research scientist at FAIR, then {lab}.")
    with open(content / "people" / f"{person_slug}.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"  - company: meta-fair\n    role: Research scientist\n    start: ~2019\n    end: 2023-12\n"
                     f"    tenure: about 5 years\n    sources:\n      - {SOURCE}\n")
    path = content / "people" / f"{author}.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    # End the open stint at the paper's company, then add the new job.
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- company: {company}")
    end = next(i for i in range(at + 1, len(lines)) if lines[i].startswith("    sources:"))
    lines.insert(end, "    end: 2025-01\n")
    lines.append(f"  - company: {lab_slug}\n    role: Research scientist\n    start: 2025-02\n    sources:\n      - {SOURCE}\n")
    path.write_text("".join(lines), encoding="utf-8")
    done = _run(["build.py", "fmt"], repo)
    assert done.returncode == 0, done.stderr
    return author, person_slug, lab


def test_a_correct_data_change_keeps_the_suite_green(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", ".venv", ".cache", "site", "__pycache__", ".hypothesis",
                                                              ".pytest_cache", "*.egg-info"))
    author, person, lab = _edit(repo)

    check = _run(["build.py", "check", "--strict"], repo)
    assert check.returncode == 0, check.stderr
    build = _run(["build.py", "--quiet"], repo)
    assert build.returncode == 0, build.stderr
    assert (repo / "site" / "people" / person / "index.html").is_file()
    assert lab in (repo / "site" / "people" / author / "index.html").read_text(encoding="utf-8")
    links = _run(["build.py", "linkcheck"], repo)
    assert links.returncode == 0, links.stderr

    # The engine tests, in the copy (this test and the browser tests excluded).
    suite = _run(["-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "--ignore=tests/browser",
                  "--deselect", "tests/test_data_independence.py"], repo)
    assert suite.returncode == 0, suite.stdout[-4000:]

