"""The split advice worked out by a forked child while the schedule goes on: the same
schedule as by one process, whichever way the child ends."""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal
import os
import subprocess
import sys

import pytest

from migrator.assess.assessment import assess
from migrator.inventory.load import load_inventory
from migrator.inventory.model import Inventory
from migrator.waves import report, split
from migrator.waves.schedule import schedule
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="a child is forked on Linux only"
)
AS_OF = dt.date(2026, 11, 30)
CAP = 20  # applications a wave: the estate's largest groups are larger


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Inventory:
    root = tmp_path_factory.mktemp("advice") / "estate"
    generate = [sys.executable, str(ROOT / "bench" / "generate.py"), str(root), "--apps", "400"]
    subprocess.run([*generate, "--back-edges", "8"], check=True, capture_output=True)
    inventory, _ = load_inventory(root)
    return dataclasses.replace(
        inventory, planning=dataclasses.replace(inventory.planning, max_apps_per_wave=CAP)
    )


@pytest.fixture(autouse=True)
def two_processors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.delenv("MIGRATOR_PROCESSES", raising=False)
    monkeypatch.setattr(split, "MIN_APPLICATIONS_BESIDE", 2)


def _waves_json(inventory: Inventory) -> bytes:
    plan = schedule(inventory, assess(inventory, as_of=AS_OF), today=AS_OF)
    return report.WAVES_FORMATS["json"].produce(plan)


@pytest.fixture(scope="module")
def one_process(estate: Inventory) -> bytes:
    """The schedule worked out by this process alone, with its split advice."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MIGRATOR_PROCESSES", "1")
        done = _waves_json(estate)
    assert b'"split_advice": [\n    {' in done  # there is advice to work out
    return done


def test_the_child_s_advice_is_the_advice(
    estate: Inventory, one_process: bytes, forks: list[int]
) -> None:
    assert _waves_json(estate) == one_process
    assert len(forks) == 1


def _sends(data: bytes) -> object:
    return lambda *_args: data


@pytest.mark.parametrize(
    "sent",
    [
        None,  # the child failed
        b"not marshal data",
        marshal.dumps([]),  # no advice for the groups asked about
        marshal.dumps([("no-such-group", (), 1, True, ())]),  # another group's
        marshal.dumps([("mg-1", "not a tuple", 1, True, ())]),
    ],
    ids=["failed", "garbage", "none", "another-group", "malformed"],
)
def test_advice_the_child_did_not_send_is_worked_out_here(
    sent: bytes | None,
    estate: Inventory,
    one_process: bytes,
    forks: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from migrator import forked

    monkeypatch.setattr(forked.Child, "result", lambda self: sent)
    assert _waves_json(estate) == one_process
    assert len(forks) == 1


def test_one_process_for_a_small_estate_or_no_advice(
    estate: Inventory, one_process: bytes, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(split, "MIN_APPLICATIONS_BESIDE", 2000)  # the estate has 400
    assert _waves_json(estate) == one_process
    roomy = dataclasses.replace(
        estate, planning=dataclasses.replace(estate.planning, max_apps_per_wave=400)
    )
    monkeypatch.setattr(split, "MIN_APPLICATIONS_BESIDE", 2)
    _waves_json(roomy)  # no group larger than a wave: no advice, no child
    assert forks == []
