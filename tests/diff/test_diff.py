"""migrator diff on the sample: one edit each, checked field by field, and through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from migrator.diff import render
from migrator.diff.compare import SCHEMA, compare
from migrator.diff.side import Side, build
from tests.conftest import PHARMA
from tests.diff.conftest import LATENCY, REGION, RETIRE, SETTINGS, Edit

runner = CliRunner()


def diff_of(base: Side, path: Path) -> dict[str, object]:
    return compare(base, build(str(path), path, SETTINGS))


def test_unchanged_inventory_is_an_empty_diff(base_side: Side) -> None:
    document = compare(base_side, base_side)
    assert document["schema"] == SCHEMA
    assert document["changed"] is False
    assert document["applications"] == {"added": [], "removed": [], "changed": []}
    assert document["settings"] == {}
    assert render.markdown(document) == ""
    result = runner.invoke(
        app, ["diff", str(PHARMA), str(PHARMA), "--as-of", "2026-06-01", "-f", "markdown"]
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    text = runner.invoke(app, ["diff", str(PHARMA), str(PHARMA), "--as-of", "2026-06-01"])
    assert text.exit_code == 0
    assert text.stdout.startswith("no change to the plan")


def test_latency_sensitive_dependency_joins_a_move_group(base_side: Side, edited: Edit) -> None:
    document = diff_of(base_side, edited(*LATENCY))
    base = base_side.plan.wave_of
    assert document["changed"] is True
    joined = document["move_groups"]["joined"]
    assert len(joined) == 1
    assert set(joined[0]["applications"]) >= {"lims", "mes"}
    assert "latency" in joined[0]["reasons"]
    assert document["move_groups"]["split"] == []
    changes = {c["id"]: c for c in document["applications"]["changed"]}
    mes = changes["mes"]
    assert mes["wave"]["from"] == base["mes"]
    # lims is pinned (decision.wave), so mes goes to lims's wave, not the other way round
    assert mes["wave"]["to"] == base["lims"]
    assert any("moves with" in why and "lims" in why for why in mes["wave"]["because"])
    assert "lims" not in changes
    # nothing about the applications themselves changed: only waves
    assert all(set(c) <= {"id", "wave"} for c in changes.values())
    removed = {(link["from"], link["to"]) for link in document["hybrid_links"]["removed"]}
    assert ("mes", "lims") in removed
    weeks = document["hybrid_links"]["link_weeks"]
    assert weeks["from"] == base_side.plan.link_weeks
    assert weeks["delta"] == weeks["to"] - weeks["from"]
    summary = document["summary"]
    assert summary["move_groups_joined"] == 1
    assert summary["wave_moves"] == len(changes)
    assert summary["strategy_changes"] == summary["readiness_changes"] == 0
    # every wave move says why; those pushed out by capacity say what moved in
    for change in changes.values():
        assert change["wave"]["because"]
    pushed = [
        why
        for c in changes.values()
        for why in c["wave"]["because"]
        if why.startswith(f"capacity: wave {base['lims']} has no room for it now")
    ]
    assert pushed and all("mes" in why and "moved in" in why for why in pushed)
    markdown = render.markdown(document)
    assert "- **Move groups**: 1 joined, 0 split" in markdown
    assert "<details><summary>Wave moves" in markdown
    assert markdown.index("</details>") > markdown.index("| mes |")


def test_retiring_an_application(base_side: Side, edited: Edit) -> None:
    document = diff_of(base_side, edited(*RETIRE))
    old = base_side.by_id["treasury"]
    [change] = document["applications"]["changed"]
    assert change["id"] == "treasury"
    assert change["strategy"] == {"from": old.strategy, "to": "retire"}
    assert change["targets"] == {"from": list(old.targets), "to": []}
    assert change["wave"] == {
        "from": base_side.plan.wave_of["treasury"],
        "to": None,
        "because": ["it no longer migrates: retire"],
    }
    before = base_side.monthly("treasury")
    assert before is not None and before > 0
    assert change["monthly"] == {"from": before, "to": 0.0, "delta": -before}
    assert document["cost"]["monthly"]["delta"] == pytest.approx(-before, abs=0.01)
    links = [
        link for link in base_side.plan.hybrid_links if "treasury" in (link.consumer, link.provider)
    ]
    removed = document["hybrid_links"]["removed"]
    assert sorted((x["from"], x["to"]) for x in removed) == sorted(
        (link.consumer, link.provider) for link in links
    )
    assert document["hybrid_links"]["link_weeks"]["delta"] == -sum(
        link.weeks or 0 for link in links
    )
    summary = document["summary"]
    assert summary["strategy_changes"] == 1
    assert summary["person_days"]["to"] == summary["person_days"]["from"] - (
        old.effort.person_days - change["effort"]["to"]["person_days"]
    )
    markdown = render.markdown(document)
    assert f"- **Strategy**: treasury {old.strategy} → retire" in markdown
    assert "- **Cost**: -716 USD/month" in markdown
    assert "| treasury | 7 → – | it no longer migrates: retire |" in markdown


def test_changing_the_region(base_side: Side, edited: Edit) -> None:
    document = diff_of(base_side, edited(*REGION))
    assert document["settings"] == {
        "portfolio.region": {"from": "europe-west1", "to": "europe-west9"}
    }
    assert document["head"]["region"] == "europe-west9"
    changes = {c["id"]: c for c in document["applications"]["changed"]}
    # VMware Engine is named for europe-west9: the landings that went there stay home
    ctms = changes["ctms"]
    assert [f["rule"] for f in ctms["findings"]["resolved"]] == ["target-not-in-region"]
    assert ctms["score"]["to"] - ctms["score"]["from"] == ctms["findings"]["resolved"][0]["points"]
    assert ctms["targets"]["from"] == ["Google Cloud VMware Engine (europe-west9)"]
    assert ctms["targets"]["to"] == ["Google Cloud VMware Engine"]
    deltas = sum(c["monthly"]["delta"] for c in changes.values() if "monthly" in c)
    assert document["cost"]["monthly"]["delta"] == pytest.approx(deltas, abs=0.05 * len(changes))
    assert document["cost"]["monthly"]["delta"] > 0  # Paris costs more than Belgium
    # a blocker whose message names the region is the same blocker
    assert document["summary"]["new_blockers"] == document["summary"]["resolved_blockers"] == 0
    markdown = render.markdown(document)
    assert markdown.splitlines()[2] == "- **portfolio.region**: europe-west1 → europe-west9"


def test_cli_json_and_output_file(edited: Edit, tmp_path: Path) -> None:
    head = edited(*RETIRE)
    result = runner.invoke(
        app, ["diff", str(PHARMA), str(head), "--as-of", "2026-06-01", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "migrator/diff/v1"
    assert document["summary"]["strategy_changes"] == 1
    out = tmp_path / "diff.md"
    written = runner.invoke(
        app,
        ["diff", str(PHARMA), str(head), "--as-of", "2026-06-01", "-f", "markdown", "-o", str(out)],
    )
    assert written.exit_code == 0, written.output
    assert out.read_text(encoding="utf-8").startswith("### Plan diff:")


def test_user_text_is_escaped_in_markdown(base_side: Side, edited: Edit) -> None:
    head = edited("corporate.yaml", "name: Treasury management", "name: '<img src=x> | *Treasury*'")
    markdown = render.markdown(diff_of(base_side, head))
    assert "\\<img src=x\\> \\| \\*Treasury\\*" in markdown
    assert "<img" not in markdown.replace("\\<img", "")
    assert "- **Renamed**: treasury" in markdown


def test_bad_usage_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", str(PHARMA)])
    assert result.exit_code == 2
    missing = runner.invoke(app, ["diff", str(PHARMA), str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "Traceback" not in missing.output


def test_a_large_change_fits_a_comment(
    base_side: Side, edited: Edit, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = diff_of(base_side, edited(*REGION))
    full = render.markdown(document)
    monkeypatch.setattr(render, "MAX_COMMENT", len(full) // 2)
    short = render.markdown(document)
    assert len(short) <= len(full) // 2
    assert "more (`--format json` lists them all)." in short
    assert short.splitlines()[:4] == full.splitlines()[:4]  # the same summary


def test_a_move_by_its_own_assessment(base_side: Side) -> None:
    """An application whose effort and score changed, and nothing around it."""
    import dataclasses

    from migrator.assess.model import Effort
    from migrator.diff.applications import Neighbours, why_moved

    app_id = "treasury"
    old = base_side.by_id[app_id]
    easier = dataclasses.replace(
        old,
        score=old.score + 5,
        effort=Effort(old.effort.size, old.effort.person_days - 4, old.effort.breakdown),
        decision_path=(*old.decision_path, "re-assessed"),  # a result of its own
    )
    results = tuple(easier if a.app.id == app_id else a for a in base_side.assessment.applications)
    wave_of = {**base_side.plan.wave_of, app_id: 1}
    head = dataclasses.replace(
        base_side,
        assessment=dataclasses.replace(base_side.assessment, applications=results),
        plan=dataclasses.replace(base_side.plan, wave_of=wave_of),
    )
    reasons = why_moved(app_id, base_side, head, Neighbours(base_side), Neighbours(head))
    assert reasons[0] == (
        f"its own assessment changed: effort {old.effort.person_days} → "
        f"{old.effort.person_days - 4} person-days, score {old.score} → {old.score + 5}"
    )


def test_the_documented_schema_is_the_document(base_side: Side, edited: Edit) -> None:
    """docs/diff.md's example has every key the diff writes, and no other."""
    import re

    from tests.conftest import ROOT

    text = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    [block] = re.findall(r"```json\n(.*?)```", text, re.DOTALL)
    example = json.loads(block)
    document = diff_of(base_side, edited(*RETIRE))
    assert set(example) == set(document) | {"policy"}  # policy: only with --policy
    for key in ("summary", "base", "applications", "move_groups", "hybrid_links", "cost"):
        assert set(example[key]) == set(document[key]), key
    [change] = document["applications"]["changed"]
    documented = example["applications"]["changed"][0]
    assert set(change) <= set(documented)
    assert set(documented["wave"]) == set(change["wave"])
    link = base_side.plan.hybrid_links[0]
    from migrator.waves.report import hybrid_link

    assert set(example["hybrid_links"]["added"][0]) == set(hybrid_link(link))
    added = example["applications"]["added"][0]
    from migrator.diff.applications import summary

    assert set(added) == set(summary(base_side.by_id["treasury"], base_side))
