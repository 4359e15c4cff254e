"""What a diagram shows: nodes, edges and clusters, filtered, and aggregated when large.

The view is independent of the drawing: DOT and Mermaid render the same view, so that
the colours, shapes and clusters mean the same in both.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, assert_never

import networkx as nx

from migrator.assess.model import ForPlanning, Planned
from migrator.choices import Aggregate, ClusterBy, ColorBy
from migrator.errors import UsageError
from migrator.inventory.model import AppId, Inventory
from migrator.waves.model import Schedule


def dependency_graph(inventory: Inventory, only: set[AppId] | None = None) -> nx.DiGraph:
    """The applications (all, or ``only`` those) and their dependencies between them, as
    consumer → provider edges."""

    def keep(app_id: AppId) -> bool:
        return app_id in inventory.apps_by_id if only is None else app_id in only

    graph = nx.DiGraph()
    graph.add_nodes_from(app.id for app in inventory.applications if keep(app.id))
    graph.add_edges_from(
        (app.id, dep.app, {"kind": dep.kind, "latency_sensitive": dep.latency_sensitive})
        for app in inventory.applications
        if keep(app.id)
        for dep in app.depends_on
        if dep.app != app.id and keep(dep.app)
    )
    return graph


class NodeKey(NamedTuple):
    """The node an application is drawn in when the diagram is aggregated: its move group,
    itself (in no group of more than one), or its business domain."""

    kind: Literal["group", "app", "domain"]
    name: str  # the group's id, the application's id, the domain

    @property
    def text(self) -> str:
        """The node's id in DOT and Mermaid: "mg-003", "app:lims", "domain:Quality"."""
        return self.name if self.kind == "group" else f"{self.kind}:{self.name}"


MAX_NODES = 300  # above this a diagram is no longer readable: it is aggregated
STAYING = "staying"  # the cluster of the applications that do not migrate

STRATEGY_COLORS = {
    "rehost": "#4e79a7",
    "replatform": "#59a14f",
    "refactor": "#b07aa1",
    "repurchase": "#f28e2b",
    "retire": "#bab0ac",
    "retain": "#9c755f",
    "relocate": "#76b7b2",
    "external": "#ffffff",
    "mixed": "#d4d4d4",
}
READINESS_COLORS = {
    "ready": "#59a14f",
    "ready-with-conditions": "#edc948",
    "not-ready": "#e15759",
    "unknown": "#bab0ac",
    "external": "#ffffff",
    "mixed": "#d4d4d4",
}


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    label: str
    shape: str  # custom, cots, saas, external, or group / domain when aggregated
    color_key: str  # a strategy or readiness (or external, mixed)
    tooltip: str
    count: int = 1  # applications behind an aggregated node


@dataclass(frozen=True, slots=True)
class Edge:
    source: str  # the consumer
    target: str  # the provider
    style: str  # sync, async, batch, file, database, latency
    count: int = 1


Clusters = tuple[tuple[str, str, tuple[str, ...]], ...]  # (id, label, node ids)


@dataclass(frozen=True, slots=True)
class View:
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    clusters: tuple[tuple[str, str, tuple[str, ...]], ...]  # (id, label, node ids)
    color_by: ColorBy
    aggregated: str | None  # None, "group" or "domain"
    applications: int  # applications shown, before aggregation
    # The clusters are waves, to be laid out in their order (the last, "staying", apart).
    sequence: bool = False

    @property
    def colors(self) -> Mapping[str, str]:
        return STRATEGY_COLORS if self.color_by == "strategy" else READINESS_COLORS


@dataclass(frozen=True, slots=True)
class Selection:
    focus: AppId | None = None
    depth: int = 1
    wave: int | None = None
    domain: str | None = None
    # With a wave: also the applications one link away, so that every link touching the
    # wave is drawn (the plan of one wave shows what it connects to).
    neighbours: bool = False


