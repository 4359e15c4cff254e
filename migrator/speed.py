"""The tricks that make migrator fast by changing how Python behaves, all of them here.

Each one is measured by a script in ``bench/`` (see the README's performance notes) and
refuses what it cannot handle rather than silently doing something else:

- ``fast_init``: a frozen, slotted dataclass built about four times faster;
- ``without_cycle_collection``: no cyclic garbage collection while large acyclic data
  is built (the command line turns it off for the whole process: ``cycle_collection_off``);
- ``keep_alive`` and ``exit_without_freeing``: a command's results are left for the
  operating system to reclaim (the command line only, after ``hold_until_exit``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import inspect
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

_T = TypeVar("_T")


def fast_init(cls: type[_T]) -> type[_T]:
    """Give a frozen, slotted dataclass an ``__init__`` that fills its slots directly.

    A frozen dataclass sets each field through ``object.__setattr__``, about four times
    slower than a plain assignment; a 10,000-application inventory builds some 150,000
    model objects. The instance stays frozen: only this ``__init__`` writes the slots.
    The new ``__init__`` takes exactly the parameters of the dataclass's own and does
    nothing more, so a class whose ``__init__`` would do more (``__post_init__``, a field
    with ``init=False``, keyword-only fields, ``InitVar``) is refused with a TypeError.
    """
    _check_plain(cls)
    namespace: dict[str, Any] = {"_MISSING": dataclasses.MISSING}
    params: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not dataclasses.MISSING:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            body.append(f" if {f.name} is _MISSING: {f.name} = _factory_{f.name}()")
        else:
            params.append(f.name)
        body.append(f" _set_{f.name}(self, {f.name})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or [" pass"]) + "\n"
    exec(source, namespace)
    cls.__init__ = namespace["__init__"]  # type: ignore[method-assign]
    return cls


def _check_plain(cls: type) -> None:
    name = cls.__qualname__
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"fast_init: {name} is not a dataclass (put @fast_init above it)")
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    if not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"fast_init: {name} must be @dataclass(frozen=True, slots=True)")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"fast_init: {name} has a __post_init__, which it would skip")
    fields = [f.name for f in dataclasses.fields(cls)]
    wanted = list(inspect.signature(cls.__init__).parameters.values())[1:]
    if [p.name for p in wanted] != fields or any(
        p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD for p in wanted
    ):
        raise TypeError(
            f"fast_init: {name}'s __init__ does not take exactly its fields, in order "
            f"(a field with init=False, a keyword-only field or an InitVar)"
        )


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """No cyclic garbage collection inside the block (as it was, after).

    Parsing and checking build about a million small objects in trees without cycles:
    the cyclic collector would scan them again and again for nothing (it doubled the
    time of a 10,000-application inventory). Reference counting still frees them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cycle_collection_off() -> None:
    """No cyclic garbage collection for the rest of the process: for the command line,
    a short process that builds large acyclic data, only."""
    gc.disable()


# Ending a command fast. Freeing the million objects of a 10,000-application inventory one
# by one takes a few tenths of a second after the output is written, for nothing: the
# process ends anyway. The command line (and only it: the library and the tests free as
# usual) keeps the large results alive to the end and leaves through ``os._exit`` once
# its output is flushed.
_kept: list[object] = []
_holding = False


def hold_until_exit() -> None:
    """From now on, ``keep_alive`` keeps: called by the command line's ``main`` only."""
    global _holding
    _holding = True


def keep_alive(*objects: object) -> None:
    """Keep ``objects`` alive until the process ends (when ``hold_until_exit`` was called)."""
    if _holding:
        _kept.extend(objects)


def say(message: str) -> None:
    """A last line on standard error, if there is one to write to (``2>&-`` closes it;
    Python then has no ``sys.stderr`` at all)."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(message + "\n")


def exit_without_freeing(code: int) -> NoReturn:
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
