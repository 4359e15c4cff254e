"""What commands print for people never carries a control sequence from the inventory."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from migrator.cli import app
from migrator.console import Output, _console
from migrator.render.escape import terminal
from tests.injection import hostile

runner = CliRunner()
CONTROL = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))]


def _clean(text: str) -> None:
    found = sorted({hex(ord(c)) for c in text if c in CONTROL or c == "\u202e"})
    assert not found, found


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    return hostile.write(tmp_path)


def test_explain_shows_escapes_written_out(inventory: Path) -> None:
    app_id = f"app-{hostile.ALL.index(hostile.TERMINAL):02d}"
    result = runner.invoke(app, ["assess", str(inventory), "--explain", app_id])
    assert result.exit_code == 0, result.output
    _clean(result.output)
    assert "\\x1b[2J\\x1b]0;pwned" in result.stdout


def test_table_and_summaries(inventory: Path) -> None:
    for command in (
        ["assess", str(inventory)],
        ["assess", str(inventory), "--cost"],
        ["waves", str(inventory)],
        ["rules"],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.output)
        _clean(result.stdout)
        _clean(result.stderr)


def test_diagnostics(write_inventory: object, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'applications:\n  - id: a\n    name: x\n    criticality: "\\e[2Jhigh"\n'
        '    depends_on: ["\\e]0;t\\a"]\n    "\\e[31mkey": 1\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    _clean(result.stdout)
    _clean(result.stderr)
    assert "\\x1b[2Jhigh" in result.stdout


def test_error_messages(inventory: Path) -> None:
    result = runner.invoke(app, ["graph", str(inventory), "--focus", "\x1b[2Jnone"])
    assert result.exit_code == 2
    _clean(result.stderr)
    assert "\\x1b[2Jnone" in result.stderr


def test_colours_are_kept_on_a_terminal() -> None:
    stream = io.StringIO()
    console = _console(stream)
    console._force_terminal = True  # what a terminal would get
    console._color_system = console._detect_color_system()
    output = Output(out=console, err=console)
    output.error(f"bad name {hostile.TERMINAL}")
    table = Table()
    table.add_column("name", min_width=20)
    table.add_row(Text(hostile.BIDI, style="red"))
    console.print(table)
    printed = stream.getvalue()
    # rich's own styles remain; the name's escape and override are written out.
    assert "\x1b[1;31merror: bad name \\x1b[2J\\x1b]0;pwned" in printed
    assert "\\u202e" in printed and "\u202e" not in printed
    assert printed.count("\x1b[2J") == 0


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("ok\n", "ok\n"),
        ("tab\t", "tab\t"),
        ("\x9b", "\\x9b"),
        ("\u202eevil", "\\u202eevil"),
        ("plain", "plain"),
        ("\x00", "\\x00"),
    ],
)
def test_terminal_text(text: str, shown: str) -> None:
    assert terminal(text) == shown
