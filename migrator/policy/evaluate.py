"""Checking a plan against policies: every breach, located in the inventory."""

from __future__ import annotations

from typing import Any

from migrator.assess.messages import render
from migrator.diagnostics import Diagnostic
from migrator.diff.side import Side
from migrator.inventory.load import located
from migrator.inventory.model import AppId, Origin
from migrator.policy.model import BASE, Breach, Policy, PolicySet


def application_facts(side: Side) -> dict[AppId, dict[str, Any]]:
    """What an application policy can test, for every assessed application."""
    servers = side.inventory.servers_by_id
    pilot = side.plan.pilot
    found: dict[AppId, dict[str, Any]] = {}
    for a in side.assessment.applications:
        app = a.app
        wave = side.plan.wave_of.get(app.id)
        found[app.id] = {
            "app.id": app.id,
            "app.name": app.name,
            "app.type": app.type,
            "app.owner": app.owner,
            "app.domain": app.domain,
            "app.criticality": app.criticality,
            "app.lifecycle": app.lifecycle,
            "app.compliance": app.compliance,
            "app.data_classification": app.data_classification,
            "app.data_residency": app.data_residency,
            "app.tags": app.tags,
            "app.production": any(
                (s := servers.get(sid)) is not None and s.environment == "prod"
                for sid in app.servers
            ),
            "plan.score": a.score,
            "plan.readiness": a.readiness,
            "plan.strategy": a.strategy,
            "plan.migrating": wave is not None,
            "plan.wave": wave,
            "plan.pilot": pilot and wave == 1,
            "plan.person_days": a.effort.person_days,
            "plan.monthly_cost": side.monthly(app.id),
        }
    return found


def portfolio_measures(side: Side) -> dict[str, float | None]:
    applications = side.assessment.applications
    return {
        "plan.applications": len(applications),
        "plan.migrating": len(side.plan.wave_of),
        "plan.waves": len(side.plan.waves),
        "plan.mean_score": side.assessment.mean_score,
        "plan.mean_score_known": side.assessment.mean_score_known,
        "plan.not_ready": sum(1 for a in applications if a.readiness == "not-ready"),
        "plan.person_days": sum(a.effort.person_days for a in applications),
        "plan.hybrid_links": sum(1 for link in side.plan.hybrid_links if not link.permanent),
        "plan.link_weeks": side.plan.link_weeks,
        "plan.monthly_cost": side.total_monthly,
    }


def evaluate(policies: PolicySet, head: Side, base: Side | None = None) -> list[Breach]:
    """Every breach of ``policies`` by the plan of ``head``, in policy order.

    A bound of ``base`` compares with the same measure on ``base``; without a base the
    policy is not checked (``skipped`` names it).
    """
    facts = application_facts(head)
    pending: list[tuple[Policy, str, str, Origin, Any]] = []
    for policy in policies.policies:
        if policy.scope == "application":
            pending += _applications(policy, head, facts)
        elif policy.scope == "wave":
            pending += _waves(policy, head, facts)
        else:
            pending += _portfolio(policy, head, base)
    # One location pass for all of them (located() also drops repeated places).
    origins = list(dict.fromkeys((origin.file, origin.path) for _, _, _, origin, _ in pending))
    found = located(
        [Diagnostic("error", file, path, "") for file, path in origins],
        {**head.inventory.texts, policies.file: policies.text},
    )
    places = {(d.file, d.path): f"{d.file}:{d.line}:{d.col}" if d.line else d.file for d in found}
    return [
        Breach(policy, message, places[(origin.file, origin.path)], subject, value)
        for policy, message, subject, origin, value in pending
    ]


def skipped(policies: PolicySet, base: Side | None) -> list[Policy]:
    """The policies that need a base, when there is none."""
    if base is not None:
        return []
    return [p for p in policies.policies if BASE in (p.maximum, p.minimum)]


Pending = list[tuple[Policy, str, str, Origin, Any]]


def _applications(policy: Policy, side: Side, facts: dict[AppId, dict[str, Any]]) -> Pending:
    found: Pending = []
    assert policy.require is not None
    for a in side.assessment.applications:
        subject = facts[a.app.id]
        if policy.when is not None and not policy.when(subject):
            continue
        if not policy.require(subject):
            message = (
                render(policy.message, subject) if policy.message else f"{a.app.id}: {policy.title}"
            )
            found.append((policy, message, f"application:{a.app.id}", a.app.origin, None))
    return found


def _waves(policy: Policy, side: Side, facts: dict[AppId, dict[str, Any]]) -> Pending:
    found: Pending = []
    apps = side.inventory.apps_by_id
    for wave in side.plan.waves:
        matching: list[AppId] = []
        if policy.count is not None:
            matching = [a for a in wave.applications if a in facts and policy.count(facts[a])]
            value: float = len(matching)
            what = f"{value:g} matching application{'s' * (value != 1)}"
        else:
            value = {
                "wave.applications": len(wave.applications),
                "wave.servers": wave.servers,
                "wave.person_days": wave.person_days,
                "wave.move_groups": len(wave.groups),
            }[policy.measure or ""]
            what = f"{policy.measure} {value:g}"
        broken = _broken(policy, value, None)
        if broken is None:
            continue
        named = f": {', '.join(matching)}" if matching else ""
        message = policy.message or f"wave {wave.number}: {policy.title}"
        message = f"{message} ({what}, {broken}){named}"
        origin = apps[matching[0]].origin if matching else _settings_origin(side, policy)
        found.append((policy, message, f"wave:{wave.number}", origin, value))
    return found


def _portfolio(policy: Policy, side: Side, base: Side | None) -> Pending:
    measure = policy.measure or ""
    value = portfolio_measures(side)[measure]
    before = portfolio_measures(base)[measure] if base is not None else None
    if value is None:
        return []  # not known (the cost of a region without prices): nothing to bound
    if BASE in (policy.maximum, policy.minimum) and before is None:
        return []
    broken = _broken(policy, value, before)
    if broken is None:
        return []
    message = policy.message or policy.title
    return [
        (
            policy,
            f"{message} ({measure} {value:g}, {broken})",
            "portfolio",
            _settings_origin(side, policy),
            value,
        )
    ]


def _broken(policy: Policy, value: float, base: float | None) -> str | None:
    """How ``value`` breaks the policy's bounds, or None when it keeps them."""
    for bound, name, sign in ((policy.maximum, "at most", 1), (policy.minimum, "at least", -1)):
        if bound is None:
            continue
        limit = base if bound == BASE else bound
        if limit is None or isinstance(limit, str):
            continue
        if sign * (value - limit) > 0:
            return f"{name} {limit:g}" + (" on the base" if bound == BASE else "")
    return None


def _settings_origin(side: Side, policy: Policy) -> Origin:
    """A breach of the plan as a whole: the planning settings, else the policy itself."""
    planning = side.inventory.planning.origin
    return planning if planning.file else policy.origin
