"""Network connections from discovery exports: one row, one observed connection.

Azure Migrate's agentless dependency analysis exports ``Time slot, Source server name,
Source IP, Source application, Source process, Destination server name, Destination IP,
Destination application, Destination process, Destination port`` (an older layout says
``Timeslot`` and has no ``Source IP``). Any other collector's CSV (netstat scripts, flow
exports) is read through a mapping file naming the column behind each field; a list of
columns means "the first of these the file has". The built-in ``azure-migrate`` mapping is
such a file.

Real exports are messier than their documentation: byte-order marks at the start and again
where the exporter joined chunks, CRLF line endings, IPv6 addresses with a zone
(``fe80::1%3``). A file that is not such an export (wrong columns, binary, empty, noise)
is refused with one located line before anything is resolved.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.diagnostics import Diagnostic
from migrator.discovery import mapfile
from migrator.discovery.records import MAX_EXPORT_BYTES, export_file
from migrator.errors import InvalidInputError
from migrator.inventory.schema import Spec
from migrator.inventory.validate import FileChecker

Progress = Callable[[int, int], None]
BUILT_IN = {"azure-migrate": "azure-migrate-dependencies.yaml"}
FIELDS = {
    "time_slot": "When the connection was seen (a period of the collection).",
    "source_name": "Name of the server that opened the connection (the consumer).",
    "source_ip": "Its address.",
    "source_application": "Application the collector saw on the source.",
    "source_process": "Process that opened the connection.",
    "destination_name": "Name of the server it reached (the provider).",
    "destination_ip": "Its address.",
    "destination_application": "Application the collector saw on the destination.",
    "destination_process": "Process that accepted it.",
    "port": "Destination port.",
    "connections": "How many connections the row stands for (1 when absent).",
}
_COLUMNS = Spec("any", "A column name, or a list of alternatives (the first the file has).")
MAPPING = Spec(
    "map",
    "A connections CSV mapping.",
    fields={
        "columns": Spec(
            "map",
            "Field → column(s).",
            required=True,
            fields=dict.fromkeys(FIELDS, _COLUMNS),
        ),
        "appliances": Spec(
            "list", "Server names of the collector's own machines.", items=Spec("text")
        ),
    },
)
UNKNOWN_PROCESS = "unknown process"  # Azure Migrate's word for "not seen", compared in lower case


@dataclass(frozen=True)
class ConnectionMapping:
    name: str
    columns: dict[str, tuple[str, ...]]
    appliances: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Connection:
    """One row of an export: who opened a connection to whom, on which port."""

    row: int
    source_name: str
    source_ip: str
    destination_name: str
    destination_ip: str
    port: int
    source_process: str = ""
    destination_process: str = ""
    time_slot: str = ""
    connections: int = 1


def load_mapping(spec: str) -> ConnectionMapping:
    """A built-in mapping by name, or a mapping file; its errors are located."""
    values = mapfile.load(spec, BUILT_IN, MAPPING, _check)
    return ConnectionMapping(
        name=spec if spec in BUILT_IN else "csv",
        columns={k: _column_names(v) for k, v in values["columns"].items()},
        appliances=tuple(str(a).lower() for a in values.get("appliances") or ()),
    )


def _check(values: dict[str, Any], checker: FileChecker) -> None:
    columns = values.get("columns") or {}
    for key, given in columns.items():
        if not _column_names(given):
            checker.error(("columns", key), "expected a column name or a list of them")
    if "port" not in columns:
        checker.error(("columns",), "the mapping must name the port column (port)")
    for side in ("source", "destination"):
        if f"{side}_name" not in columns and f"{side}_ip" not in columns:
            checker.error(("columns",), f"the mapping must name {side}_name or {side}_ip (or both)")


def _column_names(given: Any) -> tuple[str, ...]:
    if isinstance(given, str) and given:
        return (given,)
    if isinstance(given, list | tuple) and given and all(isinstance(c, str) for c in given):
        return tuple(given)
    return ()


def _located(path: Path, line: int, col: int, message: str) -> InvalidInputError:
    """The one problem that stops the import, where it is in the file."""
    return InvalidInputError(
        f"{path}: not imported; nothing was written",
        [Diagnostic("error", str(path), (), message, line=line, col=col)],
    )


def _text(path: Path) -> str:
    export_file(path)
    with path.open("rb") as handle:
        raw = handle.read(MAX_EXPORT_BYTES + 1)
    if not raw.strip(b"\xef\xbb\xbf \t\r\n"):
        raise _located(path, 1, 1, "the file is empty: no header, no connections")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        col = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        raise _located(path, line, col, "binary data (a NUL byte), not a CSV export")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    # a byte-order mark at the start and wherever the exporter joined chunks
    return text.replace("\ufeff", "")


def read(
    path: Path, mapping: ConnectionMapping, progress: Progress | None = None
) -> list[Connection]:
    """The connections of an export, each with its line; refused whole when malformed."""
    text = _text(path)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
        index = _columns(path, header, mapping)
        columns = tuple(index.get(name, -1) for name in ORDER)
        found: list[Connection] = []
        total = text.count("\n")
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if progress and len(found) % 5000 == 0:
                progress(line, total)
            if not "".join(row).strip():
                continue
            found.append(_connection(path, line, row, columns, index))
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = "a field of more than 131,072 characters: not a connections export"
        raise _located(path, reader.line_num or 1, 1, f"cannot read the CSV: {reason}") from None
    if progress:
        progress(total, total)
    return found


def _columns(path: Path, header: list[str], mapping: ConnectionMapping) -> dict[str, int]:
    """Field → column index, from the header; the export is refused when it lacks one."""
    at = {name.lower(): i for i, name in reversed(list(enumerate(header))) if name}
    index: dict[str, int] = {}
    for name, choices in mapping.columns.items():
        for column in choices:
            if column.lower() in at:
                index[name] = at[column.lower()]
                break
    missing = [
        " or ".join(mapping.columns[n])
        for n in ("port",)
        if n not in index and n in mapping.columns
    ]
    for side in ("source", "destination"):
        if f"{side}_name" not in index and f"{side}_ip" not in index:
            wanted = [c for n in (f"{side}_name", f"{side}_ip") for c in mapping.columns.get(n, ())]
            missing.append(" or ".join(wanted))
    if missing:
        shown = ", ".join(h[:40] for h in header[:10]) + (", …" if len(header) > 10 else "")
        raise _located(
            path,
            1,
            1,
            f"not a connections export for the {mapping.name} mapping: no column "
            f"{'; no column '.join(missing)} (the header reads: {shown or 'nothing'})",
        )
    return index


ORDER = (
    "source_name",
    "source_ip",
    "destination_name",
    "destination_ip",
    "port",
    "source_process",
    "destination_process",
    "time_slot",
    "connections",
)


def _connection(
    path: Path, line: int, row: list[str], columns: tuple[int, ...], index: dict[str, int]
) -> Connection:
    width = len(row)
    (
        source_name,
        source_ip,
        destination_name,
        destination_ip,
        port_text,
        source_process,
        destination_process,
        time_slot,
        count_text,
    ) = [row[i].strip() if 0 <= i < width else "" for i in columns]
    try:
        port = int(port_text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        col = index["port"] + 1
        raise _located(path, line, col, f"port: expected a port number, got '{port_text[:40]}'")
    count = 1
    if count_text:
        try:
            count = int(count_text.replace(",", ""))
        except ValueError:
            count = -1
        if count < 0:
            col = index["connections"] + 1
            raise _located(
                path, line, col, f"connections: expected a count, got '{count_text[:40]}'"
            )
    return Connection(
        line,
        source_name,
        source_ip,
        destination_name,
        destination_ip,
        port,
        _process(source_process),
        _process(destination_process),
        time_slot,
        count,
    )


def _process(text: str) -> str:
    return "" if len(text) == len(UNKNOWN_PROCESS) and text.lower() == UNKNOWN_PROCESS else text
