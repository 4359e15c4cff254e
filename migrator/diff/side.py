"""One side of a diff: an inventory planned in full (assessment, waves, cost)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.assess.assessment import assess
from migrator.assess.model import AppAssessment, Assessment
from migrator.assess.rules import load_rules
from migrator.cost.compute import costs
from migrator.cost.sizing import DiskSizing, Sizing
from migrator.diagnostics import Diagnostic
from migrator.inventory.load import load_inventory
from migrator.inventory.model import Inventory
from migrator.scenario import Scenario
from migrator.waves.model import Schedule
from migrator.waves.schedule import schedule


@dataclass(frozen=True)
class Side:
    """A plan and what it was made from, as the diff and the policies read it."""

    label: str  # how the output names it: a path, or REV:PATH
    root: str  # the inventory path its file names start with (to compare warnings)
    inventory: Inventory
    warnings: tuple[Diagnostic, ...]
    assessment: Assessment
    plan: Schedule
    priced: dict[str, Any]

    @property
    def by_id(self) -> dict[str, AppAssessment]:
        return {a.app.id: a for a in self.assessment.applications}

    def monthly(self, app_id: str) -> float | None:
        """An application's on-demand cost per month, None when it is not priced."""
        cost = self.priced["applications"].get(app_id)
        if not cost or cost.get("monthly") is None:
            return None
        return float(cost["monthly"].get("on_demand", 0.0))

    @property
    def total_monthly(self) -> float | None:
        money = self.priced["portfolio"]
        return float(money["monthly"]["on_demand"]) if money.get("priced") else None

    @property
    def currency(self) -> str | None:
        money = self.priced["portfolio"]
        return str(money["currency"]) if money.get("priced") else None


@dataclass(frozen=True)
class Settings:
    """What both sides are planned with: the same rules, date, sizing and prices."""

    rules: Path | None = None
    as_of: dt.date | None = None
    sizing: Sizing = "moderate"
    prices: Path | None = None
    disk_sizing: DiskSizing = "provisioned"


def build(
    label: str,
    path: Path,
    settings: Settings,
    scenario: Scenario | None = None,
) -> Side:
    """Load the inventory at ``path``, apply the scenario, and plan it in full."""
    inventory, diagnostics = load_inventory(path)
    return plan_side(label, str(path), inventory, diagnostics, settings, scenario)


def plan_side(
    label: str,
    root: str,
    inventory: Inventory,
    diagnostics: tuple[Diagnostic, ...],
    settings: Settings,
    scenario: Scenario | None = None,
) -> Side:
    rules_file, prices = settings.rules, settings.prices
    if scenario is not None:
        inventory = scenario.apply(inventory)
        rules_file = scenario.rules or rules_file
        prices = scenario.prices or prices
    rules = load_rules(rules_file, today=settings.as_of)
    assessment = assess(inventory, rules, settings.as_of)
    plan = schedule(inventory, assessment, today=settings.as_of)
    _, priced = costs(
        inventory, assessment, prices, settings.sizing, plan, disk_sizing=settings.disk_sizing
    )
    warnings = tuple(d for d in diagnostics if not d.is_error)
    return Side(label, root, inventory, warnings, assessment, plan, priced)
