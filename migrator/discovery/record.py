"""What imports wrote, and what the user deleted since: ``discovered.yaml`` in the inventory.

A re-import must tell "the user changed this" from "discovery changed this", and "the user
deleted this" from "this is new". The record keeps, per kind, what the import wrote
(``written``: each server by the export's identity with what discovery said of its fields
at the last import, each dependency as ``consumer -> provider``) and what it will leave
out from now on (``deleted``, the tombstones). It lives apart from ``servers.yaml``, which
stays as small and readable as before, and is read and written whole, fast. The file is an inventory file like
any other (its one section is an ``x-`` key, which every reader ignores); people read and
edit its ``deleted`` lists (remove a line to let the import add the item again). The
import rewrites it whole: comments written into it are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrator.discovery.estate import Estate
from migrator.discovery.yamledit import block_key, flow, items_text

RECORD = "discovered.yaml"
SECTION = "x-import"
KINDS = ("dependencies", "servers")
_HEADER = (
    "# Written by `migrator import`: what it added to this inventory, so that a re-import\n"
    "# keeps what you deleted deleted. `deleted` lists what the import leaves out from now\n"
    "# on: remove a line there to let it come back. The import rewrites this file whole.\n"
)


@dataclass
class Record:
    written: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    deleted: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    # server key → what discovery said of its fields at the last import
    values: dict[str, dict[str, Any]] = field(default_factory=dict)

    def text(self) -> str:
        lines = [_HEADER, f"{SECTION}:\n"]
        for kind in KINDS:
            if not self.written[kind] and not self.deleted[kind]:
                continue
            lines.append(f"  {kind}:\n")
            deleted = self.deleted[kind]
            lines.append(
                f"    deleted:\n{items_text(sorted(deleted), 6)}"
                if deleted
                else "    deleted: []\n"
            )
            written = sorted(self.written[kind])
            if not written:
                lines.append("    written: []\n")
            elif kind == "servers":
                lines.append("    written:\n")
                pad = " " * 6
                lines += [
                    f"{block_key(k, pad, pad)} {flow(self.values.get(k, {}))}\n" for k in written
                ]
            else:
                lines.append(f"    written:\n{items_text(written, 6)}")
        return "".join(lines)


def read_record(estate: Estate, directory: Path) -> tuple[Record, str | None]:
    """The record of ``directory`` (empty when there is none) and the file's text."""
    record = Record()
    file = estate.files.get(directory / RECORD)
    if file is None:
        return record, None
    section = file.data.get(SECTION)
    if isinstance(section, dict):
        for kind in KINDS:
            entry = section.get(kind)
            if not isinstance(entry, dict):
                continue
            for label, target in (("written", record.written), ("deleted", record.deleted)):
                items = entry.get(label)
                if isinstance(items, list):
                    target[kind].update(str(i).strip() for i in items if i is not None)
                elif isinstance(items, dict):  # servers: key → fields
                    for key, values in items.items():
                        target[kind].add(str(key))
                        if label == "written" and isinstance(values, dict):
                            record.values[str(key)] = values
    return record, file.text


def pair_key(consumer: str, provider: str) -> str:
    return f"{consumer} -> {provider}"
