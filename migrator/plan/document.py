"""Everything a plan is made from, gathered once: used by `migrator plan` and its tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.assess.assessment import assess
from migrator.assess.model import Assessment
from migrator.assess.rules import RuleSet
from migrator.choices import DiskSizing, Sizing
from migrator.cost.compute import costs
from migrator.cost.estimate import CostEstimate, NotPriced
from migrator.graph import mermaid
from migrator.graph.view import Selection, View
from migrator.graph.view import build as build_view
from migrator.inventory.model import Inventory
from migrator.plan import context as plan_context
from migrator.waves.model import Schedule
from migrator.waves.schedule import schedule

MERMAID_MAX_EDGES = mermaid.MAX_LINKS


@dataclass(frozen=True)
class Prepared:
    inventory: Inventory
    rules: RuleSet
    assessment: Assessment
    plan: Schedule
    view: View
    cost: CostEstimate | NotPriced

    def context(self, title: str | None = None, wave: int | None = None) -> dict[str, Any]:
        data = plan_context.build(
            self.inventory, self.assessment, self.plan, self.rules, self.view, title, wave
        )
        data["cost"] = plan_context.cost(self.cost, self.plan, self.assessment)
        return data


def prepare(
    inventory: Inventory,
    rules: RuleSet,
    as_of: dt.date | None = None,
    sizing: Sizing = "moderate",
    prices: Path | None = None,
    disk_sizing: DiskSizing = "provisioned",
    wave: int | None = None,
) -> Prepared:
    """``wave`` limits the diagram to that wave and the applications it links to."""
    assessment = assess(inventory, rules, as_of)
    plan = schedule(inventory, assessment, today=as_of)
    selection = Selection(wave=wave, neighbours=True)
    view = build_view(inventory, assessment, lambda: plan, "strategy", "wave", selection)
    if mermaid.links(view) > MERMAID_MAX_EDGES:
        # GitHub's Mermaid refuses diagrams with more links than this (the invisible ones
        # that keep the waves in order count): draw domains.
        view = build_view(
            inventory, assessment, lambda: plan, "strategy", "none", selection, "domain"
        )
    cost = costs(inventory, assessment, prices=prices, sizing=sizing, disk_sizing=disk_sizing)
    return Prepared(inventory, rules, assessment, plan, view, cost)
