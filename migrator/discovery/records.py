"""A discovered server, as every importer produces it, and the ids it gets."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Fields an import owns: a re-import updates them, everything else is a person's.
DISCOVERED = ("hostname", "datacenter", "cluster", "os", "cpu", "memory_gb", "storage_gb",
              "storage_used_gb", "platform", "power_state")


@dataclass
class Discovered:
    """One machine from an export: its inventory fields and where it came from."""

    name: str  # as the tool names it (VM name)
    key: str  # the tool's stable identity (VM ID, MachineId), else the name
    fields: dict[str, Any]  # inventory server keys → values
    source: dict[str, Any] = field(default_factory=dict)  # kept under x-discovery
    folder: str | None = None
    annotation: str | None = None


def slug(text: str) -> str:
    """A safe inventory id from a VM name: lower case, runs of other characters as '-'."""
    value = re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower())
    value = re.sub(r"-{2,}", "-", value).strip("-._")
    return value or "server"


def assign_ids(records: Iterable[Discovered], taken: dict[str, str]) -> dict[str, str]:
    """An id per record key. ``taken`` maps the keys already in the inventory to their ids,
    which they keep; new names that collide get -2, -3 … in the order of their keys."""
    ids = dict(taken)
    used = set(taken.values())
    for record in sorted(records, key=lambda r: (slug(r.name), r.key)):
        if record.key in ids:
            continue
        base = slug(record.name)
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        ids[record.key] = candidate
        used.add(candidate)
    return ids


def to_number(value: Any) -> float | None:
    """A number from an export cell: numbers as they are, text like "1,024" parsed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return None
    return None


def gib(mib: float | None) -> float | None:
    """MiB (RVTools' "MB" and "MiB" alike) → GiB, two decimals, whole numbers as int."""
    if mib is None:
        return None
    return tidy(mib / 1024)


def tidy(value: float) -> float:
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def read_csv_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV export: UTF-8 (with or without BOM), else Windows-1252, as
    Excel writes it; ';' separates values when the header uses it (Excel in some locales)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))
