"""The data a plan template sees: plain values (text, numbers, dates, lists, mappings).

Templates get no model objects and no functions, only what is gathered here; a user's
template therefore sees the same, documented names as migrator's own (docs/plan.md lists them).
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml_rs

from migrator.assess import effort as effort_model
from migrator.assess import report
from migrator.assess.assessment import READY_SCORE, UNKNOWN_BELOW
from migrator.assess.model import AppAssessment, Assessment
from migrator.assess.rules import RuleSet
from migrator.cost import report as cost_report
from migrator.cost.estimate import CostEstimate, NotPriced
from migrator.graph.mermaid import to_mermaid
from migrator.graph.view import View
from migrator.inventory.model import AppId, Inventory
from migrator.render.escape import MarkdownSafe, mermaid_gantt
from migrator.waves import report as waves_report
from migrator.waves.groups import MoveGroup
from migrator.waves.model import HybridLink, Schedule

TOP_RISKS = 5


@functools.cache
def runbooks() -> dict[str, Any]:
    text = (resources.files("migrator") / "data" / "runbooks.yaml").read_text(encoding="utf-8")
    data = yaml_rs.loads(text)
    assert isinstance(data, dict)
    return data


def build(
    inventory: Inventory,
    assessment: Assessment,
    plan: Schedule,
    rules: RuleSet,
    view: View,
    title: str | None = None,
    wave: int | None = None,
) -> dict[str, Any]:
    results: dict[AppId, AppAssessment] = {a.app.id: a for a in assessment.applications}
    opening, closing = _links_by_wave(plan)
    groups = {g.id: g for g in plan.groups}
    numbers = range(1, len(plan.waves) + 1) if wave is None else [wave]
    waves = [_wave(results, plan, number, groups, opening, closing) for number in numbers]
    if wave is not None:
        # The plan of one wave: its applications, their risks and decisions, its dates.
        scope = set(plan.waves[wave - 1].applications)
        assessment = dataclasses.replace(
            assessment,
            applications=tuple(a for a in assessment.applications if a.app.id in scope),
        )
    applications = [_application(a, plan) for a in assessment.applications]
    summary = report.summary(assessment)
    dated = [plan.waves[n - 1] for n in numbers]
    first, last = (dated[0], dated[-1]) if dated else (None, None)
    risks = _risks(assessment, rules)
    default_title = f"Migration plan: {inventory.portfolio.name}" + (
        f", wave {wave}" if wave is not None else ""
    )
    return {
        "title": title or default_title,
        "as_of": assessment.as_of,
        "portfolio": {
            "name": inventory.portfolio.name,
            "region": inventory.portfolio.region,
            "currency": inventory.portfolio.currency,
        },
        "rules_version": assessment.rules_version,
        "summary": {
            **summary,
            "migrating": sum(1 for a in assessment.applications if a.app.id in plan.wave_of),
            "waves": len(plan.waves),
            "start": first.start if first else None,
            "end": last.end if last else None,
            "move_groups": sum(1 for g in plan.groups if len(g.applications) > 1),
            "hybrid_links": {
                "temporary": sum(1 for h in plan.hybrid_links if not h.permanent),
                "permanent": sum(1 for h in plan.hybrid_links if h.permanent),
                "link_weeks": plan.link_weeks,
            },
            "top_risks": risks[:TOP_RISKS],
        },
        "applications": applications,
        "waves": waves,
        "wave_filter": wave,
        "move_groups": [
            {
                "id": g.id,
                "applications": list(g.applications),
                "reasons": list(g.reasons),
                "wave": plan.wave_of[g.applications[0]],
            }
            for g in plan.groups
            if len(g.applications) > 1 and (wave is None or plan.wave_of[g.applications[0]] == wave)
        ],
        "not_migrating": {k: list(v) for k, v in plan.not_migrating.items()},
        "risks": risks,
        "decisions": _decisions(assessment, plan),
        "warnings": list(plan.warnings),
        "split_advice": [a for a in _split_advice(plan) if wave is None or a["wave"] == wave],
        "shared_service_proposals": [
            {"application": p.application, "consumers": p.consumers, "why": list(p.why)}
            for p in plan.shared_service_proposals
        ],
        "planning": {
            "start": plan.planning.start,
            "wave_weeks": plan.planning.wave_weeks,
            "max_apps_per_wave": plan.planning.max_apps_per_wave,
            "max_servers_per_wave": plan.planning.max_servers_per_wave,
            "max_person_days_per_wave": plan.planning.max_person_days_per_wave,
            "bridge": list(plan.planning.bridge),
            "shared_services": list(plan.planning.shared_services),
            "order": plan.planning.order,
            "freeze": [
                {"from": f.start, "to": f.end, "reason": f.reason} for f in plan.planning.freeze
            ],
            "lower_bound": plan.lower_bound,
        },
        "assumptions": _assumptions(),
        # Mermaid and Markdown of migrator's own making, escaped as they were written.
        "diagram": {
            "mermaid": MarkdownSafe(to_mermaid(view)),
            "aggregated": view.aggregated,
            "applications": view.applications,
            "nodes": len(view.nodes),
            "clustered": view.sequence,
        },
        "gantt": MarkdownSafe(_gantt(plan)),
    }


def _application(a: AppAssessment, plan: Schedule) -> dict[str, Any]:
    data = report.application(a)
    app = a.app
    data.update(
        owner=app.owner,
        lifecycle=app.lifecycle,
        users=app.users,
        compliance=list(app.compliance),
        wave=plan.wave_of.get(app.id),
        decision_path=list(a.decision_path),
        effort_breakdown=[{"what": what, "days": days} for what, days in a.effort.breakdown],
        decision=(
            {
                "strategy": app.decision.strategy,
                "wave": app.decision.wave,
                "rationale": app.decision.rationale,
                "targets": list(app.decision.targets),
            }
            if app.decision
            else None
        ),
        gxp="gxp" in app.compliance,
    )
    return data


def _wave(
    results: Mapping[AppId, AppAssessment],
    plan: Schedule,
    number: int,
    by_id: Mapping[str, MoveGroup],
    opening: Mapping[int, list[HybridLink]],
    closing: Mapping[int, list[HybridLink]],
) -> dict[str, Any]:
    wave = plan.waves[number - 1]
    apps = [results[a] for a in wave.applications]
    members = set(wave.applications)
    strategies = sorted({a.strategy for a in apps})
    books = runbooks()["strategies"]
    prerequisites = sorted(
        {
            d.app
            for a in apps
            for d in a.app.depends_on
            if d.app not in members
            and plan.wave_of.get(d.app, 0) < number
            and d.app in plan.wave_of
        }
    )
    groups = [by_id[g] for g in wave.groups if len(by_id[g].applications) > 1]
    return {
        "number": number,
        "start": wave.start,
        "end": wave.end,
        "moved": wave.moved,
        "servers": wave.servers,
        "person_days": wave.person_days,
        "applications": [
            {
                "id": a.app.id,
                "name": a.app.name,
                "strategy": a.strategy,
                "targets": list(a.targets),
                "owner": a.app.owner,
                "criticality": a.app.criticality,
                "readiness": a.readiness,
                "score": a.score,
                "effort": a.effort.person_days,
                "size": a.effort.size,
                "gxp": "gxp" in a.app.compliance,
                "blockers": list(a.blockers),
            }
            for a in apps
        ],
        "move_groups": [waves_report.move_group(g) for g in groups],
        "prerequisites": prerequisites,
        "links_open": [waves_report.hybrid_link(h) for h in opening.get(number, ())],
        "links_close": [waves_report.hybrid_link(h) for h in closing.get(number, ())],
        "checklists": [{"strategy": s, **books[s]} for s in strategies],
        "gxp": [a.app.id for a in apps if "gxp" in a.app.compliance],
        "gxp_steps": list(runbooks()["gxp"]),
    }


def _links_by_wave(
    plan: Schedule,
) -> tuple[dict[int, list[HybridLink]], dict[int, list[HybridLink]]]:
    """The links each wave opens (it moves one end while the other stays behind, for a
    while or for good) and closes (a temporary link that can go after it)."""
    opening: dict[int, list[HybridLink]] = defaultdict(list)
    closing: dict[int, list[HybridLink]] = defaultdict(list)
    for link in plan.hybrid_links:
        opening[min(w for w in (link.consumer_wave, link.provider_wave) if w is not None)].append(
            link
        )
        if link.end_wave is not None:
            closing[link.end_wave].append(link)
    return opening, closing


def _split_advice(plan: Schedule) -> list[dict[str, Any]]:
    groups = {g.id: g for g in plan.groups}
    waves = {w.number: w for w in plan.waves}
    found = []
    for advice in plan.split_advice:
        group = groups[advice.group]
        wave = waves[plan.wave_of[group.applications[0]]]
        found.append(
            {
                "move_group": advice.group,
                "applications": len(group.applications),
                "servers": wave.servers,
                "person_days": wave.person_days,
                "wave": wave.number,
                "bridge": waves_report.bridge(advice),
                "largest_after": advice.largest_after,
                "fits": advice.fits,
                "held_by": list(advice.held_by),
            }
        )
    return found


def _risks(assessment: Assessment, rules: RuleSet) -> list[dict[str, Any]]:
    """The risk register: each blocker or major rule that fired, with whom it hits."""
    hits: dict[str, list[AppAssessment]] = defaultdict(list)
    for a in assessment.applications:
        for f in a.findings:
            if f.severity in ("blocker", "major"):
                hits[f.rule].append(a)
    register: list[dict[str, Any]] = []
    for rule_id, apps in hits.items():
        rule = rules.get(rule_id)
        if rule is None:
            continue
        critical = sum(1 for a in apps if a.app.criticality in ("high", "critical"))
        register.append(
            {
                "rule": rule_id,
                "title": rule.title,
                "severity": rule.severity,
                "category": rule.category,
                "count": len(apps),
                "critical_apps": critical,
                "applications": sorted(a.app.id for a in apps),
                "mitigation": " ".join(rule.description.split())
                if rule.description
                else _mitigation_from(rule.favours),
                "weight": (2 if rule.severity == "blocker" else 1) * len(apps) + critical,
            }
        )
    register.sort(key=lambda r: (-int(r["weight"]), str(r["rule"])))
    return register


def _mitigation_from(favours: tuple[str, ...]) -> str:
    """A rule written without a description still gets a mitigation: what it argues for."""
    if favours:
        return (
            f"Resolve it per application (see each finding); the rule favours "
            f"{' or '.join(favours)}."
        )
    return "Resolve it per application before the move (see each finding)."


def _decisions(assessment: Assessment, plan: Schedule) -> list[dict[str, Any]]:
    found = []
    for a in assessment.applications:
        decision = a.app.decision
        if decision is None:
            continue
        found.append(
            {
                "id": a.app.id,
                "name": a.app.name,
                "strategy": decision.strategy,
                "recommended": None if a.strategy_source == "decision" else a.strategy,
                "wave": decision.wave,
                "scheduled_wave": plan.wave_of.get(a.app.id),
                "targets": list(decision.targets),
                "rationale": decision.rationale,
                "origin": a.app.origin.file,
            }
        )
    return found


def _assumptions() -> dict[str, Any]:
    return {
        "ready_score": READY_SCORE,
        "unknown_below": UNKNOWN_BELOW,
        "effort": {
            "base": effort_model.BASE,
            "per_server": effort_model.PER_SERVER,
            "per_database": effort_model.PER_DATABASE,
            "per_finding": effort_model.PER_FINDING,
            "criticality": effort_model.CRITICALITY,
            "gb_per_day": effort_model.GB_PER_DAY,
            "sizes": [{"size": size, "up_to": limit} for limit, size in effort_model.SIZES],
        },
    }


def _gantt(plan: Schedule) -> str:
    lines = [
        "gantt",
        "  title Migration waves",
        "  dateFormat YYYY-MM-DD",
        "  axisFormat %d %b %Y",
        "  section Waves",
    ]
    for wave in plan.waves:
        lines.append(
            f"  Wave {wave.number} ({len(wave.applications)} apps) : w{wave.number}, "
            f"{wave.start.isoformat()}, {wave.end.isoformat()}"
        )
    if plan.planning.freeze:
        lines.append("  section Freezes")
        for index, freeze in enumerate(plan.planning.freeze, 1):
            label = mermaid_gantt(freeze.reason or "") or "freeze"
            lines.append(
                f"  {label} : crit, f{index}, {freeze.start.isoformat()}, {freeze.end.isoformat()}"
            )
    return "\n".join(lines) + "\n"


def cost(
    estimate: CostEstimate | NotPriced, plan: Schedule, assessment: Assessment
) -> dict[str, Any]:
    """The cost section: totals, per wave, the costliest applications, the assumptions."""
    portfolio = cost_report.summary(estimate, plan)
    if isinstance(estimate, NotPriced):
        return portfolio
    names = {a.app.id: a.app.name for a in assessment.applications}
    ranked = sorted(
        (
            (c.monthly["on_demand"], c)
            for c in estimate.apps.values()
            if c.monthly and c.monthly["on_demand"] > 0
        ),
        key=lambda item: -item[0],
    )
    currency = estimate.currency
    catalogue = estimate.catalogue
    return {
        **portfolio,
        "top": [
            {"id": c.app, "name": names.get(c.app, c.app), **cost_report.application(c, currency)}
            for _, c in ranked[:10]
        ],
        # Every item the totals leave out, named, by application.
        "not_priced": [
            {
                "id": item["application"],
                "name": names.get(item["application"], item["application"]),
                "note": item["item"],
            }
            for item in portfolio["unpriced"]
        ],
        "commitments": dict(catalogue.commitments),
        "custom_premium": catalogue.custom_premium,
        "hours": catalogue.hours,
        "licences": sorted(k for k in catalogue.licences),
        "sqlserver_as_of": catalogue.licences.get("sqlserver", {}).get("as_of"),
    }
