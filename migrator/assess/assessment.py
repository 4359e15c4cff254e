"""Assessing a whole inventory: score, readiness, strategy, targets and effort per application.

This is the core's entry point; it knows nothing of the command line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from migrator.assess.completeness import data_completeness
from migrator.assess.effort import estimate
from migrator.assess.engine import Evaluator
from migrator.assess.facts import Context, application_facts
from migrator.assess.model import AppAssessment, Assessment, Finding, Readiness
from migrator.assess.rules import RuleSet, load_rules
from migrator.assess.strategy import Situation, choose
from migrator.assess.targets import land, place_service
from migrator.assess.workload import VMWARE_ENGINE, app_tier
from migrator.inventory.model import Application, Inventory

READY_SCORE = 70
UNKNOWN_BELOW = 0.5


def readiness(score: int, findings: tuple[Finding, ...], completeness: float) -> Readiness:
    """Readiness: a blocker makes it not-ready; too little data, unknown; then by score."""
    if any(f.severity == "blocker" for f in findings):
        return "not-ready"
    if completeness < UNKNOWN_BELOW:
        return "unknown"
    return "ready" if score >= READY_SCORE else "ready-with-conditions"


def _score(findings: tuple[Finding, ...]) -> int:
    points = 0
    for finding in findings:
        points += finding.points
    return max(0, 100 - points)


def assess(
    inventory: Inventory,
    rules: RuleSet | None = None,
    as_of: dt.date | None = None,
    applications: Iterable[Application] | None = None,
) -> Assessment:
    """Assess the inventory's applications (or only ``applications``, in the context of the
    whole inventory: a diff re-assesses what changed and keeps the rest)."""
    today = as_of or dt.date.today()
    rules = rules or load_rules(today=today)
    context = Context.of(inventory, today)
    evaluator = Evaluator(rules, context)
    favours = {r.id: frozenset(r.favours) for r in rules.rules}
    disfavours = {r.id: frozenset(r.disfavours) for r in rules.rules}
    results = []
    region = inventory.portfolio.region
    servers_by_id, databases_by_id = inventory.servers_by_id, inventory.databases_by_id
    for app in inventory.applications if applications is None else applications:
        if app.type == "external":
            continue
        completeness = data_completeness(app, inventory)
        facts = application_facts(app, context, completeness)
        findings = evaluator.findings(app, facts)
        servers = [servers_by_id[s] for s in app.servers if s in servers_by_id]
        databases = [databases_by_id[d] for d in app.databases if d in databases_by_id]
        vmware_servers = powered_off = managed = 0
        for server in servers:
            vmware_servers += server.platform == "vmware"
            powered_off += server.power_state == "off"
        for database in databases:
            managed += bool(evaluator.database_facts(database)["db.managed_target"])
        tier = app_tier(app, facts, servers)
        vmware = place_service(VMWARE_ENGINE, region, app.data_residency)
        choice = choose(
            Situation(
                app=app,
                score=_score(findings),
                findings=findings,
                favours=favours,
                disfavours=disfavours,
                facts=facts,
                vmware_servers=vmware_servers,
                servers=len(servers),
                managed_databases=managed,
                databases=len(databases),
                tier=tier,
                powered_off=powered_off,
                vmware_engine=None
                if vmware.service != VMWARE_ENGINE or not vmware.not_in_region
                else vmware.not_in_region,
            )
        )
        landing = land(app, choice.strategy, facts, tier, databases, servers, region)
        # The landing's own findings (a target the region lacks) come after the strategy:
        # they count in the score and readiness, and do not re-decide the strategy.
        facts.update(landing.facts)  # the application's own dict: its findings read it too
        findings = evaluator.landing_findings(app, facts, findings)
        score = _score(findings)
        results.append(
            AppAssessment(
                app=app,
                score=score,
                readiness=readiness(score, findings, completeness),
                data_completeness=completeness,
                strategy=choice.strategy,
                strategy_source=choice.source,
                reason=choice.reason,
                decision_path=choice.path,
                targets=landing.targets,
                landing=landing.steps,
                effort=estimate(app, choice.strategy, findings, databases),
                findings=findings,
            )
        )
    external = tuple(app.id for app in inventory.applications if app.type == "external")
    return Assessment(inventory.portfolio, today, rules.version, tuple(results), external)
