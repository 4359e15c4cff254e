"""Split advice for a move group larger than a wave: the fewest dependencies whose
bridging would split it into groups that fit (rule 4 of docs/waves.md).

The fewest is a hard problem (it contains the minimum feedback arc set), so migrator is
greedy, in a way that finds the few dependencies that hold a large group together, such
as a hub's dependencies back into its own consumers:

1. Applications that share a server or a database stay together whatever is bridged:
   they are contracted into atoms. A latency-sensitive dependency joins its two ends both
   ways; any other dependency orders them (consumer → provider).
2. The atoms are put in an order that most dependencies follow, consumers first (the
   heuristic of Eades, Lin and Smyth, weighted so that bridgeable, not latency-sensitive
   dependencies are the ones left against it). Bridging every dependency against the
   order leaves no cycle, hence groups no larger than an atom.
3. Those dependencies are tried again one by one, latency-sensitive ones first, then the
   kinds hard to bridge (sync, database), the bridgeable kinds (async, batch, file) last:
   one is kept unless keeping it joins a group larger than allowed. What is allowed
   grows in rounds, from one application to a wave: a dependency that would join a
   large group (a hub and everything behind its back-edge) waits until the small joins
   are made, so that it does not fill a wave and force many others out. The order is
   kept up to date as dependencies come back (Pearce and Kelly's dynamic topological
   order, moving only the smaller side), so a try looks only at the atoms between its two
   ends, and at most about twice the fewer of those it reaches or that reach it.

The dependencies still bridged are the advice; no single one of them could be kept.
On the hub estate of ``bench/generate.py --back-edges 30`` (10,000 applications, a group
of 1,255 held by 30 back-edges) it names 17 dependencies at 400 applications a wave and
37 at 10; a try costs the atoms between the two ends, and a group of 3,000 applications
and 12,000 dependencies takes about half a second.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import marshal
import math
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from functools import partial

from migrator import forked
from migrator.assess.model import Planned
from migrator.inventory.model import AppId, Dependency, Inventory, ServerId
from migrator.waves.fill import Caps
from migrator.waves.groups import GroupGraph
from migrator.waves.model import SplitAdvice

BRIDGEABLE = frozenset({"async", "batch", "file"})
_Try = tuple[int, int, int, int, Dependency]  # atoms, applications and the dependency
SHOWN = 8  # dependencies named in the warning; the JSON and the plan name them all


def _cost(dep: Dependency) -> int:
    """How much a bridge of this dependency costs: the advice prefers cheap ones."""
    return (1 if dep.kind in BRIDGEABLE else 2) * (3 if dep.latency_sensitive else 1)


class _Atoms:
    """The group's atoms: applications joined by a shared server or database."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
        return ra


MIN_APPLICATIONS_BESIDE = 2000  # below it, a child costs more than the advice it works out


def advice_beside(
    inventory: Inventory,
    results: Mapping[AppId, Planned],
    graph: GroupGraph,
    groups: Sequence[str],
    caps: Caps,
) -> AbstractContextManager[Callable[[], list[SplitAdvice]]]:
    """What gives the split advice of ``groups``: a forked child works it out while this
    process does the rest of the schedule (the waves' dates, the hybrid links, the
    proposals of shared services), on a large estate (migrator.forked.beside). It comes
    back as plain values (``marshal``)."""

    def here() -> list[SplitAdvice]:
        return [split_advice(inventory, results, graph, group, caps) for group in groups]

    large = len(inventory.applications) >= MIN_APPLICATIONS_BESIDE
    return forked.beside(
        here,
        lambda: marshal.dumps([dataclasses.astuple(advice) for advice in here()]),
        partial(_advice_from, groups=groups),
        wanted=bool(groups) and large,
    )


def _advice_from(sent: bytes, groups: Sequence[str]) -> list[SplitAdvice]:
    """The child's advice; ValueError when it is not what the child should have sent."""
    advice = [SplitAdvice(*value) for value in marshal.loads(sent)]
    if [a.group for a in advice] != list(groups):
        raise ValueError("not the advice of the groups asked about")
    for a in advice:
        if not (
            type(a.largest_after) is int
            and type(a.fits) is bool
            and type(a.bridge) is tuple
            and all(
                type(b) is tuple
                and len(b) == 4
                and type(b[3]) is bool
                and all(type(x) is str for x in b[:3])
                for b in a.bridge
            )
            and type(a.held_by) is tuple
            and all(type(h) is str for h in a.held_by)
        ):
            raise ValueError(f"the advice for {a.group} is malformed")
    return advice


