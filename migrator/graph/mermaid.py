"""A view as a Mermaid flowchart, which GitHub and GitLab render in Markdown."""

from __future__ import annotations

import itertools
import re

from migrator.graph.view import Node, View
from migrator.render.escape import mermaid as quoted

# Mermaid shapes closest to the DOT ones.
_SHAPES = {
    "custom": ("[", "]"),
    "cots": ("[[", "]]"),
    "saas": ("([", "])"),
    "external": (">", "]"),
    "group": ("[(", ")]"),
    "domain": ("{{", "}}"),
}
# Mermaid's default maxEdges, which GitHub and GitLab keep: it refuses to draw more links.
MAX_LINKS = 500
_ARROWS = {"async": "-.->", "batch": "-.->", "file": "-.->", "latency": "==>"}


def to_mermaid(view: View) -> str:
    ids = {node.id: f"n{index}" for index, node in enumerate(view.nodes)}
    lines: list[str] = ["flowchart LR"]
    if view.aggregated:
        lines.append(f"  %% aggregated by {view.aggregated}: {view.applications} applications")
    clustered = {node for _, _, members in view.clusters for node in members}
    by_id = {node.id: node for node in view.nodes}
    for index, (_, label, members) in enumerate(view.clusters):
        lines.append(f'  subgraph c{index}["{quoted(label)}"]')
        lines.extend(f"    {_node(ids, by_id[m])}" for m in members)
        lines.append("  end")
    lines.extend(f"  {_node(ids, node)}" for node in view.nodes if node.id not in clustered)
    sequence = _sequence(view)
    lines.extend(_anchors(sequence, ids))
    links = _anchor_links(sequence)  # Mermaid numbers every link, invisible ones too
    cluster_of = {m: i for i, (_, _, members) in enumerate(view.clusters) for m in members}
    backwards: list[int] = []
    for edge in view.edges:
        arrow = _ARROWS.get(edge.style, "-->")
        label = f"|{edge.count}|" if edge.count > 1 else ""
        source, target = ids[edge.source], ids[edge.target]
        if view.sequence and cluster_of.get(edge.source, -1) > cluster_of.get(edge.target, -1):
            # Laid out from the earlier wave to the later, as the DOT output: an arrow at
            # both ends with the one at the consumer's end taken off (Mermaid has no arrow
            # drawn at the start alone), so the arrowhead still points at the provider.
            lines.append(f"  {target} <{arrow}{label} {source}")
            backwards.append(links)
        else:
            lines.append(f"  {source} {arrow}{label} {target}")
        links += 1
    for start in range(0, len(backwards), 50):
        chunk = ",".join(str(n) for n in backwards[start : start + 50])
        lines.append(f"  linkStyle {chunk} marker-end:none")
    used = sorted({node.color_key for node in view.nodes})
    for key in used:
        color = view.colors.get(key, "#d4d4d4")
        stroke = ",stroke-dasharray:4 3" if key == "external" else ""
        lines.append(f"  classDef {_class(key)} fill:{color},stroke:#555,color:#111{stroke}")
    for key in used:
        coloured = [ids[n.id] for n in view.nodes if n.color_key == key]
        for start in range(0, len(coloured), 50):
            lines.append(f"  class {','.join(coloured[start : start + 50])} {_class(key)}")
    if len(sequence) > 1:
        lines.append("  classDef anchor fill:none,stroke:none")
        between = [f"a{index}" for index in range(1, len(sequence))]
        for start in range(0, len(between), 50):
            lines.append(f"  class {','.join(between[start : start + 50])} anchor")
    return "\n".join(lines) + "\n"


def links(view: View) -> int:
    """How many links the flowchart of ``view`` has, its invisible ones included: Mermaid
    refuses a diagram with more than its maxEdges (500 by default, on GitHub too)."""
    return len(view.edges) + _anchor_links(_sequence(view))


def _anchor_links(sequence: list[tuple[str, ...]]) -> int:
    return sum(len(before) + len(after) for before, after in itertools.pairwise(sequence))


def _sequence(view: View) -> list[tuple[str, ...]]:
    """The members of each cluster that has any, when the clusters are waves in their
    order (an anchor is between two); none otherwise."""
    return [members for _, _, members in view.clusters if members] if view.sequence else []


def _anchors(sequence: list[tuple[str, ...]], ids: dict[str, str]) -> list[str]:
    """Waves left to right in their order, as columns that do not overlap: between two
    clusters of the sequence an invisible node that every node of the one before links to
    and that links to every node of the one after, by invisible links (dagre, Mermaid's
    layout, ranks a node after those that link to it), written with Mermaid's ``&`` (a
    link from or to each). The anchors' lines, then the links'.
    """
    nodes: list[str] = []
    chained: list[str] = []
    for index, (earlier, later) in enumerate(itertools.pairwise(sequence), start=1):
        anchor = f"a{index}"
        nodes.append(f'  {anchor}[" "]')
        before = " & ".join(ids[m] for m in earlier)
        after = " & ".join(ids[m] for m in later)
        chained += [f"  {before} ~~~ {anchor}", f"  {anchor} ~~~ {after}"]
    return nodes + chained


def _node(ids: dict[str, str], node: Node) -> str:
    left, right = _SHAPES.get(node.shape, ("[", "]"))
    return f'{ids[node.id]}{left}"{quoted(node.label)}"{right}'


def _class(key: str) -> str:
    return "c_" + re.sub(r"[^a-zA-Z0-9]", "_", key)
