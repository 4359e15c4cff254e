"""``migrator plan``: the migration plan, as Markdown or a self-contained HTML report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from migrator import atomic, jsonout, lifetime
from migrator.assess import report as assessment_report
from migrator.assess.rules import load_rules
from migrator.console import Output
from migrator.cost.sizing import DiskSizing, Sizing
from migrator.errors import UsageError
from migrator.graph import render as rendering
from migrator.inventory.load import load_inventory
from migrator.plan.document import prepare
from migrator.plan.html import html_extras
from migrator.render.templates import render
from migrator.scenario import overlay
from migrator.waves import report as waves_report

Format = Literal["markdown", "html"]
SUFFIXES: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


def run(
    path: Path,
    output: Output,
    out: Path,
    fmt: Format | None = None,
    title: str | None = None,
    wave: int | None = None,
    templates: Path | None = None,
    write_json: bool = False,
    rules_file: Path | None = None,
    as_of: dt.date | None = None,
    sizing: Sizing = "moderate",
    prices: Path | None = None,
    disk_sizing: DiskSizing = "provisioned",
    scenario: Path | None = None,
) -> int:
    fmt = fmt or SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"{out}: cannot tell the format from '{out.suffix or '(none)'}': use "
            f".md or .html, or --format markdown|html"
        )
    inventory, _ = load_inventory(path)
    inventory, rules_file, prices = overlay(scenario, inventory, rules_file, prices)
    inputs = [
        ("the scenario file", scenario),
        *atomic.inventory_inputs(inventory.files),
        ("the rules file", rules_file),
        ("the price file", prices),
        ("the templates directory", templates),
    ]
    machine = out.with_suffix(".json") if write_json else None
    for target in (out, machine):
        if target is not None:
            atomic.check_target(target, inputs)
    rules = load_rules(rules_file, today=as_of)
    prepared = prepare(inventory, rules, as_of, sizing, prices, disk_sizing, wave)
    lifetime.keep(inventory, prepared)
    assessment, plan = prepared.assessment, prepared.plan
    context: dict[str, Any] = prepared.context(title, wave)
    if fmt == "html":
        context.update(html_extras(context, rendering.render(prepared.view, ".svg").decode()))
        text = render("report.html.j2", context, templates)
    else:
        text = render("plan.md.j2", context, templates)
    atomic.write_text(out, text, inputs)
    if machine is not None:
        atomic.write_text(
            machine,
            jsonout.dumps(
                {
                    "assessment": assessment_report.to_json(assessment, prepared.priced),
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
