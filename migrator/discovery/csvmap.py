"""CMDB and Migration Center CSV exports: columns mapped to inventory keys by a mapping file.

A mapping names the column that identifies a machine (``key``), the one its id is made
from (``name``), the column (or columns, joined by a space) behind each inventory key,
value maps (``Running`` → ``on``) and scale factors (MB → GB). migrator ships one for
Google Migration Center's manual-import file: ``--mapping migration-center``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.discovery import mapfile
from migrator.discovery.records import (
    DISCOVERED,
    Discovered,
    export_file,
    ip_list,
    read_csv_rows,
    tidy,
    to_number,
)
from migrator.errors import UsageError
from migrator.inventory.schema import Spec
from migrator.inventory.validate import FileChecker

BUILT_IN = {"migration-center": "migration-center.yaml"}
NUMERIC = ("cpu", "memory_gb", "storage_gb", "storage_used_gb")
Progress = Callable[[int, int], None]

_COLUMN = Spec("any", "A column name, or a list of them joined by a space.")
MAPPING = Spec(
    "map",
    "A CSV mapping.",
    fields={
        "key": Spec("text", "Column identifying a machine across imports.", required=True),
        "name": Spec("text", "Column the server id is made from.", required=True),
        "columns": Spec(
            "map",
            "Inventory key → column(s).",
            required=True,
            fields=dict.fromkeys(DISCOVERED, _COLUMN),
        ),
        "values": Spec(
            "map",
            "Inventory key → {export value: inventory value}.",
            fields={key: Spec("any") for key in DISCOVERED},
        ),
        "scale": Spec(
            "map",
            "Inventory key → factor the numbers are multiplied by.",
            fields={key: Spec("number") for key in NUMERIC},
        ),
    },
)


@dataclass(frozen=True)
class Mapping:
    key: str
    name: str
    columns: dict[str, tuple[str, ...]]
    values: dict[str, dict[str, Any]]
    scale: dict[str, float]


def load_mapping(spec: str) -> Mapping:
    """A built-in mapping by name, or a mapping file; its errors are located."""
    values = mapfile.load(spec, BUILT_IN, MAPPING, _check)
    return Mapping(
        key=values["key"],
        name=values["name"],
        columns={k: (v,) if isinstance(v, str) else tuple(v) for k, v in values["columns"].items()},
        values={
            k: {str(a): b for a, b in v.items()} for k, v in (values.get("values") or {}).items()
        },
        scale=dict(values.get("scale") or {}),
    )


def _check(values: dict[str, Any], checker: FileChecker) -> None:
    for key, columns in (values.get("columns") or {}).items():
        if not (
            isinstance(columns, str)
            or (
                isinstance(columns, list | tuple)
                and columns
                and all(isinstance(c, str) for c in columns)
            )
        ):
            checker.error(("columns", key), "expected a column name or a list of them")
    for key, table in (values.get("values") or {}).items():
        if not isinstance(table, dict):
            checker.error(("values", key), "expected a mapping of export value → value")


def read_csv(path: Path, mapping: Mapping, progress: Progress | None = None) -> list[Discovered]:
    export_file(path)
    rows = read_csv_rows(path)
    if not rows:
        raise UsageError(f"{path}: the file is empty")
    header = [h.strip() for h in rows[0][1]]
    wanted = {mapping.key, mapping.name} | {c for cs in mapping.columns.values() for c in cs}
    missing = sorted(c for c in wanted if c not in header)
    if missing:
        raise UsageError(
            f"{path}: the CSV lacks the column(s) {', '.join(missing)} that the "
            f"mapping names (found: {', '.join(header[:12])}"
            f"{', …' if len(header) > 12 else ''})"
        )
    index = {name: i for i, name in enumerate(header)}
    found: list[Discovered] = []
    for number, (line, row) in enumerate(rows[1:], 1):
        if progress and number % 200 == 0:
            progress(number, len(rows) - 1)

        def cell(column: str, row: list[str] = row) -> str:
            i = index[column]
            return row[i].strip() if i < len(row) else ""

        name = cell(mapping.name)
        if not name:
            continue
        fields: dict[str, Any] = {}
        cells: dict[str, tuple[int, str]] = {}
        for key, columns in mapping.columns.items():
            value = " ".join(v for v in (cell(c) for c in columns) if v)
            if not value:
                continue
            cells[key] = (index[columns[0]] + 1, columns[0])
            table = mapping.values.get(key)
            if table is not None and value in table:
                if table[value] is not None:  # mapped to null: "not known", left out
                    fields[key] = table[value]
            elif key == "ip_addresses":
                if addresses := ip_list(value):
                    fields[key] = addresses
            elif key in NUMERIC:
                number_value = to_number(value)
                if number_value is not None:
                    fields[key] = tidy(number_value * mapping.scale.get(key, 1))
            else:
                fields[key] = value
        key = cell(mapping.key) or f"name:{name}"
        found.append(
            Discovered(name, key, fields, {"source": path.name, "key": key}, row=line, cells=cells)
        )
    return found
