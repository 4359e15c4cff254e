"""Where values are in a YAML file: a location pass run only when a place must be shown.

The fast parser (yaml-rs) gives plain data without positions. When a diagnostic must be
printed, or the exact text of a scalar is needed (``version: 12.10`` must stay "12.10"),
this module walks PyYAML's event stream (libyaml when present) over that one file and
records the line and column of just the key paths asked for. Aliases are not expanded,
so an alias bomb costs nothing here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import yaml
import yaml_rs

from migrator.diagnostics import KeyPath

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a node is: 1-based line and column of its key (in a mapping) and its value."""

    key_line: int
    key_col: int
    line: int
    col: int
    raw: str | None  # the scalar's text exactly as written, None for collections


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    path: KeyPath  # the mapping's path
    key: str
    first: tuple[int, int]
    second: tuple[int, int]
    first_key: str  # as written the first time: '1' where the second is 'true'


def _as_read(event: yaml.ScalarEvent) -> object:
    """A key as the fast parser reads it: unquoted ``1``, ``1.0`` and ``true`` are the same
    key to Python, though YAML holds them apart."""
    if event.style:  # quoted or a block scalar: text (plain is None, or "" from libyaml)
        return event.value
    try:
        value = yaml_rs.loads(event.value)
    except (yaml_rs.YAMLDecodeError, RecursionError, ValueError):
        return event.value
    return value if isinstance(value, str | int | float | bool) or value is None else event.value


class _Frame:
    __slots__ = ("index", "is_map", "key", "keys", "path", "want_key")

    def __init__(self, path: KeyPath, is_map: bool) -> None:
        self.path = path
        self.is_map = is_map
        self.want_key = True
        self.key: str | None = None
        self.index = 0
        self.keys: dict[object, tuple[tuple[int, int], str]] = {}


def _events(text: str) -> Iterator[yaml.Event]:
    return yaml.parse(text, Loader=_Loader)


def _mark(event: yaml.Event) -> tuple[int, int]:
    """1-based line and column where ``event`` starts."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def locate(text: str, paths: Collection[KeyPath]) -> dict[KeyPath, Place]:
    """The place of each of ``paths``, or of its nearest ancestor that exists in the file."""
    prefixes = {path[:n] for path in paths for n in range(len(path) + 1)}
    found: dict[KeyPath, Place] = {}
    for path, key_mark, event in _walk(text, prefixes):
        if path in prefixes:
            line, col = _mark(event)
            key_line, key_col = key_mark if key_mark else (line, col)
            raw = event.value if isinstance(event, yaml.ScalarEvent) else None
            found[path] = Place(key_line, key_col, line, col, raw)
    result: dict[KeyPath, Place] = {}
    for path in paths:
        for n in range(len(path), -1, -1):
            place = found.get(path[:n])
            if place is not None:
                result[path] = place
                break
        else:
            result[path] = _search(text, path)
    return result


def _search(text: str, path: KeyPath) -> Place:
    """Where a path is when PyYAML cannot read the file that yaml-rs read (YAML 1.2 allows
    a little more than PyYAML's 1.1: an anchor named ``#``, say): its last key as written
    at the start of a line, else the top of the file."""
    for key in reversed(path):
        if isinstance(key, str) and key:
            written = re.compile(rf"^[ \t-]*['\"]?({re.escape(key)})['\"]?[ \t]*:", re.MULTILINE)
            match = written.search(text)
            if match:
                offset = match.start(1)
                line = text.count("\n", 0, offset) + 1
                col = offset - (text.rfind("\n", 0, offset) + 1) + 1
                return Place(line, col, line, col, None)
    return Place(1, 1, 1, 1, None)


def find_duplicate_keys(text: str) -> list[DuplicateKey]:
    """Every key written twice in the same mapping (YAML forbids it; parsers differ)."""
    duplicates: list[DuplicateKey] = []
    stack: list[_Frame] = []
    try:
        for event in _events(text):
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            frame = stack[-1] if stack else None
            if frame is not None and frame.is_map:
                if frame.want_key:
                    frame.want_key = False
                    if isinstance(event, yaml.ScalarEvent):
                        mark = _mark(event)
                        same = _as_read(event)
                        first = frame.keys.get(same)
                        if first is not None:
                            duplicates.append(
                                DuplicateKey(frame.path, event.value, first[0], mark, first[1])
                            )
                        else:
                            frame.keys[same] = (mark, event.value)
                        frame.key = event.value
                else:
                    frame.want_key = True
            elif frame is not None:
                frame.index += 1
            if isinstance(event, yaml.CollectionStartEvent):
                path: KeyPath = ()
                if frame is not None:
                    path = frame.path + ((frame.key or "",) if frame.is_map else (frame.index - 1,))
                stack.append(_Frame(path, isinstance(event, yaml.MappingStartEvent)))
    except yaml.YAMLError:
        pass  # the fast parser already reported the syntax error
    return duplicates


def _walk(
    text: str, prefixes: Collection[KeyPath]
) -> Iterator[tuple[KeyPath, tuple[int, int] | None, yaml.NodeEvent]]:
    """Yield (path, key mark, event) for each node whose parent is in ``prefixes``."""
    stack: list[_Frame | None] = []  # None: a collection nobody asked about, skipped
    key_mark: tuple[int, int] | None = None
    try:
        for event in _events(text):
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            path: KeyPath | None
            if not stack:
                path = ()
            else:
                frame = stack[-1]
                if frame is None:
                    path = None
                elif frame.is_map and frame.want_key:
                    frame.want_key = False
                    frame.key = event.value if isinstance(event, yaml.ScalarEvent) else None
                    key_mark = _mark(event)
                    if isinstance(event, yaml.CollectionStartEvent):
                        stack.append(None)  # a complex key: never a path anyone asks about
                    continue
                elif frame.is_map:
                    frame.want_key = True
                    path = frame.path + (frame.key,) if frame.key is not None else None
                else:
                    path = frame.path + (frame.index,)
                    frame.index += 1
                    key_mark = None
            if path is not None:
                yield path, key_mark, event
            if isinstance(event, yaml.CollectionStartEvent):
                if path is not None and path in prefixes:
                    stack.append(_Frame(path, isinstance(event, yaml.MappingStartEvent)))
                else:
                    stack.append(None)
    except yaml.YAMLError:
        return


class _Everything:
    """A container that holds every path: walk the whole file."""

    def __contains__(self, item: object) -> bool:
        return True

    def __len__(self) -> int:
        return 0

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(())


def all_scalars(text: str) -> dict[KeyPath, str]:
    """Every scalar's text exactly as written, by key path."""
    return {
        path: event.value
        for path, _, event in _walk(text, _Everything())
        if isinstance(event, yaml.ScalarEvent)
    }
