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

from conftest import build_site, SEED

ROOT = Path(__file__).resolve().parent.parent


def vnu_jar() -> Path | None:
    path = Path(os.environ.get("VNU_JAR") or ROOT / ".cache" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
    return path if path.is_file() else None


@pytest.mark.parametrize("base_url", ["/", "https://example.github.io/repo/"])
def test_vnu_finds_no_error_in_the_built_pages(tmp_path: Path, base_url: str) -> None:
    jar, java = vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        reason = "the Nu HTML Checker needs Java and vnu.jar (npm install vnu-jar)"
        if os.environ.get("ATLAS_REQUIRE_TOOLS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    out = tmp_path / "site"
    build_site(SEED, out, base_url=base_url)
    done = subprocess.run([java, "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json", str(out)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
