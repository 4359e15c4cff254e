"""The assessment a schedule reads, worked out by two processes: the same schedule as by
one, whichever way the child ends."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from migrator import forked
from migrator.assess import brief
from migrator.assess.assessment import assess
from migrator.assess.formats import ASSESSMENT_FORMATS, Assessed
from migrator.assess.model import (
    AppAssessment,
    Assessment,
    Brief,
    Briefs,
    Planned,
    mean_score_known,
)
from migrator.assess.rules import load_rules
from migrator.cli import app
from migrator.commands.assess import waves_to_cost
from migrator.cost.compute import costs
from migrator.inventory.load import load_inventory
from migrator.inventory.model import Inventory
from migrator.waves import report
from migrator.waves.schedule import schedule
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="two processes are used on Linux only"
)
AS_OF = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Inventory]:
    root = tmp_path_factory.mktemp("brief") / "estate"
    generate = [sys.executable, str(ROOT / "bench" / "generate.py"), str(root), "--apps", "400"]
    subprocess.run(generate, check=True, capture_output=True)
    inventory, _ = load_inventory(root)
    return root, inventory


@pytest.fixture(autouse=True)
def two_processors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even on a machine with one processor: the result must not depend on it."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.delenv("MIGRATOR_PROCESSES", raising=False)


def _waves_json(inventory: Inventory, planned: object) -> bytes:
    plan = schedule(inventory, planned, today=AS_OF)  # type: ignore[arg-type]
    return report.WAVES_FORMATS["json"].produce(plan)


def _brief(a: Planned) -> tuple[object, ...]:
    return (a.app, a.score, a.readiness, a.strategy, a.person_days, a.targets)


def _assessment_json(inventory: Inventory, worked: Assessment | brief.Halves) -> bytes:
    everyone = worked.everyone if isinstance(worked, brief.Halves) else worked
    cost = costs(inventory, everyone, prices=None, sizing="moderate", disk_sizing="provisioned")
    plan = waves_to_cost(inventory, everyone, AS_OF)
    return ASSESSMENT_FORMATS["json"].produce(Assessed(worked, cost, plan))


def _serial(inventory: Inventory) -> Assessment:
    return assess(inventory, load_rules(None, today=AS_OF), AS_OF)


@pytest.mark.parametrize("inventory_of", ["sample", "estate"])
def test_two_processes_schedule_as_one(inventory_of: str, estate: tuple[Path, Inventory]) -> None:
    inventory = (
        estate[1]
        if inventory_of == "estate"
        else load_inventory(ROOT / "inventories" / "pharma")[0]
    )
    serial = _serial(inventory)
    planned = brief.for_planning(
        inventory, load_rules(None, today=AS_OF), AS_OF, min_applications=2
    )
    assert isinstance(planned, Briefs)
    half = len(serial.applications) // 2
    assert all(isinstance(a, AppAssessment) for a in planned.applications[:half])
    assert all(isinstance(a, Brief) for a in planned.applications[half:])  # the child's
    assert [a.app.id for a in planned.applications] == [a.app.id for a in serial.applications]
    for mine, theirs in zip(serial.applications, planned.applications, strict=True):
        assert _brief(mine) == _brief(theirs)
    assert planned.external == serial.external
    assert _waves_json(inventory, planned) == _waves_json(inventory, serial)


def _fails(*_args: object) -> bytes:
    os._exit(3)


def _raises(*_args: object) -> bytes:
    raise RuntimeError("the child's work went wrong")


def _sends_garbage(*_args: object) -> bytes:
    return b"not marshal data"


def _sends_too_few(*_args: object) -> bytes:
    return marshal.dumps(([(100, "ready", "rehost", 5, ())], []))


def _sends_an_unknown_strategy(
    _inventory: object, _rules: object, _today: object, apps: list[Any], _json: bool
) -> bytes:
    return marshal.dumps(([(100, "ready", "teleport", 5, ())] * len(apps), []))


def _sends_json_of_others(
    _inventory: object, _rules: object, _today: object, apps: list[Any], _json: bool
) -> bytes:
    briefs = [(100, "ready", "rehost", 5, ())] * len(apps)
    return marshal.dumps((briefs, [{"id": "someone-else"}] * len(apps)))


FAILING_CHILDREN = [_fails, _raises, _sends_garbage, _sends_too_few, _sends_an_unknown_strategy]


@pytest.mark.parametrize("child", FAILING_CHILDREN)
def test_a_failed_child_s_half_is_assessed_here(
    child: object, estate: tuple[Path, Inventory], monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = estate[1]
    monkeypatch.setattr(brief, "_work", child)
    planned = brief.for_planning(
        inventory, load_rules(None, today=AS_OF), AS_OF, min_applications=2
    )
    assert all(isinstance(a, AppAssessment) for a in planned.applications)
    assert _waves_json(inventory, planned) == _waves_json(inventory, _serial(inventory))


def test_one_process_when_told_small_or_threaded(
    estate: tuple[Path, Inventory], monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory, rules = estate[1], load_rules(None, today=AS_OF)
    assert isinstance(brief.for_planning(inventory, rules, AS_OF), Assessment)  # 400 < 2,000
    monkeypatch.setenv("MIGRATOR_PROCESSES", "1")
    assert isinstance(brief.for_planning(inventory, rules, AS_OF, min_applications=2), Assessment)
    monkeypatch.delenv("MIGRATOR_PROCESSES")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    assert isinstance(brief.for_planning(inventory, rules, AS_OF, min_applications=2), Assessment)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert isinstance(
            brief.for_planning(inventory, rules, AS_OF, min_applications=2), Assessment
        )
    finally:
        release.set()
        other.join()


def test_an_interrupted_parent_leaves_no_child(
    estate: tuple[Path, Inventory], monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(brief, "assess", interrupted)
    with pytest.raises(KeyboardInterrupt):
        brief.for_planning(estate[1], load_rules(None, today=AS_OF), AS_OF, min_applications=2)
    assert len(forks) == 1
    with pytest.raises(ChildProcessError):  # reaped already
        os.waitpid(forks[0], os.WNOHANG)


@pytest.mark.parametrize(
    "command",
    [
        ["waves", "-f", "json", "--max-apps-per-wave", "20"],
        ["graph", "--cluster-by", "wave", "--color-by", "readiness", "--no-aggregate"],
    ],
    ids=["waves", "graph"],
)
def test_the_waves_and_graph_commands_the_same_on_two_processes(
    command: list[str],
    estate: tuple[Path, Inventory],
    monkeypatch: pytest.MonkeyPatch,
    forks: list[int],
) -> None:
    command = [command[0], str(estate[0]), *command[1:], "--as-of", AS_OF.isoformat()]
    monkeypatch.setattr(brief, "MIN_APPLICATIONS", 2)
    two = CliRunner().invoke(app, command)
    monkeypatch.setenv("MIGRATOR_PROCESSES", "1")
    one = CliRunner().invoke(app, command)
    assert two.exit_code == one.exit_code == 0, two.output
    assert two.stdout.startswith("digraph") if command[0] == "graph" else two.stdout
    assert len(forks) == 1
    assert two.stdout_bytes == one.stdout_bytes
    assert two.stderr == one.stderr


@pytest.mark.parametrize("inventory_of", ["sample", "estate"])
def test_two_processes_write_the_assessment_json_of_one(
    inventory_of: str, estate: tuple[Path, Inventory]
) -> None:
    inventory = (
        estate[1]
        if inventory_of == "estate"
        else load_inventory(ROOT / "inventories" / "pharma")[0]
    )
    serial = _serial(inventory)
    worked = brief.for_json(inventory, load_rules(None, today=AS_OF), AS_OF, min_applications=2)
    assert isinstance(worked, brief.Halves)
    total = len(serial.applications)
    half = total - round(total * brief.CHILD_SHARE_JSON)  # the child writes JSON: less
    assert len(worked.first.applications) == half
    assert [r["id"] for r in worked.second] == [a.app.id for a in serial.applications[half:]]
    assert [_brief(a) for a in worked.everyone.applications] == [
        _brief(a) for a in serial.applications
    ]
    assert mean_score_known(worked.everyone.applications) == serial.mean_score_known
    assert _assessment_json(inventory, worked) == _assessment_json(inventory, serial)


@pytest.mark.parametrize("child", [*FAILING_CHILDREN, _sends_json_of_others])
def test_a_failed_child_s_half_of_the_json_is_written_here(
    child: object, estate: tuple[Path, Inventory], monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = estate[1]
    monkeypatch.setattr(brief, "_work", child)
    worked = brief.for_json(inventory, load_rules(None, today=AS_OF), AS_OF, min_applications=2)
    assert isinstance(worked, brief.Halves)
    assert all(isinstance(a, AppAssessment) for a in worked.everyone.applications)
    assert _assessment_json(inventory, worked) == _assessment_json(inventory, _serial(inventory))


@pytest.mark.parametrize(
    "options",
    [["-f", "json"], ["-f", "markdown"], ["-f", "json", "--fail-under", "99", "--each"]],
    ids=["json", "markdown", "fail-under"],
)
def test_the_assess_command_the_same_on_two_processes(
    options: list[str],
    estate: tuple[Path, Inventory],
    monkeypatch: pytest.MonkeyPatch,
    forks: list[int],
) -> None:
    """Two children: half the assessment, then the waves to cost while this one prices."""
    command = ["assess", str(estate[0]), *options, "--as-of", AS_OF.isoformat()]
    monkeypatch.setattr(brief, "MIN_APPLICATIONS", 2)
    two = CliRunner().invoke(app, command)
    monkeypatch.setenv("MIGRATOR_PROCESSES", "1")
    one = CliRunner().invoke(app, command)
    assert len(forks) == 2
    assert (two.exit_code, two.stdout_bytes, two.stderr) == (
        one.exit_code,
        one.stdout_bytes,
        one.stderr,
    )
    assert one.exit_code == (1 if "--fail-under" in options else 0)


@pytest.mark.parametrize(
    "sent",
    [None, b"not a pickle", pickle.dumps("not a schedule")],
    ids=["failed", "not-a-pickle", "not-a-schedule"],
)
def test_waves_to_cost_are_worked_out_here_when_the_children_fail(
    sent: bytes | None,
    estate: tuple[Path, Inventory],
    monkeypatch: pytest.MonkeyPatch,
    forks: list[int],
) -> None:
    command = ["assess", str(estate[0]), "-f", "json", "--as-of", AS_OF.isoformat()]
    monkeypatch.setenv("MIGRATOR_PROCESSES", "1")
    one = CliRunner().invoke(app, command)
    monkeypatch.delenv("MIGRATOR_PROCESSES")
    monkeypatch.setattr(brief, "MIN_APPLICATIONS", 2)
    monkeypatch.setattr(forked.Child, "result", lambda self: sent)
    two = CliRunner().invoke(app, command)
    assert len(forks) == 2  # both children's work is done here again
    assert two.exit_code == one.exit_code == 0
    assert two.stdout_bytes == one.stdout_bytes
    assert json.loads(two.stdout)["summary"]["cost"]["waves"]


def test_the_schedule_the_same_when_no_child_can_be_forked(
    estate: tuple[Path, Inventory], monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = estate[1]

    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    planned = brief.for_planning(
        inventory, load_rules(None, today=AS_OF), AS_OF, min_applications=2
    )
    assert _waves_json(inventory, planned) == _waves_json(inventory, _serial(inventory))


@pytest.mark.parametrize("options", [[], ["--cost"]], ids=["table", "table-with-cost"])
def test_the_assess_table_the_same_on_two_processes(
    options: list[str],
    estate: tuple[Path, Inventory],
    monkeypatch: pytest.MonkeyPatch,
    forks: list[int],
) -> None:
    """The table's rows of the child's half are assessed again here (they need their
    findings): the table is the one of one process."""
    command = ["assess", str(estate[0]), *options, "--as-of", AS_OF.isoformat()]
    monkeypatch.setattr(brief, "MIN_APPLICATIONS", 2)
    monkeypatch.setenv("COLUMNS", "200")
    again: list[int] = []
    from migrator.commands import assess as command_module

    whole = command_module.assess

    def counted(inventory: Inventory, rules: object, today: object, apps: object = None) -> object:
        result = whole(inventory, rules, today, apps)  # type: ignore[arg-type]
        again.append(len(result.applications))
        return result

    monkeypatch.setattr(command_module, "assess", counted)
    two = CliRunner().invoke(app, command)
    monkeypatch.setenv("MIGRATOR_PROCESSES", "1")
    one = CliRunner().invoke(app, command)
    assert two.exit_code == one.exit_code == 0, two.output
    assert len(forks) == 1
    assert 0 < again[0] < 100  # the shown rows of the child's half, assessed again
    assert two.stdout == one.stdout
    assert "the table shows 100 of 398 applications" in two.stdout  # 2 external
