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
from conftest import build_site, SEED


@pytest.mark.parametrize("base_url", ["/", "https://example.github.io/repo/"])
def test_vnu_finds_no_error_in_the_built_pages(tmp_path: Path, base_url: str) -> None:
    jar, java = installed_tool("VNU_JAR", "vnu-jar/build/dist/vnu.jar"), shutil.which("java")
    if jar is None or java is None:
        missing_tool("the Nu HTML Checker needs Java and vnu.jar (npm install vnu-jar, or set VNU_JAR)")
    out = tmp_path / "site"
    build_site(SEED, out, base_url=base_url)
    done = subprocess.run([java, "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json", str(out)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
