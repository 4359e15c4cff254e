"""The dependency graph and the move groups: what must move in the same wave, and why.

Applications are nodes; ``A depends_on B`` is an edge A → B (consumer → provider). A move
group joins applications in a dependency cycle, at the two ends of a latency-sensitive
dependency, or sharing a server or a database. Joining can itself make groups depend on
each other both ways; such groups are joined too ("cycle"), so that the groups always
form a directed acyclic graph that a schedule can follow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from migrator.inventory.model import Inventory, fast_init


@fast_init
@dataclass(frozen=True, slots=True)
class MoveGroup:
    id: str
    applications: tuple[str, ...]
    reasons: tuple[str, ...]  # "cycle", "latency", "shared-server:<id>", "shared-database:<id>"


@dataclass(frozen=True, slots=True)
class GroupGraph:
    """The move groups of the migrating applications, and the order between them."""

    groups: tuple[MoveGroup, ...]
    group_of: Mapping[str, str]  # application id → group id
    dag: nx.DiGraph  # group id → group id, consumer → provider


def dependency_graph(inventory: Inventory, only: set[str] | None = None) -> nx.DiGraph:
    """The applications (all, or ``only`` those) and their dependencies between them, as
    consumer → provider edges."""
    def keep(app_id: str) -> bool:
        return app_id in inventory.apps_by_id if only is None else app_id in only

    graph = nx.DiGraph()
    graph.add_nodes_from(app.id for app in inventory.applications if keep(app.id))
    graph.add_edges_from(
        (app.id, dep.app, {"kind": dep.kind, "latency_sensitive": dep.latency_sensitive})
        for app in inventory.applications if keep(app.id)
        for dep in app.depends_on if dep.app != app.id and keep(dep.app))
    return graph


def move_groups(inventory: Inventory, migrating: Iterable[str]) -> GroupGraph:
    members = set(migrating)
    graph = dependency_graph(inventory, members)
    ties = nx.Graph()
    ties.add_nodes_from(sorted(members))
    reasons: dict[frozenset[str], set[str]] = defaultdict(set)

    def tie(a: str, b: str, reason: str) -> None:
        ties.add_edge(a, b)
        reasons[frozenset((a, b))].add(reason)

    for component in nx.strongly_connected_components(graph):
        ordered = sorted(component)
        for other in ordered[1:]:
            tie(ordered[0], other, "cycle")
    for a, b, data in graph.edges(data=True):
        if data.get("latency_sensitive"):
            tie(a, b, "latency")
    for kind, users in (("server", _users(inventory, members, "servers")),
                        ("database", _users(inventory, members, "databases"))):
        for thing, apps in users.items():
            for other in apps[1:]:
                tie(apps[0], other, f"shared-{kind}:{thing}")

    components = [frozenset(c) for c in nx.connected_components(ties)]
    # The graph of the groups themselves, kept small: each dependency between two groups
    # once, not once per pair of applications.
    index = {app: number for number, component in enumerate(components) for app in component}
    edges = {(index[a], index[b]) for a, b in graph.edges() if index[a] != index[b]}
    while True:  # joining may make two groups depend on each other: join those too
        between = nx.DiGraph()
        between.add_nodes_from(range(len(components)))
        between.add_edges_from(edges)
        loops = [c for c in nx.strongly_connected_components(between) if len(c) > 1]
        if not loops:
            break
        merged: list[frozenset[str]] = []
        renumber: dict[int, int] = {}
        for loop in loops:
            union = frozenset().union(*(components[i] for i in loop))
            apps = sorted(union)
            for other in apps[1:]:
                reasons[frozenset((apps[0], other))].add("cycle")
            renumber.update((i, len(merged)) for i in loop)
            merged.append(union)
        for number, component in enumerate(components):
            if number not in renumber:
                renumber[number] = len(merged)
                merged.append(component)
        components = merged
        edges = {(renumber[a], renumber[b]) for a, b in edges if renumber[a] != renumber[b]}
    return _name_groups(components, edges, reasons)


def _users(inventory: Inventory, members: set[str], attr: str) -> dict[str, list[str]]:
    users: dict[str, list[str]] = defaultdict(list)
    for app in inventory.applications:
        if app.id in members:
            for thing in getattr(app, attr):
                users[thing].append(app.id)
    return {thing: apps for thing, apps in users.items() if len(apps) > 1}


def _name_groups(components: list[frozenset[str]], edges: set[tuple[int, int]],
                 reasons: Mapping[frozenset[str], set[str]]) -> GroupGraph:
    # Stable ids: groups numbered by their first application id.
    order = sorted(range(len(components)), key=lambda i: min(components[i]))
    name = {i: f"mg-{number}" for number, i in enumerate(order, 1)}
    group_of = {app: name[i] for i in order for app in components[i]}
    found: dict[str, set[str]] = defaultdict(set)
    for pair, why in reasons.items():
        found[group_of[next(iter(pair))]].update(why)
    groups = [MoveGroup(name[i], tuple(sorted(components[i])), tuple(sorted(
        found[name[i]], key=lambda r: (_REASON_ORDER.get(r.split(":")[0], 9), r))))
        for i in order]
    dag = nx.DiGraph()
    dag.add_nodes_from(g.id for g in groups)
    dag.add_edges_from((name[a], name[b]) for a, b in sorted(edges))
    return GroupGraph(tuple(groups), group_of, dag)


_REASON_ORDER = {"cycle": 0, "latency": 1, "shared-server": 2, "shared-database": 3}
