"""The inventory an import writes into: every file of the directory, read and checked first.

An import must see the whole inventory, not only the files it wrote: a server defined by
hand in ``legacy.yaml`` keeps its id, a discovered server moved to ``erp.yaml`` is updated
there. What it reads is checked as ``validate`` reads it (the same reader, with located
errors), and a section it would have to change but cannot (``servers: {id: a}``) stops the
import before anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrator.diagnostics import Diagnostic, KeyPath
from migrator.errors import InvalidInputError
from migrator.inventory.parse import parse
from migrator.inventory.source import MAX_TOTAL_BYTES, YAML_SUFFIXES, read
from migrator.inventory.validate import describe


@dataclass
class File:
    name: str  # as diagnostics show it
    path: Path
    text: str
    data: dict[str, Any]


@dataclass
class Entity:
    """A server or an application already in the inventory."""

    file: File
    path: KeyPath  # ("servers", 3)
    data: dict[str, Any]

    @property
    def id(self) -> str:
        value = self.data.get("id")
        return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


@dataclass
class Estate:
    files: dict[Path, File] = field(default_factory=dict)
    servers: list[Entity] = field(default_factory=list)
    applications: list[Entity] = field(default_factory=list)


def read_estate(directory: Path) -> Estate:
    """Every YAML file below ``directory`` (none when it does not exist yet)."""
    estate = Estate()
    if not directory.is_dir():
        return estate
    problems: list[Diagnostic] = []
    budget = MAX_TOTAL_BYTES
    texts: dict[str, str] = {}
    for path in _yaml_files(directory):
        name = str(path)
        source, found = read(name, path, budget)  # refuses FIFOs and devices: no hang
        problems += found
        if source is None:
            continue
        budget -= len(source.text)
        texts[name] = source.text  # every file read, to locate its problems in
        data, found = parse(source)
        problems += found
        if found:
            continue
        if data is None:
            data = {}
        if not isinstance(data, dict):
            problems.append(
                Diagnostic(
                    "error", name, (), f"expected a mapping of sections, got {describe(data)}"
                )
            )
            continue
        file = File(name, path, source.text, data)
        estate.files[path] = file
        for section, target in (("servers", estate.servers), ("applications", estate.applications)):
            items = data.get(section)
            if items is None:
                continue
            if not isinstance(items, list):
                problems.append(
                    Diagnostic(
                        "error",
                        name,
                        (section,),
                        f"expected a list of {section}, got "
                        f"{describe(items)}; the import would have to "
                        f"replace it",
                    )
                )
                continue
            target.extend(
                Entity(file, (section, index), item)
                for index, item in enumerate(items)
                if isinstance(item, dict)
            )
    if problems:
        from migrator.inventory.load import located

        raise InvalidInputError(
            f"{directory}: cannot update this inventory; fix it first",
            located(problems, texts),
        )
    return estate


def _yaml_files(directory: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in filenames:
            if filename.endswith(YAML_SUFFIXES) and not filename.startswith("."):
                found.append(Path(dirpath) / filename)
    return sorted(found, key=lambda p: p.parts)
