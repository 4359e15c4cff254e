"""``migrator graph``: the dependency diagram, as SVG, PNG, PDF, DOT or Mermaid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from migrator import atomic, speed
from migrator.assess.brief import for_planning
from migrator.assess.rules import load_rules
from migrator.choices import Aggregate, ClusterBy, ColorBy
from migrator.console import Output
from migrator.graph import mermaid
from migrator.graph import render as rendering
from migrator.graph.dot import to_dot
from migrator.graph.view import Selection, build
from migrator.inventory.load import load_inventory
from migrator.waves.schedule import schedule


@dataclass(frozen=True, kw_only=True)
class GraphOptions:
    inventory: Path
    output_file: Path | None = None  # without it, DOT on standard output
    color_by: ColorBy = "strategy"
    cluster_by: ClusterBy = "domain"
    selection: Selection = field(default_factory=Selection)
    aggregate: Aggregate = "auto"
    rules_file: Path | None = None
    as_of: dt.date | None = None


def run(options: GraphOptions, output: Output) -> int:
    out, rules_file, as_of = options.output_file, options.rules_file, options.as_of
    if out is not None:
        rendering.check_format(out)  # before any work is done
    inventory, _ = load_inventory(options.inventory)
    inputs = [*atomic.inventory_inputs(inventory.files), ("the rules file", rules_file)]
    if out is not None:
        atomic.check_target(out, inputs)
    assessment = for_planning(inventory, load_rules(rules_file, today=as_of), as_of)
    speed.keep_alive(inventory, assessment)
    view = build(
        inventory,
        assessment,
        lambda: schedule(inventory, assessment, today=as_of),
        color_by=options.color_by,
        cluster_by=options.cluster_by,
        selection=options.selection,
        aggregate=options.aggregate,
    )
    if out is None:
        output.write(to_dot(view))
        return 0
    rendering.write(view, out, inputs)
    shown = f"{len(view.nodes)} nodes, {len(view.edges)} edges"
    if view.aggregated:
        shown += (
            f" ({view.applications} applications aggregated by {view.aggregated}; "
            f"--focus APP, --wave N or --domain D draws one part in full, "
            f"--no-aggregate draws them all)"
        )
    engine = (
        ""
        if out.suffix.lower() != ".svg" or rendering.dot_program()
        else " (laid out by Graphviz in WebAssembly: no 'dot' program installed)"
    )
    output.success(f"wrote {out}: {shown}{engine}")
    if out.suffix.lower() == ".mmd" and (links := mermaid.links(view)) > mermaid.MAX_LINKS:
        invisible = links - len(view.edges)
        kept = f" ({invisible} of them invisible, keeping the waves in order)" if invisible else ""
        output.err.print(
            f"warning: {out} has {links} links{kept}; Mermaid draws at most "
            f"{mermaid.MAX_LINKS} unless its maxEdges is raised (GitHub and GitLab keep "
            f"{mermaid.MAX_LINKS}): --focus APP, --wave N or --domain D draws less",
            style="yellow",
            markup=False,
        )
    return 0
