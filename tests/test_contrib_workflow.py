"""The pull request workflows, their template, and what CONTRIBUTING.md says about them.

pr.yml does the work with a read-only token; pr-comment.yml posts its findings on the pull
request with a token that may comment, so it must never run anything the pull request
wrote. The comment script itself runs here under Node, with a fake GitHub API and a
hostile artifact.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from atlas.content.load import load_text
from ci_guards import missing_tool

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "pr.yml"
COMMENTER = WORKFLOWS / "pr-comment.yml"
MARKER = "<!-- talent-atlas: pull request feedback -->"


def _load(path: Path) -> Any:
    # The project's loader reads YAML 1.2 style, so the key `on` stays a string.
    return load_text(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())


def _workflow() -> Any:
    return _load(WORKFLOW)


def _steps(flow: Any) -> list[Any]:
    return [step for job in flow["jobs"].values() for step in job["steps"]]


def _runs() -> str:
    return "\n".join(str(step.get("run", "")) for step in _steps(_workflow()))


# pr.yml: the work, read-only.

def test_runs_on_pull_requests_only_with_read_only_permissions() -> None:
    flow = _workflow()
    assert flow["on"] == "pull_request"
    assert dict(flow["permissions"]) == {"contents": "read"}
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "pull_request_target" not in text.replace("never\n# `pull_request_target`", "")
    assert "secrets." not in text
    for job in flow["jobs"].values():
        assert "permissions" not in job or all(v == "read" for v in job["permissions"].values())


def test_checkout_keeps_no_credentials_and_fetches_the_base() -> None:
    checkout = next(s for s in _steps(_workflow()) if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    assert checkout["with"]["fetch-depth"] == 0


def test_validates_strictly_builds_tests_link_checks_and_reports_the_diff() -> None:
    runs = _runs()
    for command in ("python build.py check --strict", "python build.py --quiet", "python build.py linkcheck",
                    "python -m pytest", 'python build.py diff --base "$BASE_SHA" > feedback/diff.md',
                    'cat feedback/diff.md >> "$GITHUB_STEP_SUMMARY"'):
        assert command in runs, command
    assert "${{" not in runs  # values from the event go through env:, never into the script


def test_the_tests_run_with_every_tool_so_none_skips() -> None:
    steps = _steps(_workflow())
    tests = next(s for s in steps if s.get("id") == "tests")
    assert tests["env"]["ATLAS_REQUIRE_TOOLS"] == "1"
    install = next(s for s in steps if s.get("name") == "Install")["run"]
    assert '".[test,browser]"' in install
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pinned = re.findall(r"(?:vnu-jar|axe-core)@[0-9.]+", ci)
    assert len(pinned) == 2
    for tool in pinned:  # the same versions as .ci/run
        assert tool in install, tool


def test_every_step_after_the_check_runs_even_when_one_failed() -> None:
    steps = _steps(_workflow())
    after = steps[[s.get("id") for s in steps].index("check") + 1:]
    assert after and all("!cancelled()" in str(s.get("if", "")) for s in after)


def test_uploads_the_site_and_the_feedback() -> None:
    uploads = {s["with"]["name"]: s["with"] for s in _steps(_workflow())
               if str(s.get("uses", "")).startswith("actions/upload-artifact@")}
    assert uploads["site"]["path"] == "site/"
    assert uploads["pr-feedback"]["path"] == "feedback/"
    runs = _runs()
    for written in ("feedback/check.txt", "feedback/steps.txt", "feedback/diff.md"):
        assert written in runs, written


# pr-comment.yml: the comment, with a write token, never running the pull request's code.

def test_the_commenter_runs_after_the_pull_request_workflow_from_the_default_branch() -> None:
    flow = _load(COMMENTER)
    assert list(flow["on"]) == ["workflow_run"]
    assert flow["on"]["workflow_run"]["workflows"] == [_workflow()["name"]]
    assert flow["on"]["workflow_run"]["types"] == ["completed"]
    [job] = flow["jobs"].values()
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"]


def test_the_commenter_asks_only_for_what_it_needs() -> None:
    flow = _load(COMMENTER)
    assert dict(flow["permissions"]) == {}
    [job] = flow["jobs"].values()
    assert dict(job["permissions"]) == {"actions": "read", "pull-requests": "write"}
    assert "secrets." not in COMMENTER.read_text(encoding="utf-8")


def test_the_commenter_never_checks_out_or_runs_anything_it_downloads() -> None:
    [job] = _load(COMMENTER)["jobs"].values()
    assert all("run" not in step for step in job["steps"])  # no shell at all
    uses = [str(step["uses"]) for step in job["steps"]]
    assert [u.split("@")[0] for u in uses] == ["actions/download-artifact", "actions/github-script"]
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", u) for u in uses), "privileged actions are pinned to a commit"
    download = job["steps"][0]["with"]
    assert download["name"] == "pr-feedback" and download["run-id"] == "${{ github.event.workflow_run.id }}"
    script = _script()
    assert "${{" not in script  # nothing from the event or the artifact is pasted into the code
    for forbidden in ("child_process", "eval(", "Function(", "exec", "spawn", "import(", "require(process", "require(file"):
        assert forbidden not in script, forbidden
    assert re.findall(r"require\('([^']+)'\)", script) == ["fs", "path"]


def _script() -> str:
    [job] = _load(COMMENTER)["jobs"].values()
    return str(job["steps"][-1]["with"]["script"])


# The comment script, run under Node with a fake GitHub.

HARNESS = r"""
const fs = require('fs');
const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const calls = [];
const reply = (data) => Promise.resolve({ data });
const github = {
  paginate: async (method, params) => (await method(params)).data,
  rest: {
    pulls: { list: (p) => { calls.push(['pulls.list', p]); return reply(input.pulls); } },
    actions: { listWorkflowRunArtifacts: (p) => reply({ artifacts: input.artifacts }) },
    issues: {
      listComments: (p) => reply(input.comments),
      createComment: (p) => { calls.push(['createComment', p]); return reply({}); },
      updateComment: (p) => { calls.push(['updateComment', p]); return reply({}); },
    },
  },
};
const context = { repo: { owner: 'atlas', repo: 'talent-atlas' }, payload: { workflow_run: input.run } };
const core = { info: (m) => calls.push(['info', m]) };
const guarded = (name) => { if (name !== 'fs' && name !== 'path') throw new Error('required ' + name); return require(name); };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('github', 'context', 'core', 'require', input.script)(github, context, core, guarded)
  .then(() => console.log(JSON.stringify(calls)))
  .catch((error) => { console.error(error.stack); process.exit(1); });
