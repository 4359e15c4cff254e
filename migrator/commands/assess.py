"""``migrator assess``: score every application, recommend a strategy, explain it."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table
from rich.text import Text

from migrator import atomic, forked, speed
from migrator.assess import brief, report
from migrator.assess.assessment import READY_SCORE, UNKNOWN_BELOW, assess
from migrator.assess.brief import Halves, for_json, for_planning
from migrator.assess.formats import ASSESSMENT_FORMATS, Assessed
from migrator.assess.model import AppAssessment, Assessment, Briefs, ForPlanning, mean_score
from migrator.assess.rules import RuleSet, load_rules
from migrator.assess.targets import step_text
from migrator.choices import AssessFileFormat, AssessFormat, DiskSizing, Sizing
from migrator.commands.rules import SEVERITY_STYLE
from migrator.console import Output
from migrator.cost.compute import costs
from migrator.cost.estimate import AppCost, CostEstimate, NotPriced
from migrator.diagnostics import format_path, suggest
from migrator.errors import CheckFailed, InvalidInputError, UsageError
from migrator.inventory.load import load_inventory, where
from migrator.inventory.model import AppId, Inventory
from migrator.scenario import overlay
from migrator.waves.model import Schedule

READINESS_STYLE = {
    "ready": "green",
    "ready-with-conditions": "yellow",
    "not-ready": "red",
    "unknown": "dim",
}
MAX_ROWS = 100  # a larger portfolio's table shows those that need attention most


@dataclass(frozen=True, kw_only=True)
class AssessOptions:
    inventory: Path
    fmt: AssessFormat = "table"
    rules_file: Path | None = None
    explain: AppId | None = None
    fail_under: float | None = None
    each: bool = False  # --fail-under applies to each application, not the mean
    as_of: dt.date | None = None
    output_file: Path | None = None
    cost: bool = False  # the table shows the cost
    sizing: Sizing = "moderate"
    prices_file: Path | None = None
    disk_sizing: DiskSizing = "provisioned"
    scenario: Path | None = None  # a what-if overlay applied before assessing


def run(options: AssessOptions, output: Output) -> int:
    inventory, warnings = load_inventory(options.inventory)
    scenario = options.scenario
    inventory, rules_file, prices_file = overlay(
        scenario, inventory, options.rules_file, options.prices_file
    )
    target, as_of = options.output_file, options.as_of
    inputs = [
        *atomic.inventory_inputs(inventory.files),
        ("the rules file", rules_file),
        ("the price file", prices_file),
        ("the scenario file", scenario),
    ]
    if target is not None:
        atomic.check_target(target, inputs)
    rules = load_rules(rules_file, today=as_of)
    fmt = options.fmt
    table = fmt == "table" and target is None
    # A table asked for in a file is written as JSON: a file is for machines.
    written: AssessFileFormat = "json" if fmt == "table" else fmt
    today = as_of or dt.date.today()  # once: a child must not see another day
    # On two processors where it pays (migrator.assess.brief): the JSON and Markdown from
    # Halves, the table from every application's brief; CSV and --explain from one.
    worked: Assessment | Halves | None = None  # what an output file is written from
    everyone: Assessment | Briefs
    if options.explain is None and table:
        everyone = for_planning(inventory, rules, today)
    elif options.explain is None and written in ("json", "markdown"):
        worked = for_json(inventory, rules, today)
        everyone = worked.everyone if isinstance(worked, Halves) else worked
    else:
        worked = everyone = assess(inventory, rules, today)
    speed.keep_alive(inventory, worked, everyone)
    cost: CostEstimate | NotPriced | None = None
    waves: Schedule | None = None
    # CSV has no cost columns: the estimate is for JSON, Markdown and --cost.
    wants_cost = not table or options.cost or prices_file is not None
    if options.explain is None and fmt != "csv" and wants_cost:
        # The JSON (and the Markdown made from it) break the cost down by wave.
        with _waves_beside(inventory, everyone, as_of, wanted=not table) as waves_to_price:
            cost = costs(
                inventory,
                everyone,
                prices=prices_file,
                sizing=options.sizing,
                disk_sizing=options.disk_sizing,
            )
            if isinstance(cost, CostEstimate) and not table:
                waves = waves_to_price()
        if isinstance(cost, CostEstimate) and not table and waves is None:
            output.err.print(
                f"warning: the cost by wave is left out: the wave pins cannot all be "
                f"kept (run 'migrator waves {options.inventory}' to see why)",
                style="yellow",
                markup=False,
            )
        speed.keep_alive(cost, waves)
    if isinstance(worked, Assessment) and options.explain is not None:
        _explain(inventory, worked, rules, options.explain, output)
    elif table:
        shown = _Shown(inventory, rules, today, everyone)
        _table(shown, output, cost if options.cost else None)
    elif worked is not None:
        data = ASSESSMENT_FORMATS[written].produce(Assessed(worked, cost, waves))
        if target is None:
            output.write(data)
        else:
            atomic.write_bytes(target, data, inputs)
            output.success(f"wrote {target}")
    if warnings and not output.quiet:
        output.info(
            f"{len(warnings)} inventory warning(s): run 'migrator validate {options.inventory}'"
        )
    return _gate(everyone, options.fail_under, options.each, output)


def waves_to_cost(
    inventory: Inventory, assessment: ForPlanning, as_of: dt.date | None
) -> Schedule | None:
    """The waves the JSON's cost by wave follows; None when the wave pins cannot all be
    kept.

    Such pins are an error of ``migrator waves`` and ``plan``, which locate them; here they
    only leave the breakdown by wave out, on purpose: the assessment and its cost do not
    depend on the waves, and an assessment is often run to find what blocks the plan.
    """
    from migrator.waves.schedule import schedule  # the table needs no waves

    try:
        return schedule(inventory, assessment, today=as_of, full=False)
    except InvalidInputError:
        return None


def _waves_beside(
    inventory: Inventory, assessment: ForPlanning, as_of: dt.date | None, *, wanted: bool
) -> AbstractContextManager[Callable[[], Schedule | None]]:
    """What gives the waves to cost: a forked child works them out while this process
    prices the estate, on a large estate (migrator.forked.beside; 10,000 applications:
    0.37 s of 0.65 s). The schedule comes back pickled (0.03 s each way)."""

    def here() -> Schedule | None:
        return waves_to_cost(inventory, assessment, as_of)

    def read(sent: bytes) -> Schedule | None:
        scheduled = pickle.loads(sent)  # our own child's bytes, through our own pipe
        if scheduled is not None and not isinstance(scheduled, Schedule):
            raise TypeError(f"not a schedule: {type(scheduled).__name__}")
        return scheduled

    large = len(assessment.applications) >= brief.MIN_APPLICATIONS
    return forked.beside(
        here,
        lambda: pickle.dumps(here(), protocol=pickle.HIGHEST_PROTOCOL),
        read,
        wanted=wanted and large,
    )


def _gate(
    assessment: Assessment | Briefs, fail_under: float | None, each: bool, output: Output
) -> int:
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
    mean = mean_score(assessment.applications)
    if mean < fail_under:
        raise CheckFailed(f"mean score {mean} is below {fail_under:g}")
    return 0


@dataclass(frozen=True)
class _Shown:
    """What the table is made from: the inventory, its rules and date, and every
    application's assessment, whole or its brief (a brief from a forked child)."""

    inventory: Inventory
    rules: RuleSet
    today: dt.date
    assessment: Assessment | Briefs


