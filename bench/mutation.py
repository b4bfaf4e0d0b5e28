"""Mutation testing of the computing core with mutmut; writes bench/mutation.md.

    python -m pip install -e ".[test,mutation]"        # Python 3.11 or newer
    python bench/mutation.py [--max-children 2] [--nice 10] [--no-recheck] [--only GLOB --report FILE]

Not part of the test suite or CI: it takes minutes of CPU. What is mutated and which
tests run is set in pyproject.toml ([tool.mutmut]). The run happens in a fresh copy of
the repository's code and tests under .cache/mutation/, so the working tree is never
touched and can be edited meanwhile; afterwards `cd .cache/mutation && mutmut browse`
(or `mutmut show NAME`) shows any mutant.

mutmut runs each mutant against the tests it saw call the mutated function. The dates
and the graph keep values they computed, so a test that reads such a value without
computing it is not counted for that function. Every mutant that survives is therefore
checked again against all the selected tests, in a fresh process (--no-recheck skips it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import os
import shutil
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = ["atlas", "tests", "docs", "templates", "static", "pyproject.toml"]
DETECTED = ("killed", "timeout")
RECHECK_TIMEOUT_S = 120


@dataclass(frozen=True)
class Mutant:
    name: str  # as mutmut names it: atlas.compute.moves.xǁSpanǁover__mutmut_2
    status: str

    @property
    def module(self) -> str:
        return self.name.rpartition(".")[0]

    @property
    def function(self) -> str:
        """Span.over, tenure, _widen."""
        mangled = self.name.rpartition(".")[2].rsplit("__mutmut_", 1)[0]
        return ".".join(mangled.split("ǁ")[1:]) if "ǁ" in mangled else mangled.removeprefix("x_")

    @property
    def number(self) -> int:
        return int(self.name.rsplit("__mutmut_", 1)[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=ROOT / ".cache" / "mutation")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--nice", type=int, default=10, help="lower this run's priority by N (default 10)")
    parser.add_argument("--no-recheck", action="store_true", help="trust mutmut's survivors as they are")
    parser.add_argument("--only", metavar="GLOB", help="test only the mutants named so, e.g. 'atlas.model.dates*'")
    parser.add_argument("--report", type=Path, default=ROOT / "bench" / "mutation.md")
    args = parser.parse_args(argv)
    os.nice(args.nice)
    work = args.workdir.resolve()
    prepare(work)
    source = revision()  # now: the tree may change while the mutants run
    mutmut(work, "run", "--max-children", str(args.max_children), *([args.only] if args.only else []),
           log=work / "mutmut-run.log")
    mutants = [m for m in results(work) if fnmatch.fnmatchcase(m.name, args.only or "*")]
    rechecked: set[str] = set()
    if not args.no_recheck:
        rechecked = recheck(work, [m for m in mutants if m.status == "survived"])
        mutants = [Mutant(m.name, "killed") if m.name in rechecked else m for m in mutants]
    changes = {m.name: change(work, m.name) for m in mutants if m.status == "survived"}
    args.report.write_text(report(mutants, rechecked, changes, not args.no_recheck, source), encoding="utf-8")
    print(f"wrote {args.report}")
    return 0


def prepare(work: Path) -> None:
    """A fresh copy of the code, the tests, the docs they read and the settings."""
    shutil.rmtree(work, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache")
    for rel in COPIED:
        source, target = ROOT / rel, work / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        else:
            shutil.copy2(source, target)


def mutmut(work: Path, *args: str, log: Path | None = None) -> str:
    """Run a mutmut command in the copy; its output (or, with `log`, the path it went to)."""
    command = [str(Path(sys.executable).with_name("mutmut")), *args]
    if log is None:
        return subprocess.run(command, cwd=work, capture_output=True, text=True, check=True).stdout
    with log.open("w", encoding="utf-8") as out:
        subprocess.run(command, cwd=work, stdout=out, stderr=subprocess.STDOUT, check=True)
    return str(log)


def results(work: Path) -> list[Mutant]:
    found = []
    for line in mutmut(work, "results", "--all", "true").splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            found.append(Mutant(name, status))
    return sorted(found, key=lambda m: (m.module, m.function, m.number))


def selected_tests(work: Path) -> list[str]:
    """The tests mutmut runs, with the options it runs them with (the copy's settings: the
    working tree's may have changed since the run began)."""
    settings = tomllib.loads((work / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    return settings["pytest_add_cli_args"] + settings["pytest_add_cli_args_test_selection"]


def run_tests(work: Path, mutant: str) -> int:
    """The selected tests in a fresh process with one mutant active; pytest's exit code."""
    env = {**os.environ, "MUTANT_UNDER_TEST": mutant}
    command = [sys.executable, "-m", "pytest", "-x", "-q", *selected_tests(work)]
    try:
        return subprocess.run(command, cwd=work / "mutants", env=env, capture_output=True,
                              timeout=RECHECK_TIMEOUT_S).returncode
    except subprocess.TimeoutExpired:
        return -1


def recheck(work: Path, survivors: list[Mutant]) -> set[str]:
    """The survivors that fail some selected test when it runs in a fresh process."""
    # The harness must work both ways: no mutant passes; mutmut's "fail" makes every mutated function raise.
    if run_tests(work, "") != 0 or run_tests(work, "fail") == 0:
        raise SystemExit("the re-check cannot tell mutants apart: see the tests in .cache/mutation/mutants")
    killed = set()
    for index, mutant in enumerate(survivors, 1):
        if run_tests(work, mutant.name) != 0:
            killed.add(mutant.name)
        print(f"\rre-checked {index}/{len(survivors)}, {len(killed)} killed", end="", flush=True)
    print()
    return killed


def change(work: Path, name: str) -> str:
    """The mutated line(s), as `before` → `after`, from mutmut's diff of the function."""
    lines = mutmut(work, "show", name).splitlines()
    removed = [line[1:].strip() for line in lines if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in lines if line.startswith("+") and not line.startswith("+++")]
    return f"{code(' '.join(removed))} → {code(' '.join(added)) if added else '(removed)'}"


def code(text: str) -> str:
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def score(mutants: list[Mutant]) -> str:
    tested = [m for m in mutants if m.status != "skipped"]
    detected = sum(m.status in DETECTED for m in tested)
    return f"{100 * detected / len(tested):.1f} %" if tested else "–"


def report(mutants: list[Mutant], rechecked: set[str], changes: dict[str, str], did_recheck: bool, source: str) -> str:
    by_module: dict[str, list[Mutant]] = defaultdict(list)
    for mutant in mutants:
        by_module[mutant.module].append(mutant)
    lines = [
        "# Mutation testing of the computing core",
        "",
        f"Generated by `python bench/mutation.py` on {dt.date.today():%d %b %Y} from {source} "
        f"(mutmut {mutmut_version()}, Python {sys.version.split()[0]}); how it works is in bench/README.md. "
        "The score is the share of mutants that some test detects (killed, or timed out).",
        "",
        "| module | mutants | killed | survived | no test calls it | timeout | score |",
        "|---|---|---|---|---|---|---|",
    ]
    for module, group in sorted(by_module.items()):
        counts = Counter(m.status for m in group)
        lines.append(f"| `{module.replace('.', '/')}.py` | {len(group)} | {counts['killed']} | {counts['survived']} | "
                     f"{counts['no tests']} | {counts['timeout']} | {score(group)} |")
    lines.append(f"| all | {len(mutants)} | " + " | ".join(
        str(sum(m.status == s for m in mutants)) for s in ("killed", "survived", "no tests", "timeout")) +
        f" | {score(mutants)} |")
    if did_recheck:
        lines += ["", f"{len(rechecked)} of the killed were survivors of mutmut's own run that a test outside "
                      "its selection kills (checked again in a fresh process with all the selected tests)."]
    lines += survivors_section(by_module, changes)
    return "\n".join(lines) + "\n"


def survivors_section(by_module: dict[str, list[Mutant]], changes: dict[str, str]) -> list[str]:
    lines = ["", "## Surviving mutants", "",
             "Each line is one mutant: its number in mutmut's name (`mutmut show` prints it whole), "
             "then the line before and after. None of them has been judged equivalent yet."]
    for module, group in sorted(by_module.items()):
        lines += ["", f"### `{module.replace('.', '/')}.py`", ""]
        untested = Counter(m.function for m in group if m.status == "no tests")
        for function, count in sorted(untested.items()):
            lines.append(f"- `{function}`: {count} mutants, and no selected test calls it")
        for mutant in group:
            if mutant.status == "survived":
                lines.append(f"- `{mutant.function}` {mutant.number}: {changes[mutant.name]}")
        if lines[-1] == "":
            lines.append("None.")
    return lines


def revision() -> str:
    """The commit the copy was made from, and whether what it copied differs from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("log", "-1", "--format=%h") or "an unknown commit"
    return f"commit {commit}" + (" with uncommitted changes" if git("status", "--porcelain", "--", *COPIED) else "")


def mutmut_version() -> str:
    from importlib.metadata import version

    return version("mutmut")


if __name__ == "__main__":
    sys.exit(main())
