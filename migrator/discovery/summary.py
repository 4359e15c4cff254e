"""What a server import did, in the lines its summary prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from migrator.discovery.merge import Changes
from migrator.discovery.record import RECORD
from migrator.discovery.records import Batch, Discovered
from migrator.discovery.storage import NOTES
from migrator.discovery.stubs import PORTFOLIO

SHOWN = 20  # lines of one kind listed; the rest are counted


def describe(changes: Changes) -> list[str]:
    lines = [
        f"{len(changes.added)} new server(s), {len(changes.updated)} updated, "
        f"{changes.unchanged} unchanged"
    ]
    for server_id, fields in changes.updated[:20]:
        lines.append(f"  updated {server_id}: {', '.join(fields)}")
    if len(changes.updated) > 20:
        lines.append(f"  … and {len(changes.updated) - 20} more")
    if changes.vanished:
        shown = ", ".join(changes.vanished[:10])
        more = f" and {len(changes.vanished) - 10} more" if len(changes.vanished) > 10 else ""
        lines.append(
            f"{len(changes.vanished)} server(s) no longer in the export, kept in the "
            f"inventory (delete or retire them yourself): {shown}{more}"
        )
    for server_id, name, yours, discovery in changes.kept[:SHOWN]:
        mine = "(deleted)" if yours is None else _shown(yours)
        lines.append(
            f"kept your {name} for {server_id}: {mine}, discovery says {_shown(discovery)}"
        )
    if len(changes.kept) > SHOWN:
        lines.append(f"… and {len(changes.kept) - SHOWN} more of your edits kept")
    if changes.kept:
        fields = sorted({name for _, name, _, _ in changes.kept})
        lines.append(
            f"  (to take discovery's values instead: --overwrite {' --overwrite '.join(fields)})"
        )
    if changes.kept_deleted:
        shown = ", ".join(changes.kept_deleted[:10])
        more = (
            f" and {len(changes.kept_deleted) - 10} more" if len(changes.kept_deleted) > 10 else ""
        )
        lines.append(
            f"{len(changes.kept_deleted)} machine(s) you deleted left out: {shown}{more} "
            f"(listed under deleted in {RECORD})"
        )
    if changes.stubs:
        lines.append(f"{len(changes.stubs)} application(s) proposed for review (x-review)")
    if changes.groups:
        biggest = sorted(changes.groups, key=lambda g: (-g[1], g[0]))
        shown = ", ".join(f"{app_id} ({n})" for app_id, n in biggest[:10])
        more = f" and {len(biggest) - 10} more" if len(biggest) > 10 else ""
        lines.append(f"  new ones, with their servers: {shown}{more}")
    if changes.environments:
        lines.append(
            f"{changes.environments} new server(s) given the environment their name carries "
            f"(P-, PRD-, -T, -dev …)"
        )
    if changes.portfolio:
        lines.append(f"{PORTFOLIO} written: set its region (costs need one)")
    return lines


def _shown(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def os_report(records: Sequence[Discovered]) -> tuple[int, int, dict[str, int]]:
    """How many OS strings the catalogue recognised: (recognised, with an OS, unknown)."""
    from migrator.assess.catalogue import recognise_os

    unknown: dict[str, int] = {}
    recognised = with_os = 0
    for record in records:
        text = record.fields.get("os")
        if not text:
            continue
        with_os += 1
        if recognise_os(str(text)) is None:
            unknown[str(text)] = unknown.get(str(text), 0) + 1
        else:
            recognised += 1
    return recognised, with_os, unknown


def counts(batch: Batch[Discovered]) -> list[str]:
    """What the export held besides running machines, and how values were worked out."""
    off = sum(1 for r in batch.items if r.fields.get("power_state") == "off")
    lines = [f"{len(batch.items)} machine(s) in the export, {off} powered off (kept)"]
    for reason, count in sorted(batch.skipped.items()):
        lines.append(f"{count} {reason}(s) left out")
    noted: Counter[str] = Counter(note for r in batch.items for note in r.notes)
    for note, count in sorted(noted.items()):
        lines.append(f"used storage of {count} machine(s): {NOTES[note]}")
    return lines