def build(
    inventory: Inventory,
    assessment: ForPlanning,
    schedule: Callable[[], Schedule],
    color_by: ColorBy = "strategy",
    cluster_by: ClusterBy = "domain",
    selection: Selection | None = None,
    aggregate: Aggregate = "auto",
) -> View:
    """The view of the portfolio; ``schedule`` is called only when waves are needed."""
    selection = selection or Selection()
    results: dict[AppId, Planned] = {a.app.id: a for a in assessment.applications}
    graph = dependency_graph(inventory)
    needs_waves = cluster_by in ("wave", "group") or selection.wave is not None
    plan = schedule() if needs_waves else None
    shown = _select(inventory, graph, selection, plan)
    title = _title(inventory, selection)
    mode = aggregate
    if mode == "auto":
        mode = "none" if len(shown) <= MAX_NODES else "group"
    if mode == "group":
        plan = plan or schedule()
        of = {a: g.id for g in plan.groups for a in g.applications}
        if len({of.get(a, a) for a in shown}) > MAX_NODES and aggregate == "auto":
            mode = "domain"
    if mode == "none":
        nodes = [_app_node(inventory, results, a, color_by) for a in sorted(shown)]
        edges = _app_edges(graph, shown)
        if selection.neighbours and plan is not None and selection.wave is not None:
            # Only the links that touch the wave, not those among its neighbours.
            wave = set(plan.waves[selection.wave - 1].applications)
            edges = [e for e in edges if e.source in wave or e.target in wave]
        clusters = _clusters(inventory, shown, cluster_by, plan)
        return View(
            title,
            tuple(nodes),
            tuple(edges),
            clusters,
            color_by,
            None,
            len(shown),
            cluster_by == "wave",
        )
    key: Callable[[AppId], NodeKey]
    if mode == "group":
        groups = {a: NodeKey("group", g) for a, g in of.items()}
        key = lambda a: groups.get(a) or NodeKey("app", a)  # noqa: E731
    else:
        key = lambda a: NodeKey("domain", inventory.apps_by_id[a].domain or "no domain")  # noqa: E731
    view = _aggregate(inventory, results, graph, shown, key, color_by, mode, plan, cluster_by)
    return View(title, *view, color_by, mode, len(shown), cluster_by == "wave" and bool(view[2]))


def _select(
    inventory: Inventory, graph: nx.DiGraph, selection: Selection, plan: Schedule | None
) -> set[AppId]:
    shown: set[AppId] = set(graph.nodes)
    if selection.focus is not None:
        if selection.focus not in graph:
            from migrator.diagnostics import suggest

            raise UsageError(
                f"no application '{selection.focus}'{suggest(selection.focus, list(graph.nodes))}"
            )
        near = nx.single_source_shortest_path_length(
            graph.to_undirected(as_view=True), selection.focus, cutoff=selection.depth
        )
        shown &= set(near)
    if selection.domain is not None:
        domains = {a.domain for a in inventory.applications}
        if selection.domain not in domains:
            raise UsageError(
                f"no application in domain '{selection.domain}' (domains: "
                f"{', '.join(sorted(d for d in domains if d))})"
            )
        shown &= {a.id for a in inventory.applications if a.domain == selection.domain}
    if selection.wave is not None and plan is not None:
        if not 1 <= selection.wave <= len(plan.waves):
            raise UsageError(
                f"there is no wave {selection.wave}: the plan has {len(plan.waves)} waves"
            )
        members = set(plan.waves[selection.wave - 1].applications)
        if selection.neighbours:
            members |= {n for a in members for n in nx.all_neighbors(graph, a)}
        shown &= members
    return shown


def _title(inventory: Inventory, selection: Selection) -> str:
    parts = [inventory.portfolio.name or "Portfolio"]
    if selection.focus:
        parts.append(f"around {selection.focus} (depth {selection.depth})")
    if selection.domain:
        parts.append(f"domain {selection.domain}")
    if selection.wave:
        parts.append(f"wave {selection.wave}")
    return " - ".join(parts)


