"""Mapping files of imports (server CSVs, connection CSVs): read, checked, errors located.

Both kinds are a built-in name (a file of ``migrator/data/mappings``) or a path; both are
checked against their tree of keys, then by the kind's own checks, and every problem is
reported at once at its line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from migrator.errors import UsageError
from migrator.inventory.schema import Spec
from migrator.inventory.validate import INVALID, FileChecker
from migrator.sidefiles import SideFile, shipped, user_file


def load(
    spec: str,
    built_in: dict[str, str],
    tree: Spec,
    more_checks: Callable[[dict[str, Any], FileChecker], None],
) -> dict[str, Any]:
    """The checked values of the mapping ``spec`` names; a located error when it has any."""
    if spec in built_in:
        source = shipped(f"mappings/{built_in[spec]}", Path(spec))
    else:
        if not Path(spec).exists():
            raise UsageError(
                f"{spec}: no such mapping file (built-in mappings: {', '.join(built_in)})"
            )
        source = user_file(Path(spec), "cannot read the mapping")
    side = SideFile.parsed(source)
    values: Any = side.checker.check(tree, side.data, ()) if side.is_yaml else INVALID
    if values is not INVALID:
        more_checks(values, side.checker)
    side.refuse_errors("the mapping has errors", invalid=values is INVALID)
    return dict(values)
