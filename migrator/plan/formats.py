"""The formats the plan is written in: Markdown, or a self-contained HTML report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.choices import PlanFormat
from migrator.graph.render import draw
from migrator.outputs import OutputFormat
from migrator.plan.document import Prepared
from migrator.plan.html import html_extras
from migrator.render.templates import render


@dataclass(frozen=True)
class PlanDocument:
    """What a plan is written from: the prepared plan, the templates' context, and the
    user's templates (which replace migrator's by name)."""

    prepared: Prepared
    context: dict[str, Any]
    templates_dir: Path | None = None


def _markdown(document: PlanDocument) -> bytes:
    return render("plan.md.j2", document.context, document.templates_dir).encode()


def _html(document: PlanDocument) -> bytes:
    svg = draw(document.prepared.view, ".svg").decode()
    context = {**document.context, **html_extras(document.context, svg)}
    return render("report.html.j2", context, document.templates_dir).encode()


PLAN_FORMATS: dict[PlanFormat, OutputFormat[PlanDocument]] = {
    "markdown": OutputFormat("markdown", (".md", ".markdown"), _markdown),
    "html": OutputFormat("html", (".html", ".htm"), _html),
}
