"""What the HTML report adds to the plan: the diagram as inline SVG, chart geometry."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from migrator.graph.view import READINESS_COLORS, STRATEGY_COLORS

_SVG_START = re.compile(r"<svg\b")


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
            }
            for f in context["planning"]["freeze"]
            if f["to"] >= first and f["from"] <= last
        ]
    else:
        freezes = []
    return {
        "svg": inline_svg(svg),
        "charts": {
            "readiness": bars(summary["readiness"], READINESS_COLORS),
            "strategies": bars(
                {k: v for k, v in summary["strategies"].items() if v}, STRATEGY_COLORS
            ),
        },
        "timeline": timeline,
        "freezes": freezes,
        "strategy_colors": STRATEGY_COLORS,
        "readiness_colors": READINESS_COLORS,
    }