def split_advice(
    inventory: Inventory,
    results: Mapping[AppId, Planned],
    graph: GroupGraph,
    group_id: str,
    caps: Caps,
) -> SplitAdvice:
    couples = graph.coupling
    group = next(g for g in graph.groups if g.id == group_id)
    local = {couples.index[a]: k for k, a in enumerate(group.applications)}
    n = len(group.applications)
    atoms = _Atoms(n)
    held: dict[int, set[str]] = {}
    for a, b, _ in couples.shared:
        if a in local and b in local:
            atoms.join(local[a], local[b])
    for a, b, reason in couples.shared:
        if a in local and b in local:
            held.setdefault(atoms.find(local[a]), set()).add(reason)
    roots = sorted({atoms.find(k) for k in range(n)})
    atom_of = {root: number for number, root in enumerate(roots)}
    of = [atom_of[atoms.find(k)] for k in range(n)]
    size = [[0, 0, 0] for _ in roots]
    servers: list[set[ServerId]] = [set() for _ in roots]
    for k, app_id in enumerate(group.applications):
        size[of[k]][0] += 1
        size[of[k]][2] += results[app_id].person_days
        servers[of[k]].update(inventory.apps_by_id[app_id].servers)
    for number, found in enumerate(servers):
        size[number][1] = len(found)
    deps = [
        (of[local[c]], of[local[p]], c, p, dep)
        for c, p, dep in couples.links
        if c in local and p in local and of[local[c]] != of[local[p]]
    ]
    order = _order(len(roots), deps)
    dag = _DynamicOrder(order, size, caps)
    tries = []
    for a, b, c, p, dep in deps:
        if order[a] < order[b] and not dep.latency_sensitive:
            dag.add(a, b)  # along the order: kept, no cycle
        else:
            tries.append((a, b, c, p, dep))
    tries.sort(key=lambda t: (-_cost(t[4]), couples.apps[t[2]], couples.apps[t[3]]))
    bridged = _keep_what_fits(dag, tries, caps)
    blocks = dag.blocks()
    largest = max(sizes[0] for sizes in blocks)
    oversize_atoms = [number for number in range(len(roots)) if _over(size[number], caps)]
    held_by = sorted({r for number in oversize_atoms for r in held.get(roots[number], ())})
    return SplitAdvice(
        group_id,
        tuple(
            sorted(
                (couples.apps[c], couples.apps[p], dep.kind, dep.latency_sensitive)
                for _, _, c, p, dep in bridged
            )
        ),
        largest,
        not any(_over(sizes, caps) for sizes in blocks),
        tuple(held_by),
    )


def _keep_what_fits(dag: _DynamicOrder, tries: list[_Try], caps: Caps) -> list[_Try]:
    """The dependencies that cannot come back. They come back in rounds, the groups they
    may join growing from a single application to a wave: a dependency that would join
    a large group (a hub and everything behind its back-edge) waits until the small ones
    are in, which keeps it from filling a wave and forcing many others out. A dependency
    refused for a group of n applications is not tried again before groups may hold n:
    adding dependencies only makes groups grow."""
    pending = [(t, 0) for t in tries]
    limit = 0
    while True:
        limit = min(max(1, limit * 2), caps.apps)
        share = limit / caps.apps
        dag.caps = Caps(
            limit,
            None if caps.servers is None else math.ceil(caps.servers * share),
            None if caps.person_days is None else math.ceil(caps.person_days * share),
        )
        left = []
        for t, needed in pending:
            if needed > limit:
                left.append((t, needed))
            elif not dag.keep(t[0], t[1], t[4].latency_sensitive):
                left.append((t, dag.refused))
        pending = left
        if limit == caps.apps:
            return [t for t, _ in pending]


