"""The sample inventory, edited the ways a pull request would edit it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from migrator.diff.side import Settings, Side, build
from tests.conftest import PHARMA

AS_OF = dt.date(2026, 6, 1)
SETTINGS = Settings(as_of=AS_OF)

Edit = Callable[[str, str, str], Path]


@pytest.fixture(scope="session")
def base_side() -> Side:
    return build(str(PHARMA), PHARMA, SETTINGS)


@pytest.fixture
def edited(tmp_path: Path) -> Edit:
    """A copy of the sample with one text replaced in one file (it must be there once)."""

    def edit(file: str, old: str, new: str) -> Path:
        copy = tmp_path / "pharma"
        if not copy.exists():
            shutil.copytree(PHARMA, copy)
        target = copy / file
        text = target.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not once in {file}"
        target.write_text(text.replace(old, new), encoding="utf-8")
        return copy

    return edit


LATENCY = (
    "manufacturing.yaml",
    "{app: lims, kind: sync, description: in-process",
    "{app: lims, kind: sync, latency_sensitive: true, description: in-process",
)
RETIRE = (
    "corporate.yaml",
    "    vendor: FIS\n",
    "    vendor: FIS\n    decision: {strategy: retire, rationale: replaced by SAP treasury}\n",
)
REGION = ("portfolio.yaml", "region: europe-west1", "region: europe-west9")
