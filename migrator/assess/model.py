"""What an assessment says about each application (the assessment JSON), as typed, immutable results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol, TypeVar

from migrator.assess.facts import SubjectKind
from migrator.assess.messages import render
from migrator.assess.rules import Severity
from migrator.inventory.model import AppId, Application, Portfolio, Strategy
from migrator.speed import fast_init

Readiness = Literal["ready", "ready-with-conditions", "not-ready", "unknown"]
READINESS: tuple[Readiness, ...] = ("ready", "ready-with-conditions", "not-ready", "unknown")
Size = Literal["S", "M", "L", "XL"]
StrategySource = Literal["rules", "decision"]


class Subject(NamedTuple):
    """What a finding is about: one application, server or database."""

    kind: SubjectKind
    id: str

    @property
    def text(self) -> str:
        """How outputs name it: "server:lims-app-01"."""
        return f"{self.kind}:{self.id}"


@fast_init
@dataclass(frozen=True, slots=True)
class Finding:
    """One rule that fired for an application: its points, and the subjects it found."""

    rule: str
    title: str
    category: str
    severity: Severity
    points: int
    subject: Subject
    subjects: tuple[Subject, ...]  # every subject the rule found, the first being `subject`
    template: str = field(repr=False)  # the rule's message, before its facts are filled in
    facts: Mapping[str, Any] = field(repr=False, compare=False)  # the subject's facts

    @property
    def message(self) -> str:
        """What the finding says, with its evidence (and the other subjects it found)."""
        text = render(self.template, self.facts)
        if len(self.subjects) > 1:
            text += f" (also {', '.join(s.id for s in self.subjects[1:])})"
        return text


@fast_init
@dataclass(frozen=True, slots=True)
class Effort:
    size: Size
    person_days: int
    breakdown: tuple[tuple[str, float], ...]  # (what, person-days), adding up to person_days


@fast_init
@dataclass(frozen=True, slots=True)
class AppAssessment:
    app: Application
    score: int
    readiness: Readiness
    data_completeness: float
    strategy: Strategy
    strategy_source: StrategySource
    reason: str  # one sentence: why this strategy
    decision_path: tuple[str, ...]  # each step of the decision tree, as taken
    targets: tuple[str, ...]
    effort: Effort
    findings: tuple[Finding, ...]
    # How each tier's target was found: (what, service, why), targets.step_text says it.
    landing: tuple[tuple[str, str, str], ...] = ()

    @property
    def blockers(self) -> tuple[str, ...]:
        return tuple(f.message for f in self.findings if f.severity == "blocker")

    @property
    def person_days(self) -> int:
        return self.effort.person_days


@dataclass(frozen=True, slots=True)
class Assessment:
    portfolio: Portfolio
    as_of: dt.date
    rules_version: str
    applications: tuple[AppAssessment, ...]  # every application but the external ones
    external: tuple[AppId, ...]  # ids of external applications: never assessed

    @property
    def mean_score(self) -> float:
        """Over every application (the JSON's mean_score), those without data included."""
        return mean_score(self.applications)

    @property
    def known(self) -> tuple[AppAssessment, ...]:
        """The applications with enough data to be scored (readiness is not unknown)."""
        return known(self.applications)

    @property
    def mean_score_known(self) -> float | None:
        """The mean score of the applications with enough data; None when none has."""
        return mean_score_known(self.applications)


class Planned(Protocol):
    """What a wave schedule, a cost estimate and the assessment's summary read of an
    application's assessment: an AppAssessment has it, and so has the Brief of one
    assessed in another process (migrator.assess.brief)."""

    @property
    def app(self) -> Application: ...
    @property
    def score(self) -> int: ...
    @property
    def readiness(self) -> Readiness: ...
    @property
    def strategy(self) -> Strategy: ...
    @property
    def person_days(self) -> int: ...
    @property
    def targets(self) -> tuple[str, ...]: ...


_P = TypeVar("_P", bound=Planned)


def mean_score(applications: Sequence[Planned]) -> float:
    """Over every application (the JSON's mean_score), those without data included."""
    scores = [a.score for a in applications]
    return round(sum(scores) / len(scores), 1) if scores else 0.0


def known(applications: Sequence[_P]) -> tuple[_P, ...]:
    """The applications with enough data to be scored (readiness is not unknown)."""
    return tuple(a for a in applications if a.readiness != "unknown")


def mean_score_known(applications: Sequence[Planned]) -> float | None:
    """The mean score of the applications with enough data; None when none has."""
    scored = known(applications)
    return mean_score(scored) if scored else None


class ForPlanning(Protocol):
    """What a wave schedule and a cost estimate read of a whole assessment: an Assessment,
    or the Briefs of one worked out by two processes."""

    @property
    def applications(self) -> Sequence[Planned]: ...
    @property
    def external(self) -> tuple[AppId, ...]: ...


@fast_init
@dataclass(frozen=True, slots=True)
class Brief:
    """An application's assessment cut to what a schedule, a cost estimate and a summary
    read of it (Planned)."""

    app: Application
    score: int
    readiness: Readiness
    strategy: Strategy
    person_days: int
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Briefs:
    """Every assessed application's Brief (or whole assessment), in an Assessment's order."""

    applications: tuple[Planned, ...]
    external: tuple[AppId, ...]
