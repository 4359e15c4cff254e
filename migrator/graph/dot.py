"""A view as Graphviz DOT, built with the graphviz package.

Every value that comes from the inventory (names, domains, ids in tooltips) goes through
``escape.dot``: Graphviz would otherwise read text in ``<...>`` as an HTML label, whose
attributes (``URL``, ``href``) end up as links in the SVG.
"""

from __future__ import annotations

import graphviz

from migrator.graph.view import STAYING, Node, View
from migrator.render.escape import dot as text

SHAPES = {
    "custom": "box",
    "cots": "component",
    "saas": "ellipse",
    "external": "note",
    "group": "box3d",
    "domain": "folder",
}
EDGE_STYLES = {
    "sync": {},
    "async": {"style": "dashed"},
    "batch": {"style": "dotted"},
    "file": {"style": "dotted"},
    "database": {"arrowhead": "dot"},
    "latency": {"penwidth": "2.5", "color": "#e15759"},
}


def to_dot(view: View) -> str:
    dot = graphviz.Digraph(
        name="migrator",
        graph_attr={
            "label": text(
                view.title
                + (
                    f" (aggregated by {view.aggregated}: {view.applications} applications)"
                    if view.aggregated
                    else ""
                )
            ),
            "labelloc": "t",
            "fontname": "Helvetica",
            "fontsize": "16",
            "rankdir": "LR",
            "splines": "true",
            "nodesep": "0.25",
            "ranksep": "0.9",
            "tooltip": text(view.title),
        },
        node_attr={"fontname": "Helvetica", "fontsize": "10", "style": "filled", "penwidth": "1"},
        edge_attr={"color": "#555555", "arrowsize": "0.7"},
    )
    cluster_of = {
        node: index for index, (_, _, members) in enumerate(view.clusters) for node in members
    }
    by_id = {node.id: node for node in view.nodes}
    # DOT reads "a:b" as node a, port b: nodes get plain names; the SVG keeps the real id.
    names = {node.id: f"n{index}" for index, node in enumerate(view.nodes)}
    for index, (cluster_id, label, members) in enumerate(view.clusters):
        with dot.subgraph(name=f"cluster_{index}") as sub:
            sub.attr(
                label=text(label),
                style="rounded,filled",
                color="#cccccc",
                fillcolor="#f7f7f7",
                fontname="Helvetica",
                tooltip=text(cluster_id),
            )
            if view.sequence:
                sub.node(f"anchor_{index}", shape="point", style="invis", width="0")
            for node_id in members:
                _node(sub, view, by_id[node_id], names[node_id])
    for node in view.nodes:
        if node.id not in cluster_of:
            _node(dot, view, node, names[node.id])
    if view.sequence:
        _sequence(dot, view)
    for edge in view.edges:
        attrs = dict(EDGE_STYLES.get(edge.style, {}))
        if view.sequence and cluster_of.get(edge.source) != cluster_of.get(edge.target):
            attrs["constraint"] = "false"  # the waves' order places the nodes, not this edge
        if edge.count > 1:
            attrs.update(
                label=str(edge.count), penwidth=str(min(6.0, 1 + edge.count / 20)), fontsize="8"
            )
        attrs["tooltip"] = text(
            f"{edge.source} → {edge.target} ({edge.style}"
            + (f", {edge.count} dependencies)" if edge.count > 1 else ")")
        )
        dot.edge(names[edge.source], names[edge.target], **attrs)
    _legend(dot, view)
    return str(dot.source)


def _sequence(dot: graphviz.Digraph, view: View) -> None:
    """Waves left to right in their order: an invisible chain through one invisible point
    in each, heavy enough to win over the dependencies (which then do not constrain the
    layout across waves); the applications that stay come after a gap."""
    for index in range(1, len(view.clusters)):
        apart = view.clusters[index][0] == STAYING
        dot.edge(
            f"anchor_{index - 1}",
            f"anchor_{index}",
            style="invis",
            weight="100",
            minlen="3" if apart else "1",
        )


def _node(graph: graphviz.Digraph, view: View, node: Node, name: str) -> None:
    color = view.colors.get(node.color_key, "#d4d4d4")
    attrs = {
        "label": text(node.label),
        "shape": SHAPES.get(node.shape, "box"),
        "fillcolor": color,
        "tooltip": text(node.tooltip),
        "id": text(f"node-{node.id}"),
    }
    if node.shape == "external":
        attrs["style"] = "dashed"
    if node.shape == "note-text":
        attrs.update(shape="plaintext", style="", fontsize="9")
    if node.count > 1:
        attrs["fontsize"] = str(min(18, 10 + node.count // 50))
    graph.node(name, **attrs)


def _legend(dot: graphviz.Digraph, view: View) -> None:
    used = {node.color_key for node in view.nodes}
    with dot.subgraph(name="cluster_legend") as legend:
        legend.attr(
            label=f"colour: {view.color_by}",
            style="rounded",
            color="#999999",
            fontname="Helvetica",
            fontsize="10",
        )
        previous = None
        for key, color in view.colors.items():
            if key not in used:
                continue
            node_id = f"legend_{key}"
            legend.node(
                node_id,
                label=key,
                shape="box",
                fillcolor=color,
                fontsize="9",
                tooltip=f"{view.color_by}: {key}",
                id=f"legend-{key}",
            )
            if previous is not None:
                legend.edge(previous, node_id, style="invis")
            previous = node_id
        legend.node(
            "legend_lines",
            shape="plaintext",
            fontsize="9",
            style="",
            label="box: custom  component: COTS  ellipse: SaaS  note: external\n"
            "solid: sync  dashed: async  dotted: batch/file\n"
            "red, bold: latency-sensitive (move together)\n"
            "arrow: from consumer to provider",
        )
        if previous is not None:
            legend.edge(previous, "legend_lines", style="invis")
