"""CI cannot skip silently: under ATLAS_REQUIRE_TOOLS=1 a missing tool, or any skipped
test, fails the run; expected files are rewritten only when asked with 1, never under CI.

Each tool is hidden from a pytest run in a subprocess: a path variable pointing at
nothing, or a package on PYTHONPATH that cannot be imported in front of the real one.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ci_guards import refresh_requested

ROOT = Path(__file__).resolve().parent.parent
NOWHERE = "/nonexistent/tool"
BROWSER_TEST = "tests/browser/test_browser.py::test_search_is_keyboard_accessible"

# tool: (the test that needs it, the environment that hides it, packages made unimportable, the failure's words)
TOOLS: dict[str, tuple[str, dict[str, str], tuple[str, ...], str]] = {
    "chromium": (BROWSER_TEST, {"CHROMIUM": NOWHERE}, (), "Chromium is not installed"),
    "playwright": (BROWSER_TEST, {}, ("playwright",), "Playwright is not installed"),
    "axe-core": ("tests/browser/test_accessibility.py::test_no_serious_or_critical_violation[light-404.html]",
                 {"AXE_JS": NOWHERE}, (), "axe-core is not installed"),
    "vnu": ("tests/test_public_vnu.py::test_vnu_finds_no_error_in_the_built_pages[/]",
            {"VNU_JAR": NOWHERE}, (), "the Nu HTML Checker needs Java and vnu.jar"),
    "jsonschema": ("tests/test_contrib_schemas.py::test_every_content_file_validates_against_its_schema",
                   {}, ("jsonschema",), "jsonschema is not installed"),
}


def run_pytest(args: list[str], cwd: Path, env_changes: dict[str, str], require: bool) -> subprocess.CompletedProcess[str]:
    """Run pytest in a subprocess, with or without ATLAS_REQUIRE_TOOLS=1."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("ATLAS_REQUIRE_TOOLS", "CI", "UPDATE_GOLDEN", "UPDATE_EXPECTED", "PYTHONPATH")}
    env.update(env_changes)
    if require:
        env["ATLAS_REQUIRE_TOOLS"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def hiding(tmp_path: Path, env: dict[str, str], packages: tuple[str, ...]) -> dict[str, str]:
    """The environment changes that hide tools: `env`, and a folder first on PYTHONPATH in
    which each of `packages` raises ImportError."""
    folder = tmp_path / "hidden"
    for name in packages:
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "__init__.py").write_text(f"raise ImportError('{name} hidden by test_ci_guards')\n")
    return {**env, "PYTHONPATH": str(folder)} if packages else dict(env)


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_a_missing_tool_fails_the_run_under_atlas_require_tools(tmp_path: Path, tool: str) -> None:
    test, env, packages, words = TOOLS[tool]
    done = run_pytest([test], ROOT, hiding(tmp_path, env, packages), require=True)
    assert done.returncode == 1, done.stdout[-3000:]
    # A tool missing in a fixture errors the test, in the test itself fails it: both fail the run.
    assert re.search(r"^1 (failed|error) in ", done.stdout, re.M) and words in done.stdout, done.stdout[-3000:]
    assert "ATLAS_REQUIRE_TOOLS=1: every tool must be installed" in done.stdout


def test_without_it_the_same_missing_tools_skip(tmp_path: Path) -> None:
    env = {k: v for _, hide, _, _ in TOOLS.values() for k, v in hide.items()}
    packages = tuple(p for _, _, hidden, _ in TOOLS.values() for p in hidden)
    tests = sorted({test for test, _, _, _ in TOOLS.values()})
    done = run_pytest(tests, ROOT, hiding(tmp_path, env, packages), require=False)
    assert done.returncode == 0, done.stdout[-3000:]
    assert f"{len(tests)} skipped" in done.stdout, done.stdout[-3000:]


@pytest.mark.parametrize("require, returncode", [(False, 0), (True, 1)])
def test_any_skipped_test_fails_the_run_under_atlas_require_tools(tmp_path: Path, require: bool, returncode: int) -> None:
    (tmp_path / "conftest.py").write_text("from ci_guards import pytest_sessionfinish, pytest_terminal_summary\n")
    (tmp_path / "test_one.py").write_text("import pytest\n\ndef test_runs():\n    pass\n\n"
                                          "def test_skips():\n    pytest.skip('for a reason of its own')\n")
    done = run_pytest([], tmp_path, {"PYTHONPATH": str(ROOT / "tests")}, require=require)
    assert done.returncode == returncode, done.stdout[-3000:]
    assert "1 passed, 1 skipped" in done.stdout
    assert ("ATLAS_REQUIRE_TOOLS=1: 1 test(s) skipped" in done.stdout) is require


@pytest.mark.parametrize("value", [None, "", "0", "true", "yes", " 1"])
def test_only_the_value_1_asks_to_refresh_expected_files(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    monkeypatch.delenv("CI", raising=False)
    if value is None:
        monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    else:
        monkeypatch.setenv("UPDATE_GOLDEN", value)
    assert refresh_requested("UPDATE_GOLDEN") is False


@pytest.mark.parametrize("ci", [None, "", "0", "false", "FALSE"])
def test_1_refreshes_outside_ci(monkeypatch: pytest.MonkeyPatch, ci: str | None) -> None:
    monkeypatch.setenv("UPDATE_EXPECTED", "1")
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert refresh_requested("UPDATE_EXPECTED") is True


@pytest.mark.parametrize("variable, flag", [("UPDATE_GOLDEN", False), ("UPDATE_EXPECTED", False), ("UPDATE_EXPECTED", True)])
def test_no_refresh_under_ci(monkeypatch: pytest.MonkeyPatch, variable: str, flag: bool) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv(variable, "0" if flag else "1")
    with pytest.raises(pytest.fail.Exception, match=f"{variable} asks to rewrite expected files under CI"):
        refresh_requested(variable, flag=flag)
