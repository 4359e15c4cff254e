"""Writing discovered servers into an inventory directory, keeping what people wrote.

A first import writes ``servers.yaml`` (and ``applications.yaml`` with proposed
applications). Importing again reads every file of the directory, updates only the
discovered fields of the servers it knows (matched by the export's own identity, kept
under ``x-discovery``), in whichever file they now are, adds new ones, reports the ones
that vanished (never deleting them), and keeps every other key, comment and the layout
as they were: the files are edited in place (``yamledit``), not loaded and dumped again.
A server written by hand is never taken over, even when its id is a VM's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from migrator.choices import GroupBy
from migrator.diagnostics import Diagnostic
from migrator.discovery.estate import Entity, Estate, File, read_estate
from migrator.discovery.record import RECORD, read_record
from migrator.discovery.records import DISCOVERED, Discovered, assign_ids, slug
from migrator.discovery.stubs import PORTFOLIO, environment, portfolio_text, propose
from migrator.discovery.update import update_server, written
from migrator.discovery.yamledit import Editor, Node, items_text
from migrator.errors import InvalidInputError, UsageError

SERVERS = "servers.yaml"
APPLICATIONS = "applications.yaml"


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # id, fields
    unchanged: int = 0
    vanished: list[str] = field(default_factory=list)
    stubs: list[str] = field(default_factory=list)
    groups: list[tuple[str, int]] = field(default_factory=list)  # proposed: id, servers
    environments: int = 0  # new servers given the environment their name carries
    portfolio: bool = False  # a portfolio.yaml stub written
    notes: list[str] = field(default_factory=list)  # warnings for the person importing
    kept: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # id, field, yours, new
    kept_deleted: list[str] = field(default_factory=list)  # machines the user deleted
    texts: dict[Path, str] = field(default_factory=dict)  # file → new text (changed only)
    originals: dict[Path, str | None] = field(default_factory=dict)  # as read (None: new)


class Editors:
    """The editors of the files an import changes, made on first use."""

    def __init__(self, estate: Estate) -> None:
        self.estate = estate
        self.editors: dict[Path, Editor] = {}

    def editor(self, file: File) -> Editor:
        found = self.editors.get(file.path)
        if found is None:
            try:
                found = self.editors[file.path] = Editor(file.text)
            except yaml.YAMLError as exc:  # read by yaml-rs, but beyond libyaml's limits
                mark = getattr(exc, "problem_mark", None)
                problem = getattr(exc, "problem", None) or exc
                raise InvalidInputError(
                    f"{file.name}: cannot edit it",
                    [
                        Diagnostic(
                            "error",
                            file.name,
                            (),
                            f"cannot edit this file: {problem}",
                            line=mark.line + 1 if mark else 0,
                            col=mark.column + 1 if mark else 0,
                        )
                    ],
                ) from None
        return found

    def node(self, entity: Entity) -> Node | None:
        root = self.editor(entity.file).root
        section = root.get(str(entity.path[0])) if root is not None and root.kind == "map" else None
        if section is None or section.kind != "seq" or len(section.children) <= int(entity.path[1]):
            return None
        node = section.children[int(entity.path[1])]
        return node if node.kind == "map" else None


def merge(
    records: Sequence[Discovered],
    directory: Path,
    source: str,
    group_by: GroupBy,
    today: dt.date,
    overwrite: frozenset[str] = frozenset(),
) -> Changes:
    changes = Changes()
    estate = read_estate(directory)
    files = Editors(estate)
    record, record_text = read_record(estate, directory)
    imported, deleted = record.written["servers"], record.deleted["servers"]
    records = _unique(records, changes)
    discovered, written_by_hand = _known_servers(estate.servers)
    taken = {key: entity.id for key, entity in discovered.items() if entity.id}
    ids = assign_ids(records, taken, reserved={e.id for e in estate.servers if e.id})
    new_servers: list[tuple[Discovered, str]] = []
    new_entries: list[dict[str, Any]] = []
    clashes: list[str] = []
    for found in records:
        server_id = ids[found.key]
        known_entity = discovered.get(found.key)
        if known_entity is None and found.key in deleted:
            changes.kept_deleted.append(found.name)
            continue
        if known_entity is None and found.key in imported:
            # imported before, gone from the inventory since: the user deleted it
            deleted.add(found.key)
            imported.discard(found.key)
            changes.kept_deleted.append(found.name)
            continue
        imported.add(found.key)
        last = record.values.get(found.key)
        record.values[found.key] = written(found)
        if known_entity is None:
            hand = written_by_hand.get(slug(found.name))
            if hand is not None:
                clashes.append(
                    f"'{found.name}' as {server_id} (not {hand.id}, written by hand "
                    f"in {hand.file.name})"
                )
            new_entries.append(_new_entry(found, server_id, today, changes))
            changes.added.append(server_id)
            new_servers.append((found, server_id))
            continue
        update = update_server(files, known_entity, found, last, overwrite)
        changes.kept += [(known_entity.id, *kept) for kept in update.kept]
        if update.changed:
            changes.updated.append((known_entity.id, update.changed))
        else:
            changes.unchanged += 1
    if clashes:
        changes.notes.append(_clash_note(clashes))
    changes.vanished += _vanished(discovered, records, source)
    _add(files, directory / SERVERS, "servers", new_entries, _servers_header(source), changes)
    if group_by != "none":
        _stubs(files, directory, new_servers, source, group_by, changes)
    if not any("portfolio" in f.data for f in estate.files.values()):
        path = directory / PORTFOLIO
        if path not in estate.files:
            changes.texts[path] = portfolio_text(Path(source.split(":", 1)[-1]))
            changes.originals[path] = None
            changes.portfolio = True
    _edited_texts(files, changes)
    text = record.text()
    if text != record_text:
        changes.texts[directory / RECORD] = text
        changes.originals[directory / RECORD] = record_text
    return changes


def _known_servers(servers: Sequence[Entity]) -> tuple[dict[str, Entity], dict[str, Entity]]:
    """The servers of the inventory imported before (by their discovery key), and those
    written by hand (by id)."""
    discovered: dict[str, Entity] = {}
    written_by_hand: dict[str, Entity] = {}
    for entity in servers:
        known = entity.data.get("x-discovery")
        if isinstance(known, dict) and known.get("key") not in (None, ""):
            discovered.setdefault(str(known["key"]), entity)
        elif entity.id:
            written_by_hand.setdefault(entity.id, entity)
    return discovered, written_by_hand


def _new_entry(
    found: Discovered, server_id: str, today: dt.date, changes: Changes
) -> dict[str, Any]:
    """A discovered machine as a new server entry of servers.yaml."""
    entry: dict[str, Any] = {"id": server_id}
    entry.update((name, found.fields[name]) for name in DISCOVERED if name in found.fields)
    named = environment(found)
    if named is not None and "environment" not in found.fields:
        entry["environment"] = named
        changes.environments += 1
    entry["x-discovery"] = {**found.source, "key": found.key, "first_seen": today.isoformat()}
    return entry


def _clash_note(clashes: list[str]) -> str:
    return (
        f"{len(clashes)} machine(s) named like a server written by hand "
        f"were imported beside it, not over it: {', '.join(clashes[:5])}"
        + (f" and {len(clashes) - 5} more" if len(clashes) > 5 else "")
        + "; if they are the same machine, give the hand-written one "
        "x-discovery: {key: <the export's id>} and import again"
    )


def _vanished(
    discovered: dict[str, Entity], records: Sequence[Discovered], source: str
) -> list[str]:
    """The servers imported before from the same kind of export that this one lacks."""
    family = source.split(":")[0]
    seen = {found.key for found in records}
    return [
        entity.id
        for key, entity in discovered.items()
        if key not in seen
        and str((entity.data.get("x-discovery") or {}).get("source", "")).startswith(family)
    ]


def _servers_header(source: str) -> str:
    return (
        f"Servers discovered by `migrator import` ({source}).\n"
        "Importing again updates only what discovery knows (hostname, datacenter,\n"
        "cluster, os, cpu, memory_gb, storage_gb, storage_used_gb, platform,\n"
        "power_state, ip_addresses), and of those only the values you have not\n"
        "changed; it keeps everything else you write here: environment,\n"
        "utilization, x- keys, comments. A server you delete stays deleted\n"
        "(discovered.yaml)."
    )


def _edited_texts(files: Editors, changes: Changes) -> None:
    """The files whose text the import changed, with what they held before."""
    for path, editor in files.editors.items():
        text = editor.result()
        if text != editor.text:
            changes.texts[path] = text
            changes.originals[path] = editor.text


def _unique(records: Sequence[Discovered], changes: Changes) -> list[Discovered]:
    """One record per identity: a second row with the same VM ID is not a second machine
    that could be told apart on the next import."""
    first: dict[str, Discovered] = {}
    repeated: list[str] = []
    for record in records:
        if record.key in first:
            repeated.append(f"row {record.row} ({record.name})")
        else:
            first[record.key] = record
    if repeated:
        changes.notes.append(
            f"{len(repeated)} row(s) repeat the identity of an earlier row and "
            f"were left out: {', '.join(repeated[:5])}" + (" …" if len(repeated) > 5 else "")
        )
    return list(first.values())


def _add(
    files: Editors,
    path: Path,
    section: str,
    items: list[dict[str, Any]],
    header: str,
    changes: Changes,
) -> None:
    if not items:
        return
    file = files.estate.files.get(path)
    if file is not None:
        try:
            files.editor(file).set_section(section, items)
        except ValueError as exc:
            raise UsageError(f"{path}: cannot add the new {section}: {exc}") from None
        return
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    text = f"{comment}{section}:\n{items_text(items, 2)}"
    changes.texts[path] = text
    changes.originals[path] = None


def _stubs(
    files: Editors,
    directory: Path,
    servers: list[tuple[Discovered, str]],
    source: str,
    group_by: GroupBy,
    changes: Changes,
) -> None:
    apps = files.estate.applications
    existing: dict[str, Entity] = {}
    for entity in apps:
        existing.setdefault(entity.id, entity)
    claimed = {
        str(s) for e in apps if isinstance(e.data.get("servers"), list) for s in e.data["servers"]
    }
    fresh = [(record, server_id) for record, server_id in servers if server_id not in claimed]
    problems: list[Diagnostic] = []
    new_apps: list[dict[str, Any]] = []
    taken = set(existing)
    for stub_id, (name, server_ids) in propose(fresh, group_by).items():
        found = existing.get(stub_id)
        if found is not None and "x-review" in found.data:
            entity = found
            listed = entity.data.get("servers")
            if listed is not None and not isinstance(listed, list):
                problems.append(
                    Diagnostic(
                        "error",
                        entity.file.name,
                        entity.path + ("servers",),
                        "expected a list of server ids; the import cannot "
                        "add its new servers to it",
                    )
                )
                continue
            append_to(files, entity, "servers", [s for s in server_ids if s not in (listed or [])])
            changes.stubs.append(stub_id)
            continue
        if found is not None:
            stub_id = f"{stub_id}-proposed"
        candidate, n = stub_id, 1
        while candidate in taken:
            n += 1
            candidate = f"{stub_id}-{n}"
        taken.add(candidate)
        new_apps.append(
            {
                "id": candidate,
                "name": name,
                "servers": server_ids,
                "x-review": f"proposed by migrator import from {source} (grouped by "
                f"{group_by}): check the servers, name and owner",
            }
        )
        changes.stubs.append(candidate)
        changes.groups.append((candidate, len(server_ids)))
    if problems:
        from migrator.inventory.load import located

        raise InvalidInputError(
            f"{directory}: cannot update this inventory; fix it first",
            located(problems, {f.name: f.text for f in files.estate.files.values()}),
        )
    header = (
        "Applications proposed by `migrator import` from server names and folders.\n"
        "Each carries x-review: check it, name it, complete it, then delete x-review."
    )
    _add(files, directory / APPLICATIONS, "applications", new_apps, header, changes)


def append_to(files: Editors, entity: Entity, key: str, items: list[Any]) -> None:
    """Items added to the list an entity has under ``key`` (made when it has none)."""
    if not items:
        return
    node = files.node(entity)
    if node is None:
        return
    editor = files.editor(entity.file)
    listed = node.get(key)
    if listed is None:
        editor.add_keys(node, {key: items})
    elif listed.kind == "seq":
        editor.append_items(listed, list(items))
    else:  # "servers:" with nothing after it
        editor.set_scalar(listed, list(items))


def write(changes: Changes) -> None:
    """Write every changed file, unless one changed on disk since it was read."""
    from migrator import atomic

    for path, original in changes.originals.items():
        try:
            now: str | None = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            now = None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: cannot read it again: {exc}") from None
        if now != original and (
            now is None or original is None or now.lstrip("\ufeff") != original
        ):
            raise UsageError(
                f"{path}: changed while the import ran; nothing was written: run the import again"
            )
    # All of them or none: servers.yaml new and the applications' files old would be
    # an inventory no one wrote.
    atomic.write_files({path: text.encode("utf-8") for path, text in changes.texts.items()})
