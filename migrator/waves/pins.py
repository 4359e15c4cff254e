"""Pins (``decision.wave``, rule 5 of docs/waves.md) and the rule that no wave is empty (rule 6).

Pins that contradict the order, split a move group, overfill a wave, or leave waves before
them that nothing can fill are errors located at the pin; so is a pin whose predecessors
cannot all be placed by its wave.
"""

from __future__ import annotations

import graphlib
import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from migrator.diagnostics import Diagnostic
from migrator.errors import InvalidInputError
from migrator.inventory.load import located
from migrator.inventory.model import AppId, Application, Inventory

if TYPE_CHECKING:
    from migrator.waves.fill import Caps

MESSAGE = "the wave pins (decision.wave) cannot all be kept"


@dataclass(eq=False)
class Group:
    """A move group as the scheduler sees it."""

    index: int
    id: str
    applications: tuple[AppId, ...]
    apps: int
    servers: int
    person_days: int
    pin: int  # its decision.wave; 0: not pinned
    pins: dict[AppId, int]  # application → decision.wave, for the group's pinned applications
    risk: float
    pilot_ok: bool  # every application is ready and none is critical
    before: list[int] = field(default_factory=list)  # groups that must not come later
    after: list[int] = field(default_factory=list)  # groups that must not come earlier
    deadline: int = 0  # the wave it must be placed by, for a pin after it; 0: none
    rank: int = 0  # its place in the order in which ready groups are taken
    # For a shared service: how many dependencies on it are to move before it does.
    hold: int = 0
    feeds: list[tuple[int, int]] = field(default_factory=list)  # (shared group, dependencies)


class PinMissed(Exception):
    """The fill could not place a group by its pin or its deadline."""

    def __init__(self, group: Group, wave: int) -> None:
        self.group, self.wave = group, wave


def check_pins(inventory: Inventory, groups: Sequence[Group], caps: Caps) -> None:
    """Pins that no schedule can keep are located errors; the groups that must precede a
    pin get it as their deadline."""
    pinned = [g for g in groups if g.pins]
    if not pinned:
        return
    errors = _split_pins(inventory, pinned)
    errors += _deadlines(inventory, groups)
    errors += _capacity(inventory, pinned, caps)
    errors += _too_far(inventory, pinned, len(groups))
    if errors:
        raise InvalidInputError(MESSAGE, located(errors, inventory.texts))


def _pinned_app(inventory: Inventory, group: Group) -> Application:
    app_id = min(group.pins, key=lambda a: (group.pins[a], a))
    return inventory.apps_by_id[app_id]


def _at_pin(app: Application, message: str) -> Diagnostic:
    decision = app.decision
    if decision is not None and decision.origin.file:  # where the pin is written (a scenario)
        return Diagnostic("error", decision.origin.file, decision.origin.path + ("wave",), message)
    return Diagnostic("error", app.origin.file, app.origin.path + ("decision", "wave"), message)


def _split_pins(inventory: Inventory, pinned: Sequence[Group]) -> list[Diagnostic]:
    errors = []
    for g in pinned:
        if len(set(g.pins.values())) > 1:
            described = ", ".join(f"{app} → wave {wave}" for app, wave in sorted(g.pins.items()))
            for app_id in sorted(g.pins):
                errors.append(
                    _at_pin(
                        inventory.apps_by_id[app_id],
                        (
                            f"move group {g.id} must move in one wave, but its pins differ "
                            f"({described})"
                        ),
                    )
                )
    return errors


def _deadlines(inventory: Inventory, groups: Sequence[Group]) -> list[Diagnostic]:
    """Every group that must precede a pinned one is due by the pin; a pin that puts a
    group before one pinned later breaks the order (rule 5)."""
    # graphlib orders a node after its predecessors: a group's "after" groups come later.
    order = graphlib.TopologicalSorter({g.index: () for g in groups})
    for g in groups:
        for later in g.after:
            order.add(later, g.index)
    due_by: dict[int, Group] = {}  # group → the pinned group that sets its deadline
    errors = []
    for i in reversed(list(order.static_order())):
        g = groups[i]
        for later in g.after:
            for source in (groups[later] if groups[later].pin else None, due_by.get(later)):
                if source is not None and (i not in due_by or source.pin < due_by[i].pin):
                    due_by[i] = source
        source = due_by.get(i)
        if source is None:
            continue
        g.deadline = source.pin
        if g.pin > source.pin:
            app = _pinned_app(inventory, source)
            errors.append(
                _at_pin(
                    app,
                    (
                        f"wave {source.pin} for {app.id} breaks the order: it must not move before "
                        f"{', '.join(g.applications)}, pinned to wave {g.pin}"
                    ),
                )
            )
    return errors


def _capacity(inventory: Inventory, pinned: Sequence[Group], caps: Caps) -> list[Diagnostic]:
    """Pins may not fill a wave beyond its capacity (one oversize group alone is allowed)."""
    by_wave: dict[int, list[Group]] = {}
    for g in pinned:
        by_wave.setdefault(g.pin, []).append(g)
    errors = []
    for wave, here in sorted(by_wave.items()):
        apps = sum(g.apps for g in here)
        servers = sum(g.servers for g in here)
        days = sum(g.person_days for g in here)
        over = (
            apps > caps.apps
            or (caps.servers is not None and servers > caps.servers)
            or (caps.person_days is not None and days > caps.person_days)
        )
        if over and len(here) > 1:
            for g in here:
                errors.append(
                    _at_pin(
                        _pinned_app(inventory, g),
                        (
                            f"wave {wave} is pinned with {apps} applications, {servers} servers and "
                            f"{days} person-days, more than a wave holds (max_apps_per_wave "
                            f"{caps.apps}, max_servers_per_wave {caps.servers or 'unlimited'}, "
                            f"max_person_days_per_wave {caps.person_days or 'unlimited'})"
                        ),
                    )
                )
    return errors


