"""The wave plan of an assessed inventory: move groups, waves with dates, hybrid links.

This is the core's entry point for SPEC 4; it knows nothing of the command line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from migrator.assess.model import AppAssessment, Assessment
from migrator.diagnostics import Diagnostic
from migrator.errors import InvalidInputError, UsageError
from migrator.inventory.load import located
from migrator.inventory.model import Inventory, Planning
from migrator.waves.calendar import CalendarOverflow, next_monday, wave_dates
from migrator.waves.groups import move_groups
from migrator.waves.model import HybridLink, Schedule, Wave
from migrator.waves.scheduler import _PinMissed, place

NOT_MIGRATING = ("retain", "retire")


def migrating(a: AppAssessment) -> bool:
    """SPEC 4 rule 1: not retained, not retired (external ones are not assessed)."""
    return a.strategy not in NOT_MIGRATING


def schedule(inventory: Inventory, assessment: Assessment, planning: Planning | None = None,
             today: dt.date | None = None) -> Schedule:
    planning = planning or inventory.planning
    results: dict[str, AppAssessment] = {a.app.id: a for a in assessment.applications}
    moving = [a.app.id for a in assessment.applications if migrating(a)]
    graph = move_groups(inventory, moving)
    try:
        placement = place(inventory, results, graph, planning)
    except _PinMissed as missed:
        raise InvalidInputError("the wave pins (decision.wave) cannot all be kept",
                                located(_missed_pin(inventory, missed, planning))) from None
    warnings = list(placement.warnings)
    count = max(placement.wave_of_group.values(), default=0)
    start = planning.start or next_monday(today or dt.date.today())
    try:
        dates = wave_dates(start, planning.wave_weeks, planning.freeze, count)
    except CalendarOverflow as exc:
        if not planning.origin.file:
            raise UsageError(str(exc)) from None
        where = Diagnostic("error", planning.origin.file, planning.origin.path, str(exc))
        raise InvalidInputError("the waves cannot be given dates", located([where])) from None
    members: dict[int, list[str]] = {n: [] for n in range(1, count + 1)}
    group_ids: dict[int, list[str]] = {n: [] for n in range(1, count + 1)}
    wave_of: dict[str, int] = {}
    for group in graph.groups:
        number = placement.wave_of_group[group.id]
        members[number].extend(group.applications)
        group_ids[number].append(group.id)
        for app in group.applications:
            wave_of[app] = number
    waves = []
    for number in range(1, count + 1):
        apps = sorted(members[number])
        servers = {s for a in apps for s in inventory.apps_by_id[a].servers}
        begin, end, moved = dates[number - 1]
        if moved:
            warnings.append(f"wave {number} {moved}")
        waves.append(Wave(number, begin, end, tuple(apps), tuple(group_ids[number]),
                          len(servers), sum(results[a].effort.person_days for a in apps), moved))
    not_migrating = {
        "retain": tuple(a.app.id for a in assessment.applications if a.strategy == "retain"),
        "retire": tuple(a.app.id for a in assessment.applications if a.strategy == "retire"),
        "external": assessment.external,
    }
    links, link_warnings = _hybrid_links(inventory, results, wave_of)
    warnings += link_warnings
    warnings += _pin_warnings(inventory, results)
    effective = dataclasses.replace(planning, start=start)
    return Schedule(effective, tuple(waves), graph.groups, wave_of, not_migrating,
                    tuple(links), tuple(warnings), placement.lower_bound)


def _hybrid_links(inventory: Inventory, results: dict[str, AppAssessment],
                  wave_of: dict[str, int]) -> tuple[list[HybridLink], list[str]]:
    links: list[HybridLink] = []
    retired: dict[str, list[str]] = {}  # retired provider → its migrating consumers
    staying_reason: dict[str, str] = {}
    for app in inventory.applications:
        for dep in app.depends_on:
            consumer, provider = app.id, dep.app
            if provider not in inventory.apps_by_id:
                continue
            cw, pw = wave_of.get(consumer), wave_of.get(provider)
            if cw is not None and pw is not None:
                if cw != pw:
                    links.append(HybridLink(consumer, provider, cw, pw, False,
                                            "different waves", dep.kind))
                continue
            if cw is None and pw is None:
                continue  # both stay where they are
            staying = provider if pw is None else consumer
            reason = staying_reason.get(staying)
            if reason is None:
                reason = staying_reason[staying] = _why_staying(inventory, results, staying)
            if reason == "retired":
                if staying == provider:
                    retired.setdefault(provider, []).append(consumer)
                continue
            links.append(HybridLink(consumer, provider, cw, pw, True, reason, dep.kind))
    links.sort(key=_link_order)
    warnings = []
    for gone, consumers in sorted(retired.items()):
        shown = ", ".join(consumers[:5]) + (f" and {len(consumers) - 5} more"
                                            if len(consumers) > 5 else "")
        warnings.append(f"{gone} is retired, but {len(consumers)} migrating "
                        f"application(s) depend on it ({shown}): replace or remove those "
                        f"dependencies before it goes")
    return links, warnings


def _link_order(link: HybridLink) -> tuple[int, str, str]:
    """The wave in which a link is first needed, then its ends."""
    waves = [w for w in (link.consumer_wave, link.provider_wave) if w is not None]
    return min(waves), link.consumer, link.provider


def _why_staying(inventory: Inventory, results: dict[str, AppAssessment], app_id: str) -> str:
    app = inventory.apps_by_id[app_id]
    if app.type == "external":
        return "external"
    if app.type == "saas":
        return "saas"
    result = results.get(app_id)
    return "retired" if result is not None and result.strategy == "retire" else "retained"


def _pin_warnings(inventory: Inventory, results: dict[str, AppAssessment]) -> list[str]:
    return [f"{app.id} is pinned to wave {app.decision.wave} but does not migrate "
            f"({results[app.id].strategy}): the pin is ignored"
            for app in inventory.applications
            if app.decision is not None and app.decision.wave is not None
            and app.id in results and not migrating(results[app.id])]


def _missed_pin(inventory: Inventory, missed: _PinMissed, planning: Planning
                ) -> list[Diagnostic]:
    group = missed.group
    pinned = [inventory.apps_by_id[a] for a in group.apps]
    pinned = [a for a in pinned if a.decision is not None and a.decision.wave is not None]
    if pinned:
        app = pinned[0]
        message = (f"wave {missed.wave} cannot be kept for {app.id}: what must move before it "
                   f"does not fit into waves 1-{missed.wave} (max_apps_per_wave "
                   f"{planning.max_apps_per_wave})")
    else:
        app = inventory.apps_by_id[group.apps[0]]
        message = (f"{app.id} must move by wave {missed.wave} for a pinned application, but "
                   f"does not fit (max_apps_per_wave {planning.max_apps_per_wave})")
        return [Diagnostic("error", app.origin.file, app.origin.path, message)]
    return [Diagnostic("error", app.origin.file, app.origin.path + ("decision", "wave"),
                       message)]
