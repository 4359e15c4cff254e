"""Option values: converted in plain Python as typer's own conversion would, without pydantic."""

from __future__ import annotations

import ast
import subprocess
import sys
from typing import Any

import pytest
from typer.testing import CliRunner

from migrator import cli
from migrator.cli import app
from tests.conftest import PHARMA

runner = CliRunner()

INVENTORY = str(PHARMA)

# Each is given to the command line twice: as it is, and with typer converting every value
# itself; what the command is handed, what it prints and its exit code must be the same.
CASES = [
    ["validate", INVENTORY, "-f", "json", "--strict"],
    ["validate", INVENTORY, "-f", "JSON"],
    ["validate", INVENTORY, "-f", "bogus"],
    ["validate", "./tests//../inventories/pharma/"],
    ["validate", ""],
    ["waves", INVENTORY, "--wave-weeks", "3", "--max-apps-per-wave", "007"],
    ["waves", INVENTORY, "--wave-weeks", " 3", "--max-servers-per-wave", "+4"],
    ["waves", INVENTORY, "--max-person-days-per-wave", "1_000"],
    ["waves", INVENTORY, "--wave-weeks", "1.5"],
    ["waves", INVENTORY, "--wave-weeks", "x"],
    ["waves", INVENTORY, "--wave-weeks", "٣"],
    ["waves", INVENTORY, "--max-apps-per-wave", "0"],
    ["waves", INVENTORY, "--max-apps-per-wave", "-3"],
    ["waves", INVENTORY, "--max-apps-per-wave", "9" * 30],
    ["waves", INVENTORY, "--order", "consumers-first", "--bridge", "async,batch"],
    ["waves", INVENTORY, "--order", "Consumers-First"],
    ["waves", INVENTORY, "--bridge", "", "--shared-services", "a, b"],
    ["waves", INVENTORY, "--start", "2027-01-04", "--as-of", "2026-06-01"],
    ["waves", INVENTORY, "--start", "2027-13-04"],
    ["waves", INVENTORY, "--as-of", "1800-01-01"],
    ["waves", INVENTORY, "-o", "out.json", "--rules", "rules.yaml", "--scenario", "s.yaml"],
    ["assess", INVENTORY, "--fail-under", "50", "--each"],
    ["assess", INVENTORY, "--fail-under", "50.25", "-f", "csv"],
    ["assess", INVENTORY, "--fail-under", "1e1"],
    ["assess", INVENTORY, "--fail-under", ".5"],
    ["assess", INVENTORY, "--fail-under", "nan"],
    ["assess", INVENTORY, "--fail-under", "101"],
    ["assess", INVENTORY, "--fail-under", "abc"],
    ["assess", INVENTORY, "--explain", "sap-erp", "--sizing", "aggressive"],
    ["assess", INVENTORY, "--disk-sizing", "used", "--prices", "p.yaml", "--cost"],
    ["graph", INVENTORY, "--depth", "0", "--focus", "sap-erp", "--color-by", "readiness"],
    ["graph", INVENTORY, "--depth", "-1"],
    ["graph", INVENTORY, "--wave", "0"],
    ["graph", INVENTORY, "--wave", "2", "--cluster-by", "wave", "--no-aggregate"],
    ["plan", INVENTORY, "-o", "plan.md", "--wave", "1", "--title", "Plan", "--json"],
    ["plan", INVENTORY, "-o", "plan.md", "-f", "pdf"],
    ["diff", INVENTORY, f"HEAD:{INVENTORY}", "-f", "markdown"],
    ["diff", "--git", "HEAD~1", INVENTORY],
    ["check", INVENTORY, "--policy", "policy.yaml", "--base", "HEAD:inventories/pharma"],
    ["import", "rvtools", "x.xlsx", "-o", "inv", "--overwrite", "cpu", "--overwrite", "os"],
    ["import", "csv", "x.csv", "-o", "inv", "--mapping", "migration-center", "--group-by", "none"],
    ["import", "dependencies", "x.csv", "-o", "inv", "--dry-run"],
    ["rules", "--rules", "rules.yaml"],
    ["schema", "-o", "schema.json"],
    ["init", "starter", "--force"],
]


def _handed(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> tuple[int, str, list[str]]:
    """What the command was handed (every argument's repr), what it printed, its exit code."""
    handed: list[str] = []

    def record(*args: Any, **kwargs: Any) -> int:
        handed.extend(repr(arg) for arg in args if not isinstance(arg, cli.Output))
        handed.extend(f"{key}={value!r}" for key, value in sorted(kwargs.items()))
        return 0

    from migrator.commands import (
        assess,
        check,
        diff,
        graph,
        import_,
        import_deps,
        init,
        plan,
        rules,
        schema,
        validate,
        waves,
    )

    for module in (assess, check, diff, graph, import_deps, init, plan, schema, validate, waves):
        monkeypatch.setattr(module, "run", record)
    monkeypatch.setattr(import_, "run_servers", record)
    monkeypatch.setattr(rules, "list_rules", record)
    result = runner.invoke(app, argv)
    return result.exit_code, result.output, handed


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(argv) for argv in CASES])
def test_values_are_typers(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    plain = _handed(monkeypatch, argv)
    monkeypatch.setattr(cli, "_PlainValue", None)
    typers = _handed(monkeypatch, argv)
    assert plain == typers
    assert "Traceback" not in plain[1]


def test_cases_are_both_taken_and_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # The comparison above shows something only if the cases go both ways.
    outcomes = [_handed(monkeypatch, argv) for argv in CASES]
    assert {code for code, _, _ in outcomes} == {0, 2}
    assert all(handed for code, _, handed in outcomes if code == 0)
    assert all(not handed for code, _, handed in outcomes if code == 2)


def test_a_quiet_check_imports_only_what_it_uses() -> None:
    # A valid inventory checked quietly prints nothing: it needs no pydantic (typer 0.29
    # would import it, 0.15 s, to convert the options: if it is back, typer's internals
    # moved and cli.py's _PlainValue no longer applies), no rich, and no Jinja, Graphviz
    # or PyYAML (the escaping, the templates and the locating of problems bring those).
    code = (
        "import sys\n"
        "from migrator.cli import app\n"
        "try:\n"
        f"    app(['-q', 'validate', {INVENTORY!r}, '--strict'], prog_name='migrator')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "print(sorted({name.split('.')[0] for name in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    imported = set(ast.literal_eval(done.stdout.splitlines()[-1]))
    assert {"typer", "yaml_rs", "migrator"} <= imported
    assert not imported & {"pydantic", "rich", "jinja2", "graphviz", "yaml", "networkx"}
