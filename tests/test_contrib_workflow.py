"""The pull request workflow, its template, and what CONTRIBUTING.md says about them."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from atlas.content.load import load_text

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "pr.yml"


def _workflow() -> Any:
    # The project's loader reads YAML 1.2 style, so the key `on` stays a string.
    return load_text(WORKFLOW.read_text(encoding="utf-8"), ".github/workflows/pr.yml")


def _runs() -> str:
    steps = [step for job in _workflow()["jobs"].values() for step in job["steps"]]
    return "\n".join(str(step.get("run", "")) for step in steps)


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
    checkout = next(s for job in _workflow()["jobs"].values() for s in job["steps"]
                    if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    assert checkout["with"]["fetch-depth"] == 0


def test_validates_builds_tests_link_checks_and_reports_the_diff() -> None:
    runs = _runs()
    for command in ("python build.py check", "python build.py --quiet", "python build.py linkcheck",
                    "python -m pytest", 'python build.py diff --base "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"'):
        assert command in runs, command
    assert "${{" not in runs  # values from the event go through env:, never into the script


def test_uploads_the_built_site() -> None:
    upload = next(s for job in _workflow()["jobs"].values() for s in job["steps"]
                  if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_the_template_asks_for_sources_and_contributing_describes_the_workflow() -> None:
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "## Sources" in template and "source URL" in template
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert ".github/workflows/pr.yml" in guide
    for duty in ("validates the content", "annotations", "link", "job summary", "artifact", "read-only"):
        assert duty in guide, duty
