"""``migrator assess``: score every application, recommend a strategy, explain it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from rich.table import Table
from rich.text import Text

from migrator import atomic, jsonout, lifetime
from migrator.assess import report
from migrator.assess.assessment import assess
from migrator.assess.facts import FACTS
from migrator.assess.model import AppAssessment, Assessment
from migrator.assess.rules import RuleSet, load_rules
from migrator.assess.targets import step_text
from migrator.console import Output
from migrator.cost.compute import costs
from migrator.cost.sizing import DiskSizing, Sizing
from migrator.diagnostics import format_path, suggest
from migrator.errors import CheckFailed, UsageError
from migrator.inventory.load import load_inventory, place
from migrator.render.templates import render
from migrator.scenario import overlay

Format = Literal["table", "json", "csv", "markdown"]
READINESS_STYLE = {
    "ready": "green",
    "ready-with-conditions": "yellow",
    "not-ready": "red",
    "unknown": "dim",
}
MAX_ROWS = 100  # a larger portfolio's table shows those that need attention most
SEVERITY_STYLE = {"blocker": "bold red", "major": "red", "minor": "yellow", "info": "dim"}


def run(
    path: Path,
    output: Output,
    fmt: Format = "table",
    rules_file: Path | None = None,
    explain: str | None = None,
    fail_under: float | None = None,
    each: bool = False,
    as_of: dt.date | None = None,
    out: Path | None = None,
    cost: bool = False,
    sizing: Sizing = "moderate",
    prices: Path | None = None,
    disk_sizing: DiskSizing = "provisioned",
    scenario: Path | None = None,
) -> int:
    inventory, warnings = load_inventory(path)
    inventory, rules_file, prices = overlay(scenario, inventory, rules_file, prices)
    inputs = [
        *atomic.inventory_inputs(inventory.files),
        ("the rules file", rules_file),
        ("the price file", prices),
        ("the scenario file", scenario),
    ]
    if out is not None:
        atomic.check_target(out, inputs)
    rules = load_rules(rules_file, today=as_of)
    assessment = assess(inventory, rules, as_of)
    lifetime.keep(inventory, assessment)
    table = fmt == "table" and out is None
    priced: dict[str, Any] | None = None
    # CSV has no cost columns: the estimate is for JSON, Markdown and --cost.
    if explain is None and fmt != "csv" and (not table or cost or prices is not None):
        estimate, priced = costs(
            inventory, assessment, prices, sizing, today=as_of, disk_sizing=disk_sizing
        )
        lifetime.keep(estimate, priced)
    if explain is not None:
        _explain(assessment, rules, explain, output)
    elif table:
        _table(assessment, output, priced if cost else None)
    else:
        data = _encoded(assessment, "json" if fmt == "table" else fmt, priced)
        if out is None:
            output.write(data)
        else:
            atomic.write_bytes(out, data, inputs)
            output.success(f"wrote {out}")
    if warnings and not output.quiet:
        output.info(f"{len(warnings)} inventory warning(s): run 'migrator validate {path}'")
    return _gate(assessment, fail_under, each, output)


def _encoded(assessment: Assessment, fmt: str, priced: dict[str, Any] | None) -> bytes:
    if fmt == "json":
        return jsonout.encode(report.to_json(assessment, priced))
    if fmt == "csv":
        text = report.to_csv(assessment)
    else:
        data = report.to_json(assessment, priced)
        text = render(
            "assess.md.j2",
            {**data, "as_of": assessment.as_of, "external": list(assessment.external)},
        )
    return (text if text.endswith("\n") else text + "\n").encode()


def _gate(assessment: Assessment, fail_under: float | None, each: bool, output: Output) -> int:
    if fail_under is None:
        return 0
    if each:
        below = [a for a in assessment.applications if a.score < fail_under]
        if below:
            names = ", ".join(f"{a.app.id} ({a.score})" for a in below[:10])
            more = f" and {len(below) - 10} more" if len(below) > 10 else ""
            raise CheckFailed(
                f"{len(below)} application(s) score below {fail_under:g}: {names}{more}"
            )
        return 0
    if assessment.mean_score < fail_under:
        raise CheckFailed(f"mean score {assessment.mean_score} is below {fail_under:g}")
    return 0


def _table(assessment: Assessment, output: Output, priced: dict[str, Any] | None) -> None:
    ordered = sorted(assessment.applications, key=lambda a: (-a.score, a.app.id))
    title = f"Readiness of {assessment.portfolio.name} (as of {assessment.as_of.isoformat()})"
    if len(ordered) > MAX_ROWS:
        # Thousands of rows help nobody on a terminal (and take rich seconds to lay out):
        # the lowest scores first; --format csv, json or markdown list them all.
        ordered = sorted(ordered, key=lambda a: (a.score, a.app.id))[:MAX_ROWS]
        title += f": the {MAX_ROWS} lowest scores of {len(assessment.applications)}"
    table = Table(title=title, header_style="bold", expand=False)
    for name, justify in (
        ("application", "left"),
        ("domain", "left"),
        ("score", "right"),
        ("readiness", "left"),
        ("strategy", "left"),
        ("targets", "left"),
        ("effort", "right"),
        ("blockers / top finding", "left"),
    ):
        # On a narrow terminal the other columns wrap first: an id is never cut in two.
        widest = max((len(a.app.id) for a in ordered), default=0) if name == "application" else 0
        table.add_column(
            name,
            justify=justify,  # type: ignore[arg-type]
            overflow="fold",
            min_width=widest or None,
        )
    costed = priced is not None and priced["portfolio"].get("priced")
    if costed:
        assert priced is not None
        currency = priced["portfolio"]["currency"]
        table.add_column(f"{currency}/month", justify="right")
    for a in ordered:
        style = READINESS_STYLE[a.readiness]
        blockers = [f.rule for f in a.findings if f.severity == "blocker"]
        top = ", ".join(blockers) if blockers else (a.findings[0].rule if a.findings else "")
        strategy = a.strategy + (" *" if a.strategy_source == "decision" else "")
        cells: list[str | Text] = [
            a.app.id,
            a.app.domain or "",
            Text(str(a.score), style=style),
            Text(a.readiness, style=style),
            strategy,
            ", ".join(a.targets),
            f"{a.effort.size} {a.effort.person_days}d",
            Text(top, style="red" if blockers else ""),
        ]
        if costed:
            assert priced is not None
            cells.append(money_cell(priced["applications"].get(a.app.id)))
        table.add_row(*cells)
    output.table(table)
    data = report.summary(assessment)
    counts = ", ".join(f"{n} {name}" for name, n in data["readiness"].items() if n)
    strategies = ", ".join(f"{n} {name}" for name, n in data["strategies"].items() if n)
    output.out.print(f"{report.headline(data)}: {counts}", markup=False)
    output.out.print(
        f"strategies: {strategies}; about {data['person_days']} person-days"
        + (
            "  (* decided in the inventory)"
            if any(a.strategy_source == "decision" for a in ordered)
            else ""
        ),
        markup=False,
    )
    if len(ordered) < len(assessment.applications):
        output.out.print(
            f"(the table shows {len(ordered)} of {len(assessment.applications)} "
            f"applications: --format csv, json or markdown lists them all)",
            markup=False,
        )
    if priced is not None:
        output.out.print(cost_summary(priced["portfolio"]), markup=False)


def money_cell(cost: dict[str, Any] | None) -> str:
    """An application's monthly cost as the table shows it: never 0 for what is not priced."""
    if not cost or cost.get("monthly") is None:
        return "not priced" if cost is not None else "–"
    monthly = cost["monthly"].get("on_demand", 0)
    if cost.get("partial"):
        return f"≥ {monthly:,.0f}" if monthly else "not priced"
    return f"{monthly:,.0f}" if monthly else "–"


