"""A discovered server, as every importer produces it, and the ids it gets."""

from __future__ import annotations

import csv
import io
import math
import re
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from migrator.diagnostics import Diagnostic
from migrator.errors import InvalidInputError, UsageError
from migrator.inventory import validate

# An export of 100,000 machines is well under this; anything larger is not an export.
MAX_EXPORT_BYTES = 256 * 1024 * 1024
# Fields an import owns: a re-import updates them, everything else is a person's.
DISCOVERED = (
    "hostname",
    "datacenter",
    "cluster",
    "os",
    "cpu",
    "memory_gb",
    "storage_gb",
    "storage_used_gb",
    "platform",
    "power_state",
    "ip_addresses",
)
_ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


def ip_list(*texts: Any) -> list[str]:
    """The addresses in export cells ("10.0.0.5, fe80::1%3"), each once, in order; the
    loopback and link-local ones, which tell no server from another, left out."""
    import ipaddress

    found: dict[str, None] = {}
    for text in texts:
        if not isinstance(text, str):
            continue
        for part in _ADDRESS_SEPARATORS.split(text):
            bare = part.strip("[]").split("%", 1)[0]
            try:
                address = ipaddress.ip_address(bare)
            except ValueError:
                continue
            if not (address.is_loopback or address.is_link_local or address.is_unspecified):
                found.setdefault(str(address), None)
    return list(found)


@dataclass
class Discovered:
    """One machine from an export: its inventory fields and where it came from."""

    name: str  # as the tool names it (VM name)
    key: str  # the tool's stable identity (VM ID, MachineId), else the name
    fields: dict[str, Any]  # inventory server keys → values
    source: dict[str, Any] = field(default_factory=dict)  # kept under x-discovery
    folder: str | None = None
    annotation: str | None = None
    row: int = 0  # the export's row (line of a CSV, row of a sheet), for messages
    cells: dict[str, tuple[int, str]] = field(default_factory=dict)  # field → column, header
    notes: list[str] = field(default_factory=list)  # how a value was worked out, for the summary


T = TypeVar("T")


@dataclass
class Batch(Generic[T]):
    """What a reader found in an export: its records, and the rows it left out by reason."""

    items: list[T]
    skipped: Counter[str] = field(default_factory=Counter)


def slug(text: str) -> str:
    """A safe inventory id from a VM name (``server`` when nothing of it is left)."""
    return validate.slug(text, fallback="server")


def assign_ids(
    records: Iterable[Discovered], taken: dict[str, str], reserved: Iterable[str] = ()
) -> dict[str, str]:
    """An id per record key. ``taken`` maps the keys already in the inventory to their ids,
    which they keep; ``reserved`` are the ids of servers written by hand, which no machine
    takes over. New names that collide get -2, -3 … in the order of their keys."""
    ids = dict(taken)
    used = set(taken.values()) | set(reserved)
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
            # NaN, inf and 1e400 come through as they are: the checks refuse them, located
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
    if not math.isfinite(value) or abs(value) >= 2**53:  # beyond exact whole floats
        return value
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def export_file(path: Path) -> int:
    """The size of an export file that may be read: it exists, is a regular file (a FIFO
    would block for ever) and is not larger than any export."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path}: not a regular file")
    if info.st_size > MAX_EXPORT_BYTES:
        raise UsageError(
            f"{path}: too large for an export ({info.st_size / 2**20:.0f} MiB; "
            f"the limit is {MAX_EXPORT_BYTES // 2**20} MiB)"
        )
    return info.st_size


def read_csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The rows of a CSV export with their line numbers: UTF-8 (with or without BOM), else
    Windows-1252, as Excel writes it; ';' separates values when the header uses it (Excel
    in some locales). A row the csv module cannot read is a located error."""
    export_file(path)
    with path.open("rb") as handle:
        raw = handle.read(MAX_EXPORT_BYTES + 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = (
                f"a field is longer than {csv.field_size_limit():,} characters: not a "
                f"machine's attribute (is this the right file?)"
            )
        raise InvalidInputError(
            f"{path}: cannot read the CSV",
            [Diagnostic("error", str(path), (), reason, line=reader.line_num or start, col=1)],
        ) from None
    return rows


def check_records(records: Iterable[Discovered], export: str) -> list[Diagnostic]:
    """Values the inventory would refuse (cpu: -4, NaN, power_state: yes), at their cells.

    An import never writes what ``validate`` then rejects: each such value is an error at
    the export's row and column, and nothing is written.
    """
    from migrator.inventory.schema import SERVER
    from migrator.inventory.validate import FileChecker

    problems: list[Diagnostic] = []
    checker = FileChecker(export, "")
    for record in records:
        for name, value in record.fields.items():
            spec = SERVER.fields.get(name)
            if spec is None:
                continue
            before = len(checker.diagnostics)
            checker.check(spec, value, (name,))
            for found in checker.diagnostics[before:]:
                column, header = record.cells.get(name, (0, ""))
                where = f" (column '{header}')" if header else ""
                problems.append(
                    Diagnostic(
                        "error",
                        export,
                        (),
                        f"{name}{where}: {found.message}",
                        line=record.row,
                        col=column,
                    )
                )
    return problems
