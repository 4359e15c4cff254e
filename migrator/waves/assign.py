"""Assigning move groups to waves so that every rule of docs/waves.md holds.

List scheduling over the groups' order (``fill``): a wave is filled, easiest group first,
with the groups whose predecessors (providers, with ``providers-first``) are already
placed, in this wave or an earlier one; when nothing more fits, the next wave starts.
Pinned groups go into their wave, and everything that must precede a pin is scheduled by
its deadline. A pilot wave of easy, low-risk groups comes first when there are any;
further fills even the waves out when that needs no more waves. Waves that pins leave
empty are then filled by moving a group from a fuller wave, or the pins are an error
(rule 6). Shared services wait until about half of what depends on them has moved.

Complexity, with G move groups, L dependencies between them, W waves and P distinct pins:
a fill is O((G + W·MAX_MISSES)·log G + L + W·P) (see ``fill``), whatever the caps; ``assign``
runs at most seven fills; the repair of empty waves is O(G log G); the groups themselves
are found in O(A + D) for A applications and D dependencies (see ``groups``). The fill
before this one rebuilt a heap of every ready group for every wave and scanned every
group for deadlines, O(W·G log G): 4.8 s for 10,000 applications at 10 a wave, 0.3 s now.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from migrator.assess.model import Planned
from migrator.inventory.model import AppId, Inventory, Planning, ServerId
from migrator.waves.fill import Caps, Fill
from migrator.waves.groups import GroupGraph
from migrator.waves.pins import Group, PinMissed, check_pins, fill_empty_waves, missed

_CRITICALITY = {"low": 0, "medium": 1, "high": 2, "critical": 3}
# A pilot group: ready, of low or medium criticality, a good score, few consumers, no
# GxP, small (see _groups for how risk adds up); a pilot wave takes only such groups.
PILOT_RISK = 5.0
RISK_BAND = 2.0  # risks this close are equally easy: hybrid links decide between them


@dataclass(frozen=True, slots=True)
class Assignment:
    wave_of_group: dict[str, int]
    lower_bound: int
    oversize: tuple[str, ...]  # groups larger than a wave, each alone in its wave
    pilot: bool  # wave 1 holds only pilot groups (and groups pinned to it)


def caps_of(planning: Planning) -> Caps:
    return Caps(
        planning.max_apps_per_wave, planning.max_servers_per_wave, planning.max_person_days_per_wave
    )


def assign(
    inventory: Inventory,
    results: Mapping[AppId, Planned],
    graph: GroupGraph,
    planning: Planning,
) -> Assignment:
    caps = caps_of(planning)
    groups = _groups(inventory, results, graph, planning)
    check_pins(inventory, groups, caps)
    lower = lower_bound(groups, caps)
    fills = _Fills(groups, caps)
    try:
        plain = fills.run(caps, None)
    except PinMissed as error:
        raise missed(inventory, error, caps) from None
    best, piloted = _preferred(fills, plain)
    best = fill_empty_waves(inventory, groups, best)
    names = [g.id for g in groups]
    return Assignment(
        {names[i]: w for i, w in enumerate(best)},
        lower,
        tuple(g.id for g in groups if caps.over(g)),
        piloted,
    )


class _Fills:
    """The fills of one assignment, each run once: a fill is a function of its caps and
    its pilot alone (the groups, the hard caps and the pilot's groups being the same for
    all), and the caps that even the waves out are often the hard caps themselves, which
    ``_fill_within`` then tries again (at 400 a wave, two fills of four)."""

    def __init__(self, groups: Sequence[Group], caps: Caps) -> None:
        self.groups, self.caps = groups, caps
        self.done: dict[tuple[Caps, bool], list[int] | PinMissed] = {}

    def run(self, limits: Caps, pilot: set[int] | None) -> list[int]:
        """The waves of the fill under ``limits`` (with ``pilot``): PinMissed if it misses a
        pin."""
        key = (limits, pilot is not None)
        if key not in self.done:
            try:
                self.done[key] = Fill(self.groups, limits, pilot, self.caps).run()
            except PinMissed as error:
                self.done[key] = error
        found = self.done[key]
        if isinstance(found, PinMissed):
            raise found
        return list(found)


def _preferred(fills: _Fills, plain: list[int]) -> tuple[list[int], bool]:
    """The fill kept, and whether its first wave is a pilot.

    A pilot wave of the easiest applications comes first, even at the cost of one more
    wave (a first wave that must hold critical shared services is no pilot); among the
    schedules kept, even waves are preferred. The plain fill is always valid: fallback.
    """
    groups, caps = fills.groups, fills.caps
    fewest = max(plain, default=0)
    if fewest < 2:
        return plain, False
    pilot = _pilot(groups)
    for target, with_pilot in ((fewest, True), (fewest + 1, True), (fewest, False)):
        if with_pilot and not pilot:
            continue
        soft = _even_caps(groups, caps, pilot if with_pilot else None, target)
        found = _fill_within(fills, (soft, caps), pilot if with_pilot else None, target)
        if found is not None:
            return found, with_pilot
    return plain, False


def _even_caps(groups: Sequence[Group], caps: Caps, pilot: set[int] | None, target: int) -> Caps:
    """Caps that spread what the pilot leaves evenly over the other waves of ``target``."""
    spread = max(1, target - (1 if pilot is not None else 0))
    taken = _pilot_load(groups, pilot, caps) if pilot is not None else (0, 0, 0)
    return Caps(
        _soft(caps.apps, sum(g.apps for g in groups) - taken[0], spread) or caps.apps,
        _soft(caps.servers, sum(g.servers for g in groups) - taken[1], spread),
        _soft(caps.person_days, sum(g.person_days for g in groups) - taken[2], spread),
    )


def _fill_within(
    fills: _Fills, tries: tuple[Caps, ...], pilot: set[int] | None, target: int
) -> list[int] | None:
    """The first fill, under each of ``tries`` in turn, that needs at most ``target``
    waves and misses no pin; None if none does."""
    for limits in tries:
        try:
            found = fills.run(limits, pilot)
        except PinMissed:
            continue
        if max(found, default=0) <= target:
            return found
    return None


def _soft(cap: int | None, total: int, spread: int) -> int | None:
    """A wave's share of what is left, when waves are evened out."""
    if cap is None:
        return None
    return max(1, min(cap, math.ceil(total / spread)))


