"""The levers of `migrator waves`: bridges, shared services, the effort cap, pins far
ahead, and hybrid links with their length, through the command line."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from migrator.cli import app
from tests.conftest import WriteInventory

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-29"]


def plan_of(root: Path, *options: str) -> dict[str, Any]:
    result = runner.invoke(app, ["waves", str(root), "-f", "json", *AS_OF, *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def wave_of(plan: dict[str, Any]) -> dict[str, int]:
    return {a: w["number"] for w in plan["waves"] for a in w["applications"]}


CYCLE = """\
planning: {max_apps_per_wave: 1}
applications:
  - {id: portal, name: Portal, depends_on: [{app: erp, kind: sync}]}
  - {id: erp, name: ERP, depends_on: [{app: portal, kind: async}]}
"""


def test_a_bridged_kind_neither_joins_nor_orders(write_inventory: WriteInventory) -> None:
    root = write_inventory({"apps.yaml": CYCLE})
    joined = plan_of(root)
    assert [g["applications"] for g in joined["move_groups"]] == [["erp", "portal"]]
    split = plan_of(root, "--bridge", "async")
    assert sorted(len(g["applications"]) for g in split["move_groups"]) == [1, 1]
    assert split["planning"]["bridge"] == ["async"]
    waves = wave_of(split)
    assert waves["erp"] <= waves["portal"]  # the sync dependency still orders them
    # The async one crosses waves against the order: a hybrid link until the later wave.
    link = next(h for h in split["hybrid_links"] if h["from"] == "erp")
    assert link["end_wave"] == max(waves.values()) and link["weeks"] == 8
    assert not link["permanent"]


def test_a_dependency_can_be_bridged_on_its_own(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "apps.yaml": CYCLE.replace(
                "{app: portal, kind: async}", "{app: portal, kind: async, bridge: true}"
            )
        }
    )
    assert len(plan_of(root)["move_groups"]) == 2
    # ... and kept from a bridged kind.
    kept = write_inventory(
        {
            "apps.yaml": CYCLE.replace(
                "{app: portal, kind: async}", "{app: portal, kind: async, bridge: false}"
            )
        }
    )
    assert len(plan_of(kept, "--bridge", "async")["move_groups"]) == 1


def test_consumers_of_a_shared_service_may_go_first(write_inventory: WriteInventory) -> None:
    apps = "".join(
        f"  - {{id: app-{n}, name: App {n}, criticality: low, depends_on: [directory]}}\n"
        for n in range(6)
    )
    root = write_inventory(
        {
            "apps.yaml": "planning: {max_apps_per_wave: 2}\napplications:\n"
            "  - {id: directory, name: Directory, criticality: critical}\n" + apps
        }
    )
    plain = wave_of(plan_of(root))
    assert all(plain[f"app-{n}"] >= plain["directory"] for n in range(6))
    # The directory looks like a shared service: proposed, not applied.
    proposals = plan_of(root)["shared_service_proposals"]
    assert proposals == [{"application": "directory", "consumers": 6, "why": ["fan-in"]}]
    extended = plan_of(root, "--shared-services", "directory")
    waves = wave_of(extended)
    assert any(waves[f"app-{n}"] < waves["directory"] for n in range(6))
    # It moves about when half of what depends on it has moved; the links to it last
    # until it has.
    before = sum(1 for n in range(6) if waves[f"app-{n}"] < waves["directory"])
    assert 2 <= before <= 4
    assert extended["shared_service_proposals"] == []
    for link in extended["hybrid_links"]:
        assert link["to"] == "directory"
        assert link["end_wave"] == max(link["from_wave"], link["to_wave"])


def test_shared_services_must_be_applications(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "apps.yaml": "planning: {shared_services: [directry]}\n"
            "applications:\n  - {id: directory, name: Directory}\n"
        }
    )
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    assert (
        "inv/apps.yaml:1:30: error: planning.shared_services[0]: unknown application "
        "'directry' (did you mean 'directory'?)"
    ) in result.stdout
    fine = write_inventory({"apps.yaml": "applications:\n  - {id: directory, name: D}\n"})
    bad = runner.invoke(app, ["waves", str(fine), "--shared-services", "directry"])
    assert bad.exit_code == 2
    assert "--shared-services: no application 'directry' (did you mean 'directory'?)" in (
        bad.stderr
    )
    kind = runner.invoke(app, ["waves", str(fine), "--bridge", "asynch"])
    assert kind.exit_code == 2 and "did you mean 'async'" in kind.output


def test_the_effort_cap_bounds_a_wave(write_inventory: WriteInventory) -> None:
    apps = "".join(f"  - {{id: app-{n}, name: App {n}, servers: [s{n}]}}\n" for n in range(6))
    servers = "".join(
        f"  - {{id: s{n}, os: Red Hat Enterprise Linux 9 (64-bit)}}\n" for n in range(6)
    )
    root = write_inventory({"apps.yaml": "applications:\n" + apps + "servers:\n" + servers})
    free = plan_of(root)
    assert len(free["waves"]) == 1
    days = free["waves"][0]["person_days"]
    each = days // 6
    capped = plan_of(root, "--max-person-days-per-wave", str(2 * each + 1))
    assert capped["planning"]["max_person_days_per_wave"] == 2 * each + 1
    assert all(w["person_days"] <= 2 * each + 1 for w in capped["waves"])
    assert capped["summary"]["lower_bound"] == len(capped["waves"]) == 3
    # A group larger than a wave in effort alone gets a wave of its own, and says so.
    tight = plan_of(root, "--max-person-days-per-wave", "1")
    assert len(tight["waves"]) == 6
    assert any(
        "larger than a wave" in w and "max_person_days_per_wave 1" in w for w in tight["warnings"]
    )


def test_a_pin_far_ahead_is_a_located_error_at_once(write_inventory: WriteInventory) -> None:
    for wave in ("1000000000", "200000"):
        root = write_inventory(
            {
                "apps.yaml": f"""\
