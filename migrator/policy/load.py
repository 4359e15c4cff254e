"""Reading a policy file: checked like a rules file, every mistake located."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from migrator.assess.conditions import ConditionCompiler
from migrator.diagnostics import KeyPath, suggest
from migrator.inventory.model import Origin
from migrator.inventory.schema import Spec
from migrator.inventory.validate import INVALID, FileChecker, describe
from migrator.policy.model import (
    APPLICATION_FACTS,
    BASE,
    PORTFOLIO_MEASURES,
    SCOPES,
    WAVE_MEASURES,
    Policy,
    PolicySet,
)
from migrator.sidefiles import SideFile, user_file

POLICY = Spec(
    "map",
    "A plan-level policy.",
    fields={
        "id": Spec("id", "Stable id, e.g. no-gxp-in-pilot.", required=True),
        "title": Spec("text", "One line: what the policy asks."),
        "for": Spec("enum", "What it is checked on.", required=True, choices=SCOPES),
        "when": Spec("any", "Applications: which ones it applies to (a condition)."),
        "require": Spec("any", "Applications: the condition each must meet."),
        "measure": Spec("text", "Waves and the portfolio: the number it bounds."),
        "count": Spec("any", "Waves: count their applications that meet this condition."),
        "max": Spec("any", "The highest value allowed: a number, or base."),
        "min": Spec("any", "The lowest value allowed: a number, or base."),
        "message": Spec("text", "What a breach says ({app.id}-style facts are filled in)."),
    },
)
POLICY_FILE = Spec(
    "map",
    "A policy file.",
    fields={
        "version": Spec("int", "Policy format version; 1."),
        "policies": Spec("list", "The policies.", items=Spec("any")),
    },
)


def load_policy(path: Path, today: dt.date | None = None) -> PolicySet:
    """Read and check the policy file at ``path``; raises with every located problem."""
    side = SideFile.parsed(user_file(path, "cannot use this policy file"))
    data, checker = side.data, side.checker
    policies: list[Policy] = []
    if side.is_yaml:
        if not isinstance(data, dict):
            checker.error((), f"expected a mapping with 'policies', got {describe(data)}")
        elif checker.check(POLICY_FILE, data, ()) is not INVALID:
            if data.get("version") not in (None, 1):
                checker.error(("version",), "unsupported policy format version; this reads 1")
            compiler = ConditionCompiler(checker, APPLICATION_FACTS, today or dt.date.today())
            seen: dict[str, int] = {}
            for index, raw in enumerate(data.get("policies") or ()):
                policy = _policy(checker, compiler, raw, ("policies", index))
                if policy is None:
                    continue
                if policy.id in seen:
                    checker.error(
                        ("policies", index, "id"),
                        f"policy '{policy.id}' is already defined (policies[{seen[policy.id]}])",
                    )
                seen[policy.id] = index
                policies.append(policy)
    side.refuse_errors("the policy file has errors")
    return PolicySet(side.source.name, tuple(policies), side.source.text)


def _policy(
    checker: FileChecker, compiler: ConditionCompiler, raw: Any, path: KeyPath
) -> Policy | None:
    if not isinstance(raw, dict):
        checker.error(path, f"expected a policy (a mapping with id, for, …), got {describe(raw)}")
        return None
    before = len(checker.diagnostics)
    fields = checker.check(POLICY, raw, path)
    if fields is INVALID or len(checker.diagnostics) > before:
        return None
    scope = fields["for"]
    allowed = {
        "application": {"when", "require"},
        "wave": {"measure", "count", "max", "min"},
        "portfolio": {"measure", "max", "min"},
    }[scope]
    for key in ("when", "require", "measure", "count", "max", "min"):
        if key in fields and key not in allowed:
            checker.error(
                path + (key,),
                f"'{key}' does not apply to a policy for {scope} "
                f"(it takes {', '.join(sorted(allowed))})",
                target="key",
            )
    when = compiler.compile(fields["when"], path + ("when",)) if "when" in fields else None
    require = None
    count = None
    if scope == "application":
        if "require" not in fields:
            checker.error(path, "missing required key 'require' (the condition to meet)")
        else:
            require = compiler.compile(fields["require"], path + ("require",))
    else:
        measures = WAVE_MEASURES if scope == "wave" else PORTFOLIO_MEASURES
        if scope == "wave" and "count" in fields:
            count = compiler.compile(fields["count"], path + ("count",))
            if "measure" in fields:
                checker.error(path + ("measure",), "give 'measure' or 'count', not both")
        elif "measure" not in fields:
            hint = " or 'count'" if scope == "wave" else ""
            checker.error(path, f"missing required key 'measure'{hint}")
        elif fields["measure"] not in measures:
            checker.error(
                path + ("measure",),
                f"unknown measure '{fields['measure']}'"
                f"{suggest(fields['measure'], list(measures))} "
                f"(known: {', '.join(measures)})",
            )
        if "max" not in fields and "min" not in fields:
            checker.error(path, "missing 'max' or 'min' (the bound to keep)")
        for key in ("max", "min"):
            value = fields.get(key)
            if value is None:
                continue
            base_ok = scope == "portfolio" and value == BASE
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not base_ok and not number:
                checker.error(
                    path + (key,),
                    f"expected a number{' or base' if scope == 'portfolio' else ''}, "
                    f"got {describe(value)}",
                )
    if len(checker.diagnostics) > before:
        return None
    return Policy(
        id=fields["id"],
        title=fields.get("title") or fields["id"],
        scope=scope,
        origin=Origin(checker.file, path),
        when=when,
        require=require,
        measure=fields.get("measure"),
        count=count,
        maximum=fields.get("max"),
        minimum=fields.get("min"),
        message=fields.get("message"),
    )
