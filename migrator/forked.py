"""Work done by a forked child process, its result sent back as bytes through a pipe.

A fork shares this process's memory with the child until either writes to it, so the
child starts with everything this process has built, at no cost; only its result has to
be sent back, so the work worth giving it is the work whose result is small or cheap to
read (``migrator.assess.brief``: half the assessment; ``migrator.inventory.load``: the
parse of the largest file).

A child is used only where it pays and is safe (``available``): on Linux, with two
processors free for this process, when no other thread runs (a fork copies only the
thread that calls it: a lock another thread holds would stay locked in the child), and
unless ``MIGRATOR_PROCESSES=1`` is in the environment. A child that fails in any way
(an exception, killed, out of memory) or cannot be started (no process or file
descriptor left) gives no result, and the caller does the work itself: what a command
writes never depends on whether a child did part of it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TypeVar

T = TypeVar("T")


def available() -> bool:
    """Whether work may be given to a forked child now."""
    if os.environ.get("MIGRATOR_PROCESSES") == "1" or not sys.platform.startswith("linux"):
        return False
    return threading.active_count() == 1 and len(os.sched_getaffinity(0)) >= 2


class Child:
    """A forked child doing ``work``; ``result`` waits for the bytes it returns."""

    def __init__(self, work: Callable[[], bytes]) -> None:
        self._pid: int | None = None
        self._read_end = -1
        try:
            read_end, write_end = os.pipe()
        except OSError:  # no file descriptor left: no child, the work is done here
            return
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:  # no process left (ulimit -u) or no memory: as above
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # pragma: no cover  (the child; it leaves through os._exit)
            code = 1
            try:
                os.close(read_end)
                _end_with(parent)
                data = work()
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(data)
                code = 0
            except BaseException:  # any failure: the parent does the work itself
                pass
            finally:
                os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
        os.close(write_end)
        self._pid = pid
        self._read_end = read_end

    def result(self) -> bytes | None:
        """What the child's work returned; None when it failed."""
        if self._pid is None:
            return None
        pipe, self._read_end = os.fdopen(self._read_end, "rb"), -1  # the file closes it
        with pipe:
            sent = pipe.read()
        # The child is let go only once it is reaped: interrupted in between (Ctrl-C),
        # ``stop`` still kills and reaps it, and no zombie is left.
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:  # reaped already (SIGCHLD ignored): how it ended is unknown
            self._pid = None
            return None
        self._pid = None
        return sent if os.waitstatus_to_exitcode(status) == 0 else None

    def stop(self) -> None:
        """End the child, if its result was not read, and let it go (no zombie is left)."""
        pid, self._pid = self._pid, None
        if pid is None:
            return
        if self._read_end >= 0:
            os.close(self._read_end)
            self._read_end = -1
        with suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _end_with(parent: int) -> None:  # pragma: no cover  (in the child)
    """Have the kernel kill this child when its parent ends, however it ends (a CI job
    cancelled with SIGTERM or SIGKILL would otherwise leave the child working on, for a
    minute on a large estate, until its result finds no reader)."""
    import ctypes

    pr_set_pdeathsig = 1  # linux/prctl.h
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


@contextmanager
def child(work: Callable[[], bytes]) -> Iterator[Child]:
    """A forked child doing ``work``, stopped on leaving the block if its result was not
    read (this process failed or was interrupted before it needed it)."""
    started = Child(work)
    try:
        yield started
    finally:
        started.stop()


@contextmanager
def beside(
    here: Callable[[], T],
    there: Callable[[], bytes],
    read: Callable[[bytes], T],
    *,
    wanted: bool = True,
) -> Iterator[Callable[[], T]]:
    """Work done beside the block: the block gets a callable that gives its result.

    Where a child may be used and ``wanted``, a forked child runs ``there`` (the work,
    as the bytes it sends) while the block runs, and the result is ``read`` from those
    bytes; ``read`` raises (any exception) when they are not what the child should
    send. Otherwise, and when the child fails or sends anything else, the result is
    ``here()``, worked out in this process when the block asks for it: the same result,
    whichever way it comes.
    """
    if not wanted or not available():
        yield here
        return
    with child(there) as started:

        def result() -> T:
            sent = started.result()
            if sent is not None:
                try:
                    return read(sent)
                except Exception:  # whatever the child sent, the work is done here
                    pass
            return here()

        yield result
