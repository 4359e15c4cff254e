"""A re-import's changes to a known server: discovery's news, never over the user's edits.

The import's record (``discovered.yaml``) keeps what discovery said of each field of each
server when it was last imported. A field whose value still equals that record is
discovery's: a new value replaces it. A field whose value differs, or which the user
deleted, is the user's: it is kept, and the summary says so ("kept your memory_gb for
addsdc01: 24, discovery says 16"). ``--overwrite FIELD`` takes discovery's value for a
field on purpose. A server imported before this record existed has no ``written``: its
fields are discovery's, as they always were, and the record starts with this import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from migrator.discovery.records import DISCOVERED, Discovered
from migrator.discovery.yamledit import Editor, Node

if TYPE_CHECKING:
    from migrator.discovery.estate import Entity
    from migrator.discovery.merge import Editors


@dataclass
class Update:
    changed: list[str] = field(default_factory=list)  # fields given discovery's new value
    kept: list[tuple[str, Any, Any]] = field(default_factory=list)  # field, yours, discovery's


def written(record: Discovered) -> dict[str, Any]:
    """What the import writes of a record, as its record keeps it."""
    return {name: record.fields[name] for name in DISCOVERED if name in record.fields}


def update_server(
    files: Editors,
    entity: Entity,
    record: Discovered,
    last: dict[str, Any] | None,
    overwrite: frozenset[str],
) -> Update:
    """Bring a known server's discovered fields up to date, in its own file. ``last`` is
    what discovery said of them at the last import (``None``: no record yet)."""
    out = Update()
    fresh = written(record)
    changes: dict[str, Any] = {}
    for name, value in fresh.items():
        present = name in entity.data and entity.data[name] is not None
        current = entity.data.get(name)
        if current == value:
            continue
        mine = last is not None and name in last and (not present or current != last[name])
        if mine and name not in overwrite:
            out.kept.append((name, current if present else None, value))
            continue
        changes[name] = value
    known = entity.data.get("x-discovery")
    source = {**record.source, "key": record.key}
    stale = isinstance(known, dict) and any(known.get(k) != v for k, v in source.items())
    if not changes and not stale:
        return out  # the common case: the file's text is not even looked at
    node = files.node(entity)
    if node is None:
        return out
    editor = files.editor(entity.file)
    out.changed = list(changes)
    added: dict[str, Any] = {}
    for name, value in changes.items():
        target = pair(node, name)
        if target is None:
            added[name] = value
        else:
            replace(editor, *target, value)
    editor.add_keys(node, added)
    xd = node.get("x-discovery")
    if isinstance(known, dict) and xd is not None and xd.kind == "map":
        _set_keys(editor, xd, known, source)
    return out


def _set_keys(editor: Editor, mapping: Node, known: dict[str, Any], values: dict[str, Any]) -> None:
    """Keys of a mapping given these values: changed where they differ, added where absent."""
    more: dict[str, Any] = {}
    for name, value in values.items():
        if name in known and known[name] == value:
            continue
        target = pair(mapping, name)
        if target is None:
            more[name] = value
        else:
            replace(editor, *target, value)
    editor.add_keys(mapping, more)


def pair(mapping: Node, key: str) -> tuple[Node, Node] | None:
    for name, value in mapping.pairs:
        if name.kind == "scalar" and name.value == key:
            return name, value
    return None


def replace(editor: Editor, key: Node, value: Node, new: Any) -> None:
    """A key's value replaced: a scalar or flow value where it is, a block collection by
    a flow one on the key's line (its items may sit at the key's own indentation)."""
    if value.kind in ("scalar", "alias") or value.flow or not value.children:
        editor.set_scalar(value, new)
    else:
        editor.set_after_key(key, value, new)
