"""Two plans compared: the ``migrator/diff/v1`` document."""

from __future__ import annotations

from typing import Any

from migrator.diagnostics import format_path
from migrator.diff.applications import Neighbours, compare_app, summary
from migrator.diff.reuse import relative
from migrator.diff.side import Side
from migrator.inventory.model import AppId
from migrator.waves.model import HybridLink
from migrator.waves.report import hybrid_link

SCHEMA = "migrator/diff/v1"


def compare(base: Side, head: Side) -> dict[str, Any]:
    """Everything that differs between the plans of ``base`` and ``head``, in stable order."""
    old_apps, new_apps = base.by_id, head.by_id
    near = (Neighbours(base), Neighbours(head))
    added = [summary(new_apps[i], head) for i in sorted(new_apps.keys() - old_apps.keys())]
    removed = [summary(old_apps[i], base) for i in sorted(old_apps.keys() - new_apps.keys())]
    changed = []
    for app_id in sorted(old_apps.keys() & new_apps.keys()):
        change = compare_app(base, head, old_apps[app_id], new_apps[app_id], near)
        if change is not None:
            changed.append(change)
    groups = _groups(near[0], near[1], base, head)
    links = _links(base, head)
    warnings = _warnings(base, head)
    settings = _settings(base, head)
    cost = _cost(base, head)
    moves = [c for c in changed if "wave" in c]
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "base": _side(base),
        "head": _side(head),
        "changed": False,
        "summary": {
            "applications_added": len(added),
            "applications_removed": len(removed),
            "applications_changed": len(changed),
            "readiness_changes": sum(1 for c in changed if "readiness" in c),
            "strategy_changes": sum(1 for c in changed if "strategy" in c),
            "wave_moves": len(moves),
            "new_blockers": sum(len(c.get("blockers", {}).get("new", ())) for c in changed),
            "resolved_blockers": sum(
                len(c.get("blockers", {}).get("resolved", ())) for c in changed
            ),
            "move_groups_joined": len(groups["joined"]),
            "move_groups_split": len(groups["split"]),
            "hybrid_links_added": len(links["added"]),
            "hybrid_links_removed": len(links["removed"]),
            "link_weeks": {
                "from": links["link_weeks"]["from"],
                "to": links["link_weeks"]["to"],
            },
            "waves": {"from": len(base.plan.waves), "to": len(head.plan.waves)},
            "mean_score": {
                "from": base.assessment.mean_score,
                "to": head.assessment.mean_score,
            },
            "person_days": {"from": _days(base), "to": _days(head)},
            "monthly": cost["monthly"] if cost else None,
            "warnings_introduced": len(warnings["introduced"]),
            "warnings_resolved": len(warnings["resolved"]),
        },
        "settings": settings,
        "applications": {"added": added, "removed": removed, "changed": changed},
        "move_groups": groups,
        "hybrid_links": links,
        "cost": cost,
        "warnings": warnings,
    }
    document["changed"] = bool(
        added
        or removed
        or changed
        or groups["joined"]
        or groups["split"]
        or links["added"]
        or links["removed"]
        or links["changed"]
        or warnings["introduced"]
        or warnings["resolved"]
        or settings
        or len(base.plan.waves) != len(head.plan.waves)
        or (cost is not None and cost["monthly"]["delta"] != 0)
    )
    return document


def _side(side: Side) -> dict[str, Any]:
    return {
        "inventory": side.label,
        "portfolio": side.inventory.portfolio.name,
        "region": side.inventory.portfolio.region,
        "applications": len(side.assessment.applications),
        "waves": len(side.plan.waves),
    }


def _days(side: Side) -> int:
    return sum(a.effort.person_days for a in side.assessment.applications)


