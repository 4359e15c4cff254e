"""``migrator validate``: check an inventory and print every problem, located."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrator import jsonout, speed
from migrator.choices import ValidateFormat
from migrator.console import Output
from migrator.inventory.load import load


@dataclass(frozen=True, kw_only=True)
class ValidateOptions:
    inventory: Path
    fmt: ValidateFormat = "text"
    strict: bool = False


def run(options: ValidateOptions, output: Output) -> int:
    path, strict = options.inventory, options.strict
    result = load(path)
    speed.keep_alive(result)
    failed = result.errors > 0 or (strict and result.warnings > 0)
    inventory = result.inventory
    counts = {
        "applications": len(inventory.applications) if inventory else 0,
        "servers": len(inventory.servers) if inventory else 0,
        "databases": len(inventory.databases) if inventory else 0,
    }
    if options.fmt == "json":
        output.write(
            jsonout.dumps(
                {
                    "schema": "migrator/validation/v1",
                    "path": str(path),
                    "valid": result.errors == 0,
                    "errors": result.errors,
                    "warnings": result.warnings,
                    "files": list(result.files),
                    "counts": counts,
                    "diagnostics": [d.to_json() for d in result.diagnostics],
                }
            )
        )
        return 1 if failed else 0

    output.diagnostics(result.diagnostics)
    files = f"{len(result.files)} file{'s' if len(result.files) != 1 else ''}"
    problems = _plural(result.errors, "error") + ", " + _plural(result.warnings, "warning")
    if inventory is None:
        output.info(f"{path}: {problems} in {files}")
    else:
        summary = ", ".join(_plural(n, kind.rstrip("s")) for kind, n in counts.items())
        line = f"{path}: valid: {summary} in {files}"
        if result.warnings:
            line += f" ({_plural(result.warnings, 'warning')})"
        if failed:
            output.info(line + "; --strict treats warnings as errors")
        else:
            output.success(line)
    return 1 if failed else 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
