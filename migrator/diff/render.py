"""A diff for people: a short headline, then the details (Markdown for pull requests)."""

from __future__ import annotations

from typing import Any

from migrator.diff.applications import group_reasons, names

MAX_NAMED = 3
MAX_SHOWN = 25  # items of each list in a comment or on a terminal
MAX_COMMENT = 60_000  # characters: under GitHub's 65,536 for a comment, with room to spare
_COLUMNS = (
    "name",
    "score",
    "readiness",
    "strategy",
    "targets",
    "effort",
    "monthly",
)  # applications named in a headline line; the details name them all


def headline(diff: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, detail) lines that say what changed, most consequential first."""
    s = diff["summary"]
    changed = diff["applications"]["changed"]
    lines: list[tuple[str, str]] = []
    for key, value in diff["settings"].items():
        lines.append((key, f"{_shown(value['from'])} → {_shown(value['to'])}"))
    counts = [
        f"{s['applications_added']} added" if s["applications_added"] else "",
        f"{s['applications_removed']} removed" if s["applications_removed"] else "",
        f"{s['applications_changed']} changed" if s["applications_changed"] else "",
    ]
    if any(counts):
        lines.append(("Applications", ", ".join(c for c in counts if c)))
    renamed = [c["id"] for c in changed if "name" in c]
    if renamed:
        lines.append(("Renamed", _named(renamed)))
    for key, label in (("readiness", "Readiness"), ("strategy", "Strategy")):
        items = [f"{c['id']} {c[key]['from']} → {c[key]['to']}" for c in changed if key in c]
        if items:
            lines.append((label, _named(items)))
    moves = [
        f"{c['id']} {_wave(c['wave']['from'])} → {_wave(c['wave']['to'])}"
        for c in changed
        if "wave" in c
    ]
    if moves or s["waves"]["from"] != s["waves"]["to"]:
        detail = _named(moves) if moves else "none"
        if s["waves"]["from"] != s["waves"]["to"]:
            detail += f"; {s['waves']['from']} → {s['waves']['to']} waves"
        lines.append(("Wave moves", detail))
    if s["new_blockers"] or s["resolved_blockers"]:
        lines.append(("Blockers", f"{s['new_blockers']} new, {s['resolved_blockers']} resolved"))
    if s["move_groups_joined"] or s["move_groups_split"]:
        lines.append(
            (
                "Move groups",
                f"{s['move_groups_joined']} joined, {s['move_groups_split']} split",
            )
        )
    cost = diff["cost"]
    if cost is not None and cost["monthly"]["delta"]:
        money = cost["monthly"]
        lines.append(
            (
                "Cost",
                f"{money['delta']:+,.0f} {cost['currency']}/month "
                f"({_money(money['from'])} → {_money(money['to'])}, on demand)"
                + ("" if cost["comparable"] else "; the two sides use different currencies"),
            )
        )
    links = diff["hybrid_links"]
    weeks = links["link_weeks"]
    if links["added"] or links["removed"] or links["changed"] or weeks["delta"]:
        lines.append(
            (
                "Hybrid links",
                f"{len(links['added'])} added, {len(links['removed'])} removed, "
                f"{len(links['changed'])} changed; "
                f"link-weeks {weeks['from']} → {weeks['to']} ({weeks['delta']:+d})",
            )
        )
    if s["mean_score"]["from"] != s["mean_score"]["to"]:
        lines.append(("Mean score", f"{s['mean_score']['from']} → {s['mean_score']['to']}"))
    if s["person_days"]["from"] != s["person_days"]["to"]:
        delta = s["person_days"]["to"] - s["person_days"]["from"]
        lines.append(
            (
                "Effort",
                f"{s['person_days']['from']:,} → {s['person_days']['to']:,} person-days "
                f"({delta:+,})",
            )
        )
    if s["warnings_introduced"] or s["warnings_resolved"]:
        lines.append(
            (
                "Warnings",
                f"{s['warnings_introduced']} introduced, {s['warnings_resolved']} resolved",
            )
        )
    return lines


def view(diff: dict[str, Any], limit: int = 0) -> dict[str, Any]:
    """What the templates show: the document, with its numbers written out, and the first
    ``limit`` items of each list (MAX_SHOWN when 0)."""
    limit = limit or MAX_SHOWN
    changed = diff["applications"]["changed"]
    rows = []
    for c in changed:
        rows.append(
            {
                "id": c["id"],
                "name": _pair(c.get("name")),
                "score": _pair(c.get("score")),
                "readiness": _pair(c.get("readiness")),
                "strategy": _pair(c.get("strategy")),
                "targets": _pair(
                    {"from": ", ".join(c["targets"]["from"]), "to": ", ".join(c["targets"]["to"])}
                    if "targets" in c
                    else None
                ),
                "effort": _pair(
                    {
                        "from": f"{c['effort']['from']['size']} {c['effort']['from']['person_days']}d",
                        "to": f"{c['effort']['to']['size']} {c['effort']['to']['person_days']}d",
                    }
                    if "effort" in c
                    else None
                ),
                "monthly": f"{c['monthly']['delta']:+,.0f}" if "monthly" in c else "",
                "findings": c.get("findings", {"appeared": [], "resolved": []}),
                "blockers": c.get("blockers", {"new": [], "resolved": []}),
            }
        )
    moves = [
        {
            "id": c["id"],
            "from": _wave(c["wave"]["from"]),
            "to": _wave(c["wave"]["to"]),
            "because": "; ".join(c["wave"]["because"]),
        }
        for c in changed
        if "wave" in c
    ]
    lists = {
        "moves": moves,
        # Applications whose only change is their wave are in the wave moves' table.
        "table": [r for r in rows if any(r[key] for key in _COLUMNS)],
        "detailed": [r for r in rows if r["findings"]["appeared"] or r["findings"]["resolved"]],
        "added": diff["applications"]["added"],
        "removed": diff["applications"]["removed"],
        "joined": [_group(g) for g in diff["move_groups"]["joined"]],
        "split": [_group(g) for g in diff["move_groups"]["split"]],
        "links_added": diff["hybrid_links"]["added"],
        "links_removed": diff["hybrid_links"]["removed"],
        "links_changed": diff["hybrid_links"]["changed"],
        "warnings": diff["warnings"]["introduced"],
    }
    return {
        **diff,
        "headline": headline(diff),
        "rows": rows,
        "total": {key: len(items) for key, items in lists.items()},
        # A pull-request comment holds at most 65,536 characters (GitHub): each list shows
        # its first MAX_SHOWN items and says how many more the JSON has.
        "shown": {key: items[:limit] for key, items in lists.items()},
        "more": {key: max(0, len(items) - limit) for key, items in lists.items()},
    }


def markdown(diff: dict[str, Any]) -> str:
    """The pull-request comment; empty when nothing changed (post nothing).

    GitHub refuses a comment over 65,536 characters: a change that touches thousands of
    applications (a new region) shows fewer items of each list until the comment fits.
    """
    if not diff["changed"]:
        return ""
    from migrator.render.templates import render  # here: JSON and text need no Jinja

    shown = MAX_SHOWN
    while True:
        text = render("diff.md.j2", view(diff, shown))
        if len(text) <= MAX_COMMENT or shown == 1:
            return text
        shown = max(1, shown // 2)


def terminal(diff: dict[str, Any]) -> list[str]:
    """Plain lines for a terminal: the headline, the wave moves and what changed per app."""
    if not diff["changed"]:
        return [
            f"no change to the plan ({diff['base']['inventory']} → {diff['head']['inventory']})"
        ]
    lines = [f"plan diff: {diff['base']['inventory']} → {diff['head']['inventory']}"]
    lines += [f"  {label}: {detail}" for label, detail in headline(diff)]
    shown = view(diff)
    if shown["shown"]["moves"]:
        lines.append("wave moves:")
        lines += [
            f"  {m['id']}: {m['from']} → {m['to']} ({m['because']})"
            for m in shown["shown"]["moves"]
        ]
        lines += _more(shown["more"]["moves"], "wave moves")
    rows = [
        r
        for r in shown["rows"]
        if any(r[key] for key in _COLUMNS) or r["findings"]["appeared"] or r["findings"]["resolved"]
    ]
    for row in rows[:MAX_SHOWN]:
        parts = [
            f"{key} {row[key]}"
            for key in ("name", "score", "readiness", "strategy", "targets", "effort")
            if row[key]
        ]
        if row["monthly"]:
            parts.append(f"cost {row['monthly']}/month")
        if parts:
            lines.append(f"{row['id']}: " + "; ".join(parts))
        for f in row["findings"]["appeared"]:
            lines.append(f"  + {f['rule']} ({f['severity']}, -{f['points']}): {f['message']}")
        for f in row["findings"]["resolved"]:
            lines.append(f"  - {f['rule']} ({f['severity']}, -{f['points']}): {f['message']}")
    lines += _more(len(rows) - MAX_SHOWN, "applications changed")
    for app in shown["shown"]["added"]:
        lines.append(f"added: {app['id']} ({app['strategy']}, wave {_wave(app['wave'])})")
    lines += _more(shown["more"]["added"], "added")
    for app in shown["shown"]["removed"]:
        lines.append(f"removed: {app['id']}")
    lines += _more(shown["more"]["removed"], "removed")
    for group in shown["shown"]["joined"]:
        lines.append(f"move group joined: {group['applications'][0]}")
    for group in shown["shown"]["split"]:
        lines.append(f"move group split: {group['applications'][0]}")
    for warning in shown["shown"]["warnings"]:
        lines.append(f"new warning: {_warning(warning)}")
    lines += _more(shown["more"]["warnings"], "new warnings")
    return lines


def _more(count: int, what: str) -> list[str]:
    return [f"  … and {count} more {what} (--format json lists them all)"] if count > 0 else []


def _group(group: dict[str, Any]) -> dict[str, Any]:
    """A move group as a comment names it: its first applications, its reasons counted."""
    return {
        **group,
        "applications": [names(group["applications"])],
        "reasons": [group_reasons(tuple(group["reasons"]))],
    }


def _warning(warning: dict[str, Any]) -> str:
    if warning["source"] == "waves":
        return str(warning["message"])
    where = f"{warning['file']}:{warning['line']}:{warning['column']}"
    return f"{where}: {warning['path']}: {warning['message']}"


def _pair(value: dict[str, Any] | None) -> str:
    if value is None:
        return ""
    return f"{value['from'] or 'none'} → {value['to'] or 'none'}"


def _wave(number: int | None) -> str:
    return "–" if number is None else str(number)


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _money(value: float | None) -> str:
    return "not priced" if value is None else f"{value:,.0f}"


def _named(items: list[str]) -> str:
    if len(items) <= MAX_NAMED:
        return ", ".join(items)
    return f"{', '.join(items[:MAX_NAMED])} and {len(items) - MAX_NAMED} more"
