"""``migrator plan``: the migration plan, as Markdown or a self-contained HTML report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator import atomic, jsonout, outputs, speed
from migrator.assess import report as assessment_report
from migrator.assess.rules import load_rules
from migrator.choices import DiskSizing, PlanFormat, Sizing
from migrator.console import Output
from migrator.errors import UsageError
from migrator.inventory.load import load_inventory
from migrator.plan.document import prepare
from migrator.plan.formats import PLAN_FORMATS, PlanDocument
from migrator.scenario import overlay
from migrator.waves import report as waves_report


@dataclass(frozen=True, kw_only=True)
class PlanOptions:
    inventory: Path
    output_file: Path
    fmt: PlanFormat | None = None  # None: from the output file's suffix
    title: str | None = None
    wave: int | None = None  # only this wave's runbook
    templates_dir: Path | None = None
    write_json: bool = False  # the assessment and waves as JSON beside the plan
    rules_file: Path | None = None
    as_of: dt.date | None = None
    sizing: Sizing = "moderate"
    prices_file: Path | None = None
    disk_sizing: DiskSizing = "provisioned"
    scenario: Path | None = None  # a what-if overlay applied before planning


def run(options: PlanOptions, output: Output) -> int:
    out, wave, templates = options.output_file, options.wave, options.templates_dir
    rules_file, prices, as_of = options.rules_file, options.prices_file, options.as_of
    written = PLAN_FORMATS[options.fmt] if options.fmt else outputs.by_suffix(PLAN_FORMATS, out)
    if written is None:
        raise UsageError(
            f"{out}: cannot tell the format from '{out.suffix or '(none)'}': use "
            f".md or .html, or --format markdown|html"
        )
    inventory, _ = load_inventory(options.inventory)
    scenario = options.scenario
    inventory, rules_file, prices = overlay(scenario, inventory, rules_file, prices)
    inputs = [
        ("the scenario file", scenario),
        *atomic.inventory_inputs(inventory.files),
        ("the rules file", rules_file),
        ("the price file", prices),
        ("the templates directory", templates),
    ]
    machine = out.with_suffix(".json") if options.write_json else None
    for target in (out, machine):
        if target is not None:
            atomic.check_target(target, inputs)
    rules = load_rules(rules_file, today=as_of)
    prepared = prepare(
        inventory,
        rules,
        as_of=as_of,
        sizing=options.sizing,
        prices=prices,
        disk_sizing=options.disk_sizing,
        wave=wave,
    )
    speed.keep_alive(inventory, prepared)
    assessment, plan = prepared.assessment, prepared.plan
    context: dict[str, Any] = prepared.context(options.title, wave)
    atomic.write_bytes(out, written.produce(PlanDocument(prepared, context, templates)), inputs)
    if machine is not None:
        atomic.write_text(
            machine,
            jsonout.dumps(
                {
                    "assessment": assessment_report.to_json(assessment, prepared.cost, plan),
                    "waves": waves_report.to_json(plan),
                }
            ),
            inputs,
        )
        output.success(f"wrote {machine}")
    apps, waves = len(context["applications"]), len(plan.waves)
    output.success(
        f"wrote {out}: "
        + (
            f"wave {wave} of {waves}, {apps} application{'s' * (apps != 1)}"
            if wave
            else f"{apps} application{'s' * (apps != 1)}, {waves} wave{'s' * (waves != 1)}"
        )
    )
    return 0
