"""``migrator check --policy``: the plan-level policy gates, for CI."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from migrator import jsonout, speed
from migrator.choices import CheckFormat
from migrator.console import Output
from migrator.diff.revision import Source, opened
from migrator.diff.side import Settings, build
from migrator.policy.evaluate import evaluate, skipped
from migrator.policy.load import load_policy
from migrator.policy.report import fail
from migrator.scenario import load_scenario

Format = CheckFormat  # the choices of --format


@dataclass(frozen=True, kw_only=True)
class CheckOptions:
    inventory: Source
    policy: Path
    base: Source | None = None  # the inventory that 'base' bounds compare with
    fmt: Format = "text"
    settings: Settings = field(default_factory=Settings)
    scenario: Path | None = None  # a what-if overlay applied to the inventory


def run(options: CheckOptions, output: Output) -> int:
    path, policy, base, fmt = options.inventory, options.policy, options.base, options.fmt
    settings, scenario = options.settings, options.scenario
    policies = load_policy(policy, settings.as_of)
    overlay = load_scenario(scenario) if scenario is not None else None
    with contextlib.ExitStack() as stack:
        old = None
        if base is not None:
            old = build(base.label, stack.enter_context(opened(base)), settings)
        head = build(path.label, stack.enter_context(opened(path)), settings, overlay, old)
        breaches = evaluate(policies, head, old)
        unchecked = skipped(policies, old)
        speed.keep_alive(head, old)
    if fmt == "json":
        output.write(
            jsonout.encode(
                {
                    "schema": "migrator/policy/v1",
                    "policy": policies.file,
                    "inventory": path.label,
                    "base": base.label if base is not None else None,
                    "policies": len(policies.policies),
                    "breaches": [b.to_json() for b in breaches],
                    "not_checked": [p.id for p in unchecked],
                }
            )
        )
        fail(breaches, unchecked, output, show=False)
        return 0
    fail(breaches, unchecked, output)
    count = len(policies.policies)
    output.success(f"{count} polic{'y' if count == 1 else 'ies'} kept by {path.label}")
    return 0
