"""Split advice on an estate whose hubs and back-edges join over a thousand applications
into one move group: it names a few dozen dependencies, and bridging them, as an edit of
the inventory, leaves no group larger than a wave."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml_rs
from typer.testing import CliRunner

from migrator.assess.assessment import assess
from migrator.cli import app
from migrator.inventory.load import load_inventory
from migrator.waves.groups import move_groups
from migrator.waves.schedule import migrating
from tests.conftest import ROOT

AS_OF = "2026-11-29"
CAP = 200


def _generate(target: Path, apps: int, back_edges: int) -> None:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            str(target),
            "--apps",
            str(apps),
            "--back-edges",
            str(back_edges),
        ],
        check=True,
        capture_output=True,
    )


BACK_EDGES = 40


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], list[str]]:
    """The hub estate, its plan at CAP applications a wave, and who migrates."""
    root = tmp_path_factory.mktemp("hubs") / "estate"
    _generate(root, 6000, BACK_EDGES)
    result = CliRunner().invoke(
        app, ["waves", str(root), "-f", "json", "--max-apps-per-wave", str(CAP), "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.output
    inventory, _ = load_inventory(root)
    assessment = assess(inventory, as_of=dt.date.fromisoformat(AS_OF))
    return (
        root,
        json.loads(result.stdout),
        [a.app.id for a in assessment.applications if migrating(a)],
    )


def _largest_group(root: Path, moving: list[str], bridge: tuple[str, ...] = ()) -> int:
    inventory, _ = load_inventory(root)
    planning = dataclasses.replace(inventory.planning, bridge=bridge)  # type: ignore[arg-type]
    return max(len(g.applications) for g in move_groups(inventory, moving, planning).groups)


def test_the_hubs_join_over_a_thousand_applications(
    estate: tuple[Path, dict[str, Any], list[str]],
) -> None:
    _, plan, _ = estate
    assert plan["summary"]["largest_move_group"] > 1000
    (advice,) = plan["split_advice"]
    assert advice["fits"] and advice["largest_after"] <= CAP
    # A few dozen: no more than the back-edges that make the group; named with their
    # kind, in the JSON and the warning.
    assert 0 < len(advice["bridge"]) <= BACK_EDGES
    group = advice["move_group"]
    warning = next(w for w in plan["warnings"] if w.startswith(f"move group {group} "))
    first = advice["bridge"][0]
    assert f"bridging {len(advice['bridge'])} dependencies would split it" in warning
    assert f"{first['from']} → {first['to']} ({first['kind']}" in warning


def _marked(root: Path, named: set[tuple[str, str]], target: Path) -> int:
    """Copy the inventory at ``root`` to ``target`` with the ``named`` dependencies
    marked ``bridge: true``; how many were marked."""
    target.mkdir()
    marked = 0
    for source in sorted(root.glob("*.yaml")):
        text = source.read_text(encoding="utf-8")
        if source.name.startswith("apps-"):
            data = yaml_rs.loads(text)
            for application in data["applications"]:
                deps = application.get("depends_on", [])
                for index, dep in enumerate(deps):
                    provider = dep if isinstance(dep, str) else dep["app"]
                    if (application["id"], provider) in named:
                        deps[index] = {
                            **({"app": dep} if isinstance(dep, str) else dep),
                            "bridge": True,
                        }
                        marked += 1
            text = yaml_rs.dumps(data)
        (target / source.name).write_text(text, encoding="utf-8")
    return marked


def test_marking_the_advised_dependencies_splits_the_group(
    estate: tuple[Path, dict[str, Any], list[str]], tmp_path: Path
) -> None:
    root, plan, moving = estate
    named = {(d["from"], d["to"]) for d in plan["split_advice"][0]["bridge"]}
    assert _marked(root, named, tmp_path / "edited") == len(named)
    assert _largest_group(tmp_path / "edited", moving) <= CAP
    # The same edit through planning.bridge instead: the kinds named bridge at least those.
    kinds = tuple(sorted({d["kind"] for d in plan["split_advice"][0]["bridge"]}))
    assert _largest_group(root, moving, kinds) <= CAP