def _table(shown: _Shown, output: Output, cost: CostEstimate | NotPriced | None) -> None:
    ordered, title = _rows(shown)
    # A cost column only when something was priced.
    costed = cost if isinstance(cost, CostEstimate) else None
    table = _readiness_table(title, ordered, costed.currency if costed else None)
    for a in ordered:
        table.add_row(*_row(a, costed))
    output.table(table)
    _summary(shown.assessment, ordered, cost, output)


def _rows(shown: _Shown) -> tuple[list[AppAssessment], str]:
    """The applications the table lists, best first, and its title. Those a forked child
    assessed (a brief: no findings) are assessed again here, at most MAX_ROWS of them:
    an application's assessment is the same alone as with the others."""
    everyone = shown.assessment.applications
    ordered = sorted(everyone, key=lambda a: (-a.score, a.app.id))
    portfolio = shown.inventory.portfolio.name
    title = f"Readiness of {portfolio} (as of {shown.today.isoformat()})"
    if len(ordered) > MAX_ROWS:
        # Thousands of rows help nobody on a terminal (and take rich seconds to lay out):
        # the lowest scores first; --format csv, json or markdown list them all.
        ordered = sorted(ordered, key=lambda a: (a.score, a.app.id))[:MAX_ROWS]
        title += f": the {MAX_ROWS} lowest scores of {len(everyone)}"
    briefed = [a.app for a in ordered if not isinstance(a, AppAssessment)]
    again = {
        a.app.id: a
        for a in (
            assess(shown.inventory, shown.rules, shown.today, briefed).applications
            if briefed
            else ()
        )
    }
    return [a if isinstance(a, AppAssessment) else again[a.app.id] for a in ordered], title


