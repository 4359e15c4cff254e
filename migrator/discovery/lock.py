"""One import at a time into a directory: a second one is refused, not merged over the first.

Two imports that each read ``servers.yaml``, add their servers and write it back would
keep only the servers of the one that wrote last, both exiting 0. The lock is an
operating-system lock on the directory itself (``flock``): nothing is written for it, and
the system releases it when the process ends, however it ends. Where there is no
``flock`` (Windows), a hidden file is the lock, removed at the end.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from migrator.errors import UsageError

LOCK_NAME = ".migrator-import.lock"

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def import_lock(directory: Path) -> Iterator[None]:
    path = directory / LOCK_NAME
    busy = UsageError(
        f"{directory}: another import into this directory is running; run this "
        f"one when it has finished" + ("" if fcntl else f" (or delete {path} if none is)")
    )
    if fcntl is None:  # Windows (tests/discovery/test_import_hostile.py fakes it)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            raise busy from None
        try:
            yield
        finally:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(path)
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError as exc:
        raise UsageError(f"{directory}: cannot lock the directory: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        yield
    finally:
        os.close(fd)  # releases the lock
