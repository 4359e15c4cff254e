"""The format tables: every output kind listed, every format found by its name and suffix."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from migrator import outputs
from migrator.choices import AssessFileFormat, PlanFormat
from migrator.output_formats import OUTPUTS


def test_every_kind_of_output_is_listed() -> None:
    assert set(OUTPUTS) == {"assess", "waves", "graph", "plan"}


@pytest.mark.parametrize("kind", sorted(OUTPUTS))
def test_a_table_names_each_format_once_and_no_suffix_twice(kind: str) -> None:
    table = OUTPUTS[kind]
    for name, fmt in table.items():
        assert fmt.name == name
        assert fmt.suffixes and all(s.startswith(".") and s == s.lower() for s in fmt.suffixes)
        for suffix in fmt.suffixes:
            assert outputs.by_suffix(table, Path(f"out{suffix.upper()}")) is fmt
    every = outputs.suffixes(table)
    assert len(every) == len(set(every))


def test_the_command_line_offers_what_the_tables_have() -> None:
    assert tuple(OUTPUTS["assess"]) == get_args(AssessFileFormat)
    assert tuple(OUTPUTS["plan"]) == get_args(PlanFormat)


def test_an_unknown_suffix_finds_nothing() -> None:
    assert outputs.by_suffix(OUTPUTS["graph"], Path("diagram.jpeg")) is None
    assert outputs.by_suffix(OUTPUTS["plan"], Path("plan")) is None
