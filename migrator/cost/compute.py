"""The cost of an assessment as the commands and the plan show it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from migrator.assess.model import Assessment
from migrator.choices import DiskSizing, Sizing
from migrator.cost import report
from migrator.cost.estimate import CostEstimate, estimate
from migrator.cost.prices import load
from migrator.errors import UsageError
from migrator.inventory.model import Inventory
from migrator.waves.model import Schedule


def costs(
    inventory: Inventory,
    assessment: Assessment,
    *,
    prices: Path | None,
    sizing: Sizing,
    disk_sizing: DiskSizing,
    waves: Callable[[], Schedule | None],
) -> tuple[CostEstimate | None, dict[str, Any]]:
    """The estimate and its JSON, or (None, a reason) when the region has no prices.

    A user's price file that is broken is an error; a region migrator has no prices for
    is not: the rest of the output stands, and says why the cost is missing. ``waves``
    gives the schedule the cost is broken down by (None: no breakdown by wave); it is
    called only when there is a cost to break down.
    """
    catalogue = load(prices)
    try:
        estimate_ = estimate(inventory, assessment, catalogue, sizing, disk_sizing)
    except UsageError as exc:
        if prices is not None:
            raise
        return None, {"portfolio": {"priced": False, "reason": str(exc)}, "applications": {}}
    portfolio = report.portfolio(estimate_, waves(), inventory.portfolio.currency)
    return estimate_, {
        "portfolio": {"priced": True, **portfolio},
        "applications": report.by_app(estimate_),
    }