def _pilot_load(groups: Sequence[Group], pilot: set[int], caps: Caps) -> tuple[int, int, int]:
    """About what the pilot wave will hold: its groups, easiest first, up to the caps."""
    apps = servers = days = 0
    for g in sorted((groups[i] for i in pilot), key=lambda g: g.rank):
        if (
            apps + g.apps <= caps.apps
            and (caps.servers is None or servers + g.servers <= caps.servers)
            and (caps.person_days is None or days + g.person_days <= caps.person_days)
        ):
            apps, servers, days = apps + g.apps, servers + g.servers, days + g.person_days
    return apps, servers, days


def _pilot(groups: Sequence[Group]) -> set[int]:
    """Groups a pilot wave may take: easy, low-risk, not pinned later, and nothing that
    must precede them is anything else (a pilot cannot wait for a later wave)."""
    unfit = [not (g.pilot_ok and g.risk <= PILOT_RISK and g.pin in (0, 1)) for g in groups]
    queue = [i for i, bad in enumerate(unfit) if bad]
    while queue:
        for later in groups[queue.pop()].after:
            if not unfit[later]:
                unfit[later] = True
                queue.append(later)
    return {i for i, bad in enumerate(unfit) if not bad}


def lower_bound(groups: Sequence[Group], caps: Caps) -> int:
    """Fewer waves are impossible: each oversize group takes a wave of its own, the other
    applications, servers and person-days fill waves at most to capacity, and pins name
    their wave."""
    normal = [g for g in groups if not caps.over(g)]
    bound = math.ceil(sum(g.apps for g in normal) / caps.apps)
    if caps.servers:
        bound = max(bound, math.ceil(sum(g.servers for g in normal) / caps.servers))
    if caps.person_days:
        bound = max(bound, math.ceil(sum(g.person_days for g in normal) / caps.person_days))
    pins = max((g.pin for g in groups), default=0)
    return max(bound + len(groups) - len(normal), pins)


def _groups(
    inventory: Inventory,
    results: Mapping[AppId, Planned],
    graph: GroupGraph,
    planning: Planning,
) -> list[Group]:
    consumers = [0] * len(graph.groups)
    for providers in graph.providers:
        for p in providers:
            consumers[p] += 1
    groups: list[Group] = []
    by_id = inventory.apps_by_id
    # One pass over each group's applications for all its sums (4,000 groups, most of
    # one or two applications: a comprehension each cost more than the work in it).
    for number, mg in enumerate(graph.groups):
        pins: dict[AppId, int] = {}
        servers: set[ServerId] = set()
        criticality = scores = days = 0
        gxp, pilot_ok = False, True
        for app_id in mg.applications:
            app, result = by_id[app_id], results[app_id]
            if app.decision is not None and app.decision.wave is not None:
                pins[app_id] = app.decision.wave
            criticality = max(criticality, _CRITICALITY[app.criticality])
            scores += result.score
            days += result.person_days
            servers.update(app.servers)
            gxp = gxp or "gxp" in app.compliance
            pilot_ok = pilot_ok and result.readiness == "ready" and app.criticality != "critical"
        count = len(mg.applications)
        risk = (
            3 * criticality
            + (100 - scores / count) / 20
            + 2 * gxp
            + min(5, consumers[number] / 4)
            + count / 4
        )
        groups.append(
            Group(
                number,
                mg.id,
                mg.applications,
                count,
                len(servers),
                days,
                min(pins.values()) if pins else 0,
                pins,
                risk,
                pilot_ok,
            )
        )
    providers_first = planning.order == "providers-first"
    for consumer, providers in enumerate(graph.providers):
        for provider in providers:
            first, then = (provider, consumer) if providers_first else (consumer, provider)
            groups[then].before.append(first)
            groups[first].after.append(then)
    _hold_shared_services(groups, graph)
    _rank(groups, graph)
    return groups


def _hold_shared_services(groups: list[Group], graph: GroupGraph) -> None:
    """A shared service moves once about half the dependencies on it have moved: the
    fewest weeks of hybrid links to it, its consumers being free to go before or after."""
    feeds: dict[tuple[int, int], int] = {}
    for consumer, provider in graph.coupling.extended:
        a, b = graph.group_at[consumer], graph.group_at[provider]
        if a != b:
            feeds[a, b] = feeds.get((a, b), 0) + 1
    for (a, b), number in feeds.items():
        groups[a].feeds.append((b, number))
        groups[b].hold += number
    for g in groups:
        g.hold = (g.hold + 1) // 2


def _rank(groups: list[Group], graph: GroupGraph) -> None:
    """The order in which ready groups are taken: easiest first (in bands of risk), and
    within a band those with more dependencies on other groups than dependents: moving
    them early closes more hybrid links than it opens (a secondary objective)."""
    links = [0] * len(groups)
    for consumer, providers in enumerate(graph.providers):
        links[consumer] += len(providers)
        for provider in providers:
            links[provider] -= 1
    for rank, g in enumerate(
        sorted(groups, key=lambda g: (int(g.risk // RISK_BAND), -links[g.index], g.risk, g.id))
    ):
        g.rank = rank
