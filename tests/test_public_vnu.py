"""The Nu HTML Checker (vnu) finds no error in the built pages.

Needs Java and vnu.jar (.ci/run installs the `vnu-jar` npm package into .cache/tools, or
set VNU_JAR). Skips locally without them; fails in CI (ATLAS_REQUIRE_TOOLS=1).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ci_guards import installed_tool, missing_tool
from conftest import GENERATED_SUB_PATH, SEED, build_site


def vnu_errors(paths: list[Path]) -> list[str]:
    """vnu's errors in the given files and folders, as 'file:line: message'."""
    jar, java = installed_tool("VNU_JAR", "vnu-jar/build/dist/vnu.jar"), shutil.which("java")
    if jar is None or java is None:
        missing_tool("the Nu HTML Checker needs Java and vnu.jar (npm install vnu-jar, or set VNU_JAR)")
    done = subprocess.run([java, "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json", *map(str, paths)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    return [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]


@pytest.mark.parametrize("base_url", ["/", "https://example.github.io/repo/"])
def test_vnu_finds_no_error_in_the_built_pages(tmp_path: Path, base_url: str) -> None:
    out = tmp_path / "site"
    build_site(SEED, out, base_url=base_url)
    assert vnu_errors([out]) == []


def test_vnu_finds_no_error_in_the_pages_of_split_lists(generated_site: Path) -> None:
    site = generated_site / GENERATED_SUB_PATH.strip("/")
    pages = [*site.glob("*/page/2/index.html"), *site.glob("*/*/page/2/index.html"),
             *sorted(site.glob("companies/*/people/index.html"))[:2], *sorted(site.glob("companies/*/departures/index.html"))[:2],
             *sorted(site.glob("companies/*/arrivals/index.html"))[:2], *sorted(site.glob("companies/*/people/page/2/index.html"))[:2]]
    pages += [p.parents[1] / "index.html" for p in pages if p.parent.name in ("people", "departures", "arrivals")]
    assert len(pages) > 10
    assert vnu_errors(sorted(set(pages))) == []