def _app_node(
    inventory: Inventory, results: Mapping[AppId, Planned], app_id: AppId, color_by: ColorBy
) -> Node:
    app = inventory.apps_by_id[app_id]
    result = results.get(app_id)
    if result is None:  # external
        return Node(app_id, app.name, "external", "external", f"{app.name}: external")
    key = result.strategy if color_by == "strategy" else result.readiness
    tooltip = f"{app.name}: score {result.score}, {result.readiness}, {result.strategy}" + (
        f" → {', '.join(result.targets)}" if result.targets else ""
    )
    return Node(app_id, app.name, app.type, key, tooltip)


def _app_edges(graph: nx.DiGraph, shown: set[AppId]) -> list[Edge]:
    return [
        Edge(a, b, "latency" if data.get("latency_sensitive") else data.get("kind", "sync"))
        for a, b, data in sorted(graph.edges(data=True))
        if a in shown and b in shown
    ]


def _clusters(
    inventory: Inventory, shown: set[AppId], cluster_by: ClusterBy, plan: Schedule | None
) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    if cluster_by == "none":
        return ()
    members: dict[tuple[int, str], list[AppId]] = defaultdict(list)
    labels: dict[tuple[int, str], str] = {}
    for app_id in sorted(shown):
        if cluster_by == "domain":
            domain = inventory.apps_by_id[app_id].domain or "no domain"
            key = (0, domain)
            labels[key] = domain
        elif cluster_by == "wave":
            assert plan is not None
            number = plan.wave_of.get(app_id)
            if number is None:
                key, labels[(10**6, STAYING)] = (10**6, STAYING), "not migrating"
            else:
                key = (number, f"wave-{number}")
                labels[key] = wave_label(plan, number)
        elif cluster_by == "group":
            continue
        else:
            assert_never(cluster_by)
        members[key].append(app_id)
    if cluster_by == "group":
        assert plan is not None
        return tuple(
            (
                g.id,
                f"{group_name(inventory, g.applications)}: moved together "
                f"({', '.join(reason_text(r) for r in g.reasons)})",
                tuple(a for a in g.applications if a in shown),
            )
            for g in plan.groups
            if len(g.applications) > 1 and any(a in shown for a in g.applications)
        )
    return tuple((key[1], labels[key], tuple(ids)) for key, ids in sorted(members.items()))


def wave_label(plan: Schedule, number: int) -> str:
    wave = plan.waves[number - 1]
    count = len(wave.applications)
    return f"Wave {number} (from {wave.start.isoformat()}, {count} application{'s' * (count != 1)})"


def reason_text(reason: str) -> str:
    """A move group's reason as a reader says it."""
    kind, _, what = reason.partition(":")
    if kind == "cycle":
        return "a dependency cycle"
    if kind == "latency":
        return "latency-sensitive links"
    if kind.startswith("shared-"):
        return f"{kind.replace('-', ' ')} {what}"
    return reason


def group_name(inventory: Inventory, members: Sequence[AppId]) -> str:
    """What a group of applications holds, in words: the words their names start with
    ("SAP" for SAP ERP, SAP BW, SAP PO), or the best-connected member and how many more."""
    apps = [inventory.apps_by_id[a] for a in members]
    words = [app.name.split() for app in apps]
    common: list[str] = []
    for column in zip(*words, strict=False):
        if len({w.lower() for w in column}) != 1:
            break
        common.append(column[0])
    if common and any(c.isalnum() for c in "".join(common)):
        return " ".join(common)
    lead = min(apps, key=lambda app: (-len(app.depends_on), app.name))
    if len(apps) == 2:
        return " + ".join([lead.name, *(app.name for app in apps if app is not lead)])
    return f"{lead.name} and {len(apps) - 1} more"


