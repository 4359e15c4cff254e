"""The cost of an assessment as the commands and the plan estimate it."""

from __future__ import annotations

from pathlib import Path

from migrator.assess.model import ForPlanning
from migrator.choices import DiskSizing, Sizing
from migrator.cost.estimate import CostEstimate, NotPriced, estimate
from migrator.cost.prices import load
from migrator.errors import UsageError
from migrator.inventory.model import Inventory


def costs(
    inventory: Inventory,
    assessment: ForPlanning,
    *,
    prices: Path | None,
    sizing: Sizing,
    disk_sizing: DiskSizing,
) -> CostEstimate | NotPriced:
    """The estimate, or why there is none.

    A user's price file that is broken is an error; a region migrator has no prices for
    is not: the rest of the output stands, and says why the cost is missing. The estimate
    is typed; ``cost.report`` writes it as JSON (with a breakdown by wave, given a
    schedule).
    """
    catalogue = load(prices)
    try:
        return estimate(inventory, assessment, catalogue, sizing, disk_sizing)
    except UsageError as exc:
        if prices is not None:
            raise
        return NotPriced(str(exc))
