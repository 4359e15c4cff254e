"""Every default rule, with inventories where it must fire and where it must stay quiet.

The cases are in rule_cases.yaml. Each builds a small inventory around one application,
`a`: `app` adds keys to it, `servers` and `databases` are attached to it, `apps` are
other applications (providers or consumers), `portfolio` sets the region.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from migrator.assess.assessment import assess
from migrator.assess.rules import load_rules
from migrator.inventory.load import load_inventory

CASES_FILE = Path(__file__).parent / "rule_cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
AS_OF = dt.date(2026, 11, 29)
RULES = load_rules(today=AS_OF)


def _inventory(case: dict[str, Any]) -> dict[str, Any]:
    app: dict[str, Any] = {"id": "a", "name": "Application A", **(case.get("app") or {})}
    servers = case.get("servers") or []
    databases = case.get("databases") or []
    app.setdefault("servers", [s["id"] for s in servers])
    app.setdefault("databases", [d["id"] for d in databases])
    inventory: dict[str, Any] = {"applications": [app, *(case.get("apps") or [])]}
    if servers:
        inventory["servers"] = servers
    if databases:
        inventory["databases"] = databases
    inventory["portfolio"] = case.get("portfolio") or {"name": "t", "region": "europe-west1"}
    return inventory


def _params() -> list[Any]:
    params = []
    for entry in CASES:
        for expected in ("fires", "quiet"):
            for index, case in enumerate(entry.get(expected) or []):
                params.append(
                    pytest.param(
                        entry["rule"],
                        expected == "fires",
                        case,
                        id=f"{entry['rule']}-{expected}-{index}",
                    )
                )
    return params


def test_every_default_rule_has_cases() -> None:
    covered = {entry["rule"]: entry for entry in CASES}
    missing = sorted(rule.id for rule in RULES.rules if rule.id not in covered)
    assert missing == []
    for rule_id, entry in covered.items():
        assert RULES.get(rule_id) is not None, f"cases for unknown rule {rule_id}"
        assert entry.get("fires") and entry.get("quiet"), f"{rule_id} needs both kinds"


@pytest.mark.parametrize(("rule_id", "fires", "case"), _params())
def test_rule_case(rule_id: str, fires: bool, case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(_inventory(case), sort_keys=False), encoding="utf-8")
    inventory, _ = load_inventory(path)
    result = assess(inventory, RULES, AS_OF)
    app = next(a for a in result.applications if a.app.id == "a")
    fired = {f.rule: f for f in app.findings}
    assert (rule_id in fired) == fires, (
        f"{rule_id} {'did not fire' if fires else 'fired'}; findings: {sorted(fired)}"
    )
    if fires and "message" in case:
        assert fired[rule_id].message == case["message"]