def cost_summary(money: dict[str, Any]) -> str:
    """The portfolio's cost in one paragraph: what is priced, what is not, on what basis."""
    if not money.get("priced"):
        return f"cost: not estimated: {money['reason']}"
    monthly = money["monthly"]
    basis = (
        f"{money['currency']}, prices of {money['prices_as_of']}, {money['region']}, "
        f"sizing {money['sizing']}, disks {money.get('disk_sizing', 'provisioned')}"
    )
    if money.get("partial") and not monthly["on_demand"]:
        text = (
            f"cost per month ({basis}): not priced: none of the {money['unpriced_count']} "
            f"items has a price in the catalogue"
        )
    else:
        text = (
            f"cost per month ({basis}): {monthly['on_demand']:,.0f} on demand, "
            f"{monthly['cud_1y']:,.0f} with 1-year and {monthly['cud_3y']:,.0f} with "
            f"3-year commitments"
        )
        if money.get("partial"):
            text += (
                f"; partial: {money['unpriced_count']} item(s) not priced and not in "
                f"these totals (--format json or the plan lists them)"
            )
    if money.get("onprem_monthly") is not None:
        text += (
            f"; on premises today, for the same {money.get('onprem_servers', 0)} "
            f"servers: {money['onprem_monthly']:,.0f}"
        )
    if money.get("powered_off"):
        count = len(money["powered_off"])
        text += (
            f"; {count} powered-off server{'s' * (count != 1)} left out of the run cost "
            f"(candidates to retire or archive)"
        )
    if money.get("currency_note"):
        text += f"; {money['currency_note']}"
    return text


