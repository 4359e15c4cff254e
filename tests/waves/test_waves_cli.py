"""`migrator waves` on the sample portfolio, its options, and impossible plans."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from tests.conftest import PHARMA, WriteInventory

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-29"]


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    result = runner.invoke(app, ["waves", str(PHARMA), "-f", "json", *AS_OF])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def wave_of(plan: dict[str, Any]) -> dict[str, int]:
    return {a: w["number"] for w in plan["waves"] for a in w["applications"]}


def test_json_follows_spec_4(plan: dict[str, Any]) -> None:
    assert plan["schema"] == "migrator/waves/v1"
    for wave in plan["waves"]:
        assert {"number", "start", "end", "applications", "servers", "person_days"} <= set(wave)
    for group in plan["move_groups"]:
        assert {"id", "applications", "reasons"} <= set(group)
    assert set(plan["not_migrating"]) == {"retain", "retire", "external"}
    for link in plan["hybrid_links"]:
        assert {"from", "to", "from_wave", "to_wave", "permanent"} <= set(link)


def test_sample_schedule_is_one_an_architect_accepts(plan: dict[str, Any]) -> None:
    waves = wave_of(plan)
    first = plan["waves"][0]
    assert first["start"] == "2027-01-11"  # planning.start of the sample
    # A pilot: the easiest applications, ready, nothing critical, nothing they must wait for.
    assert first["applications"] == [
        "brand-microsites",
        "corporate-website",
        "event-mgmt",
        "sci-literature",
    ]
    # The cycle and the latency-sensitive pairs move together.
    assert waves["wms"] == waves["label-print"] == waves["serialization"]
    assert waves["lims"] == waves["cds-chromatography"]
    assert waves["sap-bw"] == waves["sap-erp"]
    assert waves["mes"] == waves["mes-historian"]
    assert waves["pv-case-intake"] == waves["pv-safety"]
    # Synchronous consumers of SAP after SAP; batch and file ones are bridged.
    for consumer in ("treasury", "cmo-portal", "wms"):
        assert waves[consumer] >= waves["sap-erp"], consumer
    assert waves["consolidation"] < waves["sap-erp"]  # a batch load, over the link
    # The directory is extended, not moved first: the pilot and others go before it.
    assert 1 < waves["active-directory"] < len(plan["waves"])
    # The pins: the LIMS in wave 3, the brand sites in wave 1.
    assert waves["lims"] == 3 and waves["brand-microsites"] == 1
    # What the team can do: no wave over 400 person-days, none empty.
    assert all(0 < w["person_days"] <= 400 for w in plan["waves"])
    # At most one wave over the capacity bound, and one more for the pilot, which is
    # worth a wave (the plain fill of this sample needs 7 waves against a bound of 6).
    assert plan["summary"]["pilot"]
    assert plan["summary"]["waves"] - plan["summary"]["lower_bound"] <= 2
    assert "mf-order-billing" in plan["not_migrating"]["retain"]
    assert "fax-server" in plan["not_migrating"]["retire"]
    groups = {tuple(g["applications"]): g["reasons"] for g in plan["move_groups"]}
    assert groups[("label-print", "serialization", "wms")] == ["cycle"]
    assert groups[("ip-docketing", "legal-contracts")] == [
        "shared-server:muz-sqlcl01-n1",
        "shared-server:muz-sqlcl01-n2",
    ]


def test_freeze_moves_a_wave(plan: dict[str, Any]) -> None:
    # The sample freezes 2027-03-29 to 2027-04-16: no wave may overlap it.
    for wave in plan["waves"]:
        assert wave["end"] < "2027-03-29" or wave["start"] > "2027-04-16"
    assert any("moved after the freeze" in w for w in plan["warnings"])


def test_hybrid_links(plan: dict[str, Any]) -> None:
    links = plan["hybrid_links"]
    permanent = {(link["from"], link["to"]) for link in links if link["permanent"]}
    assert any(to == "ema-eudravigilance-gw" for _, to in permanent)
    waves = wave_of(plan)
    for link in links:
        if not link["permanent"]:
            assert link["from_wave"] == waves[link["from"]] != link["to_wave"]


def test_options_override_planning() -> None:
    result = runner.invoke(
        app,
        [
            "waves",
            str(PHARMA),
            "-f",
            "json",
            "--max-apps-per-wave",
            "20",
            "--start",
            "2027-03-01",
            "--wave-weeks",
            "2",
            *AS_OF,
        ],
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["planning"]["max_apps_per_wave"] == 20
    assert plan["waves"][0]["start"] == "2027-03-01"
    assert plan["waves"][0]["end"] == "2027-03-12"
    assert all(len(w["applications"]) <= 20 for w in plan["waves"])


def test_consumers_first_reverses_the_order() -> None:
    result = runner.invoke(
        app, ["waves", str(PHARMA), "-f", "json", "--order", "consumers-first", *AS_OF]
    )
    assert result.exit_code == 0, result.output
    waves = wave_of(json.loads(result.stdout))
    assert waves["treasury"] <= waves["sap-erp"]


def test_table(plan: dict[str, Any]) -> None:
    result = runner.invoke(app, ["waves", str(PHARMA), *AS_OF])
    assert result.exit_code == 0
    assert f"{len(plan['waves'])} waves of 4 weeks" in result.stdout
    assert "mg-" in result.stdout


def test_table_names_the_first_applications_of_a_large_wave(
    write_inventory: WriteInventory,
) -> None:
    apps = "".join(f"  - {{id: app-{n:02d}, name: App {n}, type: custom}}\n" for n in range(30))
    root = write_inventory(
        {"apps.yaml": "planning: {max_apps_per_wave: 50}\napplications:\n" + apps}
    )
    result = runner.invoke(app, ["waves", str(root), *AS_OF], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    cells = " ".join(line.split("│")[3].strip() for line in rows)
    named = [name.strip(" ,") for name in cells.split(", ") if name.startswith("app-")]
    assert "… and 18 more" in cells
    assert "app-11" in cells and "app-12" not in cells
    assert len(named) == 12


@pytest.mark.parametrize(
    "option", ["--max-apps-per-wave", "--wave-weeks", "--max-servers-per-wave"]
)
def test_zero_capacity_is_bad_usage(option: str) -> None:
    result = runner.invoke(app, ["waves", str(PHARMA), option, "0"])
    assert result.exit_code == 2
    assert "must be at least 1" in result.output


def test_pin_that_breaks_the_order_is_located(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "apps.yaml": """\
applications:
  - id: portal
    name: Portal
    depends_on: [erp]
    decision: {wave: 1}
  - id: erp
    name: ERP
    decision: {wave: 2}
