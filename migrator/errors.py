"""The tree of errors migrator shows to users, each with its exit code (docs/commands.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migrator.diagnostics import Diagnostic


class MigratorError(Exception):
    """An error meant for the user: printed as one line, never with a traceback."""

    exit_code = 3


class CheckFailed(MigratorError):
    """The check the user asked for failed (validation errors, --fail-under not met)."""

    exit_code = 1


class UsageError(MigratorError):
    """Bad usage or unusable input: a missing file, a bad option value."""

    exit_code = 2


class InvalidInputError(UsageError):
    """An input file that cannot be used, with every located problem found in it."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = tuple(diagnostics)


class InternalError(MigratorError):
    """A bug in migrator: a short message, a traceback only with --debug."""

    exit_code = 3
