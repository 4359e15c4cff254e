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
            # Each part escaped, then joined by DOT's own line break (marked as no HTML
            # again: a joined string is no longer the escaped one).
            "label": graphviz.nohtml(
                text(view.title) + (f"\\n{text(aggregation_note(view))}" if view.aggregated else "")
            ),
            "labelloc": "t",
            "fontname": "Helvetica",
            "fontsize": "16",
            "rankdir": "LR",
            "splines": "true",
            "nodesep": "0.25",
            "ranksep": "0.9",
            "newrank": "true",
            "tooltip": text(view.title),
        },
        node_attr={"fontname": "Helvetica", "fontsize": "10", "style": "filled", "penwidth": "1"},
        edge_attr={"color": "#555555", "arrowsize": "0.7"},
    )
    cluster_of = {
        node: index for index, (_, _, members) in enumerate(view.clusters) for node in members
    }
    by_id = {node.id: node for node in view.nodes}
    names = _names(view)
    staying = next((i for i, (c, _, _) in enumerate(view.clusters) if c == STAYING), -2)
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
        tail, head = names[edge.source], names[edge.target]
        if view.sequence and cluster_of.get(edge.source, -1) > cluster_of.get(edge.target, -1):
            # Laid out from the earlier wave to the later one, the arrow still drawn from
            # consumer to provider: the lines then all run the same way, with the waves.
            tail, head = head, tail
            attrs["dir"] = "back"
            if "arrowhead" in attrs:
                attrs["arrowtail"] = attrs.pop("arrowhead")
        if view.sequence and staying in (cluster_of.get(edge.source), cluster_of.get(edge.target)):
            # A link to what stays behind would run through every wave's column after its
            # own, under the waves: left out of the layout, it is drawn straight.
            attrs["constraint"] = "false"
        if edge.count > 1:
            attrs.update(
                label=str(edge.count), penwidth=str(min(6.0, 1 + edge.count / 20)), fontsize="10"
            )
        attrs["tooltip"] = text(
            f"{edge.source} → {edge.target} ({edge.style}"
            + (f", {edge.count} dependencies)" if edge.count > 1 else ")")
        )
        dot.edge(tail, head, **attrs)
    _legend(dot, view)
    return str(dot.source)


def aggregation_note(view: View) -> str:
    """What an aggregated diagram shows, and how to draw one part of it in full."""
    what = "move groups" if view.aggregated == "group" else "domains"
    return (
        f"{view.applications} applications drawn as {what}; migrator graph with --focus APP, "
        f"--wave N or --domain D draws one part in full"
    )


def _sequence(dot: graphviz.Digraph, view: View) -> None:
    """Waves left to right in their order, as columns that do not overlap: every node of a
    wave lies after its wave's invisible anchor and before the next wave's, so that wave 1
    comes first and the dependencies across waves (which then do not constrain the layout)
    cannot pull a wave out of its place; the applications that stay come after a gap."""
    for index, (_, _, members) in enumerate(view.clusters):
        following = index + 1 < len(view.clusters)
        for node_id in members:
            name = _names(view)[node_id]
            dot.edge(f"anchor_{index}", name, style="invis", weight="0")
            if following:
                dot.edge(name, f"anchor_{index + 1}", style="invis", weight="0")
        if following:
            apart = view.clusters[index + 1][0] == STAYING
            dot.edge(
                f"anchor_{index}",
                f"anchor_{index + 1}",
                style="invis",
                weight="100",
                minlen="3" if apart else "1",
            )


def _names(view: View) -> dict[str, str]:
    # DOT reads "a:b" as node a, port b: nodes get plain names; the SVG keeps the real id.
    return {node.id: f"n{index}" for index, node in enumerate(view.nodes)}


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
