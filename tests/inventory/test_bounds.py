"""Dates and numbers out of any sensible range are located errors, never an overflow later."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from migrator.inventory.load import load
from migrator.inventory.model import Freeze
from migrator.waves.calendar import CalendarOverflow, wave_dates
from tests.conftest import WriteInventory

runner = CliRunner()
APP = "applications:\n  - {id: a, name: A, servers: [s]}\n"


@pytest.mark.parametrize(
    ("planning", "expected"),
    [
        (
            "start: 9999-12-31",
            "inv/i.yaml:2:10: error: planning.start: 9999-12-31 is out of range: "
            "dates must be between 1900-01-01 and 2999-12-31",
        ),
        (
            "wave_weeks: 1000000000",
            "inv/i.yaml:2:15: error: planning.wave_weeks: must be at most 52, got 1000000000",
        ),
        (
            "freeze: [{from: 0001-01-01, to: 2026-01-01}]",
            "inv/i.yaml:2:19: error: planning.freeze[0].from: 0001-01-01 is out of range: dates must "
            "be between 1900-01-01 and 2999-12-31",
        ),
    ],
)
def test_planning_dates_out_of_range_are_located(
    planning: str, expected: str, write_inventory: WriteInventory
) -> None:
    root = write_inventory({"i.yaml": f"planning:\n  {planning}\n{APP}servers:\n  - {{id: s}}\n"})
    assert [d.format() for d in load(root).diagnostics] == [expected]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "cpu: 1" + "0" * 400,
            "5:10: error: servers[0].cpu: must be at most 100000, got 1.000e+400",
        ),
        (
            "memory_gb: 1e308",
            "5:16: error: servers[0].memory_gb: must be at most 1000000, got 1e+308",
        ),
        ("storage_gb: -4", "5:17: error: servers[0].storage_gb: must be at least 0, got -4"),
        ("cpu: .inf", "5:10: error: servers[0].cpu: expected a finite number, got inf"),
    ],
)
def test_absurd_numbers_are_located(
    line: str, expected: str, write_inventory: WriteInventory
) -> None:
    root = write_inventory({"i.yaml": f"{APP}servers:\n  - id: s\n    {line}\n"})
    assert [d.format() for d in load(root).diagnostics] == [f"inv/i.yaml:{expected}"]


def test_an_unbounded_number_still_has_a_ceiling(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {"i.yaml": "applications:\n  - {id: a, name: A, users: 1" + "0" * 30 + "}\n"}
    )
    assert [d.message for d in load(root).diagnostics] == [
        "must be at most 10000000000, got 1.000e+30"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "--as-of", "9999-12-31"],
        ["waves", "--as-of", "9999-12-31"],
        ["waves", "--start", "0001-01-01"],
        ["waves", "--wave-weeks", "1000000000"],
        ["assess", "--fail-under", "nan"],
        ["assess", "--fail-under", "101"],
    ],
)
def test_out_of_range_options_are_usage_errors(
    args: list[str], write_inventory: WriteInventory
) -> None:
    root = write_inventory({"i.yaml": APP + "servers:\n  - {id: s}\n"})
    result = runner.invoke(app, [args[0], str(root), *args[1:]])
    assert result.exit_code == 2, result.output
    assert "Invalid value for" in result.output and "internal error" not in result.output


def test_a_calendar_overflow_is_an_error_not_a_crash() -> None:
    with pytest.raises(CalendarOverflow, match="run past the end of the calendar"):
        wave_dates(dt.date(2999, 12, 1), 52, (), 8000)
    forever = (Freeze(dt.date(1900, 1, 1), dt.date(2999, 12, 31)),)
    ((begin, _, moved),) = wave_dates(dt.date(2026, 1, 5), 4, forever, 1)
    assert begin == dt.date(3000, 1, 6) and moved is not None
