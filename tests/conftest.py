"""Shared fixtures: the repository's paths, a way to write small inventories, and the
children a test forks."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# In CI (.ci/run sets MIGRATOR_CI) the property tests draw the same examples every run, so
# a red build always means a change broke something; on a laptop they explore new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("MIGRATOR_CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
PHARMA = ROOT / "inventories" / "pharma"

WriteInventory = Callable[[dict[str, str]], Path]


@pytest.fixture
def write_inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WriteInventory:
    """Write ``{file name: text}`` into ``inv/`` under a temporary working directory.

    Diagnostics then name the files ``inv/<name>``, the way a user sees them.
    """
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str]) -> Path:
        root = Path("inv")
        root.mkdir(exist_ok=True)
        for name, text in files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return root

    return write


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process ids of the children ``os.fork`` starts during the test, as it goes."""
    started: list[int] = []
    fork = os.fork

    def noted() -> int:
        pid = fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", noted)
    return started


def require_program(name: str, why: str) -> str:
    """The path of a test-only system program; skip when it is missing, except in CI.

    .ci/run installs these programs and sets MIGRATOR_CI=1: there a missing program is a
    failure, so that CI never skips the tests that need it.
    """
    found = shutil.which(name)
    if found is None:
        message = f"'{name}' is not installed ({why})"
        if os.environ.get("MIGRATOR_CI"):
            pytest.fail(f"{message}: .ci/run should have installed it")
        pytest.skip(f"{message}; .ci/run installs it")
    return found
