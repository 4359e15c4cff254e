"""``migrator diff``: what a change to the inventory does to the plan."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from migrator import atomic, jsonout, speed
from migrator.choices import DiffFormat
from migrator.console import Output
from migrator.diff import render
from migrator.diff.compare import compare
from migrator.diff.revision import Source, opened
from migrator.diff.side import Settings, build
from migrator.policy import report as policy_report
from migrator.policy.evaluate import evaluate
from migrator.policy.load import load_policy
from migrator.policy.model import Breach
from migrator.scenario import load_scenario

Format = DiffFormat  # the choices of --format


@dataclass(frozen=True, kw_only=True)
class DiffOptions:
    base: Source
    head: Source
    fmt: Format = "text"
    settings: Settings = field(default_factory=Settings)
    scenario: Path | None = None  # a what-if overlay applied to the head
    output_file: Path | None = None
    policy: Path | None = None  # plan-level policies the head must keep


def run(options: DiffOptions, output: Output) -> int:
    base, head, fmt, settings = options.base, options.head, options.fmt, options.settings
    scenario, out, policy = options.scenario, options.output_file, options.policy
    overlay = load_scenario(scenario) if scenario is not None else None
    policies = load_policy(policy, settings.as_of) if policy is not None else None
    with contextlib.ExitStack() as stack:
        base_path = stack.enter_context(opened(base))
        head_path = stack.enter_context(opened(head))
        inputs = [
            ("the rules file", settings.rules),
            ("the price file", settings.prices),
            ("the scenario file", scenario),
            ("the policy file", policy),
        ]
        if out is not None:
            atomic.check_target(out, inputs)
        old = build(base.label, base_path, settings)
        new = build(head.label, head_path, settings, overlay, previous=old)
        if out is not None:
            inputs += atomic.inventory_inputs(new.inventory.files)
            atomic.check_target(out, inputs)
        document = compare(old, new)
        breaches: list[Breach] = []
        if policies is not None:
            breaches = evaluate(policies, new, old)
            document["policy"] = {
                "file": policies.file,
                "breaches": [b.to_json() for b in breaches],
            }
        speed.keep_alive(old, new, document)
        if fmt == "json":
            data = jsonout.encode(document)
        elif fmt == "markdown":
            data = render.markdown(document).encode()
            if breaches:
                data += policy_report.markdown(breaches, []).encode()
        else:
            data = b""
        if out is not None:
            atomic.write_bytes(out, data, inputs)
            output.success(f"wrote {out}")
        elif fmt != "text":
            if data:
                output.write(data)
        else:
            for line in render.terminal(document):
                output.out.print(line, markup=False)
    if policies is not None:
        # breach lines go to standard output unless it carries the document itself
        policy_report.fail(breaches, [], output, show=fmt == "text" or out is not None)
    return 0
