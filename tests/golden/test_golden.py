"""The sample portfolio's outputs match their reviewed golden files."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.golden.outputs import GOLDEN
from tests.golden.refresh import HERE


@pytest.mark.parametrize(("name", "produce"), GOLDEN.items(), ids=list(GOLDEN))
def test_golden(name: str, produce: Callable[[], str]) -> None:
    expected = (HERE / name).read_text(encoding="utf-8")
    assert produce() == expected, (
        f"{name} changed: if on purpose, run `python tests/golden/refresh.py` and review the diff"
    )
