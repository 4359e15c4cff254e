"""Shared fixtures: the repository's paths, and a way to write small inventories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PHARMA = ROOT / "inventories" / "pharma"

WriteInventory = Callable[[dict[str, str]], Path]


@pytest.fixture
def write_inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WriteInventory:
    """Write ``{file name: text}`` into ``inv/`` under a temporary working directory.

    Diagnostics then name the files ``inv/<name>``, the way a user sees them.
    """
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str]) -> Path:
        root = Path("inv")
        root.mkdir(exist_ok=True)
        for name, text in files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return root

    return write
