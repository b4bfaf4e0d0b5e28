"""What CI demands of the suite: every test runs, and no expected file is rewritten.

- A test whose tool (Chromium, Playwright, axe-core, the Nu checker, jsonschema, git) is
  not installed skips on a developer's machine; with ATLAS_REQUIRE_TOOLS=1, as .ci/run
  sets it, it fails instead, and so does the run if any test skipped for another reason.
- Golden and expected files are rewritten only when asked with UPDATE_GOLDEN=1 or
  UPDATE_EXPECTED=1 exactly (any other value compares), and never under CI.

tests/conftest.py imports the hooks below, so pytest finds them there.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_VARIABLE = "ATLAS_REQUIRE_TOOLS"


def tools_required() -> bool:
    return os.environ.get(REQUIRE_VARIABLE) == "1"


def under_ci() -> bool:
    """CI=true (GitHub Actions, and the project's CI); CI=false or CI=0 is a developer's shell."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def missing_tool(what: str) -> NoReturn:
    """Skip the test on a developer's machine; fail it under ATLAS_REQUIRE_TOOLS=1."""
    if tools_required():
        pytest.fail(f"{what} ({REQUIRE_VARIABLE}=1: every tool must be installed)", pytrace=False)
    pytest.skip(what)


def installed_tool(variable: str, relative: str) -> Path | None:
    """A file of a tool .ci/run installs with npm into .cache/tools, or the path in `variable`."""
    path = Path(os.environ.get(variable) or ROOT / ".cache" / "tools" / "node_modules" / relative)
    return path if path.is_file() else None


def refresh_requested(variable: str, flag: bool = False) -> bool:
    """Whether to rewrite expected files: `variable`=1 exactly, or a command-line flag; never under CI."""
    if not (flag or os.environ.get(variable) == "1"):
        return False
    if under_ci():
        pytest.fail(f"{variable} asks to rewrite expected files under CI; refresh them on your machine "
                    "and review the diff", pytrace=False)
    return True


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under ATLAS_REQUIRE_TOOLS=1 a skipped test fails the run: nothing may be left out unseen."""
    if tools_required() and exitstatus == pytest.ExitCode.OK and _skipped(session.config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int,
                            config: pytest.Config) -> None:
    skipped = _skipped(config)
    if tools_required() and skipped:
        terminalreporter.write_line(f"{REQUIRE_VARIABLE}=1: {skipped} test(s) skipped; every test must run in CI "
                                    "(the reasons are listed above)", red=True, bold=True)


def _skipped(config: pytest.Config) -> int:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return len(reporter.stats.get("skipped", [])) if reporter is not None else 0
