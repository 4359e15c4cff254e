"""``migrator rules``: the readiness rules in force (checking a rules file), or the facts
rules can test."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text

from migrator.assess.facts import FACTS
from migrator.assess.rules import load_rules
from migrator.console import Output

SEVERITY_STYLE = {"blocker": "bold red", "major": "red", "minor": "yellow", "info": "dim"}


def list_rules(rules_file: Path | None, output: Output) -> int:
    rules = load_rules(rules_file)
    table = Table(title=f"Rules {rules.version}", header_style="bold")
    for name in ("id", "applies to", "severity", "points", "title"):
        table.add_column(name)
    for rule in sorted(rules.rules, key=lambda r: (r.category, r.id)):
        table.add_row(
            rule.id,
            rule.applies_to,
            Text(rule.severity, style=SEVERITY_STYLE[rule.severity]),
            str(rule.points),
            rule.title,
        )
    output.table(table)
    return 0


def list_facts(output: Output) -> int:
    for subject, facts in FACTS.items():
        output.out.print(Text(f"{subject} facts", style="bold"))
        for name, doc in facts.items():
            output.out.print(f"  {name:<34} {doc}", markup=False)
    return 0
