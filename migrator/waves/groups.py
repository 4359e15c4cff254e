"""The dependency graph and the move groups: what must move in the same wave, and why.

Applications are nodes; ``A depends_on B`` is an edge A → B (consumer → provider). A move
group joins applications in a dependency cycle, at the two ends of a latency-sensitive
dependency, or sharing a server or a database (rule 2 of docs/waves.md). Joining can itself make
groups depend on each other both ways; such groups are joined too ("cycle"), so that the
groups always form a directed acyclic graph that a schedule can follow.

All of that is one computation: the move groups are the strongly connected components of
the graph whose edges are the dependencies, plus each tie (latency, shared server or
database) as an edge both ways. The components of that graph are exactly the smallest
groups that keep every tie inside and leave the graph of groups acyclic. A dependency
that may cross waves (``planning.bridge``, a dependency's ``bridge: true``) and a
dependency on a shared service (``planning.shared_services``) is neither an edge nor a
tie (rule 7): it becomes a hybrid link instead.

The graph is kept as lists of integers and its components found by an iterative Tarjan
search, linear in applications and dependencies: networkx would spend more time building
its dictionaries of 70,000 edges (0.4 s) than the whole schedule may take, and importing it
costs `waves` and `assess` 0.19 s (the diagrams, which draw the graph, still use it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from migrator.inventory.model import AppId, DatabaseId, Dependency, Inventory, Planning, ServerId
from migrator.speed import fast_init


@fast_init
@dataclass(frozen=True, slots=True)
class MoveGroup:
    id: str
    applications: tuple[AppId, ...]
    reasons: tuple[str, ...]  # "cycle", "latency", "shared-server:<id>", "shared-database:<id>"


@dataclass(frozen=True, slots=True)
class Coupling:
    """What ties the migrating applications together, by index into ``apps`` (sorted)."""

    apps: tuple[AppId, ...]
    index: Mapping[AppId, int]
    # Dependencies that order waves and may join groups: (consumer, provider, dependency).
    links: tuple[tuple[int, int, Dependency], ...]
    # Pairs that share a server or a database: they move together, whatever is bridged.
    shared: tuple[tuple[int, int, str], ...]
    # Dependencies on a shared service, (consumer, provider): they neither order nor join.
    extended: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class GroupGraph:
    """The move groups of the migrating applications, and the order between them."""

    groups: tuple[MoveGroup, ...]
    group_of: Mapping[AppId, str]  # application id → group id
    # For each group (by position in ``groups``), the groups it depends on (its providers).
    providers: tuple[tuple[int, ...], ...]
    coupling: Coupling
    group_at: tuple[int, ...]  # for each application of ``coupling``, its group's position


def coupling(inventory: Inventory, migrating: Iterable[AppId], planning: Planning) -> Coupling:
    apps = tuple(sorted(set(migrating)))
    index = {app: i for i, app in enumerate(apps)}
    shared_services = set(planning.shared_services)
    kinds = set(planning.bridge)
    links: list[tuple[int, int, Dependency]] = []
    extended: list[tuple[int, int]] = []
    users: dict[tuple[str, ServerId | DatabaseId], list[int]] = defaultdict(list)
    by_id = inventory.apps_by_id
    for consumer, app_id in enumerate(apps):
        app = by_id[app_id]
        for dep in app.depends_on:
            target = dep.app
            provider = index.get(target)
            if provider is None or provider == consumer:
                continue
            bridged = dep.bridge
            if dep.kind in kinds if bridged is None else bridged:
                continue  # planning.bridged(dep), inline: 70,000 dependencies
            if target in shared_services:
                extended.append((consumer, provider))
            else:
                links.append((consumer, provider, dep))
        for server in app.servers:
            users["server", server].append(consumer)
        for database in app.databases:
            users["database", database].append(consumer)
    shared = tuple(
        (members[0], other, f"shared-{kind}:{thing}")
        for (kind, thing), members in users.items()
        if len(members) > 1
        for other in members[1:]
    )
    return Coupling(apps, index, tuple(links), shared, tuple(extended))


def move_groups(
    inventory: Inventory, migrating: Iterable[AppId], planning: Planning | None = None
) -> GroupGraph:
    couples = coupling(inventory, migrating, planning or inventory.planning)
    n = len(couples.apps)
    joined: list[list[int]] = [[] for _ in range(n)]
    for consumer, provider, dep in couples.links:
        joined[consumer].append(provider)
        if dep.latency_sensitive:
            joined[provider].append(consumer)
    for a, b, _ in couples.shared:
        joined[a].append(b)
        joined[b].append(a)
    component = strong_components(joined)
    return _name_groups(couples, component)


def strong_components(successors: Sequence[Sequence[int]]) -> list[int]:
    """The strongly connected component of each node (Tarjan's algorithm, iteratively):
    numbers 0, 1, … in the order the components are completed."""
    n = len(successors)
    order = [-1] * n  # discovery number
    low = [0] * n
    component = [-1] * n
    stack: list[int] = []
    counter = 0
    found = 0
    for root in range(n):
        if order[root] != -1:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack.append(root)
        work = [(root, iter(successors[root]))]
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if order[nxt] == -1:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    work.append((nxt, iter(successors[nxt])))
                    break
                if component[nxt] == -1 and order[nxt] < low[node]:
                    low[node] = order[nxt]
            else:
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == order[node]:
                    while True:
                        member = stack.pop()
                        component[member] = found
                        if member == node:
                            break
                    found += 1
    return component


def _name_groups(couples: Coupling, component: list[int]) -> GroupGraph:
    apps = couples.apps
    members: dict[int, list[int]] = defaultdict(list)
    for app, comp in enumerate(component):
        members[comp].append(app)  # in index order, which is id order
    # Stable ids: groups numbered by their first application id.
    ordered = sorted(members.values(), key=lambda m: m[0])
    position = {component[m[0]]: number for number, m in enumerate(ordered)}
    names = [f"mg-{number}" for number in range(1, len(ordered) + 1)]
    group_at = [position[c] for c in component]
    reasons = _reasons(couples, group_at, len(ordered))
    providers: list[set[int]] = [set() for _ in ordered]
    for consumer, provider, _ in couples.links:
        a, b = group_at[consumer], group_at[provider]
        if a != b:
            providers[a].add(b)
    groups = tuple(
        MoveGroup(names[g], tuple([apps[i] for i in m]), _in_order(reasons[g]))
        for g, m in enumerate(ordered)
    )
    group_of = dict(zip(apps, [names[g] for g in group_at], strict=True))
    return GroupGraph(
        groups, group_of, tuple(tuple(sorted(p)) for p in providers), couples, tuple(group_at)
    )


def _reasons(couples: Coupling, group_at: list[int], count: int) -> list[set[str]]:
    """Why each group holds together: its ties, and "cycle" when a dependency cycle (of
    applications, or of the parts that its ties join) is needed to hold it."""
    reasons: list[set[str]] = [set() for _ in range(count)]
    parent = list(range(len(group_at)))
    # A group's parts: its applications, less one for each tie that joins two parts (a
    # tie is always inside a group).
    parts = [0] * count
    for group in group_at:
        parts[group] += 1

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def tie(a: int, b: int, reason: str) -> None:
        group = group_at[a]
        reasons[group].add(reason)
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
            parts[group] -= 1

    # Latency ties, and the dependencies inside groups (for their cycles), in one pass.
    local: dict[int, int] = {}
    within: list[list[int]] = []
    for consumer, provider, dep in couples.links:
        if group_at[consumer] != group_at[provider]:
            continue
        if dep.latency_sensitive:
            tie(consumer, provider, "latency")
        c = local.get(consumer)
        if c is None:
            c = local[consumer] = len(within)
            within.append([])
        p = local.get(provider)
        if p is None:
            p = local[provider] = len(within)
            within.append([])
        within[c].append(p)
    for a, b, reason in couples.shared:
        tie(a, b, reason)
    for group, left in enumerate(parts):
        if left > 1:
            reasons[group].add("cycle")
    # Dependency cycles inside a group, among the applications of groups of two or more.
    cycles = strong_components(within)
    sizes: dict[int, int] = defaultdict(int)
    for comp in cycles:
        sizes[comp] += 1
    for app, number in local.items():
        if sizes[cycles[number]] > 1:
            reasons[group_at[app]].add("cycle")
    return reasons


_REASON_ORDER = {"cycle": 0, "latency": 1, "shared-server": 2, "shared-database": 3}


def _in_order(reasons: set[str]) -> tuple[str, ...]:
    if len(reasons) < 2:  # most groups: one application, no reason to sort
        return tuple(reasons)
    return tuple(sorted(reasons, key=lambda r: (_REASON_ORDER.get(r.split(":")[0], 9), r)))
