"""Every export format an import reads, in one table: adding a format is adding a row.

A reader takes the export's path, the mapping named on the command line (``None`` when
the format has none) and a progress callback, and returns a ``Batch``: its records
(discovered servers, ``Discovered``, for server imports; observed connections,
``Connection``, for dependency imports) and the rows it left out by reason. Everything
after reading (checking the values, resolving, merging into the inventory) is shared by
the formats of a kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from migrator.discovery import connections, csvmap, rvtools
from migrator.discovery.connections import Connection
from migrator.discovery.records import Batch, Discovered
from migrator.errors import UsageError

T = TypeVar("T")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Reader(Generic[T]):
    name: str  # the command: migrator import NAME
    read: Callable[[Path, str | None, Progress | None], Batch[T]]
    mapping: bool  # takes --mapping
    default_mapping: str | None = None


def _rvtools(path: Path, mapping: str | None, progress: Progress | None) -> Batch[Discovered]:
    return rvtools.read_export(path, progress)


def _csv(path: Path, mapping: str | None, progress: Progress | None) -> Batch[Discovered]:
    if mapping is None:
        raise UsageError("import csv needs --mapping (a mapping file, or migration-center)")
    return Batch(csvmap.read_csv(path, csvmap.load_mapping(mapping), progress))


def _connections(path: Path, mapping: str | None, progress: Progress | None) -> Batch[Connection]:
    table = connections.load_mapping(mapping or "azure-migrate")
    return Batch(connections.read(path, table, progress))


SERVERS: dict[str, Reader[Discovered]] = {
    "rvtools": Reader("rvtools", _rvtools, mapping=False),
    "csv": Reader("csv", _csv, mapping=True),
}
CONNECTIONS: dict[str, Reader[Connection]] = {
    "dependencies": Reader(
        "dependencies", _connections, mapping=True, default_mapping="azure-migrate"
    ),
}


BUILT_IN_CONNECTIONS = tuple(connections.BUILT_IN)


def appliances(mapping: str | None) -> tuple[str, ...]:
    """The collector's own server names, as the connections mapping lists them."""
    return connections.load_mapping(mapping or "azure-migrate").appliances