def _over(sizes: Sequence[int], caps: Caps) -> bool:
    return (
        sizes[0] > caps.apps
        or (caps.servers is not None and sizes[1] > caps.servers)
        or (caps.person_days is not None and sizes[2] > caps.person_days)
    )


def _order(count: int, deps: Sequence[tuple[int, int, int, int, Dependency]]) -> list[int]:
    """Each atom's place in an order most dependencies follow (Eades, Lin and Smyth):
    atoms nothing depends on go first, atoms that depend on nothing last, and otherwise
    the atom whose outgoing weight most exceeds its incoming weight goes next."""
    weight: dict[tuple[int, int], int] = {}
    for a, b, _, _, dep in deps:
        weight[a, b] = weight.get((a, b), 0) + _cost(dep)
        if dep.latency_sensitive:
            weight[b, a] = weight.get((b, a), 0) + _cost(dep)
    succ: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    pred: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    out_w, in_w = [0] * count, [0] * count
    out_n, in_n = [0] * count, [0] * count
    for (a, b), w in weight.items():
        succ[a].append((b, w))
        pred[b].append((a, w))
        out_w[a] += w
        in_w[b] += w
        out_n[a] += 1
        in_n[b] += 1
    removed = [False] * count
    sinks = [v for v in range(count) if not out_n[v]]
    sources = [v for v in range(count) if not in_n[v]]
    heap = [(in_w[v] - out_w[v], v) for v in range(count)]
    heapq.heapify(heap)
    front: list[int] = []
    back: list[int] = []

    def remove(v: int) -> None:
        removed[v] = True
        for b, w in succ[v]:
            if not removed[b]:
                in_n[b] -= 1
                in_w[b] -= w
                if not in_n[b]:
                    sources.append(b)
                heapq.heappush(heap, (in_w[b] - out_w[b], b))
        for a, w in pred[v]:
            if not removed[a]:
                out_n[a] -= 1
                out_w[a] -= w
                if not out_n[a]:
                    sinks.append(a)
                heapq.heappush(heap, (in_w[a] - out_w[a], a))

    left = count
    while left:
        if sinks:
            v = sinks.pop()
            if not removed[v]:
                back.append(v)
                remove(v)
                left -= 1
            continue
        if sources:
            v = sources.pop()
            if not removed[v]:
                front.append(v)
                remove(v)
                left -= 1
            continue
        key, v = heapq.heappop(heap)
        if removed[v] or key != in_w[v] - out_w[v]:
            continue  # an entry made stale by a later change
        front.append(v)
        remove(v)
        left -= 1
    place = [0] * count
    for position, v in enumerate(front + back[::-1]):
        place[v] = position
    return place


_GAP = 1 << 40  # between two labels of the order when they are (re)numbered


