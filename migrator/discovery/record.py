"""What imports wrote, and what the user deleted since: ``discovered.yaml`` in the inventory.

A re-import must tell "the user deleted this" from "this is new". Dependencies carry their
evidence under ``x-discovered``, but once an entry is deleted nothing of it is left where
it was; the record keeps, per kind, what the import wrote (``written``) and what it will
leave out from now on (``deleted``, the tombstones). The file is an inventory file like
any other (its one section is an ``x-`` key, which every reader ignores); people read and
edit its ``deleted`` lists (remove a line to let the import add the item again). The
import rewrites it whole: comments written into it are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from migrator.discovery.estate import Estate
from migrator.discovery.yamledit import items_text

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

    def text(self) -> str:
        lines = [_HEADER, f"{SECTION}:\n"]
        for kind in KINDS:
            if not self.written[kind] and not self.deleted[kind]:
                continue
            lines.append(f"  {kind}:\n")
            for label, items in (("deleted", self.deleted[kind]), ("written", self.written[kind])):
                if items:
                    lines.append(f"    {label}:\n{items_text(sorted(items), 6)}")
                else:
                    lines.append(f"    {label}: []\n")
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
    return record, file.text


def pair_key(consumer: str, provider: str) -> str:
    return f"{consumer} -> {provider}"
