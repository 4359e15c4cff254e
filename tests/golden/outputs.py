"""The outputs kept as golden files, each produced the way the CLI produces it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

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
    result = assess(_relative_inventory(), as_of=AS_OF)
    return json.dumps(report.to_json(result), indent=2, ensure_ascii=False) + "\n"


GOLDEN: dict[str, Callable[[], str]] = {
    "pharma-assessment.json": assessment_json,
}