"""
        }
    )
    result = runner.invoke(app, ["waves", str(root)])
    assert result.exit_code == 2
    assert (
        "inv/apps.yaml:5:22: error: applications[0].decision.wave: wave 1 for portal "
        "breaks the order: it must not move before erp, pinned to wave 2"
        in result.stderr.splitlines()
    )


def test_pins_that_overfill_a_wave(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "apps.yaml": """\
planning: {max_apps_per_wave: 1}
applications:
  - {id: a, name: A, decision: {wave: 1}}
  - {id: b, name: B, decision: {wave: 1}}
"""
        }
    )
    result = runner.invoke(app, ["waves", str(root)])
    assert result.exit_code == 2
    assert "inv/apps.yaml:3:39: error: applications[0].decision.wave: wave 1 is pinned" in (
        result.stderr
    )


def test_split_pins_in_one_group(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "apps.yaml": """\
applications:
  - {id: a, name: A, depends_on: [{app: b, latency_sensitive: true}], decision: {wave: 1}}
  - {id: b, name: B, decision: {wave: 2}}
"""
        }
    )
    result = runner.invoke(app, ["waves", str(root)])
    assert result.exit_code == 2
    assert "must move in one wave, but its pins differ (a → wave 1, b → wave 2)" in (result.stderr)


def test_oversize_group_gets_its_own_wave(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "apps.yaml": """\
planning: {max_apps_per_wave: 2}
applications:
  - {id: a, name: A, depends_on: [b]}
  - {id: b, name: B, depends_on: [c]}
  - {id: c, name: C, depends_on: [a]}
  - {id: d, name: D}
"""
        }
    )
    result = runner.invoke(app, ["waves", str(root), "-f", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    cycle = next(w for w in plan["waves"] if "a" in w["applications"])
    assert cycle["applications"] == ["a", "b", "c"]
    assert any("larger than a wave" in w for w in plan["warnings"])
