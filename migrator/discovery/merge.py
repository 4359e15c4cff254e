"""Writing discovered servers into an inventory directory, keeping what people wrote.

A first import writes ``servers.yaml`` (and ``applications.yaml`` with proposed
applications). Importing again reads them with a round-trip YAML library (ruamel.yaml),
updates only the discovered fields of the servers it knows (matched by the export's own
identity, kept under ``x-discovery``), adds new ones, reports the ones that vanished
(never deleting them), and keeps every other key, comment and key order as they were.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from migrator.discovery.records import DISCOVERED, Discovered, assign_ids
from migrator.discovery.stubs import GroupBy, propose
from migrator.errors import UsageError

SERVERS = "servers.yaml"
# YAML 1.1 readers (PyYAML, many editors) take these words for booleans: quote them.
_AMBIGUOUS = frozenset({"on", "off", "yes", "no", "y", "n", "true", "false"})


def _value(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in _AMBIGUOUS:
        return SingleQuotedScalarString(value)
    return value
APPLICATIONS = "applications.yaml"


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # id, fields
    unchanged: int = 0
    vanished: list[str] = field(default_factory=list)
    stubs: list[str] = field(default_factory=list)
    texts: dict[Path, str] = field(default_factory=dict)  # file → new text (changed only)


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, order and quoting survive
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.preserve_quotes = True
    return yaml


def _load(path: Path, section: str, header: str) -> CommentedMap:
    if not path.exists():
        document = CommentedMap()
        document.yaml_set_start_comment(header)
        document[section] = CommentedSeq()
        return document
    try:
        document = _yaml().load(path.read_text(encoding="utf-8"))
    except (YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot update it, it is not valid YAML: "
                         f"{str(exc).splitlines()[0]}") from None
    if document is None:
        document = CommentedMap()
    if not isinstance(document, CommentedMap):
        raise UsageError(f"{path}: cannot update it: expected a mapping with '{section}'")
    if not isinstance(document.get(section), list):
        document[section] = CommentedSeq()
    return document


def _dump(document: CommentedMap) -> str:
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


def merge(records: Sequence[Discovered], directory: Path, source: str, group_by: GroupBy,
          today: dt.date) -> Changes:
    changes = Changes()
    servers_path = directory / SERVERS
    header = (f"Servers discovered by `migrator import` ({source}).\n"
              "Importing again updates only what discovery knows (hostname, datacenter,\n"
              "cluster, os, cpu, memory_gb, storage_gb, storage_used_gb, platform,\n"
              "power_state) and keeps everything else you write here: environment,\n"
              "utilization, x- keys, comments.")
    document = _load(servers_path, "servers", header)
    servers: CommentedSeq = document["servers"]
    by_key: dict[str, Any] = {}
    by_id: dict[str, Any] = {}
    for entry in servers:
        if not isinstance(entry, dict):
            continue
        known: Any = entry.get("x-discovery")
        if isinstance(known, dict) and known.get("key"):
            by_key[str(known["key"])] = entry
        if entry.get("id"):
            by_id[str(entry["id"])] = entry
    taken = {key: str(entry["id"]) for key, entry in by_key.items() if entry.get("id")}
    ids = assign_ids(records, taken)
    seen: set[str] = set()
    new_servers: list[tuple[Discovered, str]] = []
    for record in records:
        server_id = ids[record.key]
        seen.add(record.key)
        entry = by_key.get(record.key) or by_id.get(server_id)
        if entry is None:
            entry = CommentedMap()
            entry["id"] = server_id
            for name in DISCOVERED:
                if name in record.fields:
                    entry[name] = _value(record.fields[name])
            entry["x-discovery"] = CommentedMap({**record.source, "key": record.key,
                                                 "first_seen": today.isoformat()})
            servers.append(entry)
            changes.added.append(server_id)
            new_servers.append((record, server_id))
            continue
        changed = [name for name in DISCOVERED
                   if name in record.fields and entry.get(name) != record.fields[name]]
        for name in changed:
            entry[name] = _value(record.fields[name])
        found: Any = entry.get("x-discovery")
        if not isinstance(found, dict):
            found = entry["x-discovery"] = CommentedMap()
        for name, value in {**record.source, "key": record.key}.items():
            if found.get(name) != value:
                found[name] = value
        if changed:
            changes.updated.append((str(entry.get("id")), changed))
        else:
            changes.unchanged += 1
    for key, entry in by_key.items():
        if key not in seen and str((entry.get("x-discovery") or {}).get("source", "")
                                   ).startswith(source.split(":")[0]):
            changes.vanished.append(str(entry.get("id")))
    text = _dump(document)
    if not servers_path.exists() or servers_path.read_text(encoding="utf-8") != text:
        changes.texts[servers_path] = text
    if group_by != "none":
        _stubs(directory, new_servers, source, group_by, changes)
    return changes


def _stubs(directory: Path, servers: list[tuple[Discovered, str]], source: str,
           group_by: GroupBy, changes: Changes) -> None:
    path = directory / APPLICATIONS
    header = ("Applications proposed by `migrator import` from server names and folders.\n"
              "Each carries x-review: check it, name it, complete it, then delete x-review.")
    document = _load(path, "applications", header)
    apps: CommentedSeq = document["applications"]
    existing = {str(a.get("id")): a for a in apps if isinstance(a, dict)}
    claimed = {str(s) for a in existing.values() for s in (a.get("servers") or ())}
    fresh = [(record, server_id) for record, server_id in servers if server_id not in claimed]
    for stub_id, (name, server_ids) in propose(fresh, group_by).items():
        entry = existing.get(stub_id)
        if entry is not None and "x-review" in entry:
            listed = entry.setdefault("servers", CommentedSeq())
            listed.extend(s for s in server_ids if s not in listed)
            changes.stubs.append(stub_id)
            continue
        if entry is not None:
            stub_id = f"{stub_id}-proposed"
        entry = CommentedMap()
        entry["id"] = stub_id
        entry["name"] = name
        entry["servers"] = CommentedSeq(server_ids)
        entry["x-review"] = f"proposed by migrator import from {source} (grouped by " \
                            f"{group_by}): check the servers, name and owner"
        apps.append(entry)
        changes.stubs.append(stub_id)
    if changes.stubs:
        changes.texts[path] = _dump(document)


def write(changes: Changes) -> None:
    from migrator import atomic

    for path, text in changes.texts.items():
        atomic.write_text(path, text)


def describe(changes: Changes) -> list[str]:
    lines = [f"{len(changes.added)} new server(s), {len(changes.updated)} updated, "
             f"{changes.unchanged} unchanged"]
    for server_id, fields in changes.updated[:20]:
        lines.append(f"  updated {server_id}: {', '.join(fields)}")
    if len(changes.updated) > 20:
        lines.append(f"  … and {len(changes.updated) - 20} more")
    if changes.vanished:
        shown = ", ".join(changes.vanished[:10])
        more = f" and {len(changes.vanished) - 10} more" if len(changes.vanished) > 10 else ""
        lines.append(f"{len(changes.vanished)} server(s) no longer in the export, kept in the "
                     f"inventory (delete or retire them yourself): {shown}{more}")
    if changes.stubs:
        lines.append(f"{len(changes.stubs)} application(s) proposed for review (x-review)")
    return lines


def os_report(records: Sequence[Discovered]) -> tuple[int, int, dict[str, int]]:
    """How many OS strings the catalogue recognised: (recognised, with an OS, unknown)."""
    from migrator.assess.catalogue import recognise_os

    unknown: dict[str, int] = {}
    recognised = with_os = 0
    for record in records:
        text = record.fields.get("os")
        if not text:
            continue
        with_os += 1
        if recognise_os(str(text)) is None:
            unknown[str(text)] = unknown.get(str(text), 0) + 1
        else:
            recognised += 1
    return recognised, with_os, unknown