def _explain(assessment: Assessment, rules: RuleSet, app_id: str, output: Output) -> None:
    found: dict[str, AppAssessment] = {a.app.id: a for a in assessment.applications}
    a = found.get(app_id)
    if a is None:
        if app_id in assessment.external:
            raise UsageError(f"{app_id} is external: it is not assessed")
        raise UsageError(f"no application '{app_id}'{suggest(app_id, list(found))}")
    console = output.out
    app = a.app
    console.print(Text(f"{app.name} ({app.id})", style="bold"))
    console.print(f"defined at {place(app.origin)} ({format_path(app.origin.path)})", markup=False)
    style = READINESS_STYLE[a.readiness]
    console.print(
        Text.assemble(
            "score ",
            (str(a.score), style),
            "  readiness ",
            (a.readiness, style),
            f"  data completeness {a.data_completeness:.0%}",
        )
    )
    console.print()
    console.print(Text("Findings", style="bold"))
    if not a.findings:
        console.print("  none: no rule fired", markup=False)
    for f in a.findings:
        rule = rules.get(f.rule)
        console.print(
            Text.assemble(
                f"  -{f.points:<3} ",
                (f"{f.severity:<7}", SEVERITY_STYLE[f.severity]),
                f" {f.rule}: {f.message}",
            )
        )
        if rule is not None and rule.description:
            console.print(Text(f"        {rule.description.strip()}", style="dim"))
    total = sum(f.points for f in a.findings)
    console.print(
        f"  100 - {total} = {max(0, 100 - total)}" + ("  (floored at 0)" if total > 100 else ""),
        markup=False,
    )
    console.print()
    console.print(Text("Readiness", style="bold"))
    console.print(f"  {_readiness_reason(a)}", markup=False)
    console.print()
    console.print(Text(f"Strategy: {a.strategy}", style="bold"))
    for step in a.decision_path:
        console.print(f"  {step}", markup=False)
    after = [
        f
        for f in a.findings
        if (rule := rules.get(f.rule)) is not None
        and any(name.startswith("landing.") for name in rule.reads)
    ]
    if after and a.strategy_source == "rules":
        before = max(0, 100 - sum(f.points for f in a.findings if f not in after))
        console.print(
            f"  (decided on a score of {before}: the findings about where it "
            f"lands, {', '.join(f.rule for f in after)}, come after the strategy)",
            markup=False,
        )
    console.print()
    console.print(Text("Targets", style="bold"))
    console.print(f"  {', '.join(a.targets) or 'none'}", markup=False)
    for landed in a.landing:
        console.print(f"  - {step_text(landed)}", markup=False)
    console.print()
    console.print(
        Text(f"Effort: {a.effort.size}, {a.effort.person_days} person-days", style="bold")
    )
    for what, days in a.effort.breakdown:
        console.print(f"  {days:>6g}  {what}", markup=False)


def _readiness_reason(a: AppAssessment) -> str:
    if a.readiness == "not-ready":
        return "not-ready: at least one blocker"
    if a.readiness == "unknown":
        return f"unknown: only {a.data_completeness:.0%} of the inputs are filled in (< 50 %)"
    if a.readiness == "ready":
        return f"ready: no blocker and a score of {a.score} (>= 70)"
    return f"ready-with-conditions: no blocker, a score of {a.score} (< 70)"


def list_rules(rules_file: Path | None, output: Output) -> int:
    rules = load_rules(rules_file)
    table = Table(title=f"Rules {rules.version}", header_style="bold")
    for name in ("id", "applies to", "severity", "points", "title"):
        table.add_column(name)
    for rule in sorted(rules.rules, key=lambda r: (r.category, r.id)):
        table.add_row(
            rule.id,
            rule.applies_to,
            Text(rule.severity, style=SEVERITY_STYLE[rule.severity]),
            str(rule.points),
            rule.title,
        )
    output.table(table)
    return 0


def list_facts(output: Output) -> int:
    for subject, facts in FACTS.items():
        output.out.print(Text(f"{subject} facts", style="bold"))
        for name, doc in facts.items():
            output.out.print(f"  {name:<34} {doc}", markup=False)
    return 0
