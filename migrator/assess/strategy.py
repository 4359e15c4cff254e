"""The 7R strategy of an application: an explicit decision tree, every step recorded.

The tree, in the order it is asked (the first step that answers decides):

 1. The inventory's ``decision.strategy``               → that strategy (always wins)
 2. ``lifecycle: eliminate``                            → retire
 3. ``type: saas`` (already someone else's cloud)       → retain
 4. Every server powered off                            → retire (a candidate: confirm,
                                                          archive the data)
 5. A blocker finding:
    a bought product that a SaaS category covers        → repurchase
    custom software the business invests in, and no
    blocker rules out refactoring                       → refactor
    otherwise (no path today)                           → retain
 6. A bought product that a SaaS category covers, not
    marked invest                                       → repurchase
 7. Several VMware servers and a low score (< 50),
    nothing against relocation                          → relocate (Google Cloud VMware Engine)
 8. ``lifecycle: invest`` and a monolith                → refactor
 9. A tier that leaves its VMs: the application tier on
    Cloud Run, GKE, file storage or appliance images
    (see workload.py), or databases a managed service
    takes as they are                                   → replatform
10. Otherwise: every tier keeps running on VMs          → rehost (with what must be fixed on
                                                          the way, e.g. an OS upgrade)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from migrator.assess.model import Finding, StrategySource
from migrator.assess.workload import COMPUTE_ENGINE, AppTier
from migrator.inventory.model import Application, Strategy
from migrator.speed import fast_init

RELOCATE_MIN_SERVERS = 4
RELOCATE_MAX_SCORE = 50


@fast_init
@dataclass(frozen=True, slots=True)
class Choice:
    strategy: Strategy
    source: StrategySource
    reason: str
    path: tuple[str, ...]


@fast_init
@dataclass(frozen=True, slots=True)
class Situation:
    """What the tree looks at, gathered by the assessment."""

    app: Application
    score: int
    findings: tuple[Finding, ...]
    favours: Mapping[str, frozenset[str]]  # rule id → strategies it argues for
    disfavours: Mapping[str, frozenset[str]]  # rule id → strategies it argues against
    facts: Mapping[str, Any]  # the application's facts
    vmware_servers: int
    servers: int
    managed_databases: int  # databases a managed service takes as they are
    databases: int
    tier: AppTier  # where the application's own tier would land (workload.py)
    powered_off: int = 0  # servers recorded as powered off
    vmware_engine: str | None = None  # why VMware Engine cannot be had, None when it can


def choose(s: Situation) -> Choice:
    path: list[str] = []

    def decide(strategy: Strategy, reason: str, source: StrategySource = "rules") -> Choice:
        path.append(f"→ {strategy}: {reason}")
        return Choice(strategy, source, reason, tuple(path))

    app = s.app
    decision = app.decision
    if decision is not None and decision.strategy is not None:
        why = decision.rationale or "no rationale given"
        return decide(decision.strategy, f"decided in the inventory ({why})", "decision")
    path.append("1. no decision in the inventory")

    if app.lifecycle == "eliminate":
        return decide("retire", "the business marked it eliminate")
    path.append(f"2. lifecycle is {app.lifecycle}, not eliminate")

    if app.type == "saas":
        return decide(
            "retain", "already SaaS: it stays with its provider; keep its integrations working"
        )
    path.append(f"3. type is {app.type}, not saas")

    if s.servers and s.powered_off == s.servers:
        return decide(
            "retire",
            f"all {s.servers} of its servers are powered off: a candidate "
            f"to retire; confirm with {app.owner or 'its owner'} and "
            f"archive its data",
        )
    path.append("4. not every server is powered off" if s.servers else "4. no servers")

    saas = s.facts.get("saas.category")
    blockers = [f for f in s.findings if f.severity == "blocker"]
    if blockers:
        names = ", ".join(f.rule for f in blockers)
        path.append(f"5. blocker(s): {names}")
        if app.type == "cots" and saas:
            return decide(
                "repurchase",
                f"a {saas} product with blockers ({names}): replace it by SaaS rather than move it",
            )
        refactorable = all(
            "refactor" not in s.disfavours.get(f.rule, frozenset()) for f in blockers
        )
        if app.type == "custom" and app.lifecycle == "invest" and refactorable:
            return decide(
                "refactor",
                f"custom software the business invests in: "
                f"rebuilding it removes the blockers ({names})",
            )
        return decide(
            "retain",
            f"blockers with no migration path today ({names}); keep it until they are removed",
        )
    path.append("5. no blocker")

    if app.type == "cots" and saas and app.lifecycle != "invest":
        return decide(
            "repurchase",
            f"a {saas} package: SaaS replaces it "
            f"({', '.join(s.facts.get('saas.replacements') or ())})",
        )
    path.append(
        "6. not a SaaS replacement candidate"
        if not saas
        else "6. SaaS category matches, but the business invests in it"
    )

    against_relocate = _against(s, "relocate")
    estate = (
        s.servers >= RELOCATE_MIN_SERVERS
        and s.vmware_servers == s.servers
        and s.score < RELOCATE_MAX_SCORE
    )
    if estate and not against_relocate and s.vmware_engine is None:
        return decide(
            "relocate",
            f"{s.servers} VMware servers and a score of {s.score}: "
            f"move the VMs as they are to Google Cloud VMware Engine, "
            f"modernise later",
        )
    if estate and s.vmware_engine is not None:
        path.append(f"7. a low-readiness VMware estate, but {s.vmware_engine}: not relocated")
    else:
        path.append(
            f"7. not a low-readiness VMware estate ({s.vmware_servers}/{s.servers} "
            f"VMware servers, score {s.score})"
        )

    if app.lifecycle == "invest" and app.architecture == "monolith":
        return decide("refactor", "a monolith the business invests in: break it up as it moves")
    path.append("8. not an invested-in monolith")

    tier = s.tier
    against_replatform = _against(s, "replatform")
    if tier.containers and against_replatform:
        path.append(
            f"9. {tier.service} would need containers, ruled out by "
            f"{', '.join(against_replatform)}: the application tier stays on VMs"
        )
        tier = AppTier(COMPUTE_ENGINE, True, "containers ruled out")
    reasons = (
        [] if tier.keeps_vms else [f"the application tier moves to {tier.service} ({tier.reason})"]
    )
    if s.databases and s.managed_databases == s.databases and not against_replatform:
        reasons.append(
            f"a managed service takes its database{'s' * (s.databases > 1)} "
            f"as {'they are' if s.databases > 1 else 'it is'}"
        )
    if reasons:
        return decide("replatform", "; ".join(reasons))
    path.append(f"9. every tier keeps running on VMs ({tier.reason})")

    against_rehost = _against(s, "rehost")
    fix = (
        f"; on the way, fix what rules out moving it exactly as it is ({', '.join(against_rehost)})"
        if against_rehost
        else ""
    )
    return decide("rehost", f"the servers move as they are to {tier.service}{fix}")


def _against(s: Situation, strategy: str) -> list[str]:
    """The rules, among the findings above info, that argue against ``strategy``."""
    return [
        f.rule
        for f in s.findings
        if f.severity in ("blocker", "major") and strategy in s.disfavours.get(f.rule, ())
    ]