def _readiness_table(title: str, ordered: list[AppAssessment], currency: str | None) -> Table:
    """The table's columns; a cost column when the portfolio was priced."""
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
    if currency is not None:
        table.add_column(f"{currency}/month", justify="right")
    return table


def _row(a: AppAssessment, costed: CostEstimate | None) -> list[str | Text]:
    """One application's cells; its cost when ``costed``."""
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
    if costed is not None:
        cells.append(money_cell(costed.apps.get(a.app.id)))
    return cells


def _summary(
    assessment: Assessment | Briefs,
    ordered: list[AppAssessment],
    cost: CostEstimate | NotPriced | None,
    output: Output,
) -> None:
    """The lines under the table: readiness and strategy counts, what the table left out,
    the cost."""
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
    if cost is not None:
        output.out.print(cost_summary(cost), markup=False)


def money_cell(cost: AppCost | None) -> str:
    """An application's monthly cost as the table shows it: never 0 for what is not priced."""
    if cost is None or cost.monthly is None:
        return "not priced" if cost is not None else "–"
    monthly = cost.monthly.get("on_demand", 0)
    if cost.partial:
        return f"≥ {monthly:,.0f}" if monthly else "not priced"
    return f"{monthly:,.0f}" if monthly else "–"


def cost_summary(cost: CostEstimate | NotPriced) -> str:
    """The portfolio's cost in one paragraph: what is priced, what is not, on what basis."""
    if isinstance(cost, NotPriced):
        return f"cost: not estimated: {cost.reason}"
    monthly = cost.total
    basis = (
        f"{cost.currency}, prices of {cost.catalogue.as_of.isoformat()}, {cost.region}, "
        f"sizing {cost.sizing}, disks {cost.disk_sizing}"
    )
    unpriced = len(cost.unpriced)
    if cost.partial and not monthly["on_demand"]:
        text = (
            f"cost per month ({basis}): not priced: none of the {unpriced} "
            f"items has a price in the catalogue"
        )
    else:
        text = (
            f"cost per month ({basis}): {monthly['on_demand']:,.0f} on demand, "
            f"{monthly['cud_1y']:,.0f} with 1-year and {monthly['cud_3y']:,.0f} with "
            f"3-year commitments"
        )
        if cost.partial:
            text += (
                f"; partial: {unpriced} item(s) not priced and not in "
                f"these totals (--format json or the plan lists them)"
            )
    if cost.onprem_monthly is not None:
        text += (
            f"; on premises today, for the same {cost.onprem_servers} "
            f"servers: {cost.onprem_monthly:,.0f}"
        )
    count = len(cost.powered_off)
    if count:
        text += (
            f"; {count} powered-off server{'s' * (count != 1)} left out of the run cost "
            f"(candidates to retire or archive)"
        )
    if cost.currency_note:
        text += f"; {cost.currency_note}"
    return text


def _explain(
    inventory: Inventory, assessment: Assessment, rules: RuleSet, app_id: AppId, output: Output
) -> None:
    found: dict[AppId, AppAssessment] = {a.app.id: a for a in assessment.applications}
    a = found.get(app_id)
    if a is None:
        if app_id in assessment.external:
            raise UsageError(f"{app_id} is external: it is not assessed")
        raise UsageError(f"no application '{app_id}'{suggest(app_id, list(found))}")
    console = output.out
    app = a.app
    console.print(Text(f"{app.name} ({app.id})", style="bold"))
    console.print(
        f"defined at {where(inventory, app.origin)} ({format_path(app.origin.path)})", markup=False
    )
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
        return (
            f"unknown: only {a.data_completeness:.0%} of the inputs are filled in "
            f"(< {UNKNOWN_BELOW * 100:g} %)"
        )
    if a.readiness == "ready":
        return f"ready: no blocker and a score of {a.score} (>= {READY_SCORE})"
    return f"ready-with-conditions: no blocker, a score of {a.score} (< {READY_SCORE})"