def _settings(base: Side, head: Side) -> dict[str, Any]:
    """Portfolio settings that changed (the region moves every target and price)."""
    found: dict[str, Any] = {}
    old_portfolio, new_portfolio = base.inventory.portfolio, head.inventory.portfolio
    # Without a portfolio section the name is the directory's: not a change of the inventory.
    written = bool(old_portfolio.origin.file or new_portfolio.origin.file)
    for key in ("name", "region", "currency") if written else ("region", "currency"):
        a, b = getattr(old_portfolio, key), getattr(new_portfolio, key)
        if a != b:
            found[f"portfolio.{key}"] = {"from": a, "to": b}
    old, new = base.plan.planning, head.plan.planning
    for key in ("start", "wave_weeks", "max_apps_per_wave", "max_servers_per_wave"):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            found[f"planning.{key}"] = {"from": _plain(a), "to": _plain(b)}
    for key in ("max_person_days_per_wave", "bridge", "shared_services", "order"):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            found[f"planning.{key}"] = {"from": _plain(a), "to": _plain(b)}
    if old.freeze != new.freeze:
        found["planning.freeze"] = {
            "from": [f"{f.start}/{f.end}" for f in old.freeze],
            "to": [f"{f.start}/{f.end}" for f in new.freeze],
        }
    return found


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def _groups(was: Neighbours, now: Neighbours, base: Side, head: Side) -> dict[str, Any]:
    """Move groups that two or more groups of the other side came together in."""

    def merged(into: Side, parts_of: Neighbours, other: Side, key: str) -> list[dict[str, Any]]:
        found = []
        for group in into.plan.groups:
            if len(group.applications) < 2:
                continue
            members = [a for a in group.applications if a in parts_of.group]
            parts = sorted({parts_of.group[a] for a in members}, key=lambda p: sorted(p))
            if len(parts) > 1:
                found.append(
                    {
                        "applications": sorted(group.applications),
                        key: [sorted(p) for p in parts],
                        "reasons": list(group.reasons),
                    }
                )
        return sorted(found, key=lambda g: g["applications"])

    return {
        "joined": merged(head, was, base, "from"),
        "split": merged(base, now, head, "into"),
    }


def _links(base: Side, head: Side) -> dict[str, Any]:
    # Most links are the same on both sides: set arithmetic (in C) finds the few that differ.
    old_set, new_set = set(base.plan.hybrid_links), set(head.plan.hybrid_links)

    def keyed(links: set[HybridLink]) -> dict[tuple[AppId, AppId, str], HybridLink]:
        return {(link.consumer, link.provider, link.kind): link for link in links}

    old, new = keyed(old_set - new_set), keyed(new_set - old_set)
    changed = [
        {"from_link": hybrid_link(old[key]), "to_link": hybrid_link(new[key])}
        for key in sorted(old.keys() & new.keys())
    ]
    weeks_before, weeks_after = base.plan.link_weeks, head.plan.link_weeks
    return {
        "added": [hybrid_link(new[k]) for k in sorted(new.keys() - old.keys())],
        "removed": [hybrid_link(old[k]) for k in sorted(old.keys() - new.keys())],
        "changed": changed,
        "link_weeks": {
            "from": weeks_before,
            "to": weeks_after,
            "delta": weeks_after - weeks_before,
        },
    }


def _cost(base: Side, head: Side) -> dict[str, Any] | None:
    """The monthly bill, when both sides are priced in the same currency."""
    before, after = base.total_monthly, head.total_monthly
    if before is None and after is None:
        return None
    return {
        "currency": head.currency or base.currency,
        "comparable": base.currency == head.currency,
        "monthly": {
            "from": before,
            "to": after,
            "delta": round((after or 0.0) - (before or 0.0), 2),
        },
    }


def _warnings(base: Side, head: Side) -> dict[str, list[dict[str, Any]]]:
    """Validation and schedule warnings that one side has and the other has not."""

    def keyed(side: Side) -> dict[tuple[str, str, str], dict[str, Any]]:
        found: dict[tuple[str, str, str], dict[str, Any]] = {}
        for diag in side.warnings:
            name = relative(diag.file, side.root) or diag.file
            found[("inventory", name + ":" + format_path(diag.path), diag.message)] = {
                "source": "inventory",
                "file": name,
                "line": diag.line,
                "column": diag.col,
                "path": format_path(diag.path),
                "message": diag.message,
            }
        for text in side.plan.warnings:
            found[("waves", "", text)] = {"source": "waves", "message": text}
        return found

    old, new = keyed(base), keyed(head)
    return {
        "introduced": [new[k] for k in sorted(new.keys() - old.keys())],
        "resolved": [old[k] for k in sorted(old.keys() - new.keys())],
    }
