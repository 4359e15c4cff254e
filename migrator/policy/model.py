"""Policies as checked, immutable values, and the breaches they find."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from migrator.assess.conditions import Condition
from migrator.inventory.model import Origin

Scope = Literal["application", "wave", "portfolio"]
SCOPES: tuple[Scope, ...] = ("application", "wave", "portfolio")

# What a policy may test. Applications: their inventory attributes and their place in the
# plan; waves and the portfolio: numbers of the plan. Each with what it means (the docs
# and "did you mean" read this table).
APPLICATION_FACTS = {
    "app.id": "the application's id",
    "app.name": "its name",
    "app.type": "custom, cots, saas or external",
    "app.owner": "owning team (missing when not written)",
    "app.domain": "business domain",
    "app.criticality": "low, medium, high or critical",
    "app.lifecycle": "invest, tolerate, migrate or eliminate",
    "app.compliance": "list of regulations (gxp, gdpr, sox, ...)",
    "app.data_classification": "public, internal, confidential or restricted",
    "app.data_residency": "region constraint on its data",
    "app.tags": "list of tags",
    "app.production": "true when one of its servers has environment prod",
    "plan.score": "readiness score, 0-100",
    "plan.readiness": "ready, ready-with-conditions, not-ready or unknown",
    "plan.strategy": "the 7R strategy",
    "plan.migrating": "true when it moves in a wave",
    "plan.wave": "its wave number (missing when it does not migrate)",
    "plan.pilot": "true when it moves in the pilot wave (wave 1 of a plan with a pilot)",
    "plan.person_days": "its effort in person-days",
    "plan.monthly_cost": "its Google Cloud cost per month, on demand (missing: not priced)",
}
WAVE_MEASURES = {
    "wave.applications": "applications in the wave",
    "wave.servers": "servers moved in the wave",
    "wave.person_days": "effort of the wave in person-days",
    "wave.move_groups": "move groups in the wave",
}
PORTFOLIO_MEASURES = {
    "plan.applications": "assessed applications",
    "plan.migrating": "applications that move in a wave",
    "plan.waves": "waves",
    "plan.mean_score": "mean readiness score over every application",
    "plan.mean_score_known": "mean score over the applications with enough data",
    "plan.not_ready": "applications whose readiness is not-ready",
    "plan.person_days": "effort of the whole plan in person-days",
    "plan.hybrid_links": "temporary hybrid links",
    "plan.link_weeks": "weeks of every temporary hybrid link, added up",
    "plan.monthly_cost": "Google Cloud cost per month, on demand",
}
BASE = "base"  # as a bound: the value of the same measure on the diff's base


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    scope: Scope
    origin: Origin  # where the policy is written (the policy file and its key path)
    when: Condition | None = None  # applications: which ones it applies to
    require: Condition | None = None  # applications: what each must keep
    measure: str | None = None  # waves and the portfolio: a number of the plan
    count: Condition | None = None  # waves: how many of their applications match
    maximum: float | str | None = None  # a number, or BASE
    minimum: float | str | None = None
    message: str | None = None


@dataclass(frozen=True)
class PolicySet:
    file: str
    policies: tuple[Policy, ...]


@dataclass(frozen=True)
class Breach:
    """One place where the plan breaks a policy."""

    policy: Policy
    message: str
    where: str  # file:line:col in the inventory, or in the policy file
    subject: str  # "application:lims", "wave:1", "portfolio"
    value: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy.id,
            "title": self.policy.title,
            "subject": self.subject,
            "where": self.where,
            "message": self.message,
            "value": self.value,
        }
