"""A template's mistakes at run time are located (template file and line), exit 2, and
nothing is written: the same for migrator's Markdown plan and its HTML report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from tests.conftest import PHARMA

runner = CliRunner()


def _plan(
    tmp_path: Path, name: str, text: str | bytes, target: str = "plan.md"
) -> tuple[int, str, Path]:
    mine = tmp_path / "templates"
    (mine / Path(name).parent).mkdir(parents=True, exist_ok=True)
    (mine / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    out = tmp_path / target
    result = runner.invoke(
        app,
        ["plan", str(PHARMA), "-o", str(out), "--templates", str(mine), "--as-of", "2026-11-29"],
    )
    return result.exit_code, result.stderr, out


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("## Risks\n\n{{ 'abc' | money }}\n", 3, "money: expected a number, got str 'abc'"),
        ("## Risks\n{{ risks[0].title | days }}\n", 2, "days: expected a number, got str"),
        ("## Risks\n{{ 42 | date }}\n", 2, "date: expected a date, got int 42"),
        ("## Risks\n\n\n{{ 1 / 0 }}\n", 4, "ZeroDivisionError: division by zero"),
        ("## Risks\n{{ (2 ** 20000) ~ '' }}\n", 2, "ValueError: Exceeds the limit"),
        (
            "## Risks\n{% include 'plan/risks.md.j2' %}\n",
            2,
            "templates nest too deeply (does one include itself, or a macro call itself?)",
        ),
        (
            "## Risks\n{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\n",
            2,
            "templates nest too deeply",
        ),
        ("## Risks\n{{ risks | no_such_filter }}\n", 2, "No filter named 'no_such_filter'"),
        (
            "## Risks\n{% include 'plan/missing.md.j2' %}\n",
            2,
            "template not found: plan/missing.md.j2",
        ),
    ],
)
def test_runtime_errors_are_located(tmp_path: Path, text: str, where: int, message: str) -> None:
    code, err, out = _plan(tmp_path, "plan/risks.md.j2", text)
    assert code == 2, err
    assert re.search(rf"templates/plan/risks\.md\.j2:{where}: (template error: )?", err), err
    assert message in err, err
    assert "Traceback" not in err and "internal error" not in err
    assert not out.exists()


def test_a_template_that_is_not_utf8(tmp_path: Path) -> None:
    code, err, out = _plan(tmp_path, "plan/risks.md.j2", b"## Risks\n\nab\xff\xfe\n")
    assert code == 2
    assert re.search(
        r"templates/plan/risks\.md\.j2:3: template error: not UTF-8: byte 0xff "
        r"at column 3",
        err,
    ), err
    assert not out.exists()


def test_errors_in_the_report_are_located_too(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[2] / "templates" / "report.html.j2").read_text()
    broken = text.replace("<h2>Applications</h2>", "<h2>{{ summary.applications / 0 }}</h2>")
    line = broken[: broken.index("/ 0")].count("\n") + 1
    code, err, out = _plan(tmp_path, "report.html.j2", broken, "report.html")
    assert code == 2
    assert f"templates/report.html.j2:{line}: template error: ZeroDivisionError" in err, err
    assert not out.exists()


def test_an_old_file_is_left_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text("the previous plan\n")
    code, _, out = _plan(tmp_path, "plan/risks.md.j2", "{{ 1 / 0 }}")
    assert code == 2
    assert out.read_text() == "the previous plan\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.md", "templates"]
