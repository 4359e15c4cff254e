"""The CI recipe of docs/diff.md, run as written on a throw-away repository with two commits."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PHARMA, ROOT
from tests.diff.test_git import git

POLICY = """\
version: 1
policies:
  - id: readiness-holds
    title: Mean readiness not lower than on the base
    for: portfolio
    measure: plan.mean_score
    min: base
  - id: production-owner
    title: Every production application has an owner
    for: application
    when: {attr: app.production, op: is_true}
    require: {attr: app.owner, op: exists}
"""


def recipe() -> list[dict[str, Any]]:
    text = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# \.github/workflows/.*?)```", text, re.DOTALL)
    assert len(blocks) == 1, "docs/diff.md has one workflow"
    workflow = yaml.safe_load(blocks[0])
    steps: list[dict[str, Any]] = workflow["jobs"]["plan-review"]["steps"]
    return steps


def migrator_commands() -> list[list[str]]:
    found = []
    for step in recipe():
        run = step.get("run", "")
        if run.startswith("migrator "):
            words = shlex.split(run.replace("${{ github.base_ref }}", "main"))
            found.append(words[1:])
    return found


def run(repo: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "migrator", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone whose origin/main has the sample and a policy file; on a branch of its own."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    shutil.copytree(PHARMA, origin / "inventory")
    (origin / "policy.yaml").write_text(POLICY, encoding="utf-8")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "the inventory and its policies")
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(origin), str(work)], check=True)
    git(work, "checkout", "-q", "-b", "pull-request")
    return work


def commit(repo: Path, file: str, old: str, new: str) -> None:
    target = repo / "inventory" / file
    text = target.read_text(encoding="utf-8")
    assert text.count(old) == 1
    target.write_text(text.replace(old, new), encoding="utf-8")
    git(repo, "commit", "-qam", f"edit {file}")


def test_the_recipe_is_what_the_test_runs() -> None:
    commands = migrator_commands()
    assert [c[0] for c in commands] == ["validate", "diff"]
    post = recipe()[-1]
    assert post.get("if") == "always()"
    assert "plan-diff.md" in post["run"] and "gh pr comment" in post["run"]


def test_a_change_that_breaks_a_policy(pull_request: Path) -> None:
    commit(
        pull_request,
        "corporate.yaml",
        "    vendor: FIS\n",
        "    vendor: FIS\n    hardware: [usb-dongle]\n",
    )
    validate, diff = migrator_commands()
    assert run(pull_request, validate).returncode == 0
    done = run(pull_request, diff)
    assert done.returncode == 1, done.stderr
    comment = (pull_request / "plan-diff.md").read_text(encoding="utf-8")
    assert comment.startswith("### Plan diff: `origin/main:inventory` → `inventory`")
    assert "- **Readiness**: treasury ready → not-ready" in comment
    assert "#### Policy: 1 breach" in comment
    assert "inventory/portfolio.yaml:" in done.stdout
    assert "policy readiness-holds: Mean readiness not lower than on the base" in done.stdout
    assert "error: 1 policy breach (1 policy)" in done.stderr
    assert git(pull_request, "status", "--porcelain") == "?? plan-diff.md\n"


def test_a_change_that_keeps_the_plan(pull_request: Path) -> None:
    commit(pull_request, "corporate.yaml", "    vendor: FIS\n", "    vendor: FIS  # since 2011\n")
    validate, diff = migrator_commands()
    assert run(pull_request, validate).returncode == 0
    done = run(pull_request, diff)
    assert done.returncode == 0, done.stderr
    assert (pull_request / "plan-diff.md").read_text(encoding="utf-8") == ""  # nothing to post
