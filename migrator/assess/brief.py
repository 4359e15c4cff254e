"""The assessment a wave schedule reads, worked out on two processors where there are two.

A schedule reads four values of each application's assessment (``Planned``): its score,
readiness, strategy and person-days. Each application's assessment depends on the
inventory and the rules only, not on the others', and on a large estate it is about a
third of ``migrator waves``. So a forked child assesses the second half of the
applications and sends back those four values (a few bytes each, through a pipe), while
this process assesses the first half; the child's memory is this process's, shared until
written, so nothing is sent to it.

Sending the child's whole assessments back would cost more than working them out here:
pickling half of a 10,000-application estate's assessments took 0.96 s and unpickling
them 0.39 s, for 0.9 s of work. Only the four values cross.

It is done only where it pays and is safe: on Linux (``fork``), with two processors
available to this process, from ``MIN_APPLICATIONS`` applications, and with no other
thread running (a fork copies only the thread that calls it). ``MIGRATOR_PROCESSES=1``
in the environment turns it off. When the child fails in any way (killed, out of
memory, an exception), this process assesses its half too: the briefs are the same
whichever way they are worked out, and a test holds them equal.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import sys
import threading
from collections.abc import Sequence
from typing import get_args

from migrator.assess.assessment import assess
from migrator.assess.model import (
    READINESS,
    Assessment,
    Brief,
    Briefs,
    ForPlanning,
    Planned,
    Readiness,
)
from migrator.assess.rules import RuleSet
from migrator.inventory.model import Application, Inventory, Strategy

MIN_APPLICATIONS = 2000  # below it, the fork and the twice-warmed caches cost more than half
_READINESS: dict[str, Readiness] = {r: r for r in READINESS}
_STRATEGIES: dict[str, Strategy] = {s: s for s in get_args(Strategy)}


def for_planning(
    inventory: Inventory,
    rules: RuleSet,
    as_of: dt.date | None = None,
    *,
    min_applications: int | None = None,  # MIN_APPLICATIONS
) -> ForPlanning:
    """What ``schedule`` reads of the inventory's assessment: the Assessment itself when
    one process works it out, else this process's half of it and the child's Briefs."""
    today = as_of or dt.date.today()  # once: the child must not see another day
    assessed = [app for app in inventory.applications if app.type != "external"]
    least = MIN_APPLICATIONS if min_applications is None else min_applications
    if not _two_processes(len(assessed), least):
        return assess(inventory, rules, today)
    half = len(assessed) // 2
    mine, theirs = assessed[:half], assessed[half:]
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover  (the child leaves through os._exit; the test reads its work)
        os.close(read_end)
        _child(write_end, inventory, rules, today, theirs)
    os.close(write_end)
    reaped = False
    try:
        first = assess(inventory, rules, today, mine)
        with os.fdopen(read_end, "rb") as pipe:
            sent = pipe.read()
        _, status = os.waitpid(child, 0)
        reaped = True
        second = _briefs(sent, theirs) if os.waitstatus_to_exitcode(status) == 0 else None
    finally:
        if not reaped:  # this process failed or was interrupted: the child's work is lost
            _stop(child)
    if second is None:
        second = assess(inventory, rules, today, theirs).applications
    return Briefs((*first.applications, *second), first.external)


def _two_processes(applications: int, min_applications: int) -> bool:
    if applications < max(min_applications, 2) or os.environ.get("MIGRATOR_PROCESSES") == "1":
        return False
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    return len(os.sched_getaffinity(0)) >= 2


def _child(
    write_end: int, inventory: Inventory, rules: RuleSet, today: dt.date, apps: list[Application]
) -> None:  # pragma: no cover  (runs in the forked child)
    code = 1
    try:
        result: Assessment = assess(inventory, rules, today, apps)
        data = marshal.dumps(
            [(a.score, a.readiness, a.strategy, a.effort.person_days) for a in result.applications]
        )
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:  # any failure: the parent does the work itself
        pass
    os._exit(code)  # no atexit handlers, no flushing of the parent's buffers


def _briefs(sent: bytes, apps: Sequence[Application]) -> tuple[Planned, ...] | None:
    """The child's values as Briefs, or None when they are not what it should have sent."""
    try:
        values = marshal.loads(sent)
    except (EOFError, ValueError, TypeError):
        return None
    if type(values) is not list or len(values) != len(apps):
        return None
    briefs: list[Planned] = []
    for app, value in zip(apps, values, strict=True):
        if type(value) is not tuple or len(value) != 4:
            return None
        score, readiness, strategy, person_days = value
        if type(score) is not int or type(person_days) is not int:
            return None
        if type(readiness) is not str or type(strategy) is not str:
            return None
        known_readiness, known_strategy = _READINESS.get(readiness), _STRATEGIES.get(strategy)
        if known_readiness is None or known_strategy is None:
            return None
        briefs.append(Brief(app, score, known_readiness, known_strategy, person_days))
    return tuple(briefs)


def _stop(child: int) -> None:
    import signal

    try:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
