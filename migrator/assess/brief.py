"""The assessment worked out on two processors where there are two.

Each application's assessment depends on the inventory and the rules only, not on the
others', and on a large estate it is a third of ``migrator waves`` and ``assess``. So a
forked child assesses the second half of the applications (``CHILD_SHARE_JSON`` of them
when it also writes their JSON) while this process assesses the first. The child's
memory is this process's, shared until written: nothing is sent to it. What it sends
back is small and plain (a few values and strings, through a pipe, in ``marshal``'s
format):

- for a schedule, a cost estimate and a summary (``for_planning``): each application's
  score, readiness, strategy, person-days and targets, its ``Brief``;
- for the assessment JSON (``for_json``), also each application as the JSON writes it.

Sending the child's whole assessments back would cost more than working them out here:
pickling half of a 10,000-application estate's assessments took 0.96 s and unpickling
them 0.39 s, for 0.9 s of work; its briefs and JSON take 0.06 s and 0.04 s.

It is done from ``MIN_APPLICATIONS`` applications, where a child may be used at all
(``migrator.forked.available``: Linux, two processors, no other thread running, not
``MIGRATOR_PROCESSES=1``). When the child fails in any way (killed, out of memory, an
exception, data that is not what it should send), this process assesses its half too:
the result is the same whichever way it is worked out, and a test holds it so.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, get_args

from migrator import forked
from migrator.assess.assessment import assess
from migrator.assess.model import (
    READINESS,
    Assessment,
    Brief,
    Briefs,
    Planned,
    Readiness,
)
from migrator.assess.rules import RuleSet
from migrator.inventory.model import Application, Inventory, Strategy

MIN_APPLICATIONS = 2000  # below it, the fork and the twice-warmed caches cost more than half
# The child's share of the applications when it also writes their JSON: it then has more
# to do for each (render, send), and both should finish their share at once. Measured: a
# share of the assessment A, of the JSON R and of sending it D, the best share is
# A / (2A + R + D); 10,000 applications 0.45, 100,000 0.42 (their messages weigh more).
CHILD_SHARE_JSON = 0.43
_READINESS: dict[str, Readiness] = {r: r for r in READINESS}
_STRATEGIES: dict[str, Strategy] = {s: s for s in get_args(Strategy)}


@dataclass(frozen=True, slots=True)
class Halves:
    """An assessment worked out by two processes, as the assessment JSON and its cost read
    it: this process's half whole, everyone's Brief, the child's half as JSON."""

    first: Assessment  # its portfolio, date, rules version and external ones: the whole's
    everyone: Briefs  # every application in order, the first half's whole assessments
    second: list[dict[str, Any]]  # report.application of each of the second half


def for_planning(
    inventory: Inventory,
    rules: RuleSet,
    as_of: dt.date | None = None,
    *,
    min_applications: int | None = None,  # MIN_APPLICATIONS
) -> Assessment | Briefs:
    """What ``schedule`` and ``costs`` read of the inventory's assessment: the Assessment
    itself when one process works it out, else its first half and the child's Briefs."""
    today = as_of or dt.date.today()  # once: the child must not see another day
    worked = _in_two(inventory, rules, today, min_applications, json=False)
    if worked is None:
        return assess(inventory, rules, today)
    first, second, _ = worked
    return Briefs((*first.applications, *second), first.external)


def for_json(
    inventory: Inventory,
    rules: RuleSet,
    as_of: dt.date | None = None,
    *,
    min_applications: int | None = None,  # MIN_APPLICATIONS
) -> Assessment | Halves:
    """The assessment as its JSON reads it: whole when one process works it out."""
    today = as_of or dt.date.today()
    worked = _in_two(inventory, rules, today, min_applications, json=True)
    if worked is None:
        return assess(inventory, rules, today)
    first, second, rendered = worked
    return Halves(first, Briefs((*first.applications, *second), first.external), rendered)


def _in_two(
    inventory: Inventory,
    rules: RuleSet,
    today: dt.date,
    min_applications: int | None,
    *,
    json: bool,
) -> tuple[Assessment, tuple[Planned, ...], list[dict[str, Any]]] | None:
    """The first half's assessment, the second half's briefs, and with ``json`` its JSON
    (else an empty list); None when it is not worth two processes. A second half assessed
    here (the child failed) comes as whole assessments."""
    assessed = [app for app in inventory.applications if app.type != "external"]
    least = MIN_APPLICATIONS if min_applications is None else min_applications
    if len(assessed) < max(least, 2) or not forked.available():
        return None
    half = len(assessed) - round(len(assessed) * (CHILD_SHARE_JSON if json else 0.5))
    mine, theirs = assessed[:half], assessed[half:]

    def here() -> tuple[tuple[Planned, ...], list[dict[str, Any]]]:  # the child failed
        from migrator.assess.report import application

        whole = assess(inventory, rules, today, theirs).applications
        return whole, [application(a) for a in whole] if json else []

    with forked.beside(
        here,
        partial(_work, inventory, rules, today, theirs, json),
        partial(_received, apps=theirs, json=json),
    ) as second_half:
        first = assess(inventory, rules, today, mine)
        second, rendered = second_half()
    return first, second, rendered


def _work(
    inventory: Inventory, rules: RuleSet, today: dt.date, apps: list[Application], json: bool
) -> bytes:  # pragma: no cover  (runs in the forked child)
    result = assess(inventory, rules, today, apps)
    briefs = [
        (a.score, a.readiness, a.strategy, a.effort.person_days, a.targets)
        for a in result.applications
    ]
    rendered = []
    if json:
        from migrator.assess.report import application

        names: dict[Any, str] = {}
        rendered = [application(a, names) for a in result.applications]
    return marshal.dumps((briefs, rendered))


def _received(
    sent: bytes, apps: Sequence[Application], json: bool
) -> tuple[tuple[Planned, ...], list[dict[str, Any]]]:
    """The child's briefs (and JSON); ValueError when they are not what it should send."""
    values, rendered = marshal.loads(sent)
    if type(values) is not list or len(values) != len(apps) or type(rendered) is not list:
        raise ValueError("not one brief for each application")
    if json and (
        len(rendered) != len(apps)
        or any(
            type(r) is not dict or r.get("id") != app.id
            for r, app in zip(rendered, apps, strict=True)
        )
    ):
        raise ValueError("not each application's JSON, in order")
    briefs: list[Planned] = []
    for app, value in zip(apps, values, strict=True):
        score, readiness, strategy, person_days, targets = value
        if type(score) is not int or type(person_days) is not int:
            raise ValueError("a score or person-days that is not a number")
        if type(targets) is not tuple or any(type(t) is not str for t in targets):
            raise ValueError("targets that are not names")
        briefs.append(
            Brief(app, score, _READINESS[readiness], _STRATEGIES[strategy], person_days, targets)
        )
    return tuple(briefs), rendered
