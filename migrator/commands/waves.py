"""``migrator waves``: move groups and the wave schedule."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from migrator import atomic, speed
from migrator.assess.brief import for_planning
from migrator.assess.rules import load_rules
from migrator.choices import WavesFormat
from migrator.console import Output
from migrator.diagnostics import suggest
from migrator.errors import UsageError
from migrator.inventory.load import load_inventory
from migrator.scenario import overlay
from migrator.waves import report
from migrator.waves.model import Schedule
from migrator.waves.schedule import schedule

MAX_WARNINGS = 10  # on the terminal; the JSON has them all
MAX_NAMES = 12  # applications named in a table cell; the JSON and the plan name them all
MAX_GROUPS = 6  # move groups spelled out in a table cell


@dataclass(frozen=True, kw_only=True)
class WavesOptions:
    inventory: Path
    fmt: WavesFormat = "table"
    # Planning settings given on the command line, by their name in the inventory's
    # planning section: they replace the inventory's.
    overrides: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    rules_file: Path | None = None
    as_of: dt.date | None = None
    output_file: Path | None = None
    scenario: Path | None = None  # a what-if overlay applied before planning


def run(options: WavesOptions, output: Output) -> int:
    inventory, _ = load_inventory(options.inventory)
    scenario = options.scenario
    inventory, rules_file, _ = overlay(scenario, inventory, options.rules_file, None)
    as_of, out = options.as_of, options.output_file
    inputs = [
        *atomic.inventory_inputs(inventory.files),
        ("the rules file", rules_file),
        ("the scenario file", scenario),
    ]
    if out is not None:
        atomic.check_target(out, inputs)
    planning = dataclasses.replace(inventory.planning, **options.overrides)
    for app_id in planning.shared_services:
        if app_id not in inventory.apps_by_id:
            raise UsageError(
                f"--shared-services: no application '{app_id}'"
                f"{suggest(app_id, list(inventory.apps_by_id))}"
            )
    assessment = for_planning(inventory, load_rules(rules_file, today=as_of), as_of)
    plan = schedule(inventory, assessment, planning, today=as_of)
    speed.keep_alive(inventory, assessment, plan)
    if options.fmt == "json" or out is not None:
        data = report.WAVES_FORMATS["json"].produce(plan)
        if out is None:
            output.write(data)
        else:
            atomic.write_bytes(out, data, inputs)
            output.success(f"wrote {out}")
    else:
        _table(plan, output)
    shown = plan.warnings if len(plan.warnings) <= MAX_WARNINGS else plan.warnings[:MAX_WARNINGS]
    for warning in shown:
        output.err.print(f"warning: {warning}", style="yellow", markup=False)
    if len(plan.warnings) > len(shown):
        output.err.print(
            f"warning: … and {len(plan.warnings) - len(shown)} more warnings "
            f"(all of them are in --format json)",
            style="yellow",
            markup=False,
        )
    return 0


def _table(plan: Schedule, output: Output) -> None:
    from rich.table import Table  # here: JSON needs no rich

    planning = plan.planning
    limits = (
        f"at most {planning.max_apps_per_wave} applications"
        + (f", {planning.max_servers_per_wave} servers" if planning.max_servers_per_wave else "")
        + (
            f", {planning.max_person_days_per_wave} person-days"
            if planning.max_person_days_per_wave
            else ""
        )
    )
    table = Table(
        title=f"{len(plan.waves)} waves of {planning.wave_weeks} weeks "
        f"({planning.order}, {limits} a wave)",
        header_style="bold",
    )
    for name, justify in (
        ("wave", "right"),
        ("dates", "left"),
        ("applications", "left"),
        ("move groups", "left"),
        ("servers", "right"),
        ("person-days", "right"),
    ):
        # On a narrow terminal the other columns wrap first: an id is never cut in two.
        widest = max((len(a) for a in plan.wave_of), default=0) if name == "applications" else 0
        table.add_column(
            name,
            justify=justify,  # type: ignore[arg-type]
            overflow="fold",
            min_width=widest + 1 if widest else None,
        )
    groups = {g.id: g for g in plan.groups}
    for wave in plan.waves:
        multi = [
            f"{g}: {_names(groups[g].applications, '+')}"
            for g in wave.groups
            if len(groups[g].applications) > 1
        ]
        if len(multi) > MAX_GROUPS:
            multi = [*multi[:MAX_GROUPS], f"and {len(multi) - MAX_GROUPS} more"]
        table.add_row(
            str(wave.number),
            f"{wave.start} → {wave.end}",
            _names(wave.applications, ", "),
            "; ".join(multi),
            str(wave.servers),
            str(wave.person_days),
        )
    output.table(table)
    staying = ", ".join(f"{len(ids)} {kind}" for kind, ids in plan.not_migrating.items() if ids)
    temporary = sum(1 for link in plan.hybrid_links if not link.permanent)
    output.out.print(
        f"{len(plan.wave_of)} applications in {len(plan.waves)} waves "
        f"(no schedule has fewer than {plan.lower_bound}); not migrating: "
        f"{staying or 'none'}; hybrid links: {temporary} temporary "
        f"({plan.link_weeks} link-weeks), {len(plan.hybrid_links) - temporary} "
        f"permanent",
        markup=False,
    )


def _names(names: tuple[str, ...], joiner: str) -> str:
    """Names for a table cell: all of a few, the first of many and how many more."""
    if len(names) <= MAX_NAMES:
        return joiner.join(names)
    return f"{joiner.join(names[:MAX_NAMES])} … and {len(names) - MAX_NAMES} more"
