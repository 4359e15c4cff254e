"""Checked side files: the YAML files a user gives beside the inventory (rules, prices,
CSV mappings) and the copies migrator ships, read, parsed and checked alike.

A side file is read with the inventory's limits (size, encoding, no FIFO or device),
parsed as YAML, checked against its ``Spec`` by a ``FileChecker``, and refused as a
whole when it has errors, each located at its ``file:line:col``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from migrator.diagnostics import Diagnostic
from migrator.errors import InvalidInputError
from migrator.inventory.load import located
from migrator.inventory.parse import parse
from migrator.inventory.source import MAX_FILE_BYTES, SourceFile, read
from migrator.inventory.validate import FileChecker


def user_file(path: Path, cannot: str) -> SourceFile:
    """The user's side file at ``path``; ``cannot`` says what failed when it cannot be read
    ("cannot use this rules file")."""
    source, problems = read(str(path), path, MAX_FILE_BYTES)
    if source is None:
        raise InvalidInputError(f"{path}: {cannot}", problems)
    return source


def shipped(name: str, shown_as: Path | None = None) -> SourceFile:
    """A side file shipped with migrator, under ``migrator/data/``."""
    text = (resources.files("migrator") / "data" / name).read_text(encoding="utf-8")
    return SourceFile(f"migrator/data/{name}", shown_as or Path(name), text)


@dataclass
class SideFile:
    """One side file being checked: its parsed data and the problems found so far."""

    source: SourceFile
    data: object
    problems: list[Diagnostic]
    checker: FileChecker = field(init=False)

    def __post_init__(self) -> None:
        self.checker = FileChecker(self.source.name, self.source.text)

    @classmethod
    def parsed(cls, source: SourceFile) -> SideFile:
        data, problems = parse(source)
        return cls(source, data, problems)

    @property
    def is_yaml(self) -> bool:
        """Whether it parsed: the checks apply to its data only then."""
        return not self.problems

    def diagnostics(self) -> list[Diagnostic]:
        """Every problem, of parsing and of checking, located in the file."""
        return self.located([*self.problems, *self.checker.diagnostics])

    def located(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        return located(diagnostics, {self.source.name: self.source.text})

    def refuse_errors(self, message: str, invalid: bool = False) -> None:
        """Raise ``message`` with every located problem when there is an error (or the
        data is ``invalid`` as a whole)."""
        problems = [*self.problems, *self.checker.diagnostics]
        if invalid or any(d.is_error for d in problems):
            raise InvalidInputError(f"{self.source.name}: {message}", self.located(problems))
