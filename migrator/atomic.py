"""Writing outputs safely: only onto regular files that are not inputs, through a
temporary file beside the target and a rename, so that an interrupted run leaves the
old file or the new one, never half of one, and no temporary file behind."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import FrameType

from migrator.errors import UsageError

Inputs = Iterable[tuple[str, Path | None]]  # (what it is, where), e.g. ("the rules file", p)


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM, SIGHUP): unwound like Ctrl-C, so that a
    temporary file being written is removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_deferring = False
_pending: int | None = None


def _stop(signum: int, frame: FrameType | None) -> None:
    global _pending
    if _deferring:  # creating the temporary file: stop right after, when it is known
        _pending = signum
        return
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


def stop_cleanly_on_signals() -> None:
    """Turn SIGTERM and SIGHUP (and SIGINT) into exceptions: called by the command line
    only, from the main thread; a library caller keeps its own handlers."""
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, _stop)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Signals that arrive inside wait until its end (a few system calls)."""
    global _deferring, _pending
    _deferring, _pending = True, None
    try:
        yield
    finally:
        _deferring = False
    if _pending is not None:
        signum, _pending = _pending, None
        _stop(signum, None)


def check_target(path: Path, inputs: Inputs = ()) -> None:
    """Refuse to write onto anything but a regular file (a device node, a FIFO, a link,
    a directory) or onto one of the command's inputs. Commands call it before their work,
    and ``write_bytes`` again just before writing."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(
            f"{path}: is a symbolic link (to {os.readlink(path)}): migrator "
            f"does not write through links; name the file itself"
        )
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(
            f"{path}: is {_kind(info.st_mode)}, not a regular file: migrator "
            f"writes only regular files"
        )
    for what, where in inputs:
        if where is None:
            continue
        if where.is_dir():
            if _inside(os.path.realpath(path), os.path.realpath(where)):
                raise UsageError(
                    f"{path}: is in {what} ({where}), an input of this "
                    f"command: write the output somewhere else"
                )
            continue
        with contextlib.suppress(OSError):
            if os.path.samestat(info, os.stat(where)):
                raise UsageError(
                    f"{path}: is {what}, an input of this command: write the output somewhere else"
                )


def inventory_inputs(files: Iterable[str]) -> list[tuple[str, Path | None]]:
    """The files an inventory was read from, as inputs of a command."""
    return [("a file of the inventory", Path(name)) for name in files]


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # on another drive
        return False


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def write_bytes(path: Path, data: bytes, inputs: Inputs = ()) -> None:
    """Write ``data`` to ``path`` so that an interrupted run leaves the old file or none."""
    write_files({path: data}, inputs)


def write_files(files: Mapping[Path, bytes], inputs: Inputs = ()) -> None:
    """Write several files so that a failure leaves every one of them as it was.

    Each is written in full to a temporary file beside it first; only when all of them
    are written (a full disk shows here) are they renamed over their targets, one
    rename each, with signals held until the last. An import that updates servers.yaml
    and the applications' files never leaves one new and the others old.
    """
    staged: list[tuple[str, Path]] = []
    path: Path | None = None
    try:
        for path, data in files.items():
            directory = path.parent if str(path.parent) else Path()
            if not directory.is_dir():
                raise UsageError(f"{path}: directory {directory} does not exist")
            check_target(path, inputs)
            staged.append((_stage(path, directory, data), path))
        with _signals_held():
            while staged:
                tmp, path = staged[0]
                os.replace(tmp, path)
                staged.pop(0)
    except OSError as exc:
        _remove(tmp for tmp, _ in staged)
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp for tmp, _ in staged)
        raise


def _stage(path: Path, directory: Path, data: bytes) -> str:
    """A temporary file beside ``path`` that holds ``data``, on disk."""
    tmp: str | None = None
    try:
        with _signals_held():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        return tmp
    except BaseException:
        _remove([tmp] if tmp is not None else [])
        raise


def _remove(tmps: Iterable[str]) -> None:
    for tmp in tmps:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_text(path: Path, text: str, inputs: Inputs = ()) -> None:
    write_bytes(path, text.encode("utf-8"), inputs)
