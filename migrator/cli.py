"""The command line: turns options into plain values, calls the core, maps errors to exit codes.

This is the only module that imports typer. Its annotations are evaluated as the module
runs (no ``from __future__ import annotations``): typer reads every command's annotations
when it builds the command line, and evaluating them from strings took 17 ms of each start.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from migrator import __version__, atomic, speed
from migrator.choices import (
    AggregateBy,
    AssessFormat,
    CheckFormat,
    ClusterBy,
    ColorBy,
    DiffFormat,
    DiskSizing,
    GroupBy,
    Order,
    PlanFormat,
    Sizing,
    ValidateFormat,
    WavesFormat,
)
from migrator.console import Output
from migrator.errors import InvalidInputError, MigratorError

if TYPE_CHECKING:
    from migrator.inventory.model import AppId


def _bare_flags(command: Any, ctx: Any) -> None:
    """Show an on/off flag as its bare name (``--dry-run``): typer would print ``<bool>``
    beside it, which reads as if it took a value, and then refuses one."""
    for param in command.get_params(ctx):
        if isinstance(param, TyperOption) and param.is_bool_flag and param.metavar is None:
            param.metavar = ""


class _Command(TyperCommand):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _bare_flags(self, ctx)
        super().format_help(ctx, formatter)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _convert_plainly(self, ctx)
        return super().parse_args(ctx, args)


class _Group(TyperGroup):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _bare_flags(self, ctx)
        super().format_help(ctx, formatter)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _convert_plainly(self, ctx)
        return super().parse_args(ctx, args)


# typer 0.29 turns each option's text into its value through a pydantic TypeAdapter, built
# when the option is read: importing pydantic and building them took 0.15 s, a third of a
# small command's start-up. The values migrator's options take (a path, a word of a
# Literal, a str, a whole or decimal number in its plain spelling, a list of str, what a
# parser returns) convert here in plain Python, through typer's own functions where it has
# them. Every other value, and every value these refuse, goes on to typer's own
# conversion, so that what is accepted and what an error says stay typer's; a typer whose
# internals differ does all the converting itself, as it would anyway.
try:
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    from typer._param_types import (
        choice_coercion_annotation,
        coerce_cli_choice,
        coerce_cli_path,
        routes_to_path,
    )

    @dataclass(frozen=True)
    class _PlainValue(RuntimeParam):
        descriptor: TypeDescriptor

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                plain = _plain_value(self.descriptor, value, param, ctx)
            except (ValueError, TypeError, typer.BadParameter):
                plain = _NOT_PLAIN  # typer says what is wrong with it, in its own words
            if plain is not _NOT_PLAIN:
                return plain
            typer_own = build_runtime_param(self.descriptor)
            return typer_own._coerce_value(value, param=param, ctx=ctx)

except ImportError:  # pragma: no cover - a typer without them converts every value itself
    _PlainValue = None  # type: ignore[assignment,misc]

_NOT_PLAIN = object()


def _plain_value(descriptor: Any, value: Any, param: Any, ctx: Any) -> Any:
    """``value`` as typer's adapter would give it, or ``_NOT_PLAIN`` for typer to convert."""
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if info.parser is not None:
        return info.parser(value)
    choice = choice_coercion_annotation(annotation, info)
    if choice is not None:
        return coerce_cli_choice(value, choices=choice[0], case_sensitive=choice[1], ctx=ctx)
    if type(value) is str:
        if annotation is str:
            return value
        if annotation is int and value.isascii() and value.isdigit() and len(value) <= 18:
            return _within(int(value), info)
        if annotation is float:
            whole, dot, part = value.partition(".")
            if _digits(whole) and (not dot or _digits(part)):
                return _within(float(value), info)
        if isinstance(annotation, type) and routes_to_path(annotation, info):
            path_type = info.path_type or annotation
            return coerce_cli_path(
                path_type(value), info, path_type=path_type, param=param, ctx=ctx
            )
    elif type(value) is int and annotation is int:
        return _within(value, info)
    elif annotation == list[str] and all(type(item) is str for item in value):
        return list(value)
    return _NOT_PLAIN


def _digits(text: str) -> bool:
    return 0 < len(text) <= 15 and text.isascii() and text.isdigit()