def _too_far(inventory: Inventory, pinned: Sequence[Group], count: int) -> list[Diagnostic]:
    """A pin beyond the number of move groups would leave waves before it empty."""
    return [
        _at_pin(
            _pinned_app(inventory, g),
            (
                f"wave {g.pin} cannot be kept for {_pinned_app(inventory, g).id}: every wave before "
                f"it needs a move group, and only {count} move group(s) migrate (no wave may be "
                f"empty); pin it earlier, or start the plan later (planning.start)"
            ),
        )
        for g in pinned
        if g.pin > count
    ]


def missed(inventory: Inventory, error: PinMissed, caps: Caps) -> InvalidInputError:
    """The located error for a group the fill could not place by its pin or deadline."""
    group = error.group
    limits = (
        f"max_apps_per_wave {caps.apps}"
        + (f", max_servers_per_wave {caps.servers}" if caps.servers else "")
        + (f", max_person_days_per_wave {caps.person_days}" if caps.person_days else "")
    )
    if group.pins:
        app = _pinned_app(inventory, group)
        diagnostic = _at_pin(
            app,
            (
                f"wave {error.wave} cannot be kept for {app.id}: what must move before it does "
                f"not fit into waves 1-{error.wave} ({limits})"
            ),
        )
    else:
        app = inventory.apps_by_id[group.applications[0]]
        diagnostic = Diagnostic(
            "error",
            app.origin.file,
            app.origin.path,
            (
                f"{app.id} must move by wave {error.wave} for a pinned application, but does "
                f"not fit ({limits})"
            ),
        )
    return InvalidInputError(MESSAGE, located([diagnostic], inventory.texts))


def fill_empty_waves(
    inventory: Inventory, groups: Sequence[Group], wave_of: list[int]
) -> list[int]:
    """Rule 6, no wave is empty: a wave that pins left empty takes a group from a wave
    that keeps others, moved later (all it must precede stays after it) or earlier (all
    that must precede it stays before). One sweep each way, taking the group with the
    least slack first: O(G log G)."""
    count = max(wave_of, default=0)
    members = [0] * (count + 1)
    for wave in wave_of:
        members[wave] += 1
    empty = [w for w in range(1, count + 1) if not members[w]]
    if not empty:
        return wave_of
    wave_of = list(wave_of)
    moved = [False] * len(groups)

    def latest(g: Group) -> int:
        bound = min((wave_of[j] for j in g.after), default=count)
        return min(bound, g.deadline or count)

    def earliest(g: Group) -> int:
        return max((wave_of[j] for j in g.before), default=1)

    movable = [g for g in groups if not g.pin]
    # Later: sweep the empty waves upwards, offering each the groups of earlier waves.
    by_wave = sorted(movable, key=lambda g: wave_of[g.index])
    offered: list[tuple[int, int]] = []  # (latest wave it may go to, group)
    position = 0
    still: list[int] = []
    for wave in empty:
        while position < len(by_wave) and wave_of[by_wave[position].index] < wave:
            g = by_wave[position]
            heapq.heappush(offered, (latest(g), g.index))
            position += 1
        while offered:
            until, i = heapq.heappop(offered)
            if until < wave or moved[i] or members[wave_of[i]] < 2:
                continue
            members[wave_of[i]] -= 1
            wave_of[i], moved[i] = wave, True
            members[wave] += 1
            break
        else:
            still.append(wave)
    # Earlier: sweep the waves still empty downwards, offering the groups of later waves.
    by_wave = sorted((g for g in movable if not moved[g.index]), key=lambda g: -wave_of[g.index])
    offered = []
    position = 0
    left: list[int] = []
    for wave in reversed(still):
        while position < len(by_wave) and wave_of[by_wave[position].index] > wave:
            g = by_wave[position]
            heapq.heappush(offered, (-earliest(g), g.index))
            position += 1
        while offered:
            since, i = heapq.heappop(offered)
            if -since > wave or moved[i] or members[wave_of[i]] < 2:
                continue
            members[wave_of[i]] -= 1
            wave_of[i], moved[i] = wave, True
            members[wave] += 1
            break
        else:
            left.append(wave)
    if left:
        raise InvalidInputError(
            MESSAGE, located(_empty_errors(inventory, groups, sorted(left)), inventory.texts)
        )
    return wave_of


def _empty_errors(
    inventory: Inventory, groups: Sequence[Group], empty: list[int]
) -> list[Diagnostic]:
    pinned = sorted((g for g in groups if g.pin), key=lambda g: g.pin)
    errors = []
    for g in pinned:
        before = [w for w in empty if w < g.pin]
        if not before:
            continue
        app = _pinned_app(inventory, g)
        shown = ", ".join(map(str, before[:5])) + (" …" if len(before) > 5 else "")
        errors.append(
            _at_pin(
                app,
                (
                    f"wave {g.pin} for {app.id} leaves wave(s) {shown} empty: no move group can "
                    f"go there without breaking the order (no wave may be empty); pin it earlier, "
                    f"or start the plan later (planning.start)"
                ),
            )
        )
        empty = [w for w in empty if w > g.pin]
    return errors
