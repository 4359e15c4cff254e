"""Work in a forked child: its bytes come back, a failure gives None, and no child is
ever left behind."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from migrator import forked

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="a child is forked on Linux only"
)


def test_the_child_s_bytes_come_back_whole() -> None:
    big = bytes(range(256)) * 40_000  # 10 MB: far more than a pipe holds at once
    with forked.child(lambda: big) as child:
        assert child.result() == big
        assert child.result() is None  # read once


def _exits(code: int) -> bytes:
    os._exit(code)


@pytest.mark.parametrize(
    "work",
    [
        lambda: _exits(3),
        lambda: 1 / 0,
        lambda: "not bytes",
        lambda: (_ for _ in ()).throw(KeyboardInterrupt),
    ],
    ids=["exits-3", "raises", "not-bytes", "interrupted"],
)
def test_a_failed_child_gives_none(work: object) -> None:
    with forked.child(work) as child:  # type: ignore[arg-type]
        assert child.result() is None


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_child_whose_result_is_not_read_is_stopped(forks: list[int]) -> None:
    forever = threading.Event()
    with pytest.raises(RuntimeError), forked.child(lambda: bytes(forever.wait())):
        raise RuntimeError("this process fails before it needs the result")
    assert len(forks) == 1 and _reaped(forks[0])


def test_the_child_writes_nothing_of_the_parent_s(capfd: pytest.CaptureFixture[str]) -> None:
    print("the parent's unflushed line", end="")  # in this process's buffer at the fork
    with forked.child(lambda: b"done") as child:
        assert child.result() == b"done"
    sys.stdout.flush()
    assert capfd.readouterr().out == "the parent's unflushed line"  # once, not twice


def test_available_only_where_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MIGRATOR_PROCESSES", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    assert forked.available()
    monkeypatch.setenv("MIGRATOR_PROCESSES", "1")
    assert not forked.available()
    monkeypatch.setenv("MIGRATOR_PROCESSES", "2")
    assert forked.available()
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {3})
    assert not forked.available()
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not forked.available()  # a fork would copy this thread's locks, not it
    finally:
        release.set()
        other.join()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not forked.available()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_a_child_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    """However the command ends (a cancelled CI job: SIGKILL), its child does not work on."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys, threading\n"
        "from migrator import forked\n"
        "def work():\n"
        "    threading.Event().wait()\n"
        "    return b''\n"
        "with forked.child(work):\n"
        "    print(os.getpid(), flush=True)\n"
        "    sys.stdin.read()\n",
        encoding="utf-8",
    )
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    assert int(parent.stdout.readline()) == parent.pid
    children = [
        int(pid)
        for pid in os.listdir("/proc")
        if pid.isdigit() and _parent_of(int(pid)) == parent.pid
    ]
    assert len(children) == 1 and _alive(children[0])
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(children[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(children[0])


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return None


def test_a_child_reaped_by_others_gives_none() -> None:
    """With SIGCHLD ignored the kernel reaps children itself: how this one ended is unknown,
    so its bytes are not trusted."""
    import signal

    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        with forked.child(lambda: b"done") as child:
            assert child.result() is None
    finally:
        signal.signal(signal.SIGCHLD, previous)


@pytest.mark.parametrize("failing", ["fork", "pipe"])
def test_no_child_when_none_can_be_started(failing: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No process or file descriptor left (ulimit): no child, and no error either."""

    def refused(*_args: object) -> object:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, failing, refused)
    with forked.child(lambda: b"done") as child:
        assert child.result() is None  # the caller does the work itself


@pytest.fixture
def two_processors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child may be used, whatever this machine has."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.delenv("MIGRATOR_PROCESSES", raising=False)


@pytest.mark.usefixtures("two_processors")
def test_beside_reads_the_child_s_bytes(forks: list[int]) -> None:
    with forked.beside(lambda: "here", lambda: b"there", bytes.decode) as result:
        assert result() == "there"
    assert len(forks) == 1


@pytest.mark.usefixtures("two_processors")
@pytest.mark.parametrize(
    "there", [lambda: _exits(2), lambda: b"\xff"], ids=["child-fails", "unreadable"]
)
def test_beside_works_here_when_the_child_s_result_is_not_to_be_had(
    there: object, forks: list[int]
) -> None:
    with forked.beside(lambda: "here", there, bytes.decode) as result:  # type: ignore[arg-type]
        assert result() == "here"
    assert len(forks) == 1


@pytest.mark.usefixtures("two_processors")
def test_beside_starts_no_child_unless_wanted(forks: list[int]) -> None:
    with forked.beside(lambda: "here", lambda: b"there", bytes.decode, wanted=False) as result:
        assert result() == "here"
    assert forks == []


def test_a_result_interrupted_while_reaping_leaves_no_zombie(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waitpid = os.waitpid
    calls = []

    def interrupted(pid: int, options: int) -> tuple[int, int]:
        calls.append(pid)
        if len(calls) == 1:  # Ctrl-C while the child that sent its bytes is reaped
            raise KeyboardInterrupt
        return waitpid(pid, options)

    monkeypatch.setattr(os, "waitpid", interrupted)
    with pytest.raises(KeyboardInterrupt), forked.child(lambda: b"sent") as child:
        child.result()
    monkeypatch.undo()
    assert len(calls) == 2 and calls[0] == calls[1]  # stop() reaped it
    with pytest.raises(ChildProcessError):  # gone, not left dead (a zombie) to be reaped
        os.waitpid(calls[0], os.WNOHANG)
