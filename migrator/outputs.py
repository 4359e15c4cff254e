"""What an output format is, and how a file name picks one.

Each kind of output (the assessment, the waves, the diagram, the plan) has one table of
its formats beside the code that produces them; ``migrator.output_formats`` lists the
tables. A new format is one entry in its kind's table: the command that writes that
kind finds it there by ``--format`` name or by the file's suffix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

Subject = TypeVar("Subject")
Name = TypeVar("Name", bound=str)


@dataclass(frozen=True)
class OutputFormat(Generic[Subject]):
    """One way to write one kind of output: its name, its file suffixes, its writer."""

    name: str  # as --format names it
    suffixes: tuple[str, ...]  # the file names it is chosen for, the usual one first
    produce: Callable[[Subject], bytes]


def suffixes(table: Mapping[Name, OutputFormat[Subject]]) -> tuple[str, ...]:
    """Every suffix the table knows, in its order."""
    return tuple(suffix for fmt in table.values() for suffix in fmt.suffixes)


def by_suffix(
    table: Mapping[Name, OutputFormat[Subject]], path: Path
) -> OutputFormat[Subject] | None:
    """The format a file name asks for (the suffix, in any case), or None."""
    suffix = path.suffix.lower()
    return next((fmt for fmt in table.values() if suffix in fmt.suffixes), None)
