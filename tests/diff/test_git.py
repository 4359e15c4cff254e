"""migrator diff with a side read from git: a throw-away repository with two commits."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from tests.conftest import PHARMA
from tests.diff.conftest import RETIRE

runner = CliRunner()
AS_OF = ["--as-of", "2026-06-01"]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commit 1: the sample; commit 2: treasury retired. The work tree is at commit 2."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(PHARMA, root / "inventory")
    git(root, "add", ".")
    git(root, "commit", "-qm", "the sample")
    file, old, new = RETIRE
    target = root / "inventory" / file
    target.write_text(target.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    git(root, "commit", "-qam", "retire treasury")
    monkeypatch.chdir(root)
    return root


def test_base_from_a_revision(repo: Path) -> None:
    for args in (["--git", "HEAD~1", "inventory"], ["HEAD~1:inventory", "inventory"]):
        result = runner.invoke(app, ["diff", *args, *AS_OF, "-f", "json"])
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        assert document["base"]["inventory"] == "HEAD~1:inventory"
        assert [c["id"] for c in document["applications"]["changed"]] == ["treasury"]
    both = runner.invoke(app, ["diff", "HEAD~1:inventory", "HEAD:inventory", *AS_OF, "-f", "json"])
    assert json.loads(both.stdout)["summary"]["strategy_changes"] == 1
    same = runner.invoke(app, ["diff", "--git", "HEAD", "inventory", *AS_OF, "-f", "markdown"])
    assert same.exit_code == 0 and same.stdout == ""
    assert git(repo, "status", "--porcelain") == ""  # the work tree was never touched


def test_from_a_subdirectory(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "inventory")
    result = runner.invoke(app, ["diff", "--git", "HEAD~1", ".", *AS_OF, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["applications_changed"] == 1


def test_unknown_revision(repo: Path) -> None:
    result = runner.invoke(app, ["diff", "--git", "no-such-branch", "inventory"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: unknown revision 'no-such-branch' in the git repository at {repo.resolve()}"
    ]


def test_path_missing_at_the_revision(repo: Path) -> None:
    result = runner.invoke(app, ["diff", "--git", "HEAD", "elsewhere"])
    assert result.exit_code == 2
    assert "error: HEAD:elsewhere: no such path at HEAD" in result.output


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PHARMA, tmp_path / "plain")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["diff", "--git", "main", "plain"])
    assert result.exit_code == 2
    assert "plain: not inside a git repository" in result.output
    assert "Traceback" not in result.output


def test_an_invalid_base_names_the_revision(repo: Path) -> None:
    broken = repo / "inventory" / "portfolio.yaml"
    original = broken.read_text(encoding="utf-8")
    broken.write_text(original.replace("region:", "regoin:"), encoding="utf-8")
    git(repo, "commit", "-qam", "a typo")
    broken.write_text(original, encoding="utf-8")
    result = runner.invoke(app, ["diff", "--git", "HEAD", "inventory", *AS_OF])
    assert result.exit_code == 2
    assert "HEAD:inventory/portfolio.yaml:" in result.output
    assert "did you mean 'region'" in result.output
    assert "migrator-diff-" not in result.output
