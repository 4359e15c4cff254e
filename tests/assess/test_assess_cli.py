"""`migrator assess` through the command line, on the sample portfolio and small cases."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from tests.conftest import PHARMA, WriteInventory

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-29"]


@pytest.fixture(scope="module")
def pharma() -> dict[str, Any]:
    result = runner.invoke(app, ["assess", str(PHARMA), "-f", "json", *AS_OF])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in report["applications"]}


def test_json_follows_spec_3(pharma: dict[str, Any]) -> None:
    assert pharma["schema"] == "migrator/assessment/v1"
    assert set(pharma["portfolio"]) == {"name", "region"}
    summary = pharma["summary"]
    assert summary["applications"] == len(pharma["applications"])
    assert set(summary["readiness"]) == {"ready", "ready-with-conditions", "not-ready", "unknown"}
    assert set(summary["strategies"]) == {
        "rehost",
        "replatform",
        "refactor",
        "repurchase",
        "retire",
        "retain",
        "relocate",
    }
    assert sum(summary["readiness"].values()) == summary["applications"]
    for a in pharma["applications"]:
        assert {
            "id",
            "name",
            "score",
            "readiness",
            "data_completeness",
            "strategy",
            "strategy_source",
            "targets",
            "effort",
            "blockers",
            "findings",
        } <= set(a)
        assert set(a["effort"]) == {"size", "person_days"}
        for finding in a["findings"]:
            assert {"rule", "severity", "points", "subject", "message"} <= set(finding)


def test_sample_portfolio_is_plausible(pharma: dict[str, Any]) -> None:
    apps = by_id(pharma)
    for not_ready in ("stability-legacy", "mf-order-billing", "ms-analysis"):  # SPARC,
        assert apps[not_ready]["readiness"] == "not-ready", not_ready  # mainframe, dongle
        assert apps[not_ready]["blockers"]
    assert "cpu-not-x86" in {f["rule"] for f in apps["stability-legacy"]["findings"]}
    assert "hardware-dongle" in {f["rule"] for f in apps["ms-analysis"]["findings"]}
    for mail_or_hr in ("exchange-mail", "hr-payroll"):
        assert apps[mail_or_hr]["strategy"] == "repurchase"
    assert apps["hr-payroll"]["strategy_source"] == "decision"
    assert apps["sample-biobank"]["strategy"] == "refactor"
    assert apps["fax-server"]["strategy"] == "retire"
    assert "ema-eudravigilance-gw" in pharma["summary"]["not_assessed"]["external"]
    assert "ema-eudravigilance-gw" not in apps


def test_windows_2008_servers_carry_end_of_support(pharma: dict[str, Any]) -> None:
    apps = by_id(pharma)
    ctms = {f["rule"]: f for f in apps["ctms"]["findings"]}
    assert "Windows Server 2008 R2" in ctms["os-end-of-support"]["message"]
    assert "2020-01-14" in ctms["os-end-of-support"]["message"]


def test_csv(pharma: dict[str, Any]) -> None:
    result = runner.invoke(app, ["assess", str(PHARMA), "-f", "csv", *AS_OF])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == pharma["summary"]["applications"]
    assert rows[0]["id"] == pharma["applications"][0]["id"]
    assert int(rows[0]["score"]) == pharma["applications"][0]["score"]


def test_markdown(tmp_path: Path) -> None:
    target = tmp_path / "assessment.md"
    result = runner.invoke(
        app, ["assess", str(PHARMA), "-f", "markdown", "-o", str(target), *AS_OF]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.startswith("# Readiness assessment: Brennholm Pharma Group")
    assert "| application | domain | score |" in text
    assert "Not assessed (external)" in text


def test_table(pharma: dict[str, Any]) -> None:
    result = runner.invoke(app, ["assess", str(PHARMA), *AS_OF], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Readiness of Brennholm Pharma Group" in result.stdout
    summary = pharma["summary"]
    assert (
        f"67 applications, mean score {summary['mean_score_known']} over the 64 with "
        f"enough data (3 unknown: too little data to score)"
    ) in result.stdout


def test_headline_scores_only_applications_with_enough_data(pharma: dict[str, Any]) -> None:
    summary = pharma["summary"]
    known = [a for a in pharma["applications"] if a["readiness"] != "unknown"]
    assert summary["known_applications"] == len(known) == 64
    assert summary["unknown_applications"] == summary["readiness"]["unknown"] == 3
    assert summary["mean_score_known"] == round(sum(a["score"] for a in known) / 64, 1)
    everyone = pharma["applications"]  # v1's mean_score keeps its meaning: all of them
    assert summary["mean_score"] == round(sum(a["score"] for a in everyone) / len(everyone), 1)


def test_a_portfolio_of_unknowns_shows_no_score(
    write_inventory: WriteInventory, tmp_path: Path
) -> None:
    apps = "".join(f"  - {{id: app-{n}, name: App {n}, servers: [s{n}]}}\n" for n in range(4))
    servers = "".join(f"  - {{id: s{n}, cpu: 2}}\n" for n in range(4))
    root = write_inventory({"a.yaml": f"applications:\n{apps}servers:\n{servers}"})
    table = runner.invoke(app, ["assess", str(root), *AS_OF], env={"COLUMNS": "200"}).stdout
    assert "4 applications, all unknown: too little data to score them" in table
    assert "mean score" not in table
    data = json.loads(runner.invoke(app, ["assess", str(root), "-f", "json", *AS_OF]).stdout)
    assert data["summary"]["mean_score_known"] is None
    assert data["summary"]["known_applications"] == 0
    assert data["summary"]["unknown_applications"] == 4
    markdown = runner.invoke(app, ["assess", str(root), "-f", "markdown", *AS_OF]).stdout
    assert "4 applications, all unknown (too little data to score them)" in markdown
    assert "mean score" not in markdown
    out = tmp_path / "plan.html"
    assert runner.invoke(app, ["plan", str(root), "-o", str(out), *AS_OF]).exit_code == 0
    html = out.read_text()
    assert "<b>–</b><span>mean readiness score; 4 unknown</span>" in html
    md = tmp_path / "plan.md"
    assert runner.invoke(app, ["plan", str(root), "-o", str(md), *AS_OF]).exit_code == 0
    assert (
        "No readiness score: all 4 applications are *unknown* (too little data to score them)."
    ) in md.read_text()


def test_table_of_a_large_portfolio_shows_the_lowest_scores(
    write_inventory: WriteInventory,
) -> None:
    apps = "".join(
        f"  - {{id: app-{n:03d}, name: App {n}, type: custom, criticality: "
        f"{'critical' if n % 7 == 0 else 'low'}, architecture: "
        f"{'mainframe' if n % 7 == 0 else 'n-tier'}}}\n"
        for n in range(150)
    )
    root = write_inventory({"apps.yaml": "applications:\n" + apps})
    everything = json.loads(runner.invoke(app, ["assess", str(root), "-f", "json", *AS_OF]).stdout)
    lowest = sorted(everything["applications"], key=lambda a: (a["score"], a["id"]))[:100]
    result = runner.invoke(app, ["assess", str(root), *AS_OF], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "the 100 lowest scores of 150" in result.stdout
    assert (
        "(the table shows 100 of 150 applications: --format csv, json or markdown lists "
        "them all)" in result.stdout
    )
    shown = [
        line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│")
    ]
    assert shown == [a["id"] for a in lowest]


def test_explain() -> None:
    result = runner.invoke(app, ["assess", str(PHARMA), "--explain", "ctms", *AS_OF])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "os-end-of-support" in out and "100 - " in out
    assert "1. no decision in the inventory" in out
    assert "Effort:" in out


def test_explain_unknown_application() -> None:
    result = runner.invoke(app, ["assess", str(PHARMA), "--explain", "limz"])
    assert result.exit_code == 2
    assert "no application 'limz' (did you mean 'lims'?)" in result.stderr


def test_explain_external_application() -> None:
    result = runner.invoke(app, ["assess", str(PHARMA), "--explain", "bank-network"])
    assert result.exit_code == 2
    assert "external" in result.stderr


def test_fail_under(pharma: dict[str, Any]) -> None:
    mean = pharma["summary"]["mean_score"]
    ok = runner.invoke(
        app, ["assess", str(PHARMA), "-f", "json", "--fail-under", str(mean - 1), *AS_OF]
    )
    assert ok.exit_code == 0
    failed = runner.invoke(
        app, ["assess", str(PHARMA), "-f", "json", "--fail-under", str(mean + 1), *AS_OF]
    )
    assert failed.exit_code == 1
    assert f"mean score {mean} is below" in failed.stderr
    each = runner.invoke(
        app, ["assess", str(PHARMA), "-f", "json", "--fail-under", "5", "--each", *AS_OF]
    )
    assert each.exit_code == 1
    assert "score below 5: " in each.stderr


def test_invalid_inventory_exits_2(write_inventory: WriteInventory) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a, name: A, type: legacy}\n"})
    result = runner.invoke(app, ["assess", str(root)])
    assert result.exit_code == 2
    assert "inv/a.yaml:2:28: error: applications[0].type" in result.stderr
    assert "run 'migrator validate inv'" in result.stderr


def test_bad_as_of_is_bad_usage() -> None:
    result = runner.invoke(app, ["assess", str(PHARMA), "--as-of", "tomorrow"])
    assert result.exit_code == 2


RULES_OVERRIDE = """\
rules:
  - {id: gxp-validation, points: 25}
  - {id: os-end-of-support, enabled: false}
  - id: no-tags
    title: Untagged application
    applies_to: application
    when: {attr: app.tags, op: missing}
    severity: minor
    points: 1
    message: "{app.id} has no tags"
