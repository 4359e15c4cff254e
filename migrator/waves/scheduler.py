"""Assigning move groups to waves so that every rule of SPEC 4 holds.

List scheduling over the groups' order: a wave is filled, easiest group first, with the
groups whose predecessors (providers, with ``providers-first``) are already placed, in
this wave or an earlier one; when nothing more fits, the next wave starts. Pinned groups
go into their wave, and everything that must precede a pin is scheduled by its deadline.
A second pass evens the waves out when it needs no more waves than the first.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx

from migrator.assess.model import AppAssessment
from migrator.diagnostics import Diagnostic
from migrator.errors import InvalidInputError
from migrator.inventory.load import located
from migrator.inventory.model import Inventory, Planning
from migrator.waves.groups import GroupGraph

_CRITICALITY = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@dataclass
class _Group:
    id: str
    apps: tuple[str, ...]
    servers: frozenset[str]
    pin: int | None
    risk: float
    pilot_ok: bool  # every application is ready (SPEC 3) and none is critical
    before: set[str] = field(default_factory=set)  # groups that must not come later
    after: set[str] = field(default_factory=set)  # groups this one must not come after
    deadline: float = math.inf


@dataclass(frozen=True, slots=True)
class Placement:
    wave_of_group: dict[str, int]
    warnings: tuple[str, ...]
    lower_bound: int


def place(inventory: Inventory, results: Mapping[str, AppAssessment], graph: GroupGraph,
          planning: Planning) -> Placement:
    groups = _groups(inventory, results, graph, planning)
    warnings: list[str] = []
    capacity_apps, capacity_servers = planning.max_apps_per_wave, planning.max_servers_per_wave
    for g in groups.values():
        if len(g.apps) > capacity_apps or (capacity_servers and len(g.servers)
                                           > capacity_servers):
            warnings.append(f"move group {g.id} ({len(g.apps)} applications, "
                            f"{len(g.servers)} servers) is larger than a wave: it gets a wave "
                            f"of its own")
    lower = _lower_bound(groups, capacity_apps, capacity_servers)
    plain = _fill(groups, capacity_apps, capacity_servers)
    fewest = max(plain.values(), default=0)
    # A pilot wave of the easiest applications comes first, even at the cost of one more
    # wave (a first wave that must hold critical shared services is no pilot); among the
    # schedules kept, even waves are preferred. The plain fill is always valid: fallback.
    pilot = {g.id for g in groups.values()
             if g.pilot_ok and g.risk <= PILOT_RISK and g.pin in (None, 1)}
    total_apps = sum(len(g.apps) for g in groups.values())
    total_servers = len(frozenset().union(*(g.servers for g in groups.values())))
    tries: list[tuple[int, bool]] = [(fewest, True), (fewest + 1, True), (fewest, False)]
    best = plain
    for target, with_pilot in tries:
        if (with_pilot and not pilot) or fewest < 2:
            continue
        pilot_apps = _pilot_size(groups, pilot, capacity_apps) if with_pilot else 0
        spread = max(1, target - (1 if with_pilot else 0))
        soft_apps = max(1, math.ceil((total_apps - pilot_apps) / spread))
        soft_servers = math.ceil(total_servers / spread) if capacity_servers else None
        found = None
        for even in (True, False):
            try:
                found = _fill(
                    groups, min(capacity_apps, soft_apps) if even else capacity_apps,
                    (min(capacity_servers, soft_servers)
                     if capacity_servers and soft_servers and even else capacity_servers),
                    pilot=pilot if with_pilot else None, pilot_capacity=capacity_apps)
            except _PinMissed:
                continue
            if max(found.values(), default=0) <= target:
                break
            found = None
        if found is not None:
            best = found
            break
    return Placement(best, tuple(warnings), lower)


# A pilot group: ready, not critical, a good score, few consumers, no GxP, small (see
# _groups for how risk adds up); a pilot wave takes only such groups.
PILOT_RISK = 3.5


def _pilot_size(groups: Mapping[str, _Group], pilot: set[str], capacity: int) -> int:
    size = 0
    for g in sorted((groups[p] for p in pilot), key=lambda g: g.risk):
        if size + len(g.apps) <= capacity and not g.before - pilot:
            size += len(g.apps)
    return size


class _PinMissed(Exception):
    def __init__(self, group: _Group, wave: int) -> None:
        self.group, self.wave = group, wave


def _groups(inventory: Inventory, results: Mapping[str, AppAssessment], graph: GroupGraph,
            planning: Planning) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    errors: list[Diagnostic] = []
    dependents = {g: len(list(graph.dag.predecessors(g))) for g in graph.dag}
    for mg in graph.groups:
        apps = [inventory.apps_by_id[a] for a in mg.applications]
        pins = {a.id: a.decision.wave for a in apps
                if a.decision is not None and a.decision.wave is not None}
        if len(set(pins.values())) > 1:
            described = ", ".join(f"{app} → wave {wave}" for app, wave in sorted(pins.items()))
            for app_id in pins:
                app = inventory.apps_by_id[app_id]
                errors.append(Diagnostic(
                    "error", app.origin.file, app.origin.path + ("decision", "wave"),
                    f"move group {mg.id} must move in one wave, but its pins differ "
                    f"({described}); reasons: {', '.join(mg.reasons)}"))
        scores = [results[a.id].score for a in apps]
        risk = (3 * max(_CRITICALITY[a.criticality] for a in apps)
                + (100 - sum(scores) / len(scores)) / 20
                + 2 * any("gxp" in a.compliance for a in apps)
                + min(5, dependents.get(mg.id, 0) / 4)
                + len(apps) / 4)
        groups[mg.id] = _Group(mg.id, mg.applications,
                               frozenset(s for a in apps for s in a.servers),
                               min(pins.values()) if pins else None, risk,
                               all(results[a.id].readiness == "ready"
                                   and a.criticality != "critical" for a in apps))
    providers_first = planning.order == "providers-first"
    for consumer, provider in graph.dag.edges():
        first, then = (provider, consumer) if providers_first else (consumer, provider)
        groups[then].before.add(first)
        groups[first].after.add(then)
    errors += _check_pins(inventory, groups, graph)
    errors += _check_pin_capacity(inventory, groups, planning)
    if errors:
        raise InvalidInputError("the wave pins (decision.wave) cannot all be kept",
                                located(errors))
    return groups


def _check_pins(inventory: Inventory, groups: dict[str, _Group], graph: GroupGraph
                ) -> list[Diagnostic]:
    """A pin may not put a group before one that must precede it; and every group that
    must precede a pinned one gets the pin as its deadline."""
    if all(g.pin is None for g in groups.values()):
        return []
    order = nx.DiGraph()
    order.add_nodes_from(groups)
    order.add_edges_from((first, g.id) for g in groups.values() for first in g.before)
    errors: list[Diagnostic] = []
    for g in groups.values():
        if g.pin is None:
            continue
        for ancestor in nx.ancestors(order, g.id):
            earlier = groups[ancestor]
            earlier.deadline = min(earlier.deadline, g.pin)
            if earlier.pin is not None and earlier.pin > g.pin:
                app = _pinned_app(inventory, g)
                errors.append(Diagnostic(
                    "error", app.origin.file, app.origin.path + ("decision", "wave"),
                    f"wave {g.pin} for {app.id} breaks the order: it must not move before "
                    f"{', '.join(earlier.apps)}, pinned to wave {earlier.pin}"))
    return errors


def _check_pin_capacity(inventory: Inventory, groups: dict[str, _Group], planning: Planning
                        ) -> list[Diagnostic]:
    """Pins may not fill a wave beyond its capacity (one oversize group alone is allowed)."""
    by_wave: dict[int, list[_Group]] = {}
    for g in groups.values():
        if g.pin is not None:
            by_wave.setdefault(g.pin, []).append(g)
    errors: list[Diagnostic] = []
    for wave, pinned in sorted(by_wave.items()):
        apps = sum(len(g.apps) for g in pinned)
        servers = len(frozenset().union(*(g.servers for g in pinned)))
        over = apps > planning.max_apps_per_wave or bool(
            planning.max_servers_per_wave and servers > planning.max_servers_per_wave)
        if over and len(pinned) > 1:
            for g in pinned:
                app = _pinned_app(inventory, g)
                errors.append(Diagnostic(
                    "error", app.origin.file, app.origin.path + ("decision", "wave"),
                    f"wave {wave} is pinned with {apps} applications and {servers} servers, "
                    f"more than a wave holds (max_apps_per_wave "
                    f"{planning.max_apps_per_wave}, max_servers_per_wave "
                    f"{planning.max_servers_per_wave or 'unlimited'})"))
    return errors


def _pinned_app(inventory: Inventory, group: _Group):  # type: ignore[no-untyped-def]
    return next(inventory.apps_by_id[a] for a in group.apps
                if (d := inventory.apps_by_id[a].decision) is not None and d.wave is not None)


def _lower_bound(groups: Mapping[str, _Group], apps: int, servers: int | None) -> int:
    """Fewer waves are impossible: each oversize group takes a wave of its own, the other
    applications and servers fill waves at most to capacity, and pins name their wave."""
    def oversize(g: _Group) -> bool:
        return len(g.apps) > apps or bool(servers and len(g.servers) > servers)

    normal = [g for g in groups.values() if not oversize(g)]
    bound = math.ceil(sum(len(g.apps) for g in normal) / apps)
    if servers:
        bound = max(bound, math.ceil(len(frozenset().union(*(g.servers for g in normal)))
                                     / servers))
    pins = max((g.pin for g in groups.values() if g.pin is not None), default=0)
    return max(bound + len(groups) - len(normal), pins)


@dataclass
class _Filling:
    """The wave being filled: what it holds, and what it still takes."""

    number: int
    limit: int
    max_servers: int | None
    pilot: set[str] | None
    reserved: dict[str, int]  # room kept for groups pinned to this wave
    apps: int = 0
    servers: set[str] = field(default_factory=set)

    def fits(self, g: _Group, urgent: bool = True) -> bool:
        if self.pilot is not None and g.id not in self.pilot:
            return False
        if self.apps == 0 and not self.servers:
            return True  # an empty wave takes any group, even an oversize one
        keep = 0 if urgent else sum(self.reserved.values())
        if self.apps + len(g.apps) + keep > self.limit:
            return False
        return self.max_servers is None or len(self.servers | g.servers) <= self.max_servers

    def take(self, g: _Group) -> None:
        self.reserved.pop(g.id, None)
        self.servers.update(g.servers)
        self.apps += len(g.apps)


def _fill(groups: Mapping[str, _Group], max_apps: int, max_servers: int | None,
          pilot: set[str] | None = None, pilot_capacity: int = 0) -> dict[str, int]:
    """Place every group; with ``pilot``, wave 1 takes only those groups."""
    wave_of: dict[str, int] = {}
    waiting = {g.id: len(g.before) for g in groups.values()}
    ready: list[str] = []
    pinned_ready: dict[int, list[str]] = {}

    def release(group_id: str) -> None:
        g = groups[group_id]
        if g.pin is not None:
            pinned_ready.setdefault(g.pin, []).append(group_id)
        else:
            ready.append(group_id)

    def put(g: _Group, wave: _Filling) -> None:
        wave.take(g)
        wave_of[g.id] = wave.number
        for later in g.after:
            waiting[later] -= 1
            if waiting[later] == 0:
                release(later)

    for group_id, count in waiting.items():
        if count == 0:
            release(group_id)
    number = 0
    while len(wave_of) < len(groups):
        number += 1
        first_pilot = pilot is not None and number == 1
        wave = _Filling(number, pilot_capacity if first_pilot else max_apps, max_servers,
                        pilot if first_pilot else None,
                        {g.id: len(g.apps) for g in groups.values()
                         if g.pin == number and g.id not in wave_of})
        urgent = _urgent(groups, wave_of, number, max_apps)
        heap: list[tuple[int, float, str]] = []
        deferred: list[tuple[int, float, str]] = []
        progress = True
        while progress:
            progress = False
            for group_id in pinned_ready.pop(number, []):  # pins first, if they fit
                if wave.fits(groups[group_id]):
                    put(groups[group_id], wave)
                    progress = True
            for group_id in ready:  # ready before this wave, or released by it
                heapq.heappush(heap, (0 if group_id in urgent else 1, groups[group_id].risk,
                                      group_id))
            ready = []
            while heap:
                item = heapq.heappop(heap)
                if wave.fits(groups[item[2]], urgent=item[0] == 0):
                    put(groups[item[2]], wave)
                    progress = True
                    break
                deferred.append(item)
            if number in pinned_ready:
                progress = True
        ready = [item[2] for item in heap] + [item[2] for item in deferred] + ready
        for g in groups.values():
            if g.id not in wave_of and (g.deadline <= number or g.pin == number):
                raise _PinMissed(g, number)
        if not ready and not any(w > number for w in pinned_ready) and len(wave_of) < len(
                groups):
            raise AssertionError("groups left that can never be placed")
    return wave_of


def _urgent(groups: Mapping[str, _Group], wave_of: Mapping[str, int], wave: int,
            capacity: int) -> set[str]:
    """Groups with a deadline (a pin after them) that cannot wait another wave.

    Deadline groups are not rushed into the pilot: they go as late as capacity allows,
    which is when the applications due by some pin would no longer fit in the waves left.
    """
    due = sorted((g.deadline, g.id, len(g.apps)) for g in groups.values()
                 if g.id not in wave_of and g.deadline < math.inf)
    urgent: set[str] = set()
    total = 0
    for index, (deadline, _, size) in enumerate(due):
        total += size
        last = index + 1 == len(due) or due[index + 1][0] != deadline
        if last and total > (deadline - wave) * capacity:
            urgent.update(gid for d, gid, _ in due[: index + 1])
    return urgent
