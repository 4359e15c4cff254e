"""A view as a Mermaid flowchart, which GitHub and GitLab render in Markdown."""

from __future__ import annotations

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
    if view.sequence:  # waves left to right, in their order
        lines.extend(f"  c{index - 1} ~~~ c{index}" for index in range(1, len(view.clusters)))
    for edge in view.edges:
        arrow = _ARROWS.get(edge.style, "-->")
        label = f"|{edge.count}|" if edge.count > 1 else ""
        lines.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
    used = sorted({node.color_key for node in view.nodes})
    for key in used:
        color = view.colors.get(key, "#d4d4d4")
        stroke = ",stroke-dasharray:4 3" if key == "external" else ""
        lines.append(f"  classDef {_class(key)} fill:{color},stroke:#555,color:#111{stroke}")
    for key in used:
        coloured = [ids[n.id] for n in view.nodes if n.color_key == key]
        for start in range(0, len(coloured), 50):
            lines.append(f"  class {','.join(coloured[start : start + 50])} {_class(key)}")
    return "\n".join(lines) + "\n"


def _node(ids: dict[str, str], node: Node) -> str:
    left, right = _SHAPES.get(node.shape, ("[", "]"))
    return f'{ids[node.id]}{left}"{quoted(node.label)}"{right}'


def _class(key: str) -> str:
    return "c_" + re.sub(r"[^a-zA-Z0-9]", "_", key)
