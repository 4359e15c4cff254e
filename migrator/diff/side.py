"""One side of a diff: an inventory planned in full (assessment, waves, cost)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from migrator.assess.model import AppAssessment, Assessment
from migrator.assess.rules import RuleSet, load_rules
from migrator.choices import DiskSizing, Sizing
from migrator.cost.compute import costs
from migrator.cost.estimate import CostEstimate, NotPriced
from migrator.diagnostics import Diagnostic
from migrator.diff.reuse import Previous, assess_reusing, digests
from migrator.inventory.load import load_inventory
from migrator.inventory.model import AppId, Inventory
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
    cost: CostEstimate | NotPriced
    rules: RuleSet | None = None
    digests: Mapping[str, bytes] = dataclasses.field(default_factory=dict)

    @functools.cached_property
    def by_id(self) -> dict[AppId, AppAssessment]:
        return {a.app.id: a for a in self.assessment.applications}

    def monthly(self, app_id: AppId) -> float | None:
        """An application's on-demand cost per month, None when it is not priced."""
        if isinstance(self.cost, NotPriced):
            return None
        cost = self.cost.apps.get(app_id)
        if cost is None or cost.monthly is None:
            return None
        return float(cost.monthly.get("on_demand", 0.0))

    @property
    def total_monthly(self) -> float | None:
        cost = self.cost
        return float(cost.total["on_demand"]) if isinstance(cost, CostEstimate) else None

    @property
    def currency(self) -> str | None:
        return self.cost.currency if isinstance(self.cost, CostEstimate) else None


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
    previous: Side | None = None,
) -> Side:
    """Load the inventory at ``path``, apply the scenario, and plan it in full (keeping the
    assessment of ``previous`` for the applications that did not change)."""
    inventory, diagnostics = load_inventory(path)
    return plan_side(label, str(path), inventory, diagnostics, settings, scenario, previous)


def plan_side(
    label: str,
    root: str,
    inventory: Inventory,
    diagnostics: tuple[Diagnostic, ...],
    settings: Settings,
    scenario: Scenario | None = None,
    previous: Side | None = None,
) -> Side:
    rules_file, prices = settings.rules, settings.prices
    decided: set[AppId] = set()
    if scenario is not None:
        inventory = scenario.apply(inventory)
        rules_file = scenario.rules or rules_file
        prices = scenario.prices or prices
        decided = {app_id for app_id, _, _ in scenario.decisions}
    rules = load_rules(rules_file, today=settings.as_of)
    prefix = root.rstrip("/") + "/" if Path(root).is_dir() else root
    known = None
    if previous is not None and previous.rules is not None:
        known = Previous(
            previous.inventory, previous.assessment, previous.rules, previous.root, previous.digests
        )
    assessment = assess_reusing(inventory, rules, settings.as_of, prefix, known, decided)
    plan = schedule(inventory, assessment, today=settings.as_of)
    cost = costs(
        inventory,
        assessment,
        prices=prices,
        sizing=settings.sizing,
        disk_sizing=settings.disk_sizing,
    )
    warnings = tuple(d for d in diagnostics if not d.is_error)
    return Side(
        label,
        prefix,
        inventory,
        warnings,
        assessment,
        plan,
        cost,
        rules,
        digests(inventory, prefix),
    )
