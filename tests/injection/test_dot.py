"""Names in diagrams stay text: never a Graphviz HTML label, a link, or a syntax error."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from migrator.graph.render import svg_without_graphviz
from migrator.render.escape import dot
from tests.conftest import require_program
from tests.injection import hostile

runner = CliRunner()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> str:
    where = tmp_path_factory.mktemp("dot")
    target = where / "graph.dot"
    result = runner.invoke(
        app, ["graph", str(hostile.write(where)), "-o", str(target), "--cluster-by", "domain"]
    )
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def test_no_html_label_and_no_url(source: str) -> None:
    outside_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', source, flags=re.S)
    assert "<" not in outside_strings  # an HTML label is an unquoted <...>
    assert not re.search(r"\b(URL|href|target)=", outside_strings, re.IGNORECASE)


def _check_svg(svg: str) -> None:
    assert "xlink:href" not in svg and " href=" not in svg
    assert "<script" not in svg and "onerror" not in svg.replace("onerror=&quot;", "")
    # The names are there, as text.
    assert "&lt;x&gt; URL=&quot;javascript:window.__pwned=5&quot; shape=&lt;circle&gt;" in svg
    assert "&lt;a&gt;b&lt;c&gt;" in svg
    assert "ends with a backslash\\" in svg


def test_system_dot_lays_it_out(source: str) -> None:
    program = require_program("dot", "Graphviz, to lay out the diagram")
    done = subprocess.run(
        [program, "-Tsvg"], input=source.encode(), capture_output=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Warning" not in done.stderr and b"Error" not in done.stderr
    _check_svg(done.stdout.decode())


def test_webassembly_dot_lays_it_out(source: str) -> None:
    _check_svg(svg_without_graphviz(source).decode())


def test_svg_through_the_command(tmp_path: Path) -> None:
    target = tmp_path / "graph.svg"
    result = runner.invoke(app, ["graph", str(hostile.write(tmp_path)), "-o", str(target)])
    assert result.exit_code == 0, result.output
    _check_svg(target.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("<b>x</b>", '"<b>x</b>"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("a\\", '"a\\\\"'),
        ("\\N \\l", '"\\\\N \\\\l"'),
        ("nul\x00", '"nul\\\\x00"'),
        ("two\nlines\r", '"two lines "'),
    ],
)
def test_dot_text(text: str, quoted: str) -> None:
    import graphviz

    assert graphviz.quoting.quote(dot(text)) == quoted
