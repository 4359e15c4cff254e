"""Policy gates: each kind of policy on the sample, breaches located, mistakes exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from migrator.diff.side import Side, build
from migrator.policy.evaluate import evaluate
from migrator.policy.load import load_policy
from tests.conftest import PHARMA
from tests.diff.conftest import SETTINGS, Edit

runner = CliRunner()
POLICY = Path(__file__).parent / "policy.yaml"
AS_OF = ["--as-of", "2026-06-01"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_kind_of_policy(base_side: Side) -> None:
    breaches = evaluate(load_policy(POLICY), base_side)
    by_policy: dict[str, list[str]] = {}
    for b in breaches:
        by_policy.setdefault(b.policy.id, []).append(b.subject)
    plan = base_side.plan
    critical = {
        a.app.id for a in base_side.assessment.applications if a.app.criticality == "critical"
    }
    crowded = [w.number for w in plan.waves if len(critical & set(w.applications)) > 2]
    assert by_policy.get("two-critical-per-wave", []) == [f"wave:{n}" for n in crowded]
    heavy = [w.number for w in plan.waves if w.person_days > 350]
    assert by_policy["wave-effort"] == [f"wave:{n}" for n in heavy]
    assert ("link-weeks" in by_policy) == (plan.link_weeks > 1000)
    # the sample's pilot holds no GxP application, and every production one has an owner
    assert "no-gxp-in-pilot" not in by_policy
    assert "production-owner" not in by_policy
    assert "readiness-holds" not in by_policy  # no base: not checked


def test_a_breach_is_located_at_the_application(base_side: Side, edited: Edit) -> None:
    head = edited("corporate.yaml", "bank network.\n    owner: Group Treasury\n", "bank network.\n")
    breaches = evaluate(load_policy(POLICY), build("head", head, SETTINGS))
    [owner] = [b for b in breaches if b.policy.id == "production-owner"]
    assert owner.message == "treasury runs in production and has no owner"
    text = (head / "corporate.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if t == "  - id: treasury")
    assert owner.where == f"{head / 'corporate.yaml'}:{line}:5"


def test_gxp_in_the_pilot(tmp_path: Path, base_side: Side) -> None:
    pilot = base_side.plan.waves[0].applications
    policy = write(
        tmp_path,
        "policies:\n"
        "  - id: nothing-in-pilot\n"
        "    for: application\n"
        "    when: {attr: plan.migrating, op: is_true}\n"
        "    require: {attr: plan.pilot, op: is_false}\n",
    )
    breaches = evaluate(load_policy(policy), base_side)
    assert base_side.plan.pilot
    assert sorted(b.subject for b in breaches) == sorted(f"application:{a}" for a in pilot)


def test_readiness_against_the_base(tmp_path: Path, base_side: Side, edited: Edit) -> None:
    head = edited(
        "corporate.yaml", "    vendor: FIS\n", "    vendor: FIS\n    hardware: [usb-dongle]\n"
    )
    policy = write(
        tmp_path,
        "policies:\n  - {id: readiness, for: portfolio, measure: plan.mean_score, min: base}\n",
    )
    new = build("head", head, SETTINGS)
    [breach] = evaluate(load_policy(policy), new, base_side)
    assert breach.value == new.assessment.mean_score < base_side.assessment.mean_score
    assert f"at least {base_side.assessment.mean_score:g} on the base" in breach.message
    assert evaluate(load_policy(policy), base_side, base_side) == []


def test_check_command(edited: Edit) -> None:
    result = runner.invoke(app, ["check", "--policy", str(POLICY), str(PHARMA), *AS_OF])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines and all(": policy " in line for line in lines)
    assert lines[0].startswith(f"{PHARMA}/")
    assert "policy readiness-holds: not checked" in result.stderr
    as_json = runner.invoke(
        app,
        [
            "check",
            "--policy",
            str(POLICY),
            str(PHARMA),
            "--base",
            str(PHARMA),
            "-f",
            "json",
            *AS_OF,
        ],
    )
    assert as_json.exit_code == 1
    document = json.loads(as_json.stdout)
    assert document["schema"] == "migrator/policy/v1"
    assert document["not_checked"] == []
    assert len(document["breaches"]) == len(lines)
    kept = runner.invoke(
        app,
        ["check", "--policy", str(POLICY), str(PHARMA), "--base", str(PHARMA), *AS_OF],
    )
    assert kept.exit_code == 1  # the sample breaks two of them whatever the base


def test_diff_with_policy(edited: Edit, tmp_path: Path) -> None:
    policy = write(
        tmp_path,
        "policies:\n"
        "  - {id: readiness, title: Readiness holds, for: portfolio, measure: plan.mean_score, min: base}\n",
    )
    head = edited(
        "corporate.yaml", "    vendor: FIS\n", "    vendor: FIS\n    hardware: [usb-dongle]\n"
    )
    result = runner.invoke(
        app, ["diff", str(PHARMA), str(head), "--policy", str(policy), "-f", "markdown", *AS_OF]
    )
    assert result.exit_code == 1
    assert "#### Policy: 1 breach" in result.stdout
    assert "| `readiness` |" in result.stdout
    same = runner.invoke(
        app, ["diff", str(PHARMA), str(PHARMA), "--policy", str(policy), "-f", "json", *AS_OF]
    )
    assert same.exit_code == 0
    assert json.loads(same.stdout)["policy"]["breaches"] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "  - {id: x, for: application, require: {attr: app.ownr, op: exists}}\n",
            "policies[0].require.attr: unknown attribute 'app.ownr' (did you mean 'app.owner'?)",
        ),
        (
            "  - {id: x, for: wave, measure: wave.persondays, max: 3}\n",
            "policies[0].measure: unknown measure 'wave.persondays' (did you mean "
            "'wave.person_days'?)",
        ),
        (
            "  - {id: x, for: portfolio, measure: plan.link_weeks, max: lots}\n",
            "policies[0].max: expected a number or base, got text 'lots'",
        ),
        (
            "  - {id: x, for: wave, measure: wave.servers}\n",
            "policies[0]: missing 'max' or 'min' (the bound to keep)",
        ),
        (
            "  - {id: x, for: application, require: {attr: app.id, op: exists}, max: 2}\n",
            "policies[0].max: 'max' does not apply to a policy for application",
        ),
        ("  - {id: x, fr: wave}\n", "policies[0].fr: unknown key (did you mean 'for'?)"),
    ],
)
def test_mistakes_are_located(tmp_path: Path, text: str, message: str) -> None:
    policy = write(tmp_path, "policies:\n" + text)
    result = runner.invoke(app, ["check", "--policy", str(policy), str(PHARMA)])
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    assert first.startswith(f"{policy}:2:")
    assert message in first
    assert "Traceback" not in result.output
