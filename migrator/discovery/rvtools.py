"""RVTools exports: servers from the vInfo tab (xlsx or its CSV), used storage from vPartition.

Works with every RVTools version migrator has seen: ``Provisioned MB``/``In Use MB`` (3.x)
or ``Provisioned MiB``/``In Use MiB`` (4.x), both meaning mebibytes; ``Memory`` in MiB. The
OS comes from VMware Tools when it reported one, else from the VM's configuration file;
where RVTools 4.x gives the guest's detailed data (``Guest Detailed Data``:
``distroName='Ubuntu' distroVersion='22.04' prettyName='Ubuntu 22.04.3 LTS' ...``), its
release completes the bare label (``Ubuntu Linux (64-bit)`` is then Ubuntu 22.04).
Blank rows and templates are skipped; powered-off VMs are kept with ``power_state: off``.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from migrator.discovery import storage
from migrator.discovery.records import (
    Batch,
    Discovered,
    export_file,
    gib,
    ip_list,
    read_csv_rows,
    tidy,
    to_number,
)
from migrator.errors import UsageError

REQUIRED = ("VM", "Powerstate", "CPUs", "Memory")
PROVISIONED = ("Provisioned MiB", "Provisioned MB")
IN_USE = ("In Use MiB", "In Use MB")
OS_TOOLS = "OS according to the VMware Tools"
OS_CONFIG = "OS according to the configuration file"
GUEST_DETAIL = "guest detailed data"  # RVTools 4.x, compared in lower case
_DETAIL_PAIR = re.compile(r"(\w+)='((?:[^'\\]|\\.)*)'")
_BITS = re.compile(r"\s*\((?:32|64)-bit\)\s*$", re.IGNORECASE)
Progress = Callable[[int, int], None]  # rows done, rows in all
# An xlsx is a zip of XML. A real export's parts expand about 8 times (XML compresses
# well); a zip bomb's expand a thousand times, to gigabytes. Both are checked, from the
# zip's directory, before a byte is inflated.
MAX_XLSX_EXPANDED = 1024 * 1024 * 1024  # all parts together
MAX_XLSX_RATIO = 100  # a part larger than 1 MiB may expand at most this much
MAX_XLSX_PARTS = 10_000


def read(path: Path, progress: Progress | None = None) -> list[Discovered]:
    """The VMs of an RVTools export (.xlsx, or the vInfo tab saved as .csv)."""
    return read_export(path, progress).items


def read_export(path: Path, progress: Progress | None = None) -> Batch[Discovered]:
    """The VMs of an RVTools export, and the templates it lists (left out)."""
    export_file(path)
    if path.suffix.lower() == ".csv":
        header, rows = _csv_rows(path)
        partitions: dict[str, storage.Partitions] = {}
        networks: dict[str, list[str]] = {}
    else:
        header, rows, partitions, networks = _xlsx(path)
    batch: Batch[Discovered] = Batch([])
    batch.items.extend(_records(path, header, rows, partitions, networks, progress, batch.skipped))
    return batch


def _csv_rows(path: Path) -> tuple[list[str], Sequence[tuple[int, Sequence[Any]]]]:
    rows = read_csv_rows(path)
    if not rows:
        raise UsageError(f"{path}: the file is empty")
    return [h.strip() for h in rows[0][1]], list(rows[1:])


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UsageError(
            f"{path}: not an Excel workbook (.xlsx) that RVTools wrote: {exc}"
        ) from None
    if len(parts) > MAX_XLSX_PARTS:
        raise UsageError(
            f"{path}: {len(parts)} parts in the workbook; an RVTools export has a few dozen"
        )
    expanded = sum(part.file_size for part in parts)
    if expanded > MAX_XLSX_EXPANDED:
        raise UsageError(
            f"{path}: the workbook would expand to {expanded / 2**20:,.0f} MiB "
            f"(the limit is {MAX_XLSX_EXPANDED // 2**20:,} MiB)"
        )
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > 2**20 and ratio > MAX_XLSX_RATIO:
            raise UsageError(
                f"{path}: {part.filename} would expand {ratio:,} times "
                f"({part.file_size / 2**20:,.0f} MiB): a zip bomb, not an export "
                f"(real ones expand about 8 times)"
            )


def _xlsx(
    path: Path,
) -> tuple[
    list[str],
    Sequence[tuple[int, Sequence[Any]]],
    dict[str, storage.Partitions],
    dict[str, list[str]],
]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UsageError(
            f"{path}: not an Excel workbook (.xlsx) that RVTools wrote: {exc}"
        ) from None
    except Exception as exc:  # openpyxl's XML and value errors have no common base
        raise UsageError(f"{path}: cannot read the workbook: {type(exc).__name__}: {exc}") from None
    try:
        if "vInfo" not in book.sheetnames:
            raise UsageError(
                f"{path}: no vInfo sheet (sheets: {', '.join(book.sheetnames)}); "
                f"is this an RVTools export?"
            )
        sheet = book["vInfo"].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(sheet, ())]
        rows = [(number, row) for number, row in enumerate(sheet, 2)]
        partitions = storage.partitions(book) if "vPartition" in book.sheetnames else {}
        networks = _networks(book) if "vNetwork" in book.sheetnames else {}
    except UsageError:
        raise
    except Exception as exc:  # a cell openpyxl cannot read (t="n" holding NaN), XML refused
        # (an external entity, an entity bomb): the workbook, not migrator, is at fault
        raise UsageError(f"{path}: cannot read the workbook: {type(exc).__name__}: {exc}") from None
    finally:
        book.close()
    return header, rows, partitions, networks


def _networks(book: Any) -> dict[str, list[str]]:
    """The addresses of each VM's network cards (vNetwork), keyed by VM ID and by name."""
    sheet = book["vNetwork"].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(sheet, ())]
    wanted = [header.index(h) for h in ("IPv4 Address", "IPv6 Address") if h in header]
    if not wanted:
        return {}
    vm_id = header.index("VM ID") if "VM ID" in header else None
    found: dict[str, list[str]] = {}
    for row in sheet:
        if not row or row[0] in (None, ""):
            continue
        addresses = ip_list(*(row[i] for i in wanted if i < len(row)))
        keys = [f"name:{row[0]}"]
        if vm_id is not None and vm_id < len(row) and row[vm_id]:
            keys.append(f"id:{row[vm_id]}")
        for key in keys:
            found.setdefault(key, []).extend(addresses)
    return found