def _aggregate(
    inventory: Inventory,
    results: Mapping[AppId, Planned],
    graph: nx.DiGraph,
    shown: set[AppId],
    key: Callable[[AppId], NodeKey],
    color_by: ColorBy,
    mode: str,
    plan: Schedule | None,
    cluster_by: ClusterBy,
) -> tuple[tuple[Node, ...], tuple[Edge, ...], Clusters]:
    grouped: dict[NodeKey, list[AppId]] = defaultdict(list)
    for app_id in sorted(shown):
        grouped[key(app_id)].append(app_id)
    ordered = sorted(grouped.items(), key=lambda kv: kv[0].text)
    members = {node_key.text: apps for node_key, apps in ordered}
    node_of = {a: node_key.text for node_key, apps in ordered for a in apps}
    nodes = []
    for node_key, apps in ordered:
        node_id = node_key.text
        keys = Counter(_app_node(inventory, results, a, color_by).color_key for a in apps)
        main, n = keys.most_common(1)[0]
        color = main if n == len(apps) or n / len(apps) >= 0.5 else "mixed"
        if len(apps) == 1:
            label = inventory.apps_by_id[apps[0]].name
        elif mode == "group":
            label = group_name(inventory, apps)
        else:
            label = f"domain {node_key.name}"
        mix = ", ".join(f"{k} {c}" for k, c in keys.most_common())
        named = ", ".join(inventory.apps_by_id[a].name for a in apps[:8])
        more = f" and {len(apps) - 8} more" if len(apps) > 8 else ""
        nodes.append(
            Node(
                node_id,
                f"{label} ({len(apps)} applications)" if len(apps) > 1 else label,
                mode if len(apps) > 1 else inventory.apps_by_id[apps[0]].type,
                color,
                f"{label}: {len(apps)} application(s), {mix}"
                + (f": {named}{more}" if len(apps) > 1 else ""),
                len(apps),
            )
        )
    counts: Counter[tuple[str, str, str]] = Counter()
    for a, b, data in graph.edges(data=True):
        if a in shown and b in shown:
            ka, kb = node_of[a], node_of[b]
            if ka != kb:
                style = "latency" if data.get("latency_sensitive") else data.get("kind", "sync")
                counts[(ka, kb, style)] += 1
    merged: Counter[tuple[str, str]] = Counter()
    styles: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (ka, kb, style), n in counts.items():
        merged[(ka, kb)] += n
        styles[(ka, kb)][style] += n
    edges = [
        Edge(ka, kb, styles[(ka, kb)].most_common(1)[0][0], n)
        for (ka, kb), n in sorted(merged.items())
    ]
    # A few aggregated nodes all linked to each other are a hairball: keep the strongest
    # links (three per node), and say how many were left out.
    keep = 3 * len(members)
    if len(edges) > keep:
        strongest = sorted(edges, key=lambda e: (-e.count, e.source, e.target))[:keep]
        hidden = len(edges) - keep
        edges = sorted(strongest, key=lambda e: (e.source, e.target))
        nodes.append(
            Node(
                "hidden-links",
                f"{hidden} weaker links not drawn",
                "note-text",
                "mixed",
                f"{hidden} links with fewer dependencies are not drawn",
            )
        )
    clusters: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    if cluster_by == "wave" and plan is not None and mode == "group":
        by_wave: dict[int, list[str]] = defaultdict(list)
        for node_id, apps in members.items():
            by_wave[plan.wave_of.get(apps[0], 10**6)].append(node_id)
        clusters = tuple(
            (
                f"wave-{w}" if w < 10**6 else STAYING,
                wave_label(plan, w) if w < 10**6 else "not migrating",
                tuple(sorted(ids)),
            )
            for w, ids in sorted(by_wave.items())
        )
    elif cluster_by == "domain" and mode == "group":
        by_domain: dict[str, list[str]] = defaultdict(list)
        for node_id, apps in members.items():
            by_domain[inventory.apps_by_id[apps[0]].domain or "no domain"].append(node_id)
        clusters = tuple(
            (d, f"domain {d}", tuple(sorted(ids))) for d, ids in sorted(by_domain.items())
        )
    return tuple(nodes), tuple(edges), clusters
