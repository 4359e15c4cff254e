"""`migrator plan`: Markdown, templates that users override, the sandbox, errors, JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.assess.rules import load_rules
from migrator.cli import app
from migrator.inventory.model import Inventory
from tests.conftest import PHARMA

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-29"]


@pytest.fixture(scope="module")
def plan_md(tmp_path_factory: pytest.TempPathFactory) -> str:
    target = tmp_path_factory.mktemp("plan") / "plan.md"
    result = runner.invoke(app, ["plan", str(PHARMA), "-o", str(target), *AS_OF])
    assert result.exit_code == 0, result.output
    return target.read_text()


def test_markdown_sections(plan_md: str) -> None:
    for heading in (
        "# Migration plan: Brennholm Pharma Group",
        "## Executive summary",
        "## Portfolio",
        "## Dependencies",
        "### Timeline",
        "## Waves",
        "### Wave 1: 2027-01-11 to 2027-02-05",
        "## Applications",
        "## Risk register",
        "## Decisions log",
        "## Assumptions",
    ):
        assert f"\n{heading}\n" in f"\n{plan_md}", heading
    assert "```mermaid\nflowchart LR" in plan_md
    assert "```mermaid\ngantt" in plan_md
    assert "Wave 1 (4 apps) : w1, 2027-01-11, 2027-02-05" in plan_md


def test_runbooks_have_checklists_and_csv_for_gxp(plan_md: str) -> None:
    wave3 = plan_md.split("### Wave 3:")[1].split("### Wave 4:")[0]
    assert "LabWare LIMS" in wave3 and "· GxP" in wave3
    assert "**Computer-system validation** for" in wave3
    assert "- [ ] Qualify the Google Cloud landing zone (IQ)" in wave3
    assert "**rehost**" in wave3 and "*rollback*" in wave3
    assert "**Hybrid links to open**" in wave3


def test_decisions_and_rationale(plan_md: str) -> None:
    log = plan_md.split("## Decisions log")[1].split("## Assumptions")[0]
    assert "LabWare LIMS (`lims`) | rehost → Compute Engine | pinned to 3 |" in log
    assert "Swissmedic" in log


def test_markdown_tables_are_well_formed(plan_md: str) -> None:
    """Every table row has as many cells as its header: GitHub renders it."""
    columns = 0
    for line in plan_md.splitlines():
        if not line.startswith("|"):
            columns = 0
            continue
        cells = len(re.findall(r"(?<!\\)\|", line)) - 1
        if columns == 0:
            columns = cells
        assert cells == columns, line


def test_format_from_suffix_and_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(PHARMA), "-o", str(tmp_path / "plan.txt")])
    assert result.exit_code == 2
    assert "cannot tell the format from '.txt'" in result.stderr
    forced = runner.invoke(
        app, ["plan", str(PHARMA), "-o", str(tmp_path / "plan.txt"), "--format", "markdown", *AS_OF]
    )
    assert forced.exit_code == 0
    assert (tmp_path / "plan.txt").read_text().startswith("# Migration plan")


def test_title_wave_and_json(tmp_path: Path) -> None:
    target = tmp_path / "wave3.md"
    result = runner.invoke(
        app,
        [
            "plan",
            str(PHARMA),
            "-o",
            str(target),
            "--wave",
            "3",
            "--title",
            "Wave 3 runbook",
            "--json",
            *AS_OF,
        ],
    )
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.startswith("# Wave 3 runbook")
    assert "### Wave 3:" in text and "### Wave 2:" not in text
    machine = json.loads((tmp_path / "wave3.json").read_text())
    assert machine["assessment"]["schema"] == "migrator/assessment/v1"
    assert machine["waves"]["schema"] == "migrator/waves/v1"
    sections = re.findall(r'^### <a id="app-([^"]+)"', text, re.M)
    assert len(sections) == 8 and "lims" in sections and "sap-erp" not in sections
    assert "in **wave 3** of 8" in text
    assert "wave 3 of 8, 8 applications" in result.stderr
    missing = runner.invoke(app, ["plan", str(PHARMA), "-o", str(target), "--wave", "42"])
    assert missing.exit_code == 2 and "there is no wave 42" in missing.stderr


def test_user_template_overrides_one_section(tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    (mine / "plan").mkdir(parents=True)
    (mine / "plan" / "risks.md.j2").write_text(
        "## Our risks\n\n{% for r in risks %}- {{ r.rule }}: {{ r.count }}\n{% endfor %}"
    )
    target = tmp_path / "plan.md"
    result = runner.invoke(
        app, ["plan", str(PHARMA), "-o", str(target), "--templates", str(mine), *AS_OF]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert "## Our risks" in text and "## Risk register" not in text
    assert "- db-version-end-of-support: 43" in text
    assert "## Executive summary" in text  # the rest still comes from migrator


def _with_template(tmp_path: Path, name: str, text: str) -> tuple[int, str, Path]:
    mine = tmp_path / "templates"
    (mine / Path(name).parent).mkdir(parents=True, exist_ok=True)
    (mine / name).write_text(text)
    target = tmp_path / "plan.md"
    result = runner.invoke(
        app, ["plan", str(PHARMA), "-o", str(target), "--templates", str(mine), *AS_OF]
    )
    return result.exit_code, result.stderr, target


@pytest.mark.parametrize(
    "text",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ risks.__class__ }}{{ summary.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    ],
)
def test_templates_cannot_reach_python_internals(text: str, tmp_path: Path) -> None:
    code, err, target = _with_template(tmp_path, "plan/risks.md.j2", text)
    assert code == 2
    assert "template error" in err
    assert not target.exists()  # nothing half-written


def test_templates_cannot_read_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not leak")
    code, err, _ = _with_template(
        tmp_path, "plan/risks.md.j2", "{% include '" + str(secret) + "' %}"
    )
    assert code == 2
    assert "template not found" in err
    code, err, _ = _with_template(tmp_path, "plan/risks.md.j2", "{% include '../../secret.txt' %}")
    assert code == 2


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    code, err, target = _with_template(
        tmp_path, "plan/risks.md.j2", "## Risks\n\n{% for r in risks %}\n{{ r.rule }\n"
    )
    assert code == 2
    assert re.search(r"plan/risks\.md\.j2:4: template error: ", err), err
    assert not target.exists()


def test_template_undefined_name_is_located(tmp_path: Path) -> None:
    code, err, _ = _with_template(tmp_path, "plan/risks.md.j2", "## Risks\n{{ no_such_thing }}\n")
    assert code == 2
    assert re.search(r"risks\.md\.j2:2: template error: 'no_such_thing' is undefined", err), err


def test_missing_templates_directory(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["plan", str(PHARMA), "-o", str(tmp_path / "p.md"), "--templates", str(tmp_path / "nope")],
    )
    assert result.exit_code == 2
    assert "templates directory not found" in result.stderr


def _dense(count: int, per_wave: int) -> Inventory:
    """``count`` applications in four domains, each depending on every one before it."""
    from migrator.inventory.model import Application, Dependency, Planning, Portfolio

    apps = tuple(
        Application(
            id=f"a{i:02d}",
            name=f"A{i}",
            domain=f"d{i % 4}",
            depends_on=tuple(Dependency(app=f"a{j:02d}") for j in range(i)),
        )
        for i in range(count)
    )
    return Inventory(
        Portfolio(name="dense", region="europe-west1"),
        Planning(max_apps_per_wave=per_wave),
        apps,
        (),
        (),
    )


def test_dense_diagrams_fall_back_to_domains_for_mermaid() -> None:
    from migrator.plan.document import MERMAID_MAX_EDGES, prepare

    prepared = prepare(_dense(40, 40), load_rules(), dt.date(2026, 11, 29))  # 780 dependencies
    assert len(prepared.view.edges) <= MERMAID_MAX_EDGES
    assert prepared.view.aggregated == "domain"


def test_the_invisible_links_that_order_the_waves_count_against_mermaids_limit() -> None:
    from migrator.graph import mermaid
    from migrator.plan.document import MERMAID_MAX_EDGES, prepare

    def chosen(count: int) -> tuple[int, int, str | None]:
        # a wave each, at 1 a wave
        view = prepare(_dense(count, 1), load_rules(), dt.date(2026, 11, 29)).view
        return len(view.edges), mermaid.links(view), view.aggregated

    edges, links, aggregated = chosen(30)  # 435 dependencies and 58 invisible links
    assert (edges, links, aggregated) == (435, 435 + 58, None)
    assert links <= MERMAID_MAX_EDGES
    # 465 dependencies would fit, but not with the 60 links that keep the waves in order
    edges, links, aggregated = chosen(31)
    assert aggregated == "domain" and links <= MERMAID_MAX_EDGES


def test_every_risk_has_its_mitigation(tmp_path: Path) -> None:
    target = tmp_path / "plan.html"
    result = runner.invoke(app, ["plan", str(PHARMA), "-o", str(target), *AS_OF])
    assert result.exit_code == 0, result.output
    html = target.read_text()
    register = html.split('<section id="risks">')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", register, re.S)
    assert len(rows) >= 5
    for row in rows:
        mitigation = re.findall(r"<td>(.*?)</td>", row, re.S)[-1]
        assert len(mitigation.strip()) > 20, row