def _records(
    path: Path,
    header: list[str],
    rows: Sequence[tuple[int, Sequence[Any]]],
    partitions: dict[str, storage.Partitions],
    networks: dict[str, list[str]],
    progress: Progress | None,
    skipped: Counter[str],
) -> Iterator[Discovered]:
    column = {name: index for index, name in enumerate(header) if name}
    detail = next((name for name in column if name.lower() == GUEST_DETAIL), None)
    _check_columns(path, header, column)
    for number, (row_number, values) in enumerate(rows, 1):
        if progress and number % 200 == 0:
            progress(number, len(rows))
        row = _Row(column, values)
        name = row.get("VM")
        if name is None:
            continue
        if str(row.get("Template") or "").lower() == "true":
            skipped["template"] += 1
            continue
        name = str(name)
        vm_id = row.get("VM ID", "VM UUID", "SMBIOS UUID")
        state = str(row.get("Powerstate") or "").lower()
        provisioned = to_number(row.get(*PROVISIONED, field="storage_gb"))
        in_use = to_number(row.get(*IN_USE, field="storage_used_gb"))
        listed = partitions.get(f"id:{vm_id}") if vm_id else None
        if listed is None:
            listed = partitions.get(f"name:{name}")
        used, notes = storage.used_mib(provisioned, in_use, listed)
        addresses = networks.get(f"id:{vm_id}") or networks.get(f"name:{name}") or ()
        fields = _fields(row, name, state, provisioned, used, detail, addresses)
        source = _source(row, name, vm_id, state)
        yield Discovered(
            name,
            str(vm_id) if vm_id else f"name:{name}",
            {k: v for k, v in fields.items() if v is not None},
            source,
            folder=source.get("folder"),
            annotation=source.get("annotation"),
            row=row_number,
            cells=row.cells,
            notes=notes,
        )
    if progress:
        progress(len(rows), len(rows))