class _DynamicOrder:
    """The atoms' graph of kept dependencies, its cycles merged into blocks, and a
    topological order of the blocks kept up to date as edges are added (Pearce-Kelly's
    searches, kept to the blocks between the new edge's ends; of the two, only the one
    that finishes first is moved, which is valid either way).

    A block is named by one of its atoms; the edges are kept between live blocks, each
    named once: a merge renames the merged blocks at the other ends of their edges.
    """

    def __init__(self, order: list[int], size: list[list[int]], caps: Caps) -> None:
        count = len(order)
        self.caps = caps
        self.block_of = list(range(count))  # atom → its block (relabelled on a merge)
        self.members = [[v] for v in range(count)]
        self.size = [list(s) for s in size]
        # The order is a linked list of the live blocks (``before``/``after``, -1 at the
        # ends) with labels that grow along it (``place``), spaced so that blocks can be
        # put between two neighbours; when there is no room left, all are relabelled.
        self.place = [(position + 1) * _GAP for position in order]
        ranked = sorted(range(count), key=order.__getitem__)
        self.before = [-1] * count
        self.after = [-1] * count
        for left, right in itertools.pairwise(ranked):
            self.after[left], self.before[right] = right, left
        self.first = ranked[0] if ranked else -1
        self.succ: list[set[int]] = [set() for _ in range(count)]
        self.pred: list[set[int]] = [set() for _ in range(count)]
        self.refused = 0  # applications in the cycle the last refused edge would have made

    def add(self, a: int, b: int) -> None:
        """Record an edge that cannot make a cycle (or lies inside a block)."""
        ra, rb = self.block_of[a], self.block_of[b]
        if ra != rb:
            self.succ[ra].add(rb)
            self.pred[rb].add(ra)

    def keep(self, a: int, b: int, both_ways: bool) -> bool:
        """Add a → b (and b → a) unless that would join a block larger than a wave."""
        ra, rb = self.block_of[a], self.block_of[b]
        if ra == rb:
            return True
        if not both_ways:
            if self.place[ra] < self.place[rb]:
                self.add(a, b)
                return True
            return self._insert(ra, rb, closed=False)
        if self.place[ra] < self.place[rb]:
            ra, rb = rb, ra
        # rb → ra goes along the order; ra → rb against it closes a cycle through both.
        return self._insert(ra, rb, closed=True)

    def _insert(self, ra: int, rb: int, closed: bool) -> bool:
        """Add ra → rb, against the order (and rb → ra with ``closed``).

        The blocks reachable from rb (ahead) and those that reach ra (behind), between
        the two in the order, are searched in step, so that the smaller is known first:
        a cycle through the new edge lies inside both, an edge refused for the size of its
        cycle costs only the smaller search, and so does an edge kept, since only the
        smaller side moves. On the 100,000-application estate (a group of 40,000,
        16,000 dependencies to try) moving both sides took 20 million search steps.
        """
        low, high = self.place[rb], self.place[ra]
        ahead = _Search(self, [rb], self.succ, high, 1)
        behind = _Search(self, [ra], self.pred, low, -1)
        # A block both searches reach lies on the cycle: once those blocks alone are
        # larger than allowed, the edge is refused without finishing either search (on
        # a group of 40,000 applications, most of the work was refusing large cycles).
        common = _Common(self.size, self.caps)
        if closed:
            common.add(ra)
            common.add(rb)
        if self._in_step(ahead, behind, common):
            self.refused = common.total[0]
            return False
        first = ahead if not ahead.stack else behind
        if closed:
            ahead.seen.add(ra)
            behind.seen.add(rb)
        cycle: set[int] = set()
        total = [0, 0, 0]
        if (ra in ahead.seen) if first is ahead else (rb in behind.seen):
            # The cycle: what is reachable from rb and reaches ra, inside the smaller set.
            if first is ahead:
                cycle = _Search(
                    self, [ra, rb] if closed else [ra], self.pred, low, -1, ahead.seen
                ).run()
            else:
                cycle = _Search(
                    self, [rb, ra] if closed else [rb], self.succ, high, 1, behind.seen
                ).run()
            total = [sum(self.size[r][k] for r in cycle) for k in range(3)]
            if _over(total, self.caps):
                self.refused = total[0]
                return False
        # Only the search that finished moves (the smaller side: Pearce and Kelly move
        # both, which cost every block reachable between the two ends). What reaches ra
        # goes just before rb, or what rb reaches goes just after ra; a cycle becomes one
        # block in the place of the end that stays, which is on it.
        if first is behind:
            moved, anchor, ahead_of_it = behind.seen - cycle, rb, False
        else:
            moved, anchor, ahead_of_it = ahead.seen - cycle, ra, True
        ranked = sorted(moved, key=self.place.__getitem__)
        if cycle:
            root = self._merge(cycle, total)
            self._take_place(anchor, root, cycle)
            anchor = root
        else:
            self.succ[ra].add(rb)
            self.pred[rb].add(ra)
        self._move(ranked, anchor, ahead_of_it)
        return True

    def _in_step(self, ahead: _Search, behind: _Search, common: _Common) -> bool:
        """Run the two searches in step, by the edges each has read (not by blocks: a
        block merged from many has thousands, and the search that reached it must wait
        for the other), until one is done; True as soon as the blocks both have reached
        are larger than allowed. It is ``_Search.step`` for each side, written out here
        with the other side at hand: tens of thousands of steps for one group."""
        place, succ, pred = self.place, self.succ, self.pred
        ahead_stack, ahead_seen, high = ahead.stack, ahead.seen, ahead.bound
        behind_stack, behind_seen, low = behind.stack, behind.seen, behind.bound
        ahead_work = behind_work = 0
        if common.over:  # the two ends alone (an edge both ways)
            return True
        while ahead_stack and behind_stack:
            if ahead_work <= behind_work:
                edges = succ[ahead_stack.popleft()]
                ahead_work += len(edges)
                new = [b for b in edges if b not in ahead_seen and place[b] <= high]
                if new:
                    ahead_seen.update(new)
                    ahead_stack.extend(new)
                    for block in new:
                        if block in behind_seen:
                            common.add(block)
                            if common.over:
                                return True
            else:
                edges = pred[behind_stack.popleft()]
                behind_work += len(edges)
                new = [b for b in edges if b not in behind_seen and place[b] >= low]
                if new:
                    behind_seen.update(new)
                    behind_stack.extend(new)
                    for block in new:
                        if block in ahead_seen:
                            common.add(block)
                            if common.over:
                                return True
        return False

    def _merge(self, cycle: set[int], total: list[int]) -> int:
        """Make the blocks of ``cycle`` one, named by the one with the most edges; the
        edges of the others are renamed at their other ends too, so that every edge set
        names live blocks only, each once (a block next to a hub would otherwise read the
        hub's old names again and again)."""
        succ_of, pred_of = self.succ, self.pred
        root = max(cycle, key=lambda block: (len(succ_of[block]) + len(pred_of[block]), block))
        others = cycle - {root}
        succ, pred = succ_of[root], pred_of[root]
        for block in others:
            for atom in self.members[block]:
                self.block_of[atom] = root
            self.members[root].extend(self.members[block])
            self.members[block] = []
            for after in succ_of[block]:
                if after not in cycle:  # the cycle's own edges end inside the block
                    preds = pred_of[after]
                    preds.discard(block)
                    preds.add(root)
                    succ.add(after)
            for before in pred_of[block]:
                if before not in cycle:
                    succs = succ_of[before]
                    succs.discard(block)
                    succs.add(root)
                    pred.add(before)
            succ_of[block] = set()
            pred_of[block] = set()
        succ -= cycle
        pred -= cycle
        self.size[root] = total
        return root

    def _unlink(self, block: int) -> None:
        left, right = self.before[block], self.after[block]
        if left == -1:
            self.first = right
        else:
            self.after[left] = right
        if right != -1:
            self.before[right] = left

    def _link(self, block: int, left: int, right: int) -> None:
        """Put ``block`` between the neighbours ``left`` and ``right`` (-1: an end)."""
        self.before[block], self.after[block] = left, right
        if left == -1:
            self.first = block
        else:
            self.after[left] = block
        if right != -1:
            self.before[right] = block

    def _take_place(self, anchor: int, root: int, cycle: set[int]) -> None:
        """The merged block ``root`` takes ``anchor``'s place; the cycle's others leave."""
        for block in cycle - {anchor}:
            self._unlink(block)
        if root != anchor:
            self._link(root, anchor, self.after[anchor])
            self._unlink(anchor)
            self.place[root] = self.place[anchor]

    def _move(self, blocks: list[int], anchor: int, ahead_of_it: bool) -> None:
        """Put ``blocks``, in this order, just after ``anchor`` (or just before it)."""
        if not blocks:
            return
        for block in blocks:
            self._unlink(block)
        left = anchor if ahead_of_it else self.before[anchor]
        right = self.after[anchor] if ahead_of_it else anchor
        for block in blocks:
            self._link(block, left, right)
            left = block
        # The anchor is one of the two neighbours, so at least one end has a label.
        place, span = self.place, (len(blocks) + 1) * _GAP
        outer = self.before[blocks[0]]
        low = place[outer] if outer != -1 else place[right] - span
        high = place[right] if right != -1 else low + span
        step = (high - low) // (len(blocks) + 1)
        if step == 0:
            self._relabel()
            return
        for number, block in enumerate(blocks, start=1):
            place[block] = low + step * number

    def _relabel(self) -> None:
        """Space every live block's label by _GAP again, in the order."""
        block, label = self.first, _GAP
        while block != -1:
            self.place[block] = label
            label += _GAP
            block = self.after[block]

    def blocks(self) -> list[list[int]]:
        return [self.size[v] for v in range(len(self.members)) if self.members[v]]


