"""Discovered dependencies written into the inventory, beside what people wrote.

A new dependency is appended to its consumer's ``depends_on`` as ``{app, kind,
x-discovered: evidence}``. A dependency already there, written by hand or imported before,
keeps its app, kind, description and every other key: only the evidence of an imported one
is brought up to date. A dependency the import wrote and the user deleted stays deleted
(``discovered.yaml``). The files are edited in place, so comments and layout stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrator.discovery.dependencies import Evidence
from migrator.discovery.estate import Entity, Estate
from migrator.discovery.merge import Changes, Editors, append_to
from migrator.discovery.record import RECORD, pair_key, read_record
from migrator.discovery.update import pair, replace
from migrator.discovery.yamledit import Node
from migrator.inventory.model import AppId

EVIDENCE = "x-discovered"


@dataclass
class DependencyChanges:
    added: list[tuple[AppId, AppId, Evidence]] = field(default_factory=list)
    updated: list[tuple[AppId, AppId]] = field(default_factory=list)
    known: int = 0  # already in the inventory, evidence unchanged or written by hand
    kept_deleted: list[str] = field(default_factory=list)
    files: Changes = field(default_factory=Changes)  # texts to write, as server imports do


def merge(
    pairs: dict[tuple[AppId, AppId], Evidence], estate: Estate, directory: Path, source: str
) -> DependencyChanges:
    editors = Editors(estate)
    record, record_text = read_record(estate, directory)
    apps: dict[AppId, Entity] = {}
    for entity in estate.applications:
        apps.setdefault(AppId(entity.id), entity)
    out = DependencyChanges()
    new: dict[AppId, list[dict[str, Any]]] = {}
    for (consumer, provider), evidence in sorted(pairs.items()):
        key = pair_key(consumer, provider)
        entity = apps[consumer]
        if key in record.deleted["dependencies"]:
            out.kept_deleted.append(key)
            continue
        found = _existing(editors, entity, provider)
        if found is not None:
            data, node = found
            written = data.get(EVIDENCE) if isinstance(data, dict) else None
            fresh = evidence.record(source)
            if isinstance(written, dict) and node is not None and written != fresh:
                target = pair(node, EVIDENCE)
                if target is not None:
                    replace(editors.editor(entity.file), *target, fresh)
                    out.updated.append((consumer, provider))
                    continue
            out.known += 1
            continue
        if key in record.written["dependencies"]:
            # the import wrote it, the user took it out: a tombstone from now on
            record.deleted["dependencies"].add(key)
            record.written["dependencies"].discard(key)
            out.kept_deleted.append(key)
            continue
        new.setdefault(consumer, []).append(
            {"app": provider, "kind": evidence.kind, EVIDENCE: evidence.record(source)}
        )
        record.written["dependencies"].add(key)
        out.added.append((consumer, provider, evidence))
    for consumer, items in new.items():
        append_to(editors, apps[consumer], "depends_on", items)
    for path, editor in editors.editors.items():
        text = editor.result()
        if text != editor.text:
            out.files.texts[path] = text
            out.files.originals[path] = editor.text
    text = record.text()
    if text != record_text and (out.added or out.kept_deleted or record_text is not None):
        path = directory / RECORD
        out.files.texts[path] = text
        out.files.originals[path] = record_text
    return out


def _existing(editors: Editors, entity: Entity, provider: AppId) -> tuple[Any, Node | None] | None:
    """The consumer's dependency on ``provider`` (its data and node), if it has one."""
    listed = entity.data.get("depends_on")
    if not isinstance(listed, list):
        return None
    for index, item in enumerate(listed):
        app = item.get("app") if isinstance(item, dict) else item
        if str(app) != provider:
            continue
        node = editors.node(entity)
        sequence = node.get("depends_on") if node is not None else None
        child = (
            sequence.children[index]
            if sequence is not None and sequence.kind == "seq" and index < len(sequence.children)
            else None
        )
        return item, child if child is not None and child.kind == "map" else None
    return None
