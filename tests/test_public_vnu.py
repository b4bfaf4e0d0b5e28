"""The Nu HTML Checker (vnu) finds no error in the built pages.

Needs Java and vnu.jar (.ci/run installs the `vnu-jar` npm package into .cache/tools, or
set VNU_JAR). Skips locally without them; fails in CI (ATLAS_REQUIRE_TOOLS=1).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import GENERATED_SUB_PATH, SEED, build_site

ROOT = Path(__file__).resolve().parent.parent


def vnu_jar() -> Path | None:
    path = Path(os.environ.get("VNU_JAR") or ROOT / ".cache" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
    return path if path.is_file() else None


def vnu_errors(paths: list[Path]) -> list[str]:
    """vnu's errors in the given files and folders, as 'file:line: message'."""
    jar, java = vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        reason = "the Nu HTML Checker needs Java and vnu.jar (npm install vnu-jar)"
        if os.environ.get("ATLAS_REQUIRE_TOOLS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
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
