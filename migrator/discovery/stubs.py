"""Proposed applications from discovered servers, for an architect to review and complete."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import assert_never

from migrator.choices import GroupBy
from migrator.discovery.records import Discovered, slug

_PREFIX = re.compile(r"^[a-z]+", re.IGNORECASE)


def group_key(record: Discovered, group_by: GroupBy) -> str | None:
    """The application a server probably belongs to, or None when nothing says."""
    if group_by == "folder":
        folder = (record.folder or "").strip("/ ")
        return folder.rsplit("/", 1)[-1] or None if folder else None
    if group_by == "annotation":
        text = (record.annotation or "").strip()
        return text.splitlines()[0][:60] if text else None
    if group_by == "prefix":
        # "wadfs1" and "wadfs2" → "wadfs"; "SAP-ERP-DB01" → "sap"; names are often
        # a site or role code followed by a number.
        first = re.split(r"[-_. ]", record.name.strip(), maxsplit=1)[0]
        match = _PREFIX.match(first)
        if match and len(match.group(0)) >= 2:
            return match.group(0).lower()
        return None
    if group_by == "none":
        return None
    assert_never(group_by)


def propose(
    records: Iterable[tuple[Discovered, str]], group_by: GroupBy
) -> dict[str, tuple[str, list[str]]]:
    """(stub id → (name, server ids)) for the (record, server id) pairs given."""
    groups: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for record, server_id in records:
        key = group_key(record, group_by)
        if key is None:
            key = f"unassigned-{record.fields.get('datacenter') or 'servers'}"
        stub = slug(key)
        groups[stub].append(server_id)
        names.setdefault(stub, key)
    return {stub: (names[stub], sorted(ids)) for stub, ids in sorted(groups.items())}
