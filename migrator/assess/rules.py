"""Rules as data: the defaults shipped with migrator, and a user's rules file on top.

A user file adds rules, changes a rule's points, severity or message, or disables a rule
(``enabled: false``), each by id. It is checked like an inventory: every problem is a
located diagnostic. It cannot run code: conditions use a fixed set of operators.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from migrator import sidefiles
from migrator.assess.conditions import Condition, ConditionCompiler
from migrator.assess.facts import FACTS, SUBJECTS, SubjectKind
from migrator.diagnostics import Diagnostic
from migrator.errors import InvalidInputError
from migrator.inventory.model import NOWHERE, STRATEGIES, Origin, Strategy
from migrator.inventory.schema import Spec
from migrator.inventory.source import SourceFile
from migrator.inventory.validate import INVALID, FileChecker, describe
from migrator.sidefiles import SideFile, shipped

Severity = Literal["blocker", "major", "minor", "info"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
Category = Literal[
    "technical", "architecture", "licensing", "compliance", "availability", "operations", "data"
]
DEFAULT_POINTS: dict[Severity, int] = {"blocker": 30, "major": 10, "minor": 3, "info": 0}
DEFAULT_RULES = "rules.yaml"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    category: Category
    applies_to: SubjectKind
    severity: Severity
    points: int
    message: str
    when: Condition
    reads: frozenset[str]  # the facts its condition reads, for the message and for caching
    favours: tuple[Strategy, ...] = ()
    disfavours: tuple[Strategy, ...] = ()
    description: str = ""
    origin: Origin = NOWHERE  # where it was defined (or last changed)


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    version: str
    files: tuple[str, ...]

    def for_subject(self, subject: SubjectKind) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.applies_to == subject)

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


_STRATEGY_LIST = Spec("list", items=Spec("enum", choices=STRATEGIES))
RULE = Spec(
    "map",
    "A readiness rule.",
    fields={
        "id": Spec("id", "Stable id, e.g. os-end-of-support.", required=True),
        "title": Spec("text", "One line: what the rule finds."),
        "category": Spec("enum", choices=get_args(Category)),
        "applies_to": Spec("enum", "What the condition is about.", choices=SUBJECTS),
        "when": Spec("any", "The condition: all/any/not of {attr, op, value}."),
        "severity": Spec("enum", choices=SEVERITIES),
        "points": Spec("int", "Points taken off the score of 100.", minimum=0, maximum=100),
        "message": Spec("text", "What the finding says; {fact.name} is replaced by its value."),
        "strategies": Spec("map", fields={"for": _STRATEGY_LIST, "against": _STRATEGY_LIST}),
        "description": Spec("text", "Why it matters and what to do."),
        "enabled": Spec("bool", "false disables the rule."),
    },
)
RULES_FILE = Spec(
    "map",
    "A rules file.",
    fields={
        "version": Spec("int", "Rules format version; 1."),
        "rules_version": Spec("text", "Version of this set of rules."),
        "rules": Spec("list", items=Spec("any")),  # each checked once, as it is applied
    },
)
_NEW_RULE_NEEDS = ("title", "applies_to", "when", "severity", "message")


def load_rules(user_file: Path | None = None, today: dt.date | None = None) -> RuleSet:
    """The default rules, with ``user_file`` applied on top. Raises on any error."""
    today = today or dt.date.today()
    default = shipped(DEFAULT_RULES)
    rules, version, problems = _load_file(default, {}, today)
    if problems:  # a bug in migrator's own rules
        raise AssertionError("\n".join(d.format() for d in problems))
    files = [default.name]
    if user_file is not None:
        source = sidefiles.user_file(user_file, "cannot use this rules file")
        rules, user_version, diagnostics = _load_file(source, rules, today)
        if any(d.is_error for d in diagnostics):
            raise InvalidInputError(f"{user_file}: the rules file has errors", diagnostics)
        version = f"{version}+{user_version or Path(user_file).name}"
        files.append(source.name)
    enabled = tuple(rule for rule in rules.values() if rule is not None)
    return RuleSet(enabled, version, tuple(files))


def _load_file(
    source: SourceFile, base: dict[str, Rule | None], today: dt.date
) -> tuple[dict[str, Rule | None], str, list[Diagnostic]]:
    side = SideFile.parsed(source)
    data, checker = side.data, side.checker
    rules = dict(base)
    version = ""
    if side.is_yaml:
        if not isinstance(data, dict):
            checker.error((), f"expected a mapping with 'rules', got {describe(data)}")
        else:
            top = checker.check(RULES_FILE, data, ())
            if top is not INVALID:
                if data.get("version") not in (None, 1):
                    checker.error(
                        ("version",),
                        f"unsupported rules format version "
                        f"{data.get('version')}; this migrator reads 1",
                    )
                version = top.get("rules_version") or ""
                for index, raw in enumerate(data.get("rules") or ()):
                    if isinstance(raw, dict):
                        _apply(checker, raw, ("rules", index), rules, today)
                    else:
                        checker.error(
                            ("rules", index),
                            f"expected a rule (a mapping with id, when, …), got {describe(raw)}",
                        )
    return rules, version, side.diagnostics()


def _apply(
    checker: FileChecker,
    raw: dict[str, Any],
    path: tuple[str | int, ...],
    rules: dict[str, Rule | None],
    today: dt.date,
) -> None:
    before = len(checker.diagnostics)
    values = checker.check(RULE, raw, path)
    if values is INVALID or len(checker.diagnostics) > before:
        return
    rule_id = values["id"]
    if values.get("enabled") is False:
        if rule_id not in rules:
            checker.error(path + ("id",), f"cannot disable unknown rule '{rule_id}'")
        rules[rule_id] = None
        return
    existing = rules.get(rule_id)
    if existing is None and rule_id in rules:
        existing = None  # re-enabled later in the same file: treat as new
    if existing is None:
        missing = [key for key in _NEW_RULE_NEEDS if key not in values]
        if missing:
            checker.error(path, f"a new rule needs {', '.join(missing)}")
            return
    subject: SubjectKind = values.get("applies_to") or (
        existing.applies_to if existing else "application"
    )
    if existing is not None and subject != existing.applies_to and "when" not in values:
        checker.error(
            path + ("applies_to",),
            f"changing what rule '{rule_id}' applies to needs a new 'when' for it",
        )
        return
    when, reads = (existing.when, existing.reads) if existing else (None, frozenset())
    if "when" in values:
        compiler = ConditionCompiler(checker, FACTS[subject], today)
        when = compiler.compile(values["when"], path + ("when",))
        reads = frozenset(compiler.used)
        if when is None:
            return
    assert when is not None
    strategies = values.get("strategies") or {}
    severity: Severity = values.get("severity") or (existing.severity if existing else "minor")
    points = values.get("points")
    if points is None:
        points = (
            existing.points if existing and "severity" not in values else DEFAULT_POINTS[severity]
        )
    fields: dict[str, Any] = {
        "id": rule_id,
        "applies_to": subject,
        "severity": severity,
        "points": points,
        "when": when,
        "reads": reads,
        "origin": Origin(checker.file, path),
    }
    for key in ("title", "category", "message", "description"):
        if key in values:
            fields[key] = values[key]
    if "for" in strategies:
        fields["favours"] = strategies["for"]
    if "against" in strategies:
        fields["disfavours"] = strategies["against"]
    if existing is not None:
        rules[rule_id] = dataclasses.replace(existing, **fields)
    else:
        fields.setdefault("category", "technical")
        rules[rule_id] = Rule(**fields)
