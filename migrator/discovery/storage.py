"""Used storage from RVTools: the guest's filesystems (vPartition), each counted once.

vPartition lists what the guest mounts, and a filesystem mounted twice is listed twice:
Linux bind mounts (``/tmp`` and ``/var/tmp`` on ``/``, an agent's
``/opt/sentinelone/rpm_mount``), a Windows volume that has a drive letter and a folder mount
point (``F:\\`` and ``E:\\Backup\\Disk1\\``). Summed as listed, used storage comes out larger
than the disks. Two partitions of one VM with the same capacity and the same consumed MiB
are taken for one filesystem. Where the sum still exceeds the provisioned disks, vInfo's
``In Use`` figure is taken, and where that too exceeds them, the provisioned size: used
storage is never more than provisioned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REPEATED = "repeated"  # a filesystem listed more than once, counted once
FROM_VINFO = "from-vinfo"  # vPartition exceeded the disks: vInfo's in-use figure taken
CAPPED = "capped"  # both exceeded the disks: the provisioned size taken
NOTES = {
    REPEATED: "a filesystem listed more than once in vPartition (bind mount, a volume "
    "mounted twice) counted once",
    FROM_VINFO: "vPartition's used storage exceeded the disks: vInfo's In Use taken",
    CAPPED: "used storage exceeded the disks in vPartition and vInfo: the provisioned size taken",
}


@dataclass
class Partitions:
    consumed: float = 0.0  # MiB, each filesystem once
    seen: set[tuple[float, float]] = field(default_factory=set)  # (capacity, consumed)
    repeated: bool = False

    def add(self, capacity: Any, consumed: float) -> None:
        size = float(capacity) if isinstance(capacity, int | float) else -1.0
        if capacity is not None and (size, consumed) in self.seen:
            self.repeated = True
            return
        self.seen.add((size, consumed))
        self.consumed += consumed


def partitions(book: Any) -> dict[str, Partitions]:
    """The filesystems of each VM, keyed by VM ID and by VM name.

    Some exports mislabel vPartition's first header cell: the first column is the VM
    name whatever its header says.
    """
    sheet = book["vPartition"].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(sheet, ())]
    consumed = next((header.index(h) for h in ("Consumed MiB", "Consumed MB") if h in header), None)
    if consumed is None:
        return {}
    capacity = next((header.index(h) for h in ("Capacity MiB", "Capacity MB") if h in header), None)
    vm_id = header.index("VM ID") if "VM ID" in header else None
    found: dict[str, Partitions] = {}
    for row in sheet:
        if (
            not row
            or row[0] in (None, "")
            or len(row) <= consumed
            or not isinstance(row[consumed], int | float)
            or isinstance(row[consumed], bool)
        ):
            continue
        size = row[capacity] if capacity is not None and capacity < len(row) else None
        for key in (
            f"id:{row[vm_id]}" if vm_id is not None and vm_id < len(row) and row[vm_id] else None,
            f"name:{row[0]}",
        ):
            if key:
                found.setdefault(key, Partitions()).add(size, float(row[consumed]))
    return found


def used_mib(
    provisioned: float | None, in_use: float | None, listed: Partitions | None
) -> tuple[float | None, list[str]]:
    """Used MiB of a VM and the notes that say how it was worked out."""
    notes: list[str] = []
    if listed is None:
        used = in_use
    else:
        used = listed.consumed
        if listed.repeated:
            notes.append(REPEATED)
        if provisioned is not None and used > provisioned and in_use is not None:
            used = in_use
            notes.append(FROM_VINFO)
    if used is not None and provisioned is not None and used > provisioned:
        used = provisioned
        notes.append(CAPPED)
    return used, notes