"""


@pytest.fixture
def node() -> str:
    """Node, which runs the comment script (as actions/github-script does on GitHub)."""
    found = os.environ.get("NODE") or shutil.which("node")
    if not found or not Path(found).is_file():
        missing_tool("Node.js is not installed (apt install nodejs); it runs pr-comment.yml's script")
    return found


RUN = {"id": 42, "head_sha": "0123456789abcdef", "head_branch": "jane-doe", "conclusion": "failure",
       "html_url": "https://github.com/atlas/talent-atlas/actions/runs/42", "event": "pull_request",
       "head_repository": {"owner": {"login": "jane"}}}
PULL = {"number": 7, "head": {"sha": "0123456789abcdef"}}


def _post(node: str, tmp_path: Path, files: dict[str, str] | None, comments: list[Any] | None = None,
           pulls: list[Any] | None = None) -> list[Any]:
    """Run the comment script on an artifact holding `files` (None: no artifact); the API calls it made."""
    artifact = tmp_path / "pr-feedback"
    if files is not None:
        artifact.mkdir(exist_ok=True)
        for name, text in files.items():
            (artifact / name).write_text(text, encoding="utf-8")
    data = {"script": _script(), "run": RUN, "pulls": [PULL] if pulls is None else pulls, "comments": comments or [],
            "artifacts": [{"name": "site", "id": 99, "expired": False}]}
    (tmp_path / "input.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")
    done = subprocess.run([node, str(tmp_path / "harness.js"), str(tmp_path / "input.json")],
                          capture_output=True, text=True, env={**os.environ, "FEEDBACK_DIR": str(artifact)}, timeout=60)
    assert done.returncode == 0, done.stderr
    return [call for call in json.loads(done.stdout) if call[0] in ("createComment", "updateComment")]


HOSTILE = {
    "check.txt": "".join(f"content/people/x.yaml:{n}:1: unknown field @octocat ```\n" for n in range(1, 100)),
    "diff.md": f"{MARKER}\n## What this change does\n\n- Meta → Acme: 1 → 2 departures (now also @org/team $(rm -rf ~) "
               "${{ secrets.X }})\n",
    "steps.txt": "check failure\nbuild success\nlinks success\ndiff success\ntests success\n",
}


def test_the_comment_quotes_untrusted_text_as_text(node: str, tmp_path: Path) -> None:
    [(call, params)] = _post(node, tmp_path, HOSTILE)
    assert call == "createComment" and params["issue_number"] == 7
    body = params["body"]
    assert body.startswith(MARKER + "\n### Some checks did not pass for 0123456")
    assert "Content check: **failed** · site build: passed · link check: passed · tests: passed" in body
    assert "@octocat" not in body and "@\u200boctocat" in body and "@\u200borg/team" in body  # nobody is pinged
    assert body.count(MARKER) == 1 and "&lt;!-- talent-atlas" in body  # the marker cannot be forged
    assert "\n````text\n" in body and "\n````\n" in body  # a fence the text's ``` cannot close
    assert "… and 39 more lines, in the run's log" in body
    assert "$(rm -rf ~) ${{ secrets.X }}" in body  # shown as written: it never reaches a shell
    assert "[the built site](https://github.com/atlas/talent-atlas/actions/runs/42/artifacts/99)" in body


def test_one_comment_is_updated_and_a_look_alike_is_left_alone(node: str, tmp_path: Path) -> None:
    comments = [{"id": 1, "user": {"login": "mallory"}, "body": MARKER + " fake"},
                {"id": 2, "user": {"login": "github-actions[bot]"}, "body": MARKER + "\nold"}]
    [(call, params)] = _post(node, tmp_path, HOSTILE, comments)
    assert call == "updateComment" and params["comment_id"] == 2


def test_the_pull_request_comes_from_the_run_not_the_artifact(node: str, tmp_path: Path) -> None:
    moved_on = [{"number": 7, "head": {"sha": "fedcba9876543210"}}]
    assert _post(node, tmp_path, {**HOSTILE, "pr-number.txt": "1\n"}, pulls=moved_on) == []


def test_a_deleted_fork_gets_no_comment(node: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(RUN, "head_repository", None)
    assert _post(node, tmp_path, HOSTILE) == []


def test_a_run_without_feedback_still_gets_a_comment(node: str, tmp_path: Path) -> None:
    [(call, params)] = _post(node, tmp_path, None)
    assert call == "createComment"
    assert "Content check: not run" in params["body"] and "wrote no summary" in params["body"]


def test_links_in_the_artifact_are_not_followed(node: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=abc\n", encoding="utf-8")
    artifact = tmp_path / "pr-feedback"
    artifact.mkdir()
    (artifact / "check.txt").symlink_to(secret)
    [(_, params)] = _post(node, tmp_path, {})
    assert "TOKEN" not in params["body"]


def test_the_template_asks_for_sources_and_contributing_describes_the_workflows() -> None:
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "## Sources" in template and "source URL" in template
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert ".github/workflows/pr.yml" in guide and ".github/workflows/pr-comment.yml" in guide
    for duty in ("validates the content", "annotations", "link", "job summary", "artifact", "read-only", "comment"):
        assert duty in guide, duty
    words = " ".join(guide.split())
    for setting in ("Require approval for first-time contributors", "Require status checks to pass", "add `check`",
                    "Never switch to `pull_request_target`"):
        assert setting in words, setting
