"""The head's assessment, reusing the base's where nothing changed, is the full assessment."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.assess import report
from migrator.assess.assessment import assess
from migrator.assess.rules import load_rules
from migrator.diff.reuse import Previous, assess_reusing
from migrator.diff.side import Side
from migrator.inventory.load import load_inventory
from tests.diff.conftest import AS_OF, LATENCY, REGION, RETIRE, Edit

EDITS = {
    "latency": LATENCY,
    "retire": RETIRE,
    "region": REGION,
    # a change of the file that means nothing to the plan: its applications are assessed again
    "extension": (
        "quality.yaml",
        "  - id: lims\n",
        "  - id: lims\n    x-note: unchanged meaning, changed file\n",
    ),
    "external provider": (
        "corporate.yaml",
        "    type: cots\n    vendor: FIS\n",
        "    type: external\n    vendor: FIS\n",
    ),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_reused_equals_full(name: str, base_side: Side, edited: Edit) -> None:
    head = edited(*EDITS[name])
    inventory, _ = load_inventory(head)
    rules = load_rules(today=AS_OF)
    assert base_side.rules is not None
    previous = Previous(
        base_side.inventory,
        base_side.assessment,
        base_side.rules,
        base_side.root,
        base_side.digests,
    )
    reused = assess_reusing(inventory, rules, AS_OF, f"{head}/", previous)
    full = assess(inventory, rules, AS_OF)
    assert report.to_json(reused) == report.to_json(full)
    kept = sum(
        1
        for a in reused.applications
        if (old := base_side.by_id.get(a.app.id)) is not None
        and a.decision_path is old.decision_path
    )
    assert 0 < kept < len(full.applications) or name == "region"
    if name == "region":
        assert kept == 0  # the region changes every landing: nothing is kept


def test_a_changed_rules_file_assesses_everything(base_side: Side, tmp_path: Path) -> None:
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text("rules:\n  - {id: gxp-validation, points: 40}\n", encoding="utf-8")
    rules = load_rules(rules_file, today=AS_OF)
    assert base_side.rules is not None
    previous = Previous(
        base_side.inventory,
        base_side.assessment,
        base_side.rules,
        base_side.root,
        base_side.digests,
    )
    reused = assess_reusing(base_side.inventory, rules, AS_OF, base_side.root, previous)
    full = assess(base_side.inventory, rules, AS_OF)
    assert report.to_json(reused) == report.to_json(full)
    assert all(
        a.decision_path is not base_side.by_id[a.app.id].decision_path for a in reused.applications
    )
