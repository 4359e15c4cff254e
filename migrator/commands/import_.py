"""``migrator import``: servers from discovery exports into inventory YAML, safely again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from migrator.choices import GroupBy
from migrator.console import Output
from migrator.discovery import merge, readers, summary
from migrator.discovery.lock import import_lock
from migrator.discovery.records import DISCOVERED, Batch, Discovered, check_records
from migrator.errors import InvalidInputError, UsageError


@contextmanager
def progress_bar(output: Output, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal; nothing otherwise."""
    if not output.interactive:
        yield None
        return
    with Progress(
        TextColumn(label),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=output.err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@dataclass(frozen=True, kw_only=True)
class ImportOptions:
    export: Path  # the discovery export to read
    inventory_dir: Path  # the inventory to write or update
    group_by: GroupBy = "prefix"
    dry_run: bool = False
    # fields whose discovered value replaces the one the user edited
    overwrite: frozenset[str] = frozenset()


def run_servers(
    fmt: str, options: ImportOptions, output: Output, *, mapping: str | None = None
) -> int:
    """``migrator import rvtools|csv``: servers (and proposed applications) from an export."""
    unknown = sorted(options.overwrite - set(DISCOVERED))
    if unknown:
        raise UsageError(
            f"--overwrite {unknown[0]}: not a field discovery writes (it writes: "
            f"{', '.join(DISCOVERED)})"
        )
    path = options.export
    reader = readers.SERVERS[fmt]
    with progress_bar(output, f"reading {path.name}") as progress:
        batch = reader.read(path, mapping, progress)
    return _finish(batch, options, f"{fmt}:{path.name}", output)


def _finish(batch: Batch[Discovered], options: ImportOptions, source: str, output: Output) -> int:
    export, out, group_by = options.export, options.inventory_dir, options.group_by
    dry_run, overwrite = options.dry_run, options.overwrite
    records = batch.items
    if not records:
        raise UsageError(f"{export}: no machines in the export (every row blank or a template)")
    problems = check_records(records, str(export))
    if problems:
        raise InvalidInputError(
            f"{export}: {len(problems)} value(s) the inventory would refuse; nothing was written",
            problems,
        )
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a directory")
    if not out.exists() and not dry_run:
        if not out.parent.is_dir():
            raise UsageError(f"{out}: parent directory {out.parent} does not exist")
        out.mkdir()
    if dry_run:
        changes = merge.merge(records, out, source, group_by, dt.date.today(), overwrite)
    else:
        with import_lock(out):
            changes = merge.merge(records, out, source, group_by, dt.date.today(), overwrite)
            merge.write(changes)
    recognised, with_os, unknown = summary.os_report(records)
    for line in summary.describe(changes) + summary.counts(batch):
        output.info(line)
    for note in changes.notes:
        output.err.print(f"warning: {note}", style="yellow", markup=False)
    share = f"{recognised / with_os:.0%}" if with_os else "n/a"
    output.info(f"operating systems recognised: {recognised} of {with_os} machines ({share})")
    for text, count in sorted(unknown.items(), key=lambda item: -item[1]):
        output.err.print(
            f"warning: operating system not recognised: '{text}' ({count} machine(s))",
            style="yellow",
            markup=False,
        )
    if dry_run:
        for path in changes.texts:
            output.info(f"would write {path}")
        return 0
    for path in changes.texts:
        output.success(f"wrote {path}")
    if not changes.texts:
        output.info("nothing changed")
    return 0