class _Common:
    """The blocks two searches have both reached, and their size against the caps."""

    def __init__(self, size: list[list[int]], caps: Caps) -> None:
        self.size, self.caps = size, caps
        self.blocks: set[int] = set()
        self.total = [0, 0, 0]
        self.over = False

    def add(self, block: int) -> None:
        if block in self.blocks:
            return
        self.blocks.add(block)
        sizes, total = self.size[block], self.total
        total[0] += sizes[0]
        total[1] += sizes[1]
        total[2] += sizes[2]
        self.over = _over(total, self.caps)


class _Search:
    """A breadth-first search over the blocks, one block a step, kept to the blocks
    between the two ends of a new edge (those whose place is at most ``bound`` with
    ``sign`` 1, at least it with -1) and to ``within`` if given.

    Breadth first, because two searches going in step from the two ends of a cycle meet
    sooner that way than depth first, which may wander far from the cycle: what both have
    reached is what refuses an edge early (10,000 applications, 400 a wave: 74,000 steps
    of refused tries → 32,000). A search that runs to its end reaches the same blocks
    either way, so the advice does not depend on it."""

    def __init__(
        self,
        dag: _DynamicOrder,
        starts: list[int],
        edges: list[set[int]],
        bound: int,
        sign: int,
        within: set[int] | None = None,
    ) -> None:
        self.dag, self.edges, self.sign, self.within = dag, edges, sign, within
        self.bound = bound
        self.seen = set(starts)
        self.stack = deque(starts)  # the blocks to search on from, oldest first

    def step(self) -> None:
        # Every edge set names live blocks, each once (``_merge`` renames them), so a
        # block is read as it is, not through ``block_of``.
        edges = self.edges[self.stack.popleft()]
        seen, place, bound = self.seen, self.dag.place, self.bound
        if self.sign > 0:
            new = [block for block in edges if block not in seen and place[block] <= bound]
        else:
            new = [block for block in edges if block not in seen and place[block] >= bound]
        if self.within is not None:
            within = self.within
            new = [block for block in new if block in within]
        seen.update(new)
        self.stack.extend(new)

    def run(self) -> set[int]:
        while self.stack:
            self.step()
        return self.seen


