"""The cost estimate as the commands get it: typed and frozen, written as JSON in one place."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator import jsonout
from migrator.assess import report
from migrator.assess.assessment import assess
from migrator.assess.model import Assessment
from migrator.cli import app
from migrator.commands.assess import cost_summary, money_cell, waves_to_cost
from migrator.cost import report as cost_report
from migrator.cost.compute import costs
from migrator.cost.estimate import CostEstimate, NotPriced
from migrator.errors import UsageError
from migrator.inventory.load import load_inventory
from migrator.inventory.model import AppId, Inventory
from tests.conftest import PHARMA, WriteInventory

AS_OF = dt.date(2026, 11, 29)
runner = CliRunner()


def _pharma_cost() -> tuple[CostEstimate, Inventory, Assessment]:
    inventory, _ = load_inventory(PHARMA)
    assessment = assess(inventory, as_of=AS_OF)
    cost = costs(inventory, assessment, prices=None, sizing="moderate", disk_sizing="provisioned")
    assert isinstance(cost, CostEstimate)
    return cost, inventory, assessment


def test_the_estimate_is_typed_frozen_and_keyed_by_application() -> None:
    cost, inventory, _ = _pharma_cost()
    assert set(cost.apps) <= set(inventory.apps_by_id)
    lims = cost.apps[AppId("lims")]
    assert lims.app == "lims" and lims.monthly is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        cost.region = "elsewhere"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        lims.note = "changed"  # type: ignore[misc]
    # The totals are the sum of the applications', as the JSON says.
    assert cost.total["on_demand"] == pytest.approx(
        sum(c.monthly["on_demand"] for c in cost.apps.values() if c.monthly), abs=0.05
    )


def test_the_json_written_from_the_estimate_is_the_commands() -> None:
    cost, inventory, assessment = _pharma_cost()
    waves = waves_to_cost(inventory, assessment, AS_OF)
    assert waves is not None
    written = jsonout.dumps(report.to_json(assessment, cost, waves))
    result = runner.invoke(app, ["assess", str(PHARMA), "-f", "json", "--as-of", "2026-11-29"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(written)
    data = json.loads(written)
    assert data["summary"]["cost"] == json.loads(jsonout.dumps(cost_report.summary(cost, waves)))
    assert [w["number"] for w in data["summary"]["cost"]["waves"]] == [
        w.number for w in waves.waves
    ]
    lims = next(a for a in data["applications"] if a["id"] == "lims")
    assert lims["cost"]["monthly"] == dict(cost.apps[AppId("lims")].monthly or {})


def test_the_table_reads_the_estimate() -> None:
    cost, _, _ = _pharma_cost()
    line = cost_summary(cost)
    assert line.startswith(f"cost per month ({cost.currency}, prices of ")
    assert f"{cost.total['on_demand']:,.0f} on demand" in line
    assert f"partial: {len(cost.unpriced)} item(s) not priced" in line
    retained = next(c for c in cost.apps.values() if c.monthly is None)
    assert money_cell(retained) == "not priced"
    assert money_cell(None) == "–"
    result = runner.invoke(app, ["assess", str(PHARMA), "--cost", "--as-of", "2026-11-29"])
    assert result.exit_code == 0, result.output
    assert " ".join(line.split()) in " ".join(result.stdout.split())  # however rich wraps it


def _far_away(write_inventory: WriteInventory) -> tuple[Inventory, Assessment]:
    """An inventory, assessed, in a region migrator has no prices for."""
    root = write_inventory(
        {
            "portfolio.yaml": "portfolio: {name: Far, region: mars-north1}\n",
            "apps.yaml": "applications:\n  - {id: portal, name: Portal}\n",
        }
    )
    inventory, _ = load_inventory(root)
    return inventory, assess(inventory, as_of=AS_OF)


def test_a_region_without_prices_is_not_priced_and_says_why(
    write_inventory: WriteInventory,
) -> None:
    inventory, assessment = _far_away(write_inventory)
    cost = costs(inventory, assessment, prices=None, sizing="moderate", disk_sizing="provisioned")
    assert isinstance(cost, NotPriced)
    assert "no prices for region 'mars-north1'" in cost.reason
    assert cost_report.summary(cost, None) == {"priced": False, "reason": cost.reason}
    assert cost_report.by_app(cost) == {}
    assert cost_summary(cost) == f"cost: not estimated: {cost.reason}"
    data = report.to_json(assessment, cost)
    assert data["summary"]["cost"] == {"priced": False, "reason": cost.reason}
    assert [a["cost"] for a in data["applications"]] == [None]


def test_a_price_file_without_the_region_is_an_error(
    write_inventory: WriteInventory, tmp_path: Path
) -> None:
    inventory, assessment = _far_away(write_inventory)
    prices = tmp_path / "prices.yaml"
    prices.write_text("as_of: 2026-11-01\ncurrency: USD\nregions: {}\n")
    with pytest.raises(UsageError, match="mars-north1"):
        costs(inventory, assessment, prices=prices, sizing="moderate", disk_sizing="provisioned")


def test_pins_that_cannot_be_kept_leave_only_the_cost_by_wave_out(
    write_inventory: WriteInventory,
) -> None:
    root = write_inventory(
        {
            "portfolio.yaml": "portfolio: {name: Pinned, region: europe-west1}\n",
            "apps.yaml": """\
applications:
  - id: portal
    name: Portal
    depends_on: [erp]
    decision: {wave: 1}
  - id: erp
    name: ERP
    decision: {wave: 2}
""",
        }
    )
    inventory, _ = load_inventory(root)
    assessment = assess(inventory, as_of=AS_OF)
    assert waves_to_cost(inventory, assessment, AS_OF) is None
    result = runner.invoke(app, ["assess", str(root), "-f", "json", "--as-of", "2026-11-29"])
    assert result.exit_code == 0, result.output
    money = json.loads(result.stdout)["summary"]["cost"]
    assert money["priced"] is True and "waves" not in money
    assert "warning: the cost by wave is left out: the wave pins cannot all be kept" in (
        result.stderr
    )
    # The waves themselves say what is wrong with the pins.
    assert runner.invoke(app, ["waves", str(root)]).exit_code == 2
