"""CSV from `assess -f csv`: one row per application, no formula a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from migrator.render.escape import csv_cell
from tests.injection import hostile

runner = CliRunner()


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    where = tmp_path_factory.mktemp("csv")
    result = runner.invoke(
        app, ["assess", str(hostile.write(where)), "-f", "csv", "--as-of", "2026-11-29"]
    )
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout, newline="")))


def test_a_row_per_application(rows: list[dict[str, str]]) -> None:
    assert [row["id"] for row in rows] == [f"app-{i:02d}" for i in range(len(hostile.ALL))]
    by_id = {row["id"]: row for row in rows}
    assert by_id[f"app-{hostile.ALL.index(hostile.ROW):02d}"]["name"] == hostile.ROW
    assert by_id[f"app-{hostile.ALL.index(hostile.CR_FENCE):02d}"]["name"] == hostile.CR_FENCE


def test_no_cell_starts_a_formula(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    names = {row["name"] for row in rows}
    assert "'" + hostile.FORMULA in names and "'" + hostile.FORMULA_PLUS in names
    assert "'" + hostile.FORMULA_AT in names


def test_no_control_characters(rows: list[dict[str, str]]) -> None:
    names = {row["name"] for row in rows}
    assert "\\x1b[2J\\x1b]0;pwned\\x07\\x1b[31mred" in names
    assert "nul\\x00byte" in names


def test_file_output_is_the_same(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    target = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "assess",
            str(hostile.write(tmp_path)),
            "-f",
            "csv",
            "--as-of",
            "2026-11-29",
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    with target.open(newline="", encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == rows


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("-2", "'-2"),
        ("+x", "'+x"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (42, 42),
        (-3.5, -3.5),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_cell(value: object, cell: object) -> None:
    assert csv_cell(value) == cell
