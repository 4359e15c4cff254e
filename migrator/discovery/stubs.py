"""Proposed applications from discovered servers, for an architect to review and complete.

Server names often carry the environment as a prefix or a suffix (``P-SAPERP01``,
``PRD-CRM-APP1``, ``crmweb01-T``, ``sap-erp-db01-dev``): by name prefix, that part is the
environment, written on the new server as ``environment``, and the rest names the
application, so that the production and test servers of one application are proposed as
one application, and a letter before a dash never puts a whole estate into one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import assert_never

from migrator.choices import GroupBy
from migrator.discovery.records import Discovered, slug

PORTFOLIO = "portfolio.yaml"
_PREFIX = re.compile(r"^[a-z]+", re.IGNORECASE)
_SEPARATORS = re.compile(r"[-_. ]+")
# Environment codes as names carry them, in any case, alone between separators.
ENVIRONMENTS = {
    **dict.fromkeys(("p", "prd", "prod", "production"), "prod"),
    **dict.fromkeys(("pp", "ppd", "preprod", "stg", "stage", "staging"), "preprod"),
    **dict.fromkeys(("t", "tst", "test", "q", "qa", "uat"), "test"),
    **dict.fromkeys(("d", "dev", "develop", "development"), "dev"),
    **dict.fromkeys(("dr",), "dr"),
}


def environment_and_rest(name: str) -> tuple[str | None, list[str]]:
    """The environment a name carries at its start or end, and the name's other parts."""
    parts = [p for p in _SEPARATORS.split(name.strip()) if p]
    if len(parts) < 2:
        return None, parts
    for index in (0, -1):
        found = ENVIRONMENTS.get(parts[index].lower())
        if found is not None:
            rest = parts[1:] if index == 0 else parts[:-1]
            return found, rest
    return None, parts


def environment(record: Discovered) -> str | None:
    return environment_and_rest(record.name)[0]


def group_key(record: Discovered, group_by: GroupBy) -> str | None:
    """The application a server probably belongs to, or None when nothing says."""
    if group_by == "folder":
        folder = (record.folder or "").strip("/ ")
        return folder.rsplit("/", 1)[-1] or None if folder else None
    if group_by == "annotation":
        text = (record.annotation or "").strip()
        return text.splitlines()[0][:60] if text else None
    if group_by == "prefix":
        # "wadfs1" and "wadfs2" → "wadfs"; "SAP-ERP-DB01" → "sap"; "P-SAPERP01" → "saperp":
        # names are often a site or role code followed by a number.
        _, parts = environment_and_rest(record.name)
        match = _PREFIX.match(parts[0]) if parts else None
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


def portfolio_text(export: Path) -> str:
    """A ``portfolio`` section for an inventory that has none: the name from the export,
    the region left for the user (no cost is estimated without one)."""
    from migrator.discovery.yamledit import scalar

    return (
        "# Written by `migrator import` because the inventory had no portfolio section.\n"
        "# Set region to the Google Cloud region the estate moves to: costs are estimated\n"
        "# only with one.\n"
        "portfolio:\n"
        f"  name: {scalar(export.stem)}\n"
        "  region:  # e.g. europe-west1\n"
        "  # currency: EUR\n"
    )
