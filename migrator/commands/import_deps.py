"""``migrator import dependencies``: application dependencies from observed connections."""

from __future__ import annotations

from pathlib import Path

from migrator.commands.import_ import progress_bar
from migrator.console import Output
from migrator.discovery import depmerge, merge, readers
from migrator.discovery.dependencies import REASONS, Resolved, resolve
from migrator.discovery.estate import read_estate
from migrator.discovery.lock import import_lock
from migrator.errors import UsageError

SHOWN = 20  # dependencies listed one a line; the rest are counted


def run(path: Path, out: Path, output: Output, mapping: str, dry_run: bool = False) -> int:
    reader = readers.CONNECTIONS["dependencies"]
    with progress_bar(output, f"reading {path.name}") as progress:
        rows = reader.read(path, mapping, progress).items
    if not out.is_dir():
        raise UsageError(
            f"{out}: no inventory there; import the servers first (migrator import rvtools "
            f"or csv), then their connections"
        )
    source = f"{mapping}:{path.name}" if mapping in readers.BUILT_IN_CONNECTIONS else path.name
    appliances = readers.appliances(mapping)
    if dry_run:
        estate = read_estate(out)
        resolved = resolve(rows, estate, appliances)
        changes = depmerge.merge(resolved.pairs, estate, out, source)
    else:
        with import_lock(out):
            estate = read_estate(out)
            resolved = resolve(rows, estate, appliances)
            changes = depmerge.merge(resolved.pairs, estate, out, source)
            merge.write(changes.files)
    for line in summary(resolved, changes):
        output.info(line)
    texts = changes.files.texts
    if dry_run:
        for written in texts:
            output.info(f"would write {written}")
        return 0
    for written in texts:
        output.success(f"wrote {written}")
    if not texts:
        output.info("nothing changed")
    return 0


def summary(resolved: Resolved, changes: depmerge.DependencyChanges) -> list[str]:
    left_out = resolved.rows - resolved.used
    lines = [
        f"{resolved.rows} connection row(s): {resolved.used} between applications, "
        f"{left_out} left out"
    ]
    for reason, count in sorted(resolved.skipped.items(), key=lambda item: (-item[1], item[0])):
        examples = resolved.examples.get(reason)
        seen = ""
        if examples:
            top = sorted(examples.items(), key=lambda item: (-item[1], item[0]))[:3]
            seen = " — " + ", ".join(f"{what} ({n})" for what, n in top)
            if len(examples) > 3:
                seen += f" and {len(examples) - 3} more"
        lines.append(f"  {count} {REASONS[reason]}{seen}")
    lines.append(
        f"{len(changes.added)} new dependency(ies), {len(changes.updated)} with new evidence, "
        f"{changes.known} already in the inventory"
    )
    for consumer, provider, evidence in changes.added[:SHOWN]:
        ports = ", ".join(str(p) for p in sorted(evidence.ports))
        lines.append(
            f"  + {consumer} -> {provider} ({evidence.kind}; port(s) {ports}; "
            f"{evidence.connections} connection(s))"
        )
    if len(changes.added) > SHOWN:
        lines.append(f"  … and {len(changes.added) - SHOWN} more")
    for consumer, provider in changes.updated[:SHOWN]:
        lines.append(f"  ~ {consumer} -> {provider}: evidence updated")
    if changes.kept_deleted:
        shown = ", ".join(changes.kept_deleted[:10])
        more = (
            f" and {len(changes.kept_deleted) - 10} more" if len(changes.kept_deleted) > 10 else ""
        )
        lines.append(
            f"{len(changes.kept_deleted)} dependency(ies) you deleted left out: {shown}{more} "
            f"(listed under deleted in discovered.yaml)"
        )
    return lines
