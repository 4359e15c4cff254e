"""What-if scenarios: an overlay on the inventory, checked like one, on every planning command."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from migrator.cli import app
from migrator.inventory.load import load_inventory
from migrator.scenario import load_scenario
from tests.conftest import PHARMA

runner = CliRunner()
AS_OF = ["--as-of", "2026-06-01"]
PARIS = """\
description: Paris rather than Belgium, smaller waves, treasury retired, lims pinned later
portfolio: {region: europe-west9}
planning: {max_apps_per_wave: 8}
decisions:
  - {app: treasury, strategy: retire, rationale: replaced by the SAP treasury module}
  - {app: lims, wave: 4}
"""


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_overlay_replaces_only_what_it_names(tmp_path: Path) -> None:
    inventory, _ = load_inventory(PHARMA)
    seen = load_scenario(write(tmp_path, PARIS)).apply(inventory)
    assert seen.portfolio.region == "europe-west9"
    assert seen.portfolio.currency == inventory.portfolio.currency
    assert seen.planning.max_apps_per_wave == 8
    assert seen.planning.max_person_days_per_wave == inventory.planning.max_person_days_per_wave
    assert seen.planning.freeze == inventory.planning.freeze
    treasury = seen.apps_by_id["treasury"].decision
    assert treasury is not None and treasury.strategy == "retire"
    lims_before = inventory.apps_by_id["lims"].decision
    lims = seen.apps_by_id["lims"].decision
    assert lims is not None and lims.wave == 4
    # the inventory's own decision keeps the keys the scenario does not set
    assert lims_before is not None and lims.strategy == lims_before.strategy
    assert seen.apps_by_id["mes"] is inventory.apps_by_id["mes"]


def test_on_assess_waves_plan_and_diff(tmp_path: Path) -> None:
    scenario = str(write(tmp_path, PARIS))
    assessed = runner.invoke(app, ["assess", str(PHARMA), "--scenario", scenario, "-f", "json"])
    assert assessed.exit_code == 0, assessed.output
    data = json.loads(assessed.stdout)
    assert data["portfolio"]["region"] == "europe-west9"
    treasury = next(a for a in data["applications"] if a["id"] == "treasury")
    assert (treasury["strategy"], treasury["strategy_source"]) == ("retire", "decision")
    waves = runner.invoke(app, ["waves", str(PHARMA), "--scenario", scenario, "-f", "json", *AS_OF])
    plan = json.loads(waves.stdout)
    assert plan["planning"]["max_apps_per_wave"] == 8
    assert all(len(w["applications"]) <= 8 for w in plan["waves"][1:])
    assert "lims" in plan["waves"][3]["applications"]
    assert "treasury" in plan["not_migrating"]["retire"]
    out = tmp_path / "plan.md"
    written = runner.invoke(
        app, ["plan", str(PHARMA), "--scenario", scenario, "-o", str(out), *AS_OF]
    )
    assert written.exit_code == 0, written.output
    assert "europe-west9" in out.read_text(encoding="utf-8")
    diffed = runner.invoke(
        app, ["diff", str(PHARMA), str(PHARMA), "--scenario", scenario, "-f", "json", *AS_OF]
    )
    document = json.loads(diffed.stdout)
    assert document["settings"]["portfolio.region"] == {
        "from": "europe-west1",
        "to": "europe-west9",
    }
    assert document["settings"]["planning.max_apps_per_wave"] == {"from": 10, "to": 8}
    changes = {c["id"]: c for c in document["applications"]["changed"]}
    assert changes["treasury"]["strategy"]["to"] == "retire"
    assert changes["lims"]["wave"]["to"] == 4
    assert "pinned to wave 4 (decision.wave)" in changes["lims"]["wave"]["because"]


def test_rules_and_prices_relative_to_the_scenario(tmp_path: Path) -> None:
    write(tmp_path, "rules:\n  - {id: gxp-validation, points: 40}\n", "rules.yaml")
    scenario = write(tmp_path, "rules: rules.yaml\n")
    assert load_scenario(scenario).rules == tmp_path / "rules.yaml"
    result = runner.invoke(app, ["assess", str(PHARMA), "--scenario", str(scenario), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "+rules.yaml" in json.loads(result.stdout)["rules_version"]


def test_mistakes_are_located(tmp_path: Path) -> None:
    scenario = write(
        tmp_path,
        "portfolio: {regoin: europe-west9}\n"
        "planning: {max_apps_per_wave: 0}\n"
        "decisions:\n"
        "  - {strategy: bogus}\n",
    )
    result = runner.invoke(app, ["waves", str(PHARMA), "--scenario", str(scenario)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines == [
        f"{scenario}:1:13: error: portfolio.regoin: unknown key (did you mean 'region'?)",
        f"{scenario}:2:31: error: planning.max_apps_per_wave: must be at least 1, got 0",
        f"{scenario}:4:16: error: decisions[0].strategy: 'bogus' is not one of rehost, "
        "replatform, refactor, repurchase, retire, retain, relocate",
        f"{scenario}:4:5: error: decisions[0]: missing required key 'app'",
        f"error: {scenario}: the scenario has errors",
    ]


def test_unknown_application_is_located(tmp_path: Path) -> None:
    scenario = write(tmp_path, "decisions:\n  - {app: treasuri, strategy: retire}\n")
    result = runner.invoke(app, ["assess", str(PHARMA), "--scenario", str(scenario)])
    assert result.exit_code == 2
    assert (
        f"{scenario}:2:11: error: decisions[0].app: no application 'treasuri' in the "
        "inventory (did you mean 'treasury'?)"
    ) in result.output


def test_missing_or_malformed_file(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["assess", str(PHARMA), "--scenario", str(tmp_path / "no.yaml")])
    assert missing.exit_code == 2
    broken = write(tmp_path, "portfolio: [\n")
    result = runner.invoke(app, ["assess", str(PHARMA), "--scenario", str(broken)])
    assert result.exit_code == 2
    assert f"{broken}:" in result.output
    listed = write(tmp_path, "- just a list\n", "list.yaml")
    result = runner.invoke(app, ["assess", str(PHARMA), "--scenario", str(listed)])
    assert result.exit_code == 2 and "expected a mapping" in result.output
    assert "Traceback" not in result.output
