"""A table of broken inventories, each with the exact located diagnostics it must produce."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from migrator.cli import app
from migrator.inventory.load import load
from tests.conftest import WriteInventory

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "broken_cases.yaml").read_text(encoding="utf-8")
)


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_broken_inventory(case: dict[str, Any], write_inventory: WriteInventory) -> None:
    root = write_inventory(case["files"])
    result = load(root)
    assert [d.format() for d in result.diagnostics] == case["expect"]
    has_error = any(line.split(": ")[1] == "error" for line in case["expect"])
    assert (result.inventory is None) == has_error


@pytest.mark.parametrize("case", CASES[:8], ids=[case["name"] for case in CASES[:8]])
def test_broken_inventory_through_the_cli(
    case: dict[str, Any], write_inventory: WriteInventory
) -> None:
    root = write_inventory(case["files"])
    result = CliRunner().invoke(app, ["validate", str(root)])
    assert result.stdout.splitlines() == case["expect"]
    has_error = any(": error: " in line for line in case["expect"])
    assert result.exit_code == (1 if has_error else 0)
    assert "Traceback" not in result.output
