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

from migrator.inventory.model import Inventory


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
    while True:  # joining may make two groups depend on each other: join those too
        dag = nx.condensation(graph, [set(c) for c in components])
        loops = [c for c in nx.strongly_connected_components(dag) if len(c) > 1]
        if not loops:
            break
        merged = []
        used = set()
        for loop in loops:
            union = frozenset().union(*(components[i] for i in loop))
            apps = sorted(union)
            for other in apps[1:]:
                reasons[frozenset((apps[0], other))].add("cycle")
            merged.append(union)
            used.update(loop)
        components = merged + [c for i, c in enumerate(components) if i not in used]
    return _name_groups(components, graph, reasons)


def _users(inventory: Inventory, members: set[str], attr: str) -> dict[str, list[str]]:
    users: dict[str, list[str]] = defaultdict(list)
    for app in inventory.applications:
        if app.id in members:
            for thing in getattr(app, attr):
                users[thing].append(app.id)
    return {thing: apps for thing, apps in users.items() if len(apps) > 1}


def _name_groups(components: list[frozenset[str]], graph: nx.DiGraph,
                 reasons: Mapping[frozenset[str], set[str]]) -> GroupGraph:
    # Stable ids: groups numbered by their first application id.
    ordered = sorted(components, key=lambda c: min(c))
    group_of: dict[str, str] = {}
    for number, component in enumerate(ordered, 1):
        for app in component:
            group_of[app] = f"mg-{number}"
    found: dict[str, set[str]] = defaultdict(set)
    for pair, why in reasons.items():
        found[group_of[next(iter(pair))]].update(why)
    groups = [MoveGroup(f"mg-{number}", tuple(sorted(component)), tuple(sorted(
        found[f"mg-{number}"], key=lambda r: (_REASON_ORDER.get(r.split(":")[0], 9), r))))
        for number, component in enumerate(ordered, 1)]
    dag = nx.DiGraph()
    dag.add_nodes_from(g.id for g in groups)
    for a, b in graph.edges():
        ga, gb = group_of[a], group_of[b]
        if ga != gb:
            dag.add_edge(ga, gb)
    return GroupGraph(tuple(groups), group_of, dag)


_REASON_ORDER = {"cycle": 0, "latency": 1, "shared-server": 2, "shared-database": 3}