"""


def test_rules_file_changes_adds_and_disables(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES_OVERRIDE)
    result = runner.invoke(
        app, ["assess", str(PHARMA), "-f", "json", "--rules", str(rules), *AS_OF]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    lims = {f["rule"]: f for f in by_id(report)["lims"]["findings"]}
    assert lims["gxp-validation"]["points"] == 25
    assert "os-end-of-support" not in lims
    assert report["rules_version"] == "2026.11+rules.yaml"
    untagged = [
        a for a in report["applications"] if "no-tags" in {f["rule"] for f in a["findings"]}
    ]
    assert untagged and all(
        f["message"].endswith("has no tags")
        for a in untagged
        for f in a["findings"]
        if f["rule"] == "no-tags"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "rules:\n  - {id: gxp-validation, points: high}\n",
            "rules.yaml:2:34: error: rules[0].points: expected a whole number, got text 'high'",
        ),
        (
            "rules:\n  - {id: nope, enabled: false}\n",
            "rules.yaml:2:10: error: rules[0].id: cannot disable unknown rule 'nope'",
        ),
        (
            "rules:\n  - id: x\n    title: X\n    applies_to: server\n    severity: minor\n"
            "    message: m\n    when: {attr: os.nmae, op: exists}\n",
            "rules.yaml:7:18: error: rules[0].when.attr: unknown attribute 'os.nmae' "
            "(did you mean 'os.name'?)",
        ),
        (
            "rules:\n  - id: x\n    title: X\n    applies_to: server\n    severity: minor\n"
            "    message: m\n    when: {attr: os.name, op: equals, value: a}\n",
            "rules.yaml:7:31: error: rules[0].when.op: 'equals' is not one of eq, ne, in, not_in, "
            "contains, not_contains, contains_any, gt, gte, lt, lte, before, after, matches, "
            "exists, missing, is_true, is_false",
        ),
        (
            "rules:\n  - id: x\n    title: X\n",
            "rules.yaml:2:5: error: rules[0]: a new rule needs applies_to, when, severity, message",
        ),
        (
            "rules:\n  - id: x\n    title: X\n    applies_to: server\n    severity: minor\n"
            "    message: m\n    when: {attr: os.name, op: matches, value: '(['}\n",
            "rules.yaml:7:47: error: rules[0].when.value: invalid regular expression: missing ]: [",
        ),
        (
            "rules:\n  - {id: db-large, when: {all: []}}\n",
            "rules.yaml:2:32: error: rules[0].when.all: expected a non-empty list of conditions, "
            "got a list",
        ),
        ("rules: [\n", "rules.yaml:1:8: error: invalid YAML: unclosed bracket '['"),
        (
            "rules:\n  - gxp-validation\n",
            "rules.yaml:2:5: error: rules[0]: expected a rule (a mapping with id, when, …), got text "
            "'gxp-validation'",
        ),
    ],
)
def test_bad_rules_files_are_located(
    text: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("rules.yaml").write_text(text)
    result = runner.invoke(app, ["assess", str(PHARMA), "--rules", "rules.yaml"])
    assert result.exit_code == 2
    assert expected in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.output


def test_rules_command_lists_rules_and_facts() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    assert "os-end-of-support" in result.stdout
    facts = runner.invoke(app, ["rules", "--facts"])
    assert facts.exit_code == 0
    assert "os.end_of_support" in facts.stdout
