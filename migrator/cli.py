"""The command line: turns options into plain values, calls the core, maps errors to exit codes.

This is the only module that imports typer.
"""

from __future__ import annotations

import gc
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from migrator import __version__
from migrator.console import Output
from migrator.errors import InvalidInputError, MigratorError

app = typer.Typer(
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

InventoryPath = Annotated[Path, typer.Argument(
    help="Inventory: a YAML file, or a directory whose *.yaml/*.yml files are merged.",
    show_default=False)]


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"migrator {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only results and problems.")
                     ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
                     ] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    _settings.quiet = quiet
    _settings.debug = debug


def _execute(command: Callable[[Output], int]) -> NoReturn:
    """Run a command, turning every failure into its exit code and one clear line."""
    output = Output(quiet=_settings.quiet)
    try:
        code = command(output)
    except InvalidInputError as exc:
        for diag in exc.diagnostics:
            output.diagnostic(diag, stream="err")
        output.error(str(exc))
        code = exc.exit_code
    except MigratorError as exc:
        output.error(str(exc))
        code = exc.exit_code
    except KeyboardInterrupt:
        output.error("interrupted")
        code = 130
    except Exception as exc:  # a bug: say so briefly, trace only on request
        if _settings.debug:
            traceback.print_exc()
        output.error(f"internal error: {type(exc).__name__}: {exc}"
                     + ("" if _settings.debug else " (run with --debug for the traceback)"))
        code = 3
    raise typer.Exit(code)


@app.command()
def validate(
    path: InventoryPath,
    fmt: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")
                   ] = TextOrJson.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check an inventory and print every problem as file:line:col (exit 1 if any error)."""
    from migrator.commands import validate as command

    _execute(lambda out: command.run(path, out, fmt=fmt.value, strict=strict))


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write to this file instead of stdout.")
                      ] = None,
) -> None:
    """Print the inventory format as JSON Schema (for editors and yaml-language-server)."""
    from migrator.commands import schema as command

    _execute(lambda out: command.run(out, output))


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Directory to create (or fill).",
                                              show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing starter files.")
                     ] = False,
) -> None:
    """Write a small, valid starter inventory with comments that teach the format."""
    from migrator.commands import init as command

    _execute(lambda out: command.run(directory, out, force=force))


def main() -> None:
    # A command is a short process that builds large, acyclic data (an inventory of 10,000
    # applications is a million objects): cyclic garbage collection would only scan it
    # again and again. Reference counting still frees everything.
    gc.disable()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(130)
