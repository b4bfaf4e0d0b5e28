"""The generator installed as a package, as a site's own repository installs it: the wheel
carries the built-in templates, static files and init's starter files, and its
`talent-atlas` command starts, builds and link-checks a site in the current folder."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from atlas.build import builtin
from atlas.commands.init import STARTER
from rjsmin import jsmin
from ci_guards import missing_tool

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("pyproject.toml", "README.md", "atlas", "templates", "static")  # what a wheel is built from


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of what the project ships (setuptools writes build/ where it builds)."""
    source, wheels = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheels")
    for name in SHIPPED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), str(source)],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        missing_tool(f"pip cannot build a wheel of the generator (it needs setuptools from a package index): {last}")
    return next(wheels.glob("talent_atlas-*.whl"))


def test_the_wheel_carries_every_built_in_template_static_and_starter_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, packaged in ((builtin("templates"), "atlas/templates"), (builtin("static"), "atlas/static"),
                             (STARTER, "atlas/commands/starter")):
        files = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
        assert files, folder
        missing = [rel for rel in files if f"{packaged}/{rel}" not in names]
        assert missing == [], f"not in the wheel: {missing}"
    code = [p.relative_to(ROOT).as_posix() for p in (ROOT / "atlas").rglob("*.py")]  # every module, subpackages too
    assert [rel for rel in code if rel not in names] == []
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/entry_points.txt")))
    assert b"talent-atlas = atlas.commands.cli:run" in entry_points


def test_the_installed_command_starts_and_builds_a_site_of_its_own(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    repository = tmp_path / "biotech-atlas"  # the site's own repository: nothing of the generator in it
    repository.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def installed(*argv: str) -> str:
        done = subprocess.run([sys.executable, str(target / "bin" / "talent-atlas"), *argv], cwd=repository, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run([sys.executable, "-c", "from atlas.build import builtin; print(builtin('templates'))"],
                           cwd=repository, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where) == target / "atlas" / "templates"  # the installed copy, not this checkout
    installed("init", "content", "--title", "Biotech Talent Atlas", "--model-label", "Drug")
    installed("check", "--strict")
    installed("--quiet")
    assert "ok: no broken internal link" in installed("linkcheck")
    home = (repository / "site" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/models/">Drugs</a>' in home
    assert (repository / "site" / "static" / "site.js").read_bytes() == jsmin((builtin("static") / "site.js").read_bytes())
