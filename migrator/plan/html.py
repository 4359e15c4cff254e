"""What the HTML report adds to the plan: the diagram as inline SVG, chart geometry."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from markupsafe import Markup

from migrator.graph.view import READINESS_COLORS, STRATEGY_COLORS

_SVG_START = re.compile(r"<svg\b")
# Above this many applications the report leaves out their detail sections, so that it
# still opens in a few seconds: the plan of one wave (--wave N) has them.
DETAILS_MAX = 2000


def inline_svg(svg: str) -> Markup:
    """Graphviz's SVG without its XML prolog, ready to sit inside HTML. Graphviz escapes
    every label and tooltip, so the markup is safe to embed as it is."""
    match = _SVG_START.search(svg)
    body = svg[match.start() :] if match else ""
    # Let the page size the diagram: keep the viewBox, drop the fixed size in points.
    body = re.sub(r'\swidth="[^"]*pt"\s+height="[^"]*pt"', "", body, count=1)
    return Markup(body)  # Graphviz output: every label already escaped


def bars(counts: dict[str, int], colors: dict[str, str]) -> list[dict[str, Any]]:
    top = max(counts.values(), default=0) or 1
    return [
        {"name": name, "count": n, "share": n / top, "color": colors.get(name, "#999")}
        for name, n in counts.items()
    ]


def app_table(applications: list[dict[str, Any]]) -> dict[str, Any]:
    """The applications table as data, drawn by the report's script (a few hundred rows at
    a time: ten thousand rows of HTML take Chromium many seconds to lay out)."""
    return {
        "columns": [
            "id",
            "name",
            "domain",
            "owner",
            "type",
            "criticality",
            "score",
            "readiness",
            "strategy",
            "decided",
            "wave",
            "size",
            "person_days",
            "blockers",
        ],
        "rows": [
            [
                a["id"],
                a["name"],
                a["domain"] or "",
                a["owner"] or "",
                a["type"],
                a["criticality"],
                a["score"],
                a["readiness"],
                a["strategy"],
                a["strategy_source"] == "decision",
                a["wave"],
                a["effort"]["size"],
                a["effort"]["person_days"],
                len(a["blockers"]),
            ]
            for a in applications
        ],
        "colors": STRATEGY_COLORS,
    }


def month_ticks(first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Ticks on the first of each month (of each quarter, or year, on a long plan), with
    their place along the timeline; January and the first tick carry the year."""
    span = max(1, (last - first).days)
    months = (last.year - first.year) * 12 + last.month - first.month
    step = 1 if months <= 18 else 3 if months <= 48 else 12
    ticks: list[dict[str, Any]] = []
    year, month = first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = dt.date(year, month, 1)
        if day > last:
            break
        if (month - 1) % step:
            continue
        label = day.strftime("%b") if ticks and month != 1 else day.strftime("%b %Y")
        ticks.append({"offset": (day - first).days / span, "label": label, "date": day})
    return ticks


def html_extras(context: dict[str, Any], svg: str) -> dict[str, Any]:
    summary = context["summary"]
    waves = context["waves"]
    timeline: list[dict[str, Any]] = []
    if waves:
        first, last = waves[0]["start"], waves[-1]["end"]
        span = max(1, (last - first).days)
        for wave in waves:
            timeline.append(
                {
                    "number": wave["number"],
                    "label": f"Wave {wave['number']}",
                    "offset": (wave["start"] - first).days / span,
                    "width": max(0.01, (wave["end"] - wave["start"]).days / span),
                    "apps": len(wave["applications"]),
                    "start": wave["start"],
                    "end": wave["end"],
                }
            )
        freezes = [
            {
                "offset": max(0.0, (f["from"] - first).days / span),
                "width": max(0.005, (min(f["to"], last) - max(f["from"], first)).days / span),
                "reason": f["reason"] or "freeze",
                "start": f["from"],
                "end": f["to"],
            }
            for f in context["planning"]["freeze"]
            if f["to"] >= first and f["from"] <= last
        ]
        ticks = month_ticks(first, last)
    else:
        freezes, ticks = [], []
    applications = sorted(context["applications"], key=lambda a: a["id"])
    return {
        "svg": inline_svg(svg),
        "details_shown": len(applications) <= DETAILS_MAX,
        "app_table": app_table(applications),
        "charts": {
            "readiness": bars(summary["readiness"], READINESS_COLORS),
            "strategies": bars(
                {k: v for k, v in summary["strategies"].items() if v}, STRATEGY_COLORS
            ),
        },
        "timeline": timeline,
        "freezes": freezes,
        "ticks": ticks,
        "strategy_colors": STRATEGY_COLORS,
        "readiness_colors": READINESS_COLORS,
    }