def _check_columns(path: Path, header: list[str], column: dict[str, int]) -> None:
    missing = [name for name in REQUIRED if name not in column]
    if not any(name in column for name in PROVISIONED):
        missing.append(" or ".join(PROVISIONED))
    if missing:
        raise UsageError(
            f"{path}: vInfo lacks the column(s) {', '.join(missing)} "
            f"(found: {', '.join(header[:12])}{', …' if len(header) > 12 else ''})"
        )


class _Row:
    """One vInfo row read by column name, remembering the cell each field came from
    (for the messages about its values)."""

    __slots__ = ("cells", "column", "values")

    def __init__(self, column: dict[str, int], values: Sequence[Any]) -> None:
        self.column = column
        self.values = values
        self.cells: dict[str, tuple[int, str]] = {}

    def get(self, *names: str, field: str | None = None) -> Any:
        """The first of the columns ``names`` with a value, stripped; None if none has."""
        for name in names:
            index = self.column.get(name)
            if index is not None and index < len(self.values):
                value = self.values[index]
                if isinstance(value, str):
                    value = value.strip()
                if value not in (None, ""):
                    if field is not None:
                        self.cells[field] = (index + 1, name)
                    return value
        return None


def _fields(
    row: _Row,
    name: str,
    state: str,
    provisioned: float | None,
    used: float | None,
    detail: str | None,
    addresses: Sequence[str],
) -> dict[str, Any]:
    """The server's keys as discovery knows them (None: not in the export)."""
    fields: dict[str, Any] = {
        "hostname": _text(row.get("DNS Name")) or name,
        "datacenter": _text(row.get("Datacenter")),
        "cluster": _text(row.get("Cluster")),
        "os": guest_os(
            row.get(OS_TOOLS, OS_CONFIG), guest_detail(row.get(detail) if detail else None)
        ),
        "cpu": to_number(row.get("CPUs", field="cpu")),
        "memory_gb": gib(to_number(row.get("Memory", field="memory_gb"))),
        "storage_gb": gib(provisioned),
        "storage_used_gb": gib(used),
        "platform": "vmware",
        "power_state": "on" if state == "poweredon" else "off",
        "ip_addresses": ip_list(row.get("Primary IP Address"), *addresses) or None,
    }
    if isinstance(fields["cpu"], float):
        fields["cpu"] = tidy(fields["cpu"])
    return fields


def _source(row: _Row, name: str, vm_id: Any, state: str) -> dict[str, str]:
    """Where the server came from, for its x-discovery key."""
    source = {"source": "rvtools", "vm": name}
    if vm_id:
        source["vm_id"] = str(vm_id)
    for label, column in (("host", "Host"), ("folder", "Folder"), ("annotation", "Annotation")):
        value = row.get(column)
        if value is not None:
            source[label] = str(value)
    if state not in ("poweredon", "poweredoff"):
        source["powerstate"] = _text(row.get("Powerstate"))
    return source


def _text(value: Any) -> Any:
    """A cell of a text column as text (None when empty): a spreadsheet may hold a number
    there, even one that does not fit a float (1.8e308 reads as infinity), which no
    inventory value may be."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def guest_detail(text: Any) -> dict[str, str]:
    """The ``key='value'`` pairs of vSphere's guest detailed data (RVTools 4.x)."""
    if not isinstance(text, str):
        return {}
    return {key: value.replace("\\'", "'") for key, value in _DETAIL_PAIR.findall(text)}


def guest_os(label: Any, detail: dict[str, str]) -> str | None:
    """The OS as text that names its release: VMware's label, completed from the guest's
    detailed data when the label leaves the release out (``Ubuntu Linux (64-bit)``)."""
    text = str(label) if label is not None else None
    pretty, version = detail.get("prettyName"), detail.get("distroVersion")
    if text is None:
        text = pretty or " ".join(filter(None, (detail.get("distroName"), version))) or None
    elif version and not re.search(rf"(?<![\d.]){re.escape(version)}(?![\d.])", text):
        bits = _BITS.search(text)
        suffix, base = (bits.group(0), text[: bits.start()]) if bits else ("", text)
        text = (pretty if pretty and version in pretty else f"{base} {version}") + suffix
    return text
