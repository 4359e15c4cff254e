"""The hostile-input corpus: every case is refused cleanly, where it is wrong, and fast.

Each case of ``cases.yaml`` writes its files into an empty directory, runs one migrator
command there and must: exit 1 or 2 as the case says; print the expected (located)
message; show no traceback and no internal error; finish within a generous time bound
(a hang, not a benchmark); and leave every file as it was, writing nothing anywhere.
Cases run in-process (typer's CliRunner). A case with a FIFO has a watchdog: should
migrator open the FIFO (and block on it for ever), the watchdog writes to it once the time
bound has passed, so that the case ends, and fails, instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from migrator.cli import app
from tests.discovery import xlsx

TIME_BOUND = 20.0  # seconds: far above any case's real time; it catches hangs
LOCATED = re.compile(r"\S+:\d+:\d+: (error|warning): ")
CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8")
)


def _expanded() -> list[tuple[str, dict[str, Any], list[str]]]:
    """(id, case, arguments): a case with ``commands`` runs once per command."""
    runs = []
    for case in CASES:
        for args in case.get("commands") or [case["args"]]:
            label = case["name"] if "commands" not in case else f"{case['name']}[{args[0]}]"
            # A command line is strings: YAML reads 9999-12-31 as a date and 2 as a number.
            runs.append((label, case, [str(arg) for arg in args]))
    return runs


RUNS = _expanded()


def _content(spec: Any) -> bytes | None:
    if isinstance(spec, str):
        return spec.encode("utf-8")
    if "bytes" in spec:  # YAML's "\\xNN" escapes, each written as that one byte
        return str(spec["bytes"]).encode("latin-1")
    if "repeat" in spec:
        return (
            spec.get("head", "") + spec["repeat"] * spec["times"] + spec.get("tail", "")
        ).encode("utf-8")
    if "nest" in spec:
        return ("servers:\n" + "".join("  " * i + "- \n" for i in range(spec["nest"]))).encode(
            "utf-8"
        )
    if "xlsx" in spec:
        book = spec["xlsx"] or {}
        if "bomb" in book:
            return xlsx.zip_bomb(book["bomb"])
        if "cell" in book:
            return xlsx.with_cell(str(book["cell"]), book.get("type", "n"))
        if "doctype" in book:
            doctype = {"entity-bomb": xlsx.ENTITY_BOMB, "external-entity": xlsx.EXTERNAL_ENTITY}[
                book["doctype"]
            ]
            return xlsx.with_doctype(doctype, "i" if book["doctype"] == "entity-bomb" else "x")
        return xlsx.workbook(
            book.get("rows", [list(xlsx.ROW)]),
            book.get("header", xlsx.HEADER),
            book.get("sheet", "vInfo"),
        )
    return None


def _write(root: Path, files: dict[str, Any]) -> None:
    for name, spec in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(spec, dict) and spec.get("fifo"):
            os.mkfifo(target)
        elif isinstance(spec, dict) and spec.get("dir"):
            target.mkdir()
        else:
            data = _content(spec)
            assert data is not None, f"unknown file spec for {name}: {spec}"
            target.write_bytes(data)


def _snapshot(root: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_fifo():
            found[name] = "fifo"
        elif path.is_dir():
            found[name] = "dir"
        else:
            found[name] = path.read_bytes()
    return found


def _unblock(fifo: Path, done: threading.Event) -> None:
    """Past the time bound, end every read of the FIFO (with an end of file) until the
    case is over: a hung case then fails on its time instead of hanging the suite."""
    if done.wait(TIME_BOUND):
        return
    while not done.wait(0.2):
        with contextlib.suppress(OSError):  # no reader: opening for writing fails at once
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_the_corpus_is_large_and_its_names_unique() -> None:
    assert len(RUNS) >= 150
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("case", "args"), [(case, args) for _, case, args in RUNS], ids=[label for label, _, _ in RUNS]
)
def test_hostile_input(
    case: dict[str, Any], args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, case.get("files") or {})
    before = _snapshot(tmp_path)
    started = time.perf_counter()
    done = threading.Event()
    for name, spec in (case.get("files") or {}).items():
        if isinstance(spec, dict) and spec.get("fifo"):
            threading.Thread(target=_unblock, args=(tmp_path / name, done), daemon=True).start()
    try:
        result = CliRunner().invoke(app, args, catch_exceptions=True)
    finally:
        done.set()
    code, output = result.exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    elapsed = time.perf_counter() - started
    expected = case["exit"]
    if isinstance(expected, dict):  # {validate: 1, other: 2}: by command
        expected = expected.get(args[0], expected["other"])
    assert code == expected, output
    assert code in (1, 2)
    assert case["expect"] in output, output
    if case.get("located", True):
        assert LOCATED.search(output), f"no file:line:col in:\n{output}"
    assert "Traceback" not in output and "internal error" not in output
    assert elapsed < TIME_BOUND, f"took {elapsed:.1f} s"
    assert _snapshot(tmp_path) == before, "a file was written, changed or removed"