def _within(number: float, info: Any) -> float:
    """``number`` if typer's adapter takes it as it is: else ValueError, for typer to say."""
    below = info.min is not None and number < info.min
    if info.clamp or below or (info.max is not None and number > info.max):
        raise ValueError("out of range")
    return number


def _convert_plainly(command: Any, ctx: Any) -> None:
    if _PlainValue is None:
        return
    for param in command.get_params(ctx):
        descriptor = getattr(param, "type_descriptor", None)
        unset = getattr(param, "_runtime_param", False) is None
        if unset and descriptor is not None and descriptor.file_annotation is None:
            param._runtime_param = _PlainValue(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                descriptor=descriptor,
            )


app = typer.Typer(
    cls=_Group,
    name="migrator",
    help="Plan the migration of a legacy application portfolio to Google Cloud: validate the "
    "inventory, assess readiness, group and schedule moves, draw dependencies, write the plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class _Settings:
    quiet: bool = False
    debug: bool = False


_settings = _Settings()

InventoryPath = Annotated[
    Path,
    typer.Argument(
        help="Inventory: a YAML file, or a directory whose *.yaml/*.yml files are merged.",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"migrator {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only results and problems.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    _settings.quiet = quiet
    _settings.debug = debug


def _execute(command: Callable[[Output], int]) -> NoReturn:
    """Run a command, turning every failure into its exit code and one clear line."""
    output = Output(quiet=_settings.quiet)
    try:
        code = command(output)
    except InvalidInputError as exc:
        output.diagnostics(exc.diagnostics, stream="err")
        output.error(str(exc))
        code = exc.exit_code
    except MigratorError as exc:
        output.error(str(exc))
        code = exc.exit_code
    except BrokenPipeError:
        # The reader of standard output has all it wanted (| head): stop, saying nothing,
        # with the code Python's documentation advises (and rich uses for its tables).
        code = 1
    except OSError as exc:  # inputs have their own messages: this is the output (disk full)
        output.error(f"cannot write the output: {exc.strerror or exc}")
        code = 2
    except KeyboardInterrupt:
        output.error("interrupted")
        code = 130
    except Exception as exc:  # a bug: say so briefly, trace only on request
        if _settings.debug:
            import traceback  # here: only a bug shows one

            traceback.print_exc()
        output.error(
            f"internal error: {type(exc).__name__}: {exc}"
            + ("" if _settings.debug else " (run with --debug for the traceback)")
        )
        code = 3
    raise typer.Exit(code)


@app.command(cls=_Command)
def validate(
    path: InventoryPath,
    fmt: Annotated[ValidateFormat, typer.Option("--format", "-f", help="Output format.")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check an inventory and print every problem as file:line:col (exit 1 if any error)."""
    from migrator.commands import validate as command

    options = command.ValidateOptions(inventory=path, fmt=fmt, strict=strict)
    _execute(lambda output: command.run(options, output))


def _date(value: str) -> dt.date:
    from migrator.inventory.schema import FIRST_DATE, LAST_DATE

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise typer.BadParameter(
            f"{day} is out of range: dates must be between {FIRST_DATE} and {LAST_DATE}"
        )
    return day


def _score(value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 100:  # NaN too: it compares false
        raise typer.BadParameter(f"{value:g} is not a score: give a number from 0 to 100")
    return value


RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="A rules file that adds, changes or disables rules (by id)."),
]
AsOfOption = Annotated[
    dt.date | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Assess as on this date (default: today).", parser=_date
    ),
]
SizingOption = Annotated[
    Sizing,
    typer.Option(
        "--sizing", help="Right-sizing for the cost estimate: as the source, or from utilisation."
    ),
]
PricesOption = Annotated[
    Path | None,
    typer.Option("--prices", help="A price catalogue that replaces or extends migrator's."),
]
ScenarioOption = Annotated[
    Path | None,
    typer.Option(
        "--scenario",
        metavar="FILE",
        help="A what-if overlay applied before planning: region, planning settings, "
        "decisions, rules and price files.",
    ),
]
PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", metavar="FILE", help="Plan-level policy gates: exit 1 on a breach."),
]
DiskSizingOption = Annotated[
    DiskSizing,
    typer.Option(
        "--disk-sizing",
        help="Disks at the source's provisioned size (as Migrate to Virtual "
        "Machines keeps them), or at the used size with headroom.",
    ),
]


@app.command(cls=_Command)
def assess(
    path: InventoryPath,
    fmt: Annotated[AssessFormat, typer.Option("--format", "-f", help="Output format.")] = "table",
    rules: RulesOption = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="APP",
            help="Explain one application: every finding, the decision path, the effort.",
        ),
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under",
            metavar="N",
            help="Exit 1 when the mean score is below N (0-100).",
            callback=_score,
        ),
    ] = None,
    each: Annotated[
        bool,
        typer.Option("--each", help="With --fail-under: exit 1 when any application is below N."),
    ] = False,
    as_of: AsOfOption = None,
    output_file: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (json, csv or markdown)."),
    ] = None,
    cost: Annotated[
        bool,
        typer.Option("--cost", help="Show the monthly cost in the table (JSON always has it)."),
    ] = False,
    sizing: SizingOption = "moderate",
    prices: PricesOption = None,
    disk_sizing: DiskSizingOption = "provisioned",
    scenario: ScenarioOption = None,
) -> None:
    """Score every application for readiness, recommend a 7R strategy, targets and effort."""
    from migrator.commands import assess as command

    options = command.AssessOptions(
        inventory=path,
        fmt=fmt,
        rules_file=rules,
        explain=_app_id(explain),
        fail_under=fail_under,
        each=each,
        as_of=as_of,
        output_file=output_file,
        cost=cost,
        sizing=sizing,
        prices_file=prices,
        disk_sizing=disk_sizing,
        scenario=scenario,
    )
    _execute(lambda output: command.run(options, output))


def _listed(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _app_id(value: str | None) -> "AppId | None":
    """An application named on the command line: an inventory's id from here on (the
    command says when the inventory has no such application)."""
    from migrator.inventory.model import AppId

    return None if value is None else AppId(value)


def _app_ids(value: str | None) -> "tuple[AppId, ...] | None":
    from migrator.inventory.model import AppId

    listed = _listed(value)
    return None if listed is None else tuple(AppId(item) for item in listed)


def _kinds(value: str | None) -> str | None:
    from migrator.diagnostics import one_of, suggest
    from migrator.inventory.model import DEPENDENCY_KINDS

    for kind in _listed(value) or ():
        if kind not in DEPENDENCY_KINDS:
            raise typer.BadParameter(
                f"'{kind}' is not one of {one_of(DEPENDENCY_KINDS)}"
                f"{suggest(kind, DEPENDENCY_KINDS)}"
            )
    return value


def _positive(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise typer.BadParameter("must be at least 1")
    return value


def _wave_weeks(value: int | None) -> int | None:
    from migrator.inventory.schema import MAX_WAVE_WEEKS

    if value is not None and value > MAX_WAVE_WEEKS:
        raise typer.BadParameter(f"must be at most {MAX_WAVE_WEEKS}")
    return _positive(value)


@app.command(cls=_Command)
def waves(
    path: InventoryPath,
    fmt: Annotated[WavesFormat, typer.Option("--format", "-f", help="Output format.")] = "table",
    start: Annotated[
        dt.date | None,
        typer.Option(
            "--start", metavar="DATE", help="First day of wave 1 (planning.start).", parser=_date
        ),
    ] = None,
    wave_weeks: Annotated[
        int | None,
        typer.Option("--wave-weeks", help="Length of a wave in weeks.", callback=_wave_weeks),
    ] = None,
    max_apps: Annotated[
        int | None,
        typer.Option(
            "--max-apps-per-wave", help="Most applications in one wave.", callback=_positive
        ),
    ] = None,
    max_servers: Annotated[
        int | None,
        typer.Option(
            "--max-servers-per-wave", help="Most servers in one wave.", callback=_positive
        ),
    ] = None,
    max_days: Annotated[
        int | None,
        typer.Option(
            "--max-person-days-per-wave",
            help="Most effort (person-days) in one wave.",
            callback=_positive,
        ),
    ] = None,
    bridge: Annotated[
        str | None,
        typer.Option(
            "--bridge",
            metavar="KINDS",
            callback=_kinds,
            help="Dependency kinds that may cross waves over the hybrid link, comma-separated "
            "(e.g. async,batch,file; '' for none).",
        ),
    ] = None,
    shared: Annotated[
        str | None,
        typer.Option(
            "--shared-services",
            metavar="IDS",
            help="Applications extended to the cloud rather than moved first, comma-separated "
            "('' for none).",
        ),
    ] = None,
    order: Annotated[
        Order | None, typer.Option("--order", help="Which end of a dependency moves first.")
    ] = None,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
    output_file: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the JSON here.")
    ] = None,
    scenario: ScenarioOption = None,
) -> None:
    """Group tightly coupled applications and schedule the moves into waves."""
    from migrator.commands import waves as command

    given = {
        "start": start,
        "wave_weeks": wave_weeks,
        "max_apps_per_wave": max_apps,
        "max_servers_per_wave": max_servers,
        "max_person_days_per_wave": max_days,
        "bridge": _listed(bridge),
        "shared_services": _app_ids(shared),
        "order": order,
    }
    options = command.WavesOptions(
        inventory=path,
        fmt=fmt,
        overrides={key: value for key, value in given.items() if value is not None},
        rules_file=rules,
        as_of=as_of,
        output_file=output_file,
        scenario=scenario,
    )
    _execute(lambda output: command.run(options, output))


@app.command(cls=_Command)
def graph(
    path: InventoryPath,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write: .svg .png .pdf .dot .mmd (Mermaid). "
            "Without it, DOT goes to standard output.",
        ),
    ] = None,
    color_by: Annotated[ColorBy, typer.Option("--color-by", help="Node colours.")] = "strategy",
    cluster_by: Annotated[ClusterBy, typer.Option("--cluster-by", help="Boxes around.")] = "domain",
    focus: Annotated[
        str | None,
        typer.Option("--focus", metavar="APP", help="Only this application and its neighbourhood."),
    ] = None,
    depth: Annotated[
        int, typer.Option("--depth", help="Neighbourhood size for --focus.", min=0)
    ] = 1,
    wave: Annotated[int | None, typer.Option("--wave", help="Only this wave.", min=1)] = None,
    domain: Annotated[
        str | None, typer.Option("--domain", help="Only this business domain.")
    ] = None,
    aggregate: Annotated[
        AggregateBy,
        typer.Option(
            "--aggregate", help="Above 300 nodes (auto), or always, draw move groups or domains."
        ),
    ] = "auto",
    no_aggregate: Annotated[
        bool, typer.Option("--no-aggregate", help="Draw every application, however many.")
    ] = False,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Draw the dependency diagram: coloured by strategy or readiness, clustered, focused."""
    from migrator.commands import graph as command
    from migrator.graph.view import Selection

    options = command.GraphOptions(
        inventory=path,
        output_file=output_file,
        color_by=color_by,
        cluster_by=cluster_by,
        selection=Selection(focus=_app_id(focus), depth=depth, wave=wave, domain=domain),
        aggregate="none" if no_aggregate else aggregate,
        rules_file=rules,
        as_of=as_of,
    )
    _execute(lambda output: command.run(options, output))


@app.command(cls=_Command)
def plan(
    path: InventoryPath,
    output_file: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The plan to write: .md (Markdown) or .html (report).",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        PlanFormat | None,
        typer.Option("--format", "-f", help="markdown or html (default: from the suffix)."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The plan's title.")] = None,
    wave: Annotated[
        int | None, typer.Option("--wave", help="Only this wave's runbook.", min=1)
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="A directory of templates that replace migrator's by name."
        ),
    ] = None,
    write_json: Annotated[
        bool,
        typer.Option("--json", help="Also write the assessment and waves as JSON beside the plan."),
    ] = False,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
    sizing: SizingOption = "moderate",
    prices: PricesOption = None,
    disk_sizing: DiskSizingOption = "provisioned",
    scenario: ScenarioOption = None,
) -> None:
    """Write the migration plan from Jinja templates: Markdown, or a self-contained HTML report."""
    from migrator.commands import plan as command

    options = command.PlanOptions(
        inventory=path,
        output_file=output_file,
        fmt=fmt,
        title=title,
        wave=wave,
        templates_dir=templates,
        write_json=write_json,
        rules_file=rules,
        as_of=as_of,
        sizing=sizing,
        prices_file=prices,
        disk_sizing=disk_sizing,
        scenario=scenario,
    )
    _execute(lambda output: command.run(options, output))


import_app = typer.Typer(
    cls=_Group,
    help="Turn discovery exports into inventory YAML (safe to repeat).",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")


ImportOutput = Annotated[
    Path,
    typer.Option(
        "--output", "-o", help="Inventory directory to write (or update).", show_default=False
    ),
]
GroupByOption = Annotated[
    GroupBy,
    typer.Option(
        "--group-by", help="Propose applications from VM folders, annotations or name prefixes."
    ),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show the changes; write nothing.")]
Overwrite = Annotated[
    list[str] | None,
    typer.Option(
        "--overwrite",
        help="Take discovery's value for this field (cpu, memory_gb, os …) even where you "
        "changed it; repeat for several fields.",
        show_default=False,
    ),
]


@import_app.command("rvtools", cls=_Command)
def import_rvtools(
    file: Annotated[
        Path,
        typer.Argument(help="RVTools export: .xlsx, or the vInfo tab as .csv.", show_default=False),
    ],
    inventory_dir: ImportOutput,
    group_by: GroupByOption = "prefix",
    dry_run: DryRun = False,
    overwrite: Overwrite = None,
) -> None:
    """Import VMs from an RVTools export (vInfo, with used storage from vPartition)."""
    from migrator.commands import import_ as command

    options = command.ImportOptions(
        export=file,
        inventory_dir=inventory_dir,
        group_by=group_by,
        dry_run=dry_run,
        overwrite=frozenset(overwrite or ()),
    )
    _execute(lambda output: command.run_servers("rvtools", options, output))


@import_app.command("csv", cls=_Command)
def import_csv(
    file: Annotated[
        Path, typer.Argument(help="CSV export of a CMDB or Migration Center.", show_default=False)
    ],
    inventory_dir: ImportOutput,
    mapping: Annotated[
        str,
        typer.Option(
            "--mapping",
            help="Mapping file (YAML), or 'migration-center' for Google Migration "
            "Center's manual-import vmInfo CSV.",
            show_default=False,
        ),
    ],
    group_by: GroupByOption = "prefix",
    dry_run: DryRun = False,
    overwrite: Overwrite = None,
) -> None:
    """Import servers from a CSV export, its columns mapped to inventory keys."""
    from migrator.commands import import_ as command

    options = command.ImportOptions(
        export=file,
        inventory_dir=inventory_dir,
        group_by=group_by,
        dry_run=dry_run,
        overwrite=frozenset(overwrite or ()),
    )
    _execute(lambda output: command.run_servers("csv", options, output, mapping=mapping))


@import_app.command("dependencies", cls=_Command)
def import_dependencies(
    file: Annotated[
        Path,
        typer.Argument(
            help="Connections export: Azure Migrate's agentless dependency CSV, or any CSV "
            "with --mapping.",
            show_default=False,
        ),
    ],
    inventory_dir: ImportOutput,
    mapping: Annotated[
        str,
        typer.Option(
            "--mapping",
            help="Mapping file (YAML) naming the columns, or 'azure-migrate'.",
        ),
    ] = "azure-migrate",
    dry_run: DryRun = False,
) -> None:
    """Import application dependencies from observed network connections."""
    from migrator.commands import import_deps as command

    _execute(lambda output: command.run(file, inventory_dir, output, mapping, dry_run))


@app.command("rules", cls=_Command)
def rules_command(
    rules: Annotated[
        Path | None,
        typer.Option("--rules", help="Check this rules file and list the rules with it applied."),
    ] = None,
    facts: Annotated[bool, typer.Option("--facts", help="List the facts rules can test.")] = False,
) -> None:
    """List the readiness rules in force (and check a rules file), or the facts they test."""
    from migrator.commands import rules as command

    if facts:
        _execute(command.list_facts)
    _execute(lambda output: command.list_rules(rules, output))


@app.command(cls=_Command)
def diff(
    sides: Annotated[
        list[str],
        typer.Argument(
            help="BASE HEAD: inventory paths, or REV:PATH for a path at a git revision. "
            "With --git, only the PATH.",
            metavar="BASE HEAD",
            show_default=False,
        ),
    ],
    git: Annotated[
        str | None,
        typer.Option(
            "--git", metavar="REV", help="Compare PATH at this git revision with the work tree."
        ),
    ] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = "text",
    output_file: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    scenario: ScenarioOption = None,
    policy: PolicyOption = None,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
    sizing: SizingOption = "moderate",
    prices: PricesOption = None,
    disk_sizing: DiskSizingOption = "provisioned",
) -> None:
    """What a change to the inventory does to the plan: readiness, strategy, waves, cost, links."""
    from migrator.commands import diff as command
    from migrator.diff.revision import Source, parse_side
    from migrator.diff.side import Settings

    if git is not None:
        if len(sides) != 1:
            raise typer.BadParameter("with --git, give one PATH", param_hint="SIDES")
        base, head = Source(Path(sides[0]), git), Source(Path(sides[0]))
    elif len(sides) != 2:
        raise typer.BadParameter("give BASE and HEAD (or --git REV PATH)", param_hint="SIDES")
    else:
        base, head = parse_side(sides[0]), parse_side(sides[1])
    settings = Settings(
        rules=rules, as_of=as_of, sizing=sizing, prices=prices, disk_sizing=disk_sizing
    )
    options = command.DiffOptions(
        base=base,
        head=head,
        fmt=fmt,
        settings=settings,
        scenario=scenario,
        output_file=output_file,
        policy=policy,
    )
    _execute(lambda output: command.run(options, output))


@app.command(cls=_Command)
def check(
    path: Annotated[
        str,
        typer.Argument(
            help="Inventory: a path, or REV:PATH at a git revision.", show_default=False
        ),
    ],
    policy: Annotated[
        Path,
        typer.Option("--policy", metavar="FILE", help="The policy file.", show_default=False),
    ],
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            metavar="BASE",
            help="The inventory to compare with for 'base' bounds: a path or REV:PATH.",
        ),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = "text",
    scenario: ScenarioOption = None,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
    sizing: SizingOption = "moderate",
    prices: PricesOption = None,
    disk_sizing: DiskSizingOption = "provisioned",
) -> None:
    """Check the plan against plan-level policies; exit 1 on a breach, each one located."""
    from migrator.commands import check as command
    from migrator.diff.revision import parse_side
    from migrator.diff.side import Settings

    settings = Settings(
        rules=rules, as_of=as_of, sizing=sizing, prices=prices, disk_sizing=disk_sizing
    )
    options = command.CheckOptions(
        inventory=parse_side(path),
        policy=policy,
        base=parse_side(base) if base is not None else None,
        fmt=fmt,
        settings=settings,
        scenario=scenario,
    )
    _execute(lambda output: command.run(options, output))


@app.command(cls=_Command)
def schema(
    output_file: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the inventory format as JSON Schema (for editors and yaml-language-server)."""
    from migrator.commands import schema as command

    _execute(lambda output: command.run(output, output_file=output_file))


@app.command(cls=_Command)
def init(
    directory: Annotated[
        Path, typer.Argument(help="Directory to create (or fill).", show_default=False)
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing starter files.")
    ] = False,
) -> None:
    """Write a small, valid starter inventory with comments that teach the format."""
    from migrator.commands import init as command

    _execute(lambda output: command.run(directory, output, force=force))


def main() -> None:
    # A command is a short process that builds large, acyclic data (an inventory of 10,000
    # applications is a million objects): cyclic garbage collection would only scan it
    # again and again. Reference counting still frees everything.
    speed.cycle_collection_off()
    speed.hold_until_exit()
    atomic.stop_cleanly_on_signals()
    code = 0
    try:
        app()
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except KeyboardInterrupt:
        speed.say("error: interrupted")
        code = 130
    except atomic.Terminated as exc:  # the output being written, if any, was removed
        speed.say("error: terminated")
        code = 128 + exc.signum
    speed.exit_without_freeing(code)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    speed.say(str(code))
    return 1
