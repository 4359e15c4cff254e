"""Markdown (the plan, `assess -f markdown`) shows names as text: no HTML, no links, no
block a name could close, and tables keep their columns."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from migrator.cli import app
from migrator.render.escape import markdown, markdown_code
from tests.injection import hostile

runner = CliRunner()
# CommonMark with raw HTML allowed, as most renderers but GitHub's do, and GFM tables.
RENDERER = MarkdownIt("commonmark", {"html": True}).enable("table")


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> str:
    where = tmp_path_factory.mktemp("md")
    target = where / "plan.md"
    result = runner.invoke(
        app,
        [
            "plan",
            str(hostile.write(where)),
            "-o",
            str(target),
            "--as-of",
            "2026-11-29",
            "--title",
            hostile.FENCE,
        ],
    )
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def assessment(tmp_path_factory: pytest.TempPathFactory) -> str:
    where = tmp_path_factory.mktemp("md")
    result = runner.invoke(
        app, ["assess", str(hostile.write(where)), "-f", "markdown", "--as-of", "2026-11-29"]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def _check(text: str) -> str:
    rendered = RENDERER.render(text)
    for tag in ("<script", "<img", "<svg", "<x>", "<a>", "</div>"):
        assert tag not in rendered, tag
    for href in re.findall(r'href="([^"]*)"', rendered):
        assert href.startswith("#app-"), href  # only the plan's own anchors
    assert "\x1b" not in text and "\x00" not in text and "\r" not in text
    return rendered


def test_plan_has_no_markup_from_names(plan: str) -> None:
    shown = html.unescape(_check(plan))
    # The names are shown as they are, as text.
    assert hostile.SCRIPT in shown and hostile.IMG in shown
    assert "[click](javascript:alert(1))" in shown


def test_assessment_has_no_markup_from_names(assessment: str) -> None:
    shown = html.unescape(_check(assessment))
    assert hostile.IMG in shown and hostile.DOT_HTML in shown


def test_only_the_plan_opens_code_blocks(plan: str) -> None:
    tokens = RENDERER.parse(plan)
    fences = [t for t in tokens if t.type == "fence"]
    assert [t.info for t in fences] == ["mermaid", "mermaid"]
    flowchart, gantt = (t.content for t in fences)
    assert flowchart.startswith("flowchart LR\n") and gantt.startswith("gantt\n")
    # Every line of the flowchart is Mermaid's: a name cannot start one.
    for line in flowchart.splitlines()[1:]:
        assert re.match(
            r"\s*(subgraph c\d+\[\"|end$|n\d+|classDef |class |%%|"
            r"a\d+\[\" \"\]$|a\d+ ~~~ n\d+( & n\d+)*$|linkStyle [\d,]+ marker-end:none$)",
            line,
        ), line
    freeze = [line for line in gantt.splitlines() if ": crit," in line]
    assert len(freeze) == 1 and freeze[0].strip().startswith("x ")


def test_tables_keep_their_columns(plan: str, assessment: str) -> None:
    tokens = RENDERER.parse(plan + "\n" + assessment)
    rows: list[int] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append(0)
        elif token.type in ("th_open", "td_open"):
            rows[-1] += 1
        elif token.type == "table_close":
            assert len(set(rows)) == 1, rows
            rows = []


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("a|b", "a\\|b"),
        ("[x](javascript:y)", "\\[x\\](javascript:y)"),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("1. item", "1\\. item"),
        ("two\nlines\r\nthree", "two lines three"),
        ("`code`", "\\`code\\`"),
        ("&lt; R&D", "\\&lt; R&D"),
        ("lims-app-01.example", "lims-app-01.example"),
        ("\x1b[2J", "\\\\x1b\\[2J"),
    ],
)
def test_markdown_text(text: str, escaped: str) -> None:
    assert markdown(text) == escaped
    shown = html.unescape(RENDERER.renderInline(escaped))
    assert shown == " ".join(text.split()).replace("\x1b", "\\x1b")


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("prices.yaml", "`prices.yaml`"),
        ("a`b", "``a`b``"),
        ("`x", "`` `x ``"),
        ("a|b", "`a\\|b`"),
    ],
)
def test_markdown_code(text: str, span: str) -> None:
    assert markdown_code(text) == span


def test_user_templates_are_escaped_too(tmp_path: Path) -> None:
    mine = tmp_path / "templates" / "plan"
    mine.mkdir(parents=True)
    (mine / "risks.md.j2").write_text("{% for a in applications %}- {{ a.name }}\n{% endfor %}")
    target = tmp_path / "plan.md"
    result = runner.invoke(
        app,
        [
            "plan",
            str(hostile.write(tmp_path)),
            "-o",
            str(target),
            "--templates",
            str(tmp_path / "templates"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "- \\<script\\>window.\\_\\_pwned=1\\</script\\>\n" in target.read_text()