applications:
  - {{id: a, name: A, decision: {{wave: {wave}}}}}
  - {{id: b, name: B}}
"""
            }
        )
        started = time.perf_counter()
        result = runner.invoke(app, ["waves", str(root)])
        assert time.perf_counter() - started < 5
        assert result.exit_code == 2, result.output
        assert (
            f"inv/apps.yaml:2:39: error: applications[0].decision.wave: wave {wave} "
            f"cannot be kept for a: every wave before it needs a move group, and only 2 "
            f"move group(s) migrate (no wave may be empty)"
        ) in result.stderr


def test_a_pin_ahead_takes_groups_from_fuller_waves(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "apps.yaml": """\
applications:
  - {id: a, name: A}
  - {id: b, name: B}
  - {id: c, name: C}
  - {id: d, name: D, decision: {wave: 4}}
"""
        }
    )
    plan = plan_of(root)
    assert [len(w["applications"]) for w in plan["waves"]] == [1, 1, 1, 1]
    assert wave_of(plan)["d"] == 4


def test_a_pin_that_must_leave_waves_empty_is_refused(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "apps.yaml": """\
applications:
  - {id: erp, name: ERP, decision: {wave: 3}}
  - {id: a, name: A, depends_on: [erp]}
  - {id: b, name: B, depends_on: [erp]}
"""
        }
    )
    result = runner.invoke(app, ["waves", str(root)])
    assert result.exit_code == 2
    assert (
        "applications[0].decision.wave: wave 3 for erp leaves wave(s) 1, 2 empty: no "
        "move group can go there without breaking the order"
    ) in result.stderr


def test_dependencies_on_retired_applications_last_until_the_retirement(
    write_inventory: WriteInventory,
) -> None:
    root = write_inventory(
        {
            "apps.yaml": """\
planning: {max_apps_per_wave: 1}
applications:
  - {id: old, name: Old, decision: {strategy: retire}}
  - {id: a, name: A, depends_on: [old]}
  - {id: b, name: B, depends_on: [old, a]}
"""
        }
    )
    plan = plan_of(root)
    waves = wave_of(plan)
    links = {(h["from"], h["to"]): h for h in plan["hybrid_links"]}
    for consumer in ("a", "b"):
        link = links[consumer, "old"]
        assert link["reason"] == "retired" and not link["permanent"]
        assert link["to_wave"] is None and link["end_wave"] == waves["b"]
    assert links["a", "old"]["weeks"] == 8  # from wave 1 to the end of wave 2
    assert plan["summary"]["link_weeks"] == sum(h["weeks"] or 0 for h in plan["hybrid_links"])
    assert any("old is retired" in w and "after wave 2" in w for w in plan["warnings"])


def test_a_later_stage_locates_its_errors_in_the_inventory_as_it_was_read(
    write_inventory: WriteInventory,
) -> None:
    # The scheduler reports through the origins the inventory carries: it does not read
    # the YAML again (the file changed on disk after loading must not move the error).
    from migrator.assess.assessment import assess
    from migrator.assess.rules import load_rules
    from migrator.errors import InvalidInputError
    from migrator.inventory.load import load_inventory
    from migrator.waves.schedule import schedule

    root = write_inventory(
        {
            "apps.yaml": "applications:\n  - {id: a, name: A, decision: {wave: 9}}\n  - {id: b, name: B}\n"
        }
    )
    inventory, _ = load_inventory(root)
    (root / "apps.yaml").write_text("# rewritten\n\n\n" * 5)
    try:
        schedule(inventory, assess(inventory, load_rules()))
    except InvalidInputError as exc:
        lines = [d.format() for d in exc.diagnostics]
    else:
        raise AssertionError("the pin to wave 9 should be refused")
    assert any(line.startswith(f"{root / 'apps.yaml'}:2:") for line in lines), lines
