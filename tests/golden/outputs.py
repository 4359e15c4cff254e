"""The outputs kept as golden files, each produced the way the CLI produces it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from migrator import jsonout
from migrator.assess import report
from migrator.assess.assessment import assess
from migrator.inventory.load import load_inventory

ROOT = Path(__file__).resolve().parent.parent.parent
PHARMA = ROOT / "inventories" / "pharma"
AS_OF = dt.date(2026, 11, 29)  # fixed, so that support dates do not move the goldens


def _relative_inventory():  # type: ignore[no-untyped-def]
    import os

    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        return load_inventory(Path("inventories/pharma"))[0]
    finally:
        os.chdir(cwd)


def assessment_json() -> str:
    """As `migrator assess --format json` writes it: with the cost estimate."""
    from migrator.commands.assess import waves_to_cost
    from migrator.cost.compute import costs

    inventory = _relative_inventory()
    result = assess(inventory, as_of=AS_OF)
    cost = costs(inventory, result, prices=None, sizing="moderate", disk_sizing="provisioned")
    waves = waves_to_cost(inventory, result, AS_OF)
    return jsonout.dumps(report.to_json(result, cost, waves))


def _view(cluster_by: str):  # type: ignore[no-untyped-def]
    from migrator.graph.view import build
    from migrator.waves.schedule import schedule

    inventory = _relative_inventory()
    result = assess(inventory, as_of=AS_OF)
    return build(
        inventory, result, lambda: schedule(inventory, result, today=AS_OF), "strategy", cluster_by
    )  # type: ignore[arg-type]


def graph_dot() -> str:
    from migrator.graph.dot import to_dot

    return to_dot(_view("domain"))


def graph_mermaid() -> str:
    from migrator.graph.mermaid import to_mermaid

    return to_mermaid(_view("wave"))


def plan_markdown() -> str:
    from migrator.assess.rules import load_rules
    from migrator.plan.document import prepare
    from migrator.render.templates import render

    prepared = prepare(_relative_inventory(), load_rules(today=AS_OF), AS_OF)
    return render("plan.md.j2", prepared.context())


GOLDEN: dict[str, Callable[[], str]] = {
    "pharma-plan.md": plan_markdown,
    "pharma-assessment.json": assessment_json,
    "pharma-graph.dot": graph_dot,
    "pharma-graph.mmd": graph_mermaid,
}
