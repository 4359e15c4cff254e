"""Ending a command fast: what it built is left for the operating system to reclaim.

Freeing the million objects of a 10,000-application inventory one by one takes a few
tenths of a second after the output is written, for nothing: the process ends anyway.
The command line (and only it: the library and the tests free as usual) keeps the large
results alive to the end and leaves through ``os._exit`` once its output is flushed.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn

_kept: list[object] = []
_holding = False


def hold() -> None:
    """From now on, ``keep`` keeps: called by the command line's ``main`` only."""
    global _holding
    _holding = True


def keep(*objects: object) -> None:
    """Keep ``objects`` alive until the process ends (when ``hold`` was called)."""
    if _holding:
        _kept.extend(objects)


def say(message: str) -> None:
    """A last line on standard error, if there is one to write to (``2>&-`` closes it;
    Python then has no ``sys.stderr`` at all)."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(message + "\n")


def end(code: int) -> NoReturn:
    """Flush the output and end the process with ``code``, freeing nothing."""
    if sys.stdout is not None:  # None when the shell closed it (>&-): nothing to flush
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            pass  # the reader left (| head): what it wanted, it has
        except (OSError, ValueError) as exc:  # a full disk: the output is incomplete
            say(f"error: cannot write the output: {exc}")
            code = code or 2
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
    os._exit(code)
