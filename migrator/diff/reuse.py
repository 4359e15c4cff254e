"""Assessing the head of a diff by keeping the base's results for what did not change.

A pull request edits a file or two of an inventory of thousands of applications: the
assessment of an application depends only on its own entry, its servers and databases,
the region, the rules, the date and a few counts over the whole inventory (how many
depend on it, its latency-sensitive links, which of its providers are external). When
all of those are the same on both sides, the base's result is the head's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Collection, Mapping
from pathlib import Path

from migrator.assess.assessment import assess
from migrator.assess.facts import Context
from migrator.assess.model import AppAssessment, Assessment
from migrator.assess.rules import RuleSet
from migrator.inventory.model import AppId, Application, Inventory


def digests(inventory: Inventory, root: str) -> dict[str, bytes]:
    """Each file of the inventory, by its name below ``root``, as a digest of its bytes."""
    found = {}
    for name in inventory.files:
        try:
            data = Path(name).read_bytes()
        except OSError:
            continue  # not comparable: what it defines is assessed again
        found[relative(name, root)] = hashlib.blake2b(data, digest_size=16).digest()
    return found


def relative(name: str, root: str) -> str:
    return name[len(root) :] if name.startswith(root) else name


@dataclasses.dataclass(frozen=True)
class Previous:
    """The base side, as the head's assessment may reuse it."""

    inventory: Inventory
    assessment: Assessment
    rules: RuleSet
    root: str
    digests: Mapping[str, bytes]


def assess_reusing(
    inventory: Inventory,
    rules: RuleSet,
    as_of: dt.date | None,
    root: str,
    previous: Previous | None,
    decided: Collection[AppId] = (),
) -> Assessment:
    """The assessment of ``inventory``, the base's results kept where nothing differs.

    ``decided`` names applications a scenario changed: they are always assessed again.
    """
    today = as_of or dt.date.today()
    if previous is None or not _same_settings(inventory, rules, today, previous):
        return assess(inventory, rules, today)
    same = {
        name
        for name, digest in digests(inventory, root).items()
        if previous.digests.get(name) == digest
    }
    old_context = Context.of(previous.inventory, today)
    new_context = Context.of(inventory, today)
    old_results = {a.app.id: a for a in previous.assessment.applications}
    kept: dict[AppId, AppAssessment] = {}
    again: list[Application] = []
    for app in inventory.applications:
        old = old_results.get(app.id)
        if (
            old is not None
            and app.id not in decided
            and _unchanged(app, inventory, root, previous, same, old_context, new_context)
        ):
            kept[app.id] = dataclasses.replace(old, app=app)
        elif app.type != "external":
            again.append(app)
    fresh = {a.app.id: a for a in assess(inventory, rules, today, again).applications}
    results = tuple(
        kept.get(app.id) or fresh[app.id]
        for app in inventory.applications
        if app.type != "external"
    )
    external = tuple(app.id for app in inventory.applications if app.type == "external")
    return Assessment(inventory.portfolio, today, rules.version, results, external)


def _same_settings(
    inventory: Inventory, rules: RuleSet, today: dt.date, previous: Previous
) -> bool:
    old, new = previous.inventory.portfolio, inventory.portfolio
    return (
        previous.assessment.as_of == today
        and previous.rules.version == rules.version
        and previous.rules.files == rules.files
        and (old.region, old.currency, old.onprem) == (new.region, new.currency, new.onprem)
    )


def _unchanged(
    app: Application,
    inventory: Inventory,
    root: str,
    previous: Previous,
    same: set[str],
    old_context: Context,
    new_context: Context,
) -> bool:
    if relative(app.origin.file, root) not in same:
        return False
    for server_id in app.servers:
        server = inventory.servers_by_id.get(server_id)
        if server is None or relative(server.origin.file, root) not in same:
            return False
    for database_id in app.databases:
        database = inventory.databases_by_id.get(database_id)
        if database is None or relative(database.origin.file, root) not in same:
            return False
    if old_context.dependents.get(app.id) != new_context.dependents.get(app.id):
        return False
    if old_context.latency_links.get(app.id) != new_context.latency_links.get(app.id):
        return False
    old_apps, new_apps = previous.inventory.apps_by_id, inventory.apps_by_id
    for dep in app.depends_on:
        old, new = old_apps.get(dep.app), new_apps.get(dep.app)
        if (old.type if old else None) != (new.type if new else None):
            return False
    return True
