"""The assessment as machine-readable data: the assessment JSON (migrator/assessment/v1) and CSV rows."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import TYPE_CHECKING, Any

from migrator.assess.model import (
    READINESS,
    AppAssessment,
    Assessment,
    Briefs,
    ForPlanning,
    Subject,
    known,
    mean_score,
    mean_score_known,
)
from migrator.cost import report as cost_report
from migrator.cost.estimate import CostEstimate, NotPriced
from migrator.inventory.model import STRATEGIES
from migrator.render.escape import csv_cell

if TYPE_CHECKING:
    from migrator.assess.brief import Halves
    from migrator.waves.model import Schedule

SCHEMA = "migrator/assessment/v1"


def summary(assessment: ForPlanning) -> dict[str, Any]:
    apps = assessment.applications
    readiness = Counter(a.readiness for a in apps)
    strategies = Counter(a.strategy for a in apps)
    return {
        "applications": len(apps),
        "mean_score": mean_score(apps),
        # The headline: scores of the applications with enough data, the others counted.
        "known_applications": len(known(apps)),
        "mean_score_known": mean_score_known(apps),
        "unknown_applications": readiness.get("unknown", 0),
        "readiness": {name: readiness.get(name, 0) for name in READINESS},
        "strategies": {name: strategies.get(name, 0) for name in STRATEGIES},
        "person_days": sum(a.person_days for a in apps),
        "not_assessed": {"external": list(assessment.external)},
    }


def headline(summary: dict[str, Any]) -> str:
    """The summary's first line: scores over the applications with enough data only."""
    total, known = summary["applications"], summary["known_applications"]
    unknown = summary["unknown_applications"]
    if not total:
        return "no applications"
    if not known:
        return (
            f"{total} applications, all unknown: too little data to score them "
            f"(fill in their stacks, servers and owners)"
        )
    text = f"{total} applications, mean score {summary['mean_score_known']}"
    if unknown:
        text += f" over the {known} with enough data ({unknown} unknown: too little data to score)"
    return text


def application(a: AppAssessment, names: dict[Subject, str] | None = None) -> dict[str, Any]:
    """An application's assessment as JSON. ``names`` keeps each subject's name for a
    whole output: one string a subject, not one each time a finding names it."""
    if names is None:
        names = {}
    findings = a.findings
    # Each message written once: the blockers are the blocker findings' messages.
    messages = [f.message for f in findings]
    return {
        "id": a.app.id,
        "name": a.app.name,
        "domain": a.app.domain,
        "type": a.app.type,
        "criticality": a.app.criticality,
        "score": a.score,
        "readiness": a.readiness,
        "data_completeness": a.data_completeness,
        "strategy": a.strategy,
        "strategy_source": a.strategy_source,
        "strategy_reason": a.reason,
        "targets": list(a.targets),
        "effort": {"size": a.effort.size, "person_days": a.effort.person_days},
        "blockers": [
            message
            for f, message in zip(findings, messages, strict=True)
            if f.severity == "blocker"
        ],
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "points": f.points,
                "subject": _name(f.subject, names),
                "subjects": [_name(s, names) for s in f.subjects],
                "category": f.category,
                "message": message,
            }
            for f, message in zip(findings, messages, strict=True)
        ],
    }


def _name(subject: Subject, names: dict[Subject, str]) -> str:
    name = names.get(subject)
    if name is None:
        name = names[subject] = subject.text
    return name


def to_json(
    assessment: Assessment | Halves,
    cost: CostEstimate | NotPriced | None = None,
    waves: Schedule | None = None,
) -> dict[str, Any]:
    """The assessment JSON; ``cost`` adds each application's cost and the portfolio's
    (by wave, given ``waves``). Of an assessment worked out by two processes, the
    second half's applications come as the child wrote them (migrator.assess.brief)."""
    names: dict[Subject, str] = {}
    if isinstance(assessment, Assessment):
        head: Assessment = assessment
        everyone: Assessment | Briefs = assessment
        applications = [application(a, names) for a in assessment.applications]
    else:
        head, everyone = assessment.first, assessment.everyone
        applications = [application(a, names) for a in head.applications] + assessment.second
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "as_of": head.as_of.isoformat(),
        "rules_version": head.rules_version,
        "portfolio": {"name": head.portfolio.name, "region": head.portfolio.region},
        "summary": summary(everyone),
        "applications": applications,
    }
    if cost is not None:
        data["summary"]["cost"] = cost_report.summary(cost, waves)
        by_app = cost_report.by_app(cost)
        for app in data["applications"]:
            app["cost"] = by_app.get(app["id"])
    return data


CSV_COLUMNS = (
    "id",
    "name",
    "domain",
    "type",
    "criticality",
    "score",
    "readiness",
    "data_completeness",
    "strategy",
    "strategy_source",
    "targets",
    "effort_size",
    "person_days",
    "blockers",
    "findings",
)


def to_csv(assessment: Assessment) -> str:
    """One row per application. Rows end in CRLF (RFC 4180), so that a line break of
    either kind inside a name is quoted; cells that a spreadsheet would run as a formula
    are written as text (``escape.csv_cell``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in assessment.applications:
        row = (
            a.app.id,
            a.app.name,
            a.app.domain or "",
            a.app.type,
            a.app.criticality,
            a.score,
            a.readiness,
            a.data_completeness,
            a.strategy,
            a.strategy_source,
            "; ".join(a.targets),
            a.effort.size,
            a.effort.person_days,
            len(a.blockers),
            "; ".join(f"{f.rule} (-{f.points})" for f in a.findings),
        )
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()
