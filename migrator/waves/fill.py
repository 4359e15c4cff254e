"""One fill of the waves: list scheduling of the move groups, wave after wave.

A wave takes, while it has room, pinned groups first, then groups that cannot wait for a
pin's deadline, then the best ready group that fits. The ready groups wait in a heap per
size (1 to 32 applications, and one heap for larger ones), so a wave never looks at a
group too large for the room it has left; it sets aside at most ``MAX_MISSES`` groups too
large in servers or effort, and puts them back when it closes. Each group thus enters
and leaves the pool once, plus its misses: O((G + W·MAX_MISSES)·log G + L + W·P) for G
groups, L dependencies between them, W waves and P distinct pins.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from migrator.waves.pins import Group, PinMissed

MAX_MISSES = 24  # groups a wave may set aside as too large in servers or effort
_LARGE = 33  # groups of this many applications or more share one heap


@dataclass(frozen=True, slots=True)
class Caps:
    """What one wave holds at most; None: no limit."""

    apps: int
    servers: int | None
    person_days: int | None

    def over(self, g: Group) -> bool:
        return (
            g.apps > self.apps
            or (self.servers is not None and g.servers > self.servers)
            or (self.person_days is not None and g.person_days > self.person_days)
        )


class _Pool:
    """The ready groups, in heaps by size: a wave with room for k applications takes the
    best ready group of k or fewer without looking at any larger one."""

    def __init__(self, groups: Sequence[Group], placed: list[int]) -> None:
        self.groups = groups
        self.placed = placed
        self.heaps: dict[int, list[tuple[int, int]]] = {}
        self.chosen = 0  # the heap of the group ``best`` returned last

    def add(self, i: int) -> None:
        g = self.groups[i]
        heapq.heappush(self.heaps.setdefault(min(g.apps, _LARGE), []), (g.rank, i))

    def best(self, room: int | None) -> int | None:
        """The best ready group of at most ``room`` applications (any size: None)."""
        found: tuple[int, int] | None = None
        placed = self.placed
        for size, heap in self.heaps.items():
            if room is not None and size > room:
                continue
            while heap and placed[heap[0][1]]:
                heapq.heappop(heap)
            if heap and (found is None or heap[0] < found):
                found = heap[0]
                self.chosen = size
        return None if found is None else found[1]

    def take(self) -> None:
        """Take the group ``best`` returned out of the pool."""
        heapq.heappop(self.heaps[self.chosen])

    def empty(self) -> bool:
        return self.best(None) is None


class _Deadlines:
    """Groups that must be placed by a pin's wave: which of them cannot wait any longer.

    Deadline groups are not rushed into the pilot: they go as late as capacity allows,
    which is when the applications due by some pin would no longer fit in the waves left.
    """

    def __init__(self, groups: Sequence[Group]) -> None:
        self.left: dict[int, int] = {}  # deadline → applications still to place
        for g in groups:
            if g.deadline:
                self.left[g.deadline] = self.left.get(g.deadline, 0) + g.apps
        self.due = sorted(self.left)

    def placed(self, g: Group) -> None:
        if g.deadline:
            self.left[g.deadline] -= g.apps

    def urgent_until(self, wave: int, capacity: int) -> int:
        """Groups due by the wave returned or earlier are urgent in ``wave`` (0: none)."""
        total = 0
        until = 0
        for deadline in self.due:
            total += self.left[deadline]
            if total > (deadline - wave) * capacity:
                until = deadline
        return until


class Fill:
    """Places every group; with ``pilot``, wave 1 takes only those groups (up to
    ``pilot_caps``)."""

    def __init__(
        self,
        groups: Sequence[Group],
        caps: Caps,
        pilot: set[int] | None = None,
        pilot_caps: Caps | None = None,
    ) -> None:
        self.groups = groups
        self.caps = caps
        self.pilot = pilot
        self.pilot_caps = pilot_caps or caps
        self.wave_of = [0] * len(groups)
        self.waiting = [len(g.before) for g in groups]
        self.pool = _Pool(groups, self.wave_of)
        self.urgent: list[tuple[int, int, int]] = []  # (deadline, rank, group), ready ones
        self.pinned_ready: dict[int, list[int]] = {}
        self.pinned_to: dict[int, list[Group]] = {}
        for g in groups:
            if g.pin:
                self.pinned_to.setdefault(g.pin, []).append(g)
        self.deadlines = _Deadlines(groups)
        self.by_deadline = sorted((g.deadline, g.index) for g in groups if g.deadline)
        self.checked = 0
        self.pilot_open = pilot is not None
        self.held: list[int] = []  # ready during the pilot wave, but not for it
        self.hold = [0 if g.deadline else g.hold for g in groups]
        self.parked: set[int] = set()  # shared services ready, waiting for consumers
        self.placed = 0
        # the wave being filled
        self.number = 0
        self.limits = caps
        self.load = [0, 0, 0]
        self.reserve = [0, 0, 0]
        self.members = 0

    def run(self) -> list[int]:
        for g in self.groups:
            if not g.before:
                self._release(g.index)
        while self.placed < len(self.groups):
            self._next_wave()
            self._wave()
        return self.wave_of

    def _release(self, i: int) -> None:
        g = self.groups[i]
        if g.pin:
            self.pinned_ready.setdefault(g.pin, []).append(i)
        elif self.pilot_open and self.pilot is not None and i not in self.pilot:
            self.held.append(i)
        elif self.hold[i] > 0:
            self.parked.add(i)
        else:
            self.pool.add(i)
            if g.deadline:
                heapq.heappush(self.urgent, (g.deadline, g.rank, i))

    def _next_wave(self) -> None:
        self.number += 1
        if self.number == 2 and self.pilot_open:
            self.pilot_open = False
            for i in self.held:
                self._release(i)
            self.held.clear()
        if self.pool.empty() and self.parked:  # nothing else to move: shared services go
            for i in sorted(self.parked):
                self.hold[i] = 0
                self._release(i)
            self.parked.clear()
        if self.pool.empty() and not self.held and self.number not in self.pinned_ready:
            # Only pinned groups are left to release: go to the next pinned wave. The waves
            # in between stay empty here; fill_empty_waves fills them or says why not.
            if not self.pinned_ready:
                raise AssertionError("groups left that can never be placed")
            self.number = min(self.pinned_ready)
        self.limits = self.pilot_caps if self.pilot_open else self.caps
        here = self.pinned_to.get(self.number, [])
        self.reserve = [
            sum(g.apps for g in here),
            sum(g.servers for g in here),
            sum(g.person_days for g in here),
        ]
        self.load = [0, 0, 0]
        self.members = 0

    def _fits(self, g: Group, urgent: bool) -> bool:
        if self.members == 0:
            return True  # an empty wave takes any group, even an oversize one
        load, limits = self.load, self.limits
        keep = (0, 0, 0) if urgent else self.reserve
        return (
            load[0] + g.apps + keep[0] <= limits.apps
            and (limits.servers is None or load[1] + g.servers + keep[1] <= limits.servers)
            and (
                limits.person_days is None
                or load[2] + g.person_days + keep[2] <= limits.person_days
            )
        )

    def _put(self, i: int) -> None:
        g = self.groups[i]
        number = self.number
        self.wave_of[i] = number
        self.members += 1
        self.placed += 1
        load = self.load
        load[0] += g.apps
        load[1] += g.servers
        load[2] += g.person_days
        if g.deadline:
            self.deadlines.placed(g)
        if g.pin == number:
            reserve = self.reserve
            reserve[0] -= g.apps
            reserve[1] -= g.servers
            reserve[2] -= g.person_days
        waiting = self.waiting
        for later in g.after:
            waiting[later] -= 1
            if waiting[later] == 0:
                self._release(later)
        for service, dependencies in g.feeds:
            self.hold[service] -= dependencies
            if self.hold[service] <= 0 and service in self.parked:
                self.parked.discard(service)
                self._release(service)
                # Its time has come: first in line, like a group due now.
                heapq.heappush(self.urgent, (0, self.groups[service].rank, service))

    def _wave(self) -> None:
        """Fill the current wave: its pins, then the groups that cannot wait, then the best
        ready group that fits, until it is full or nothing is ready."""
        number, groups, pool = self.number, self.groups, self.pool
        urgent_until = self.deadlines.urgent_until(number, self.caps.apps)
        set_aside: list[tuple[int, bool]] = []  # (group, whether it came as urgent)
        while True:
            for i in self.pinned_ready.pop(number, []):  # pins first, if they fit
                if self._fits(groups[i], urgent=True):
                    self._put(i)
            if len(set_aside) >= MAX_MISSES:
                if number in self.pinned_ready:
                    continue
                break
            if self._take_urgent(urgent_until, set_aside):
                continue
            room = None if self.members == 0 else self.limits.apps - self.load[0] - self.reserve[0]
            candidate = pool.best(room)
            if candidate is None:
                if number in self.pinned_ready:
                    continue
                break
            pool.take()
            if self._fits(groups[candidate], urgent=False):
                self._put(candidate)
            else:
                set_aside.append((candidate, False))
        self._put_back(set_aside)
        self._check(number)

    def _take_urgent(self, urgent_until: int, set_aside: list[tuple[int, bool]]) -> bool:
        """Place (or set aside) the next ready group due by ``urgent_until``; False if
        none is."""
        urgent = self.urgent
        while urgent and self.wave_of[urgent[0][2]]:
            heapq.heappop(urgent)
        if not urgent or urgent[0][0] > urgent_until:
            return False
        _, _, i = heapq.heappop(urgent)
        if self._fits(self.groups[i], urgent=True):
            self._put(i)
        else:
            set_aside.append((i, True))
        return True

    def _put_back(self, set_aside: list[tuple[int, bool]]) -> None:
        """The groups a closing wave set aside wait again, where they came from."""
        groups = self.groups
        for i, was_urgent in set_aside:
            if self.wave_of[i]:
                continue
            if was_urgent:
                heapq.heappush(self.urgent, (groups[i].deadline, groups[i].rank, i))
            else:
                self.pool.add(i)

    def _check(self, number: int) -> None:
        """Every group pinned to this wave, or due by it, is placed."""
        for g in self.pinned_to.get(number, ()):
            if not self.wave_of[g.index]:
                raise PinMissed(g, number)
        while self.checked < len(self.by_deadline) and self.by_deadline[self.checked][0] <= number:
            i = self.by_deadline[self.checked][1]
            if not self.wave_of[i]:
                raise PinMissed(self.groups[i], number)
            self.checked += 1
