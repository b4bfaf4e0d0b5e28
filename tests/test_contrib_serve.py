"""`build.py serve`: rebuilds on change, reloads the page, shows errors, keeps the last good build."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from atlas.commands.serve import CLIENT_PATH, VERSION_PATH, DevServer

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini" / "content"
WAIT = 20.0  # seconds; every wait below is bounded by this


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def _until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not check():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the dev server")
        time.sleep(0.05)


def _touch(path: Path, text: str) -> None:
    """Write and make sure the mtime moves, even on coarse-grained file systems."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DevServer]:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    dev = DevServer(content, port=0, interval=0.05, log=lambda message: None)
    dev.start()
    yield dev
    dev.stop()


def _version(dev: DevServer) -> dict[str, object]:
    return json.loads(_get(dev.origin + VERSION_PATH)[1])


def test_serves_the_site_with_a_reload_script_that_is_not_in_the_build(server: DevServer) -> None:
    status, page = _get(server.url + "people/alice/")
    assert status == 200 and "Alice Émile" in page and f'<script src="{CLIENT_PATH}" defer></script>' in page
    assert "<script>" not in page  # nothing inline: the pages' policy would block it
    assert VERSION_PATH in _get(server.origin + CLIENT_PATH)[1]
    built = "".join(p.read_text(encoding="utf-8", errors="replace") for p in server.out_dir.rglob("*") if p.is_file())
    assert "__atlas" not in built
    assert _get(server.url + "no/such/page/")[0] == 404


def test_rebuilds_when_content_changes(server: DevServer) -> None:
    first = _version(server)["version"]
    alice = server.content_dir / "people" / "alice.yaml"
    _touch(alice, alice.read_text(encoding="utf-8").replace("Alice Émile", "Alice Renamed"))
    _until(lambda: "Alice Renamed" in _get(server.url + "people/alice/")[1])
    _until(lambda: _version(server)["version"] != first)  # the signal the open page polls for


def test_a_content_error_shows_in_the_page_and_the_last_good_build_stays(server: DevServer) -> None:
    bob = server.content_dir / "people" / "bob.yaml"
    good = bob.read_text(encoding="utf-8")
    _touch(bob, good.replace("company: newco", "company: newcoo"))
    _until(lambda: bool(_version(server)["error"]))
    assert "unknown company 'newcoo' (did you mean 'newco'?)" in str(_version(server)["error"])
    status, page = _get(server.url + "people/bob/")
    assert status == 200 and "Bob Okafor" in page  # the last good build
    assert 'id="atlas-build-error"' in page and "people/bob.yaml:12:14" in page
    _touch(bob, good)
    _until(lambda: not _version(server)["error"])
    assert 'id="atlas-build-error"' not in _get(server.url + "people/bob/")[1]


def test_serves_under_the_base_path(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    dev = DevServer(content, port=0, base_url="https://example.github.io/atlas/", interval=0.05, log=lambda m: None)
    dev.start()
    try:
        assert dev.url.endswith("/atlas/")
        assert _get(dev.url)[0] == 200
        assert _get(dev.origin + "/")[0] == 200  # redirected to the base path
        assert _get(dev.origin + "/people/alice/")[0] == 404
        assert _get(dev.url + "people/alice/")[0] == 200
    finally:
        dev.stop()


def test_serve_command_starts_answers_and_cleans_up_on_sigterm(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    temp = tmp_path / "temp"  # the server's private build folder goes here
    temp.mkdir()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--content", str(content)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "TMPDIR": str(temp)})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        while line and not line.startswith("serving "):
            line = proc.stdout.readline()
        url = line.split()[1]
        assert _get(url)[0] == 200
        assert [p.name for p in temp.iterdir() if p.name.startswith("atlas-serve-")]
    finally:
        proc.terminate()  # what `kill`, `docker stop` and CI send
        proc.wait(timeout=WAIT)
    assert proc.returncode == 0
    assert not [p.name for p in temp.iterdir() if p.name.startswith("atlas-serve-")]


def test_a_taken_port_leaves_no_build_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first = DevServer(content, port=0, log=lambda message: None)
    try:
        with pytest.raises(OSError):
            DevServer(content, port=first.httpd.server_address[1], log=lambda message: None)
        assert len(list(tmp_path.glob("atlas-serve-*"))) == 1  # the first server's only
    finally:
        first.stop()
    assert not list(tmp_path.glob("atlas-serve-*"))


def test_serve_prints_problems_as_check_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's log and error box name files as check does (content/people/...)."""
    import atlas.commands.serve as serve_module
    from atlas.commands.cli import main
    from atlas.errors import Problem, SourceLoc

    given: dict[str, object] = {}

    class Stopped(DevServer):
        def __init__(self, content_dir: Path, **options: object) -> None:
            given.update(options)
            raise KeyboardInterrupt  # as Ctrl-C during the first build

    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setattr(serve_module, "DevServer", Stopped)
    with pytest.raises(KeyboardInterrupt):
        main(["serve", "--content", "content", "--port", "0"])
    describe = given["describe"]
    assert callable(describe)
    assert describe(Problem(SourceLoc("people/bob.yaml", 12, 14), "x")) == "content/people/bob.yaml:12:14: x"
