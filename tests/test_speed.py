"""The speed layer's build equals the plain build, byte for byte, after any edit.

Edits are generated from the schema (tests/edits.py): every kind, every field, files
added, deleted and renamed, content made invalid and mended. After each one, the cached
build (rebuilding over its previous output, with its store) and a plain build into a
fresh folder must give the same files, or fail with the same problems, leaving the
previous output as it was.
"""
from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.build import Options, build
from atlas.errors import ContentError
from atlas.site.write import MARKER
from atlas.speed import memos
from atlas.speed.engine import cached_build
from conftest import SEED
from edits import random_edit

MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "content"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and p.name != MARKER}


def plain(content: Path, out: Path) -> dict[str, bytes] | list[str]:
    shutil.rmtree(out, ignore_errors=True)
    try:
        build(Options(content, out))
    except ContentError as err:
        return [str(p) for p in err.problems]
    return tree(out)


def cached(content: Path, out: Path, cache: Path, jobs: int | None = None) -> dict[str, bytes] | list[str]:
    before = tree(out) if out.exists() else None
    try:
        cached_build(Options(content, out), cache, jobs=jobs)
    except ContentError as err:
        assert before is None or tree(out) == before, "a failed build changed the output"
        return [str(p) for p in err.problems]
    return tree(out)


def check_edits(tmp_path: Path, source: Path, seed: int, steps: int, jobs: int | None = None) -> None:
    content = tmp_path / "content"
    shutil.copytree(source, content)
    out, cache = tmp_path / "site", tmp_path / "cache"
    rng = random.Random(seed)
    assert cached(content, out, cache, jobs) == plain(content, tmp_path / "plain")
    done = []
    for _ in range(steps):
        done.append(random_edit(content, rng))
        got, expected = cached(content, out, cache, jobs), plain(content, tmp_path / "plain")
        if got != expected:
            differ = sorted(k for k in set(got) | set(expected) if isinstance(got, dict) and isinstance(expected, dict)
                            and got.get(k) != expected.get(k)) if isinstance(got, dict) and isinstance(expected, dict) else []
            pytest.fail(f"after {done}: the cached build differs from the plain one in {differ[:10] or (got, expected)}")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_cached_builds_equal_plain_builds_after_random_edits_to_the_mini_site(tmp_path_factory, seed: int) -> None:
    check_edits(tmp_path_factory.mktemp("mini"), MINI, seed, steps=25)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_cached_builds_equal_plain_builds_after_random_edits_to_the_seed_site(tmp_path_factory, seed: int) -> None:
    check_edits(tmp_path_factory.mktemp("seed"), SEED, seed, steps=12)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_views_kept_without_their_values_still_give_the_plain_build(tmp_path_factory, seed: int) -> None:
    # At 10,000 people only the whole-site views pickle to more than KEEP_BYTES; with a
    # lower limit, most of the seed site's views are kept by what they read alone.
    with mock.patch.object(memos, "KEEP_BYTES", 600):
        tmp = tmp_path_factory.mktemp("unkept")
        check_edits(tmp, SEED, seed, steps=10)
        with sqlite3.connect(next((tmp / "cache").glob("build-*.sqlite"))) as db:
            empty, full = db.execute("SELECT SUM(value = x''), SUM(value != x'') FROM memos").fetchone()
        assert empty > 20 and full > 20, "the limit should leave some views without their values, and keep others"
