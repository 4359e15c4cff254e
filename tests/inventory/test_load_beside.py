"""The largest file of an inventory parsed by a forked child: the same inventory and the
same diagnostics as a parse in the command, whichever way the child ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from migrator.inventory import load as loading
from migrator.inventory.load import LoadResult, load
from migrator.inventory.source import SourceFile
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="two processes are used on Linux only"
)


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 applications in 13 files, servers.yaml the largest (a third of the text), last."""
    root = tmp_path_factory.mktemp("beside") / "estate"
    generate = [sys.executable, str(ROOT / "bench" / "generate.py"), str(root), "--apps", "300"]
    subprocess.run(generate, check=True, capture_output=True)
    return root


@pytest.fixture(autouse=True)
def beside(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child for a file of any size, even on a machine with one processor."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.setattr(loading, "MIN_BYTES_BESIDE", 1)


def _alone(root: Path, monkeypatch: pytest.MonkeyPatch) -> LoadResult:
    with monkeypatch.context() as here:
        here.setenv("MIGRATOR_PROCESSES", "1")
        return load(root)


def _copy(root: Path, target: Path) -> Path:
    target.mkdir()
    for source in root.glob("*.yaml"):
        (target / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_the_largest_file_is_the_one_parsed_beside(estate: Path) -> None:
    sources = [
        SourceFile(path.name, path, path.read_text(encoding="utf-8"))
        for path in sorted(estate.glob("*.yaml"))
    ]
    assert loading._largest(sources) is sources[-1]
    assert sources[-1].name == "servers.yaml"


def test_parsed_beside_the_inventory_is_the_same(
    estate: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    two = load(estate)
    assert len(forks) == 1  # the child that parsed servers.yaml
    one = _alone(estate, monkeypatch)
    assert len(forks) == 1
    assert two.inventory is not None and two.inventory == one.inventory
    assert two.diagnostics == one.diagnostics and two.files == one.files


@pytest.mark.parametrize(
    ("old", "new", "errors"),
    [
        # not YAML: the child sends nothing, the command parses the file for its diagnostics
        ("- id: srv-00002", "- id: [srv-00002", 1),
        # YAML, but wrong: the child's data, and the command's diagnostics of it
        ("  cpu: 4\n", "  cpu: -4\n", 1),
        # a date, which marshal cannot write: the child fails, the command parses the file
        ("servers:\n", "servers:\n- {id: srv-dated, os: Linux, x-seen: 2026-11-30}\n", 0),
        # references into it that are wrong: the servers two applications name are gone
        ("- id: srv-00001", "- id: srv-x0001", 2),
    ],
    ids=["not-yaml", "invalid", "a-date", "references"],
)
def test_a_file_parsed_beside_is_checked_as_here(
    estate: Path,
    tmp_path: Path,
    forks: list[int],
    monkeypatch: pytest.MonkeyPatch,
    old: str,
    new: str,
    errors: int,
) -> None:
    root = _copy(estate, tmp_path / "edited")
    servers = root / "servers.yaml"
    text = servers.read_text(encoding="utf-8")
    assert old in text
    servers.write_text(text.replace(old, new, 1), encoding="utf-8")
    two = load(root)
    assert len(forks) == 1
    one = _alone(root, monkeypatch)
    assert two.diagnostics == one.diagnostics and two.inventory == one.inventory
    assert two.errors == errors and all(d.line for d in two.diagnostics if d.is_error)
    assert (two.inventory is None) == (errors > 0)


@pytest.mark.parametrize("failure", ["raises", "killed", "garbage"])
def test_whichever_way_the_child_fails_the_file_is_parsed_here(
    estate: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    def failing(source: SourceFile) -> bytes:
        if failure == "raises":
            raise MemoryError
        if failure == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        return b"\x00not marshal"

    one = _alone(estate, monkeypatch)
    monkeypatch.setattr(loading, "_parsed", failing)
    two = load(estate)
    assert len(forks) == 1
    assert two.inventory == one.inventory and two.diagnostics == one.diagnostics


def test_when_no_file_is_parsed_beside(
    forks: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def sources(*sizes: int) -> list[SourceFile]:
        return [SourceFile(f"f{i}", tmp_path / f"f{i}", "x" * n) for i, n in enumerate(sizes)]

    assert loading._largest(sources(100)) is None  # one file: nothing to do beside it
    chosen = sources(30, 30, 40)
    assert loading._largest(chosen) is chosen[2]
    assert loading._largest(sources(60, 20, 20)) is None  # first: nothing before it to do
    assert loading._largest(sources(10, 10, 60, 20)) is None  # less than a quarter before it
    assert loading._largest(sources(*[10] * 9, 11)) is None  # not a quarter of the text
    monkeypatch.setattr(loading, "MIN_BYTES_BESIDE", 1_000)
    assert loading._largest(chosen) is None  # too small to be worth a child
    assert forks == []


def test_no_child_with_another_thread_or_one_process(
    estate: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIGRATOR_PROCESSES", "1")
    assert load(estate).inventory is not None
    assert forks == []


def test_validate_says_the_same(
    estate: Path, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(estate, tmp_path / "edited")
    servers = root / "servers.yaml"
    servers.write_text(
        servers.read_text(encoding="utf-8").replace("  cpu: 4\n", "  cpu: 0\n  cpus: 4\n", 3),
        encoding="utf-8",
    )
    runner = CliRunner()
    two = runner.invoke(app, ["validate", str(root), "-f", "json"])
    assert len(forks) == 1
    monkeypatch.setenv("MIGRATOR_PROCESSES", "1")
    one = runner.invoke(app, ["validate", str(root), "-f", "json"])
    assert two.exit_code == one.exit_code == 1
    assert two.stdout == one.stdout and "servers.yaml" in two.stdout
