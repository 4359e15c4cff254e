"""Tables written to a pipe or a CI log, where nobody's terminal sets the width: each row
on one line, every id whole, so that grep finds them."""

from __future__ import annotations

import subprocess
import sys

from migrator.inventory.load import load_inventory
from tests.conftest import PHARMA

AS_OF = ["--as-of", "2026-11-29"]


def _run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "migrator", *args, str(PHARMA), *AS_OF],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_assess_table_has_one_line_per_application() -> None:
    out = _run("assess")
    inventory, _ = load_inventory(PHARMA)
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assessed = [a.id for a in inventory.applications if a.type != "external"]
    assert len(rows) == len(assessed)  # nothing wrapped onto a second line
    for app_id in assessed:
        assert sum(1 for row in rows if row.split("│")[1].strip() == app_id) == 1, app_id
    assert any(len(line) > 80 for line in rows)  # wider than rich's default of 80


def test_waves_table_keeps_each_wave_on_one_line() -> None:
    out = _run("waves")
    rows = [line for line in out.splitlines() if line.startswith("│")]
    numbers = [row.split("│")[1].strip() for row in rows]
    assert numbers[:8] == [str(n) for n in range(1, 9)]
    first = rows[0].split("│")[3]
    assert [a.strip() for a in first.split(",")] == [
        "brand-microsites",
        "corporate-website",
        "event-mgmt",
        "sci-literature",
    ]