def advice_warning(graph: GroupGraph, group_id: str, caps: Caps, advice: SplitAdvice | None) -> str:
    """The warning for an oversize move group, with its split advice when there is one."""
    group = next(g for g in graph.groups if g.id == group_id)
    limits = (
        f"max_apps_per_wave {caps.apps}"
        + (f", max_servers_per_wave {caps.servers}" if caps.servers else "")
        + (f", max_person_days_per_wave {caps.person_days}" if caps.person_days else "")
    )
    head = (
        f"move group {group.id} ({len(group.applications)} "
        f"application{'s' * (len(group.applications) != 1)}) is larger than a wave "
        f"({limits}): it gets a wave of its own"
    )
    if advice is None or len(group.applications) == 1:
        return head
    if not advice.bridge:
        return head + (f"; no bridge can split it: {', '.join(advice.held_by)} hold it together")
    named = "; ".join(
        f"{c} → {p} ({kind}{', latency-sensitive' if latency else ''})"
        for c, p, kind, latency in advice.bridge[:SHOWN]
    )
    more = (
        f" and {len(advice.bridge) - SHOWN} more (all of them are in --format json and the plan)"
        if len(advice.bridge) > SHOWN
        else ""
    )
    result = (
        f"into groups that fit (the largest {advice.largest_after} applications)"
        if advice.fits
        else f"as far as bridges can (the largest part left: {advice.largest_after} "
        f"applications, held together by "
        f"{', '.join(advice.held_by) or 'a single application'})"
    )
    return (
        f"{head}; bridging {len(advice.bridge)} dependenc"
        f"{'y' if len(advice.bridge) == 1 else 'ies'} would split it {result}: "
        f"{named}{more}. Mark them 'bridge: true' or add their kinds to planning.bridge"
    )
