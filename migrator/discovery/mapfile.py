"""Mapping files of imports (server CSVs, connection CSVs): read, checked, errors located.

Both kinds are a built-in name (a file of ``migrator/data/mappings``) or a path; both are
checked against their tree of keys, then by the kind's own checks, and every problem is
reported at once at its line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from migrator.errors import InvalidInputError, UsageError
from migrator.inventory import source as inventory_source
from migrator.inventory.parse import parse
from migrator.inventory.schema import Spec
from migrator.inventory.source import MAX_FILE_BYTES, SourceFile
from migrator.inventory.validate import INVALID, FileChecker


def load(
    spec: str,
    built_in: dict[str, str],
    tree: Spec,
    more_checks: Callable[[dict[str, Any], FileChecker], None],
) -> dict[str, Any]:
    """The checked values of the mapping ``spec`` names; a located error when it has any."""
    if spec in built_in:
        text = (resources.files("migrator") / "data" / "mappings" / built_in[spec]).read_text(
            encoding="utf-8"
        )
        source = SourceFile(f"migrator/data/mappings/{built_in[spec]}", Path(spec), text)
    else:
        path = Path(spec)
        if not path.exists():
            raise UsageError(
                f"{spec}: no such mapping file (built-in mappings: {', '.join(built_in)})"
            )
        found, problems = inventory_source.read(spec, path, MAX_FILE_BYTES)
        if found is None:
            raise InvalidInputError(f"{spec}: cannot read the mapping", problems)
        source = found
    data, problems = parse(source)
    checker = FileChecker(source.name, source.text)
    values: Any = checker.check(tree, data, ()) if not problems else INVALID
    if values is not INVALID:
        more_checks(values, checker)
    problems += checker.diagnostics
    if values is INVALID or any(d.is_error for d in problems):
        from migrator.inventory.load import located

        raise InvalidInputError(
            f"{source.name}: the mapping has errors", located(problems, {source.name: source.text})
        )
    return dict(values)
