"""A table of broken rule conditions, each with the exact located errors it must produce.

One row per error the condition parser (``migrator/assess/conditions.py``) can raise, run
through the command line as a user would: ``migrator rules --rules FILE`` and ``migrator
assess --rules FILE`` both refuse the file with exit code 2 and nothing else printed but
the diagnostics and the one summary line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from migrator.cli import app
from tests.conftest import PHARMA

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "condition_errors.yaml").read_text(encoding="utf-8")
)

# The rule every case fills in; its condition starts on line 10, as the table's header says.
RULE = """rules:
  - id: case-rule
    title: Case
    category: operations
    applies_to: application
    severity: minor
    points: 1
    message: "m"
    when:
"""

# Every message the condition parser writes, by the words that make it distinct: a new
# error in conditions.py needs a row in the table, and a row whose error is gone fails.
MESSAGES = (
    "expected a condition (a mapping",
    "must be alone in its mapping",
    "conditions nest too deeply",
    "expected a non-empty list of conditions",
    "unknown key (did you mean",
    "unknown key (a condition is",
    "missing required key 'attr'",
    "expected an attribute name",
    "unknown attribute",
    "missing required key 'op'",
    "is not one of eq, ne",
    "needs a 'value'",
    "takes no value",
    "needs a list",
    "needs one value (text or a number)",
    "needs a number (finite",
    "needs a date (YYYY-MM-DD)",
    "is too far from today",
    "needs a regular expression",
    "invalid regular expression",
    "(patterns use RE2 syntax",
)


def _rules_file(when: str) -> str:
    return RULE + "".join(f"      {line}\n" for line in when.splitlines())


def test_the_table_covers_every_message() -> None:
    assert len({case["name"] for case in CASES}) == len(CASES)
    written = [line for case in CASES for line in case["expect"]]
    for words in MESSAGES:
        assert any(words in line for line in written), f"no row for {words!r}"
    source = (Path(__file__).parents[2] / "migrator" / "assess" / "conditions.py").read_text()
    # 17 calls write the 21 messages above (some calls choose between two texts): a new
    # call is a new error, which needs its row in the table and its words in MESSAGES
    assert source.count("self.checker.error(") == 17


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_condition_error(case: dict[str, Any], tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    Path("rules.yaml").write_text(_rules_file(case["when"]), encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "--rules", "rules.yaml"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        *case["expect"],
        "error: rules.yaml: the rules file has errors",
    ]
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", CASES[::6], ids=[case["name"] for case in CASES[::6]])
def test_assess_refuses_the_same_rules(
    case: dict[str, Any], tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("rules.yaml").write_text(_rules_file(case["when"]), encoding="utf-8")
    Path("out.json").write_text("old", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["assess", str(PHARMA), "--rules", "rules.yaml", "-f", "json", "-o", "out.json"]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[: len(case["expect"])] == case["expect"]
    assert Path("out.json").read_text(encoding="utf-8") == "old"
