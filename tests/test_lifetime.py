"""Closed standard streams (a shell's >&- and 2>&-): the exit code still tells the truth,
and nothing ends in a traceback."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import PHARMA, ROOT


def _run(arguments: str, redirect: str) -> subprocess.CompletedProcess[str]:
    """``python -m migrator ARGUMENTS REDIRECT`` in a shell; what is left open is captured."""
    command = f"{shlex.quote(sys.executable)} -m migrator {arguments} {redirect}"
    return subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, timeout=120, check=False, cwd=ROOT
    )


def test_closed_stdout_is_an_output_error() -> None:
    done = _run("schema", ">&-")
    assert done.returncode == 2, done.stderr
    assert (
        done.stderr == "error: cannot write the output: standard output is closed "
        "(write to a file with -o)\n"
    )


def test_closed_stdout_with_a_file_output_is_fine(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    done = _run(f"schema -o {shlex.quote(str(target))}", ">&-")
    assert done.returncode == 0, done.stderr
    assert json.loads(target.read_text())["$schema"]


def test_closed_stderr_does_not_change_the_exit_code(tmp_path: Path) -> None:
    done = _run(f"validate {shlex.quote(str(PHARMA))}", "2>&-")
    assert done.returncode == 0
    assert done.stdout == ""  # the summary line is standard error's: it is not moved
    target = tmp_path / "plan.md"
    done = _run(f"plan {shlex.quote(str(PHARMA))} -o {shlex.quote(str(target))}", "2>&-")
    assert done.returncode == 0 and target.exists() and done.stdout == ""
    done = _run(f"assess {shlex.quote(str(PHARMA))} -f json --as-of 2026-11-29", "2>&-")
    assert done.returncode == 0
    assert json.loads(done.stdout)["schema"] == "migrator/assessment/v1"


def test_closed_stderr_keeps_the_failure_code(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("applications:\n  - id: a\n    criticality: hgih\n")
    assert _run(f"validate {shlex.quote(str(broken))}", "2>&-").returncode == 1
    assert _run(f"assess {shlex.quote(str(broken))}", "2>&-").returncode == 2
    assert _run("assess /no/such/inventory", ">&- 2>&-").returncode == 2


def test_both_closed() -> None:
    assert _run(f"validate {shlex.quote(str(PHARMA))}", ">&- 2>&-").returncode == 0
    assert _run("schema", ">&- 2>&-").returncode == 2
