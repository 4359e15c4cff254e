"""The wave plan of an assessed inventory: move groups, waves with dates, hybrid links.

This is the core's entry point for wave planning; it knows nothing of the command line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from migrator.assess.model import ForPlanning, Planned
from migrator.diagnostics import Diagnostic
from migrator.errors import InvalidInputError, UsageError
from migrator.inventory.load import located
from migrator.inventory.model import AppId, Inventory, Planning
from migrator.waves.assign import Assignment, assign, caps_of
from migrator.waves.calendar import CalendarOverflow, next_monday, wave_dates
from migrator.waves.groups import GroupGraph, move_groups
from migrator.waves.links import hybrid_links
from migrator.waves.model import Schedule, Wave
from migrator.waves.shared import proposals, proposals_warning
from migrator.waves.split import advice_beside, advice_warning

NOT_MIGRATING = ("retain", "retire")


def migrating(a: Planned) -> bool:
    """Rule 1 of docs/waves.md: not retained, not retired (external ones are not assessed)."""
    return a.strategy not in NOT_MIGRATING


def schedule(
    inventory: Inventory,
    assessment: ForPlanning,
    planning: Planning | None = None,
    today: dt.date | None = None,
    full: bool = True,
) -> Schedule:
    """The schedule; without ``full``, only its waves: no hybrid links, split advice or
    proposals of shared services (for callers that need no more, the per-wave cost)."""
    planning = planning or inventory.planning
    results: dict[AppId, Planned] = {a.app.id: a for a in assessment.applications}
    moving = [a.app.id for a in assessment.applications if migrating(a)]
    graph = move_groups(inventory, moving, planning)
    placement = assign(inventory, results, graph, planning)
    caps = caps_of(planning)
    sizes = {g.id: len(g.applications) for g in graph.groups}
    # A single application larger than a wave has nothing to split.
    advised = [group for group in placement.oversize if full and sizes[group] > 1]
    start = planning.start or next_monday(today or dt.date.today())
    with advice_beside(inventory, results, graph, advised, caps) as advice_of:
        waves, wave_of, later = _dated_waves(inventory, results, graph, placement, planning, start)
        links, link_warnings = (
            hybrid_links(inventory, results, wave_of, waves) if full else ([], [])
        )
        later += link_warnings
        proposed = proposals(inventory, graph) if full else []
        if proposed:
            later.append(proposals_warning(proposed))
        later += _pin_warnings(inventory, results)
        found = dict(zip(advised, advice_of(), strict=True))
    advice = [found.get(group) for group in placement.oversize]
    not_migrating = {
        "retain": tuple(a.app.id for a in assessment.applications if a.strategy == "retain"),
        "retire": tuple(a.app.id for a in assessment.applications if a.strategy == "retire"),
        "external": assessment.external,
    }
    warnings = [
        advice_warning(graph, group, caps, a)
        for group, a in zip(placement.oversize, advice, strict=True)
    ]
    warnings += later
    effective = dataclasses.replace(planning, start=start)
    return Schedule(
        effective,
        tuple(waves),
        graph.groups,
        wave_of,
        not_migrating,
        tuple(links),
        tuple(warnings),
        placement.lower_bound,
        tuple(a for a in advice if a is not None),
        tuple(proposed),
        placement.pilot,
    )


def _dated_waves(
    inventory: Inventory,
    results: dict[AppId, Planned],
    graph: GroupGraph,
    placement: Assignment,
    planning: Planning,
    start: dt.date,
) -> tuple[list[Wave], dict[AppId, int], list[str]]:
    """The waves with their dates, each application's wave, and the warnings of dates
    moved past a freeze."""
    later: list[str] = []
    count = max(placement.wave_of_group.values(), default=0)
    try:
        dates = wave_dates(start, planning.wave_weeks, planning.freeze, count)
    except CalendarOverflow as exc:
        if not planning.origin.file:
            raise UsageError(str(exc)) from None
        where = Diagnostic("error", planning.origin.file, planning.origin.path, str(exc))
        raise InvalidInputError(
            "the waves cannot be given dates", located([where], inventory.texts)
        ) from None
    members: dict[int, list[AppId]] = {n: [] for n in range(1, count + 1)}
    group_ids: dict[int, list[str]] = {n: [] for n in range(1, count + 1)}
    wave_of: dict[AppId, int] = {}
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
            later.append(f"wave {number} {moved}")
        waves.append(
            Wave(
                number,
                begin,
                end,
                tuple(apps),
                tuple(group_ids[number]),
                len(servers),
                sum(results[a].person_days for a in apps),
                moved,
            )
        )
    return waves, wave_of, later


def _pin_warnings(inventory: Inventory, results: dict[AppId, Planned]) -> list[str]:
    return [
        f"{app.id} is pinned to wave {app.decision.wave} but does not migrate "
        f"({results[app.id].strategy}): the pin is ignored"
        for app in inventory.applications
        if app.decision is not None
        and app.decision.wave is not None
        and app.id in results
        and not migrating(results[app.id])
    ]
