"""Templates cannot change the plan's data, hang, fill the memory, or read outside
their directory: each attempt is a located template error (exit 2) and nothing is written."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from migrator.assess.rules import load_rules
from migrator.cli import app
from migrator.errors import UsageError
from migrator.inventory.load import load_inventory
from migrator.plan.document import prepare
from migrator.render import sandbox
from migrator.render.templates import render
from tests.conftest import PHARMA

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-29"]


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    inventory, _ = load_inventory(PHARMA)
    return prepare(inventory, load_rules(), dt.date(2026, 11, 29)).context()


@pytest.fixture
def guard() -> Iterator[None]:
    """A hang fails the test after 60 s instead of stopping the suite."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError("the template ran for a minute")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _template(tmp_path: Path, text: str, name: str = "plan/risks.md.j2") -> Path:
    mine = tmp_path / "templates"
    (mine / Path(name).parent).mkdir(parents=True, exist_ok=True)
    (mine / name).write_bytes(text.encode() if isinstance(text, str) else text)
    return mine


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A smaller budget, so that a runaway template is stopped sooner (the real one is
    tested through the command line below)."""
    monkeypatch.setattr(sandbox, "MAX_WORK", 1_000_000)


def _refused(tmp_path: Path, context: dict[str, Any], text: str) -> str:
    mine = _template(tmp_path, text)
    with pytest.raises(UsageError) as caught:
        render("plan.md.j2", context, mine)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "more than 1,013,400 steps",
        ),
        (
            "{% for a in applications %}{% for b in applications %}{% for c in applications %}"
            "{% for d in applications %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
            "more than 1,013,400 steps",
        ),
        (
            "{% for i in range(20000) %}{% if applications | map(attribute='id') | join %}"
            "{% endif %}{% endfor %}",
            "more than 1,013,400 steps",
        ),
        (
            "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
            "{{ f(60) }}",
            "more than 1,013,400 steps",
        ),
        ("{{ 10 ** 100000000 }}", "too large a number"),
        (
            "{% set ns = namespace(n=2) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}"
            "{% endfor %}",
            "bits",
        ),
        ("{{ 'x' * 10 ** 9 }}", "at most 16,777,216 in one value"),
        ("{{ [0] * 10 ** 9 }}", "at most 1,000,000 in one list"),
        ("{{ range(10 ** 9) | list }}", "at most 1,000,000 in one list"),
        ("{{ 'x'.ljust(10 ** 9) }}", "width 1,000,000,000"),
        ("{{ 'x' | center(10 ** 9) }}", "width 1,000,000,000"),
        ("{{ 'a\\nb' | indent(10 ** 9) }}", "width 1,000,000,000"),
        ("{{ '%999999999d' % 1 }}", "width 999,999,999"),
        ("{{ '%*d' % (999999999, 1) }}", "a width taken from the arguments"),
        ("{{ '%999999999d' | format(1) }}", "width 999,999,999"),
        ("{{ '{:999999999}'.format(1) }}", "width 999,999,999"),
        ("{{ '{:{}}'.format(1, 999999999) }}", "a width taken from the arguments"),
        ("{{ ('x' * 1000000).replace('x', 'y' * 1000) }}", "replace"),
        ("{{ ('x' * 1000000) | replace('x', 'y' * 1000) }}", "replace"),
        ("{{ range(10) | join('x' * 10000000) }}", "join"),
        ("{{ [1] | batch(10 ** 9, 0) | list }}", "batch"),
        ("{{ [1] | slice(10 ** 9) | list }}", "slice"),
        ("{{ [[0] * 1000] * 1000 | sum(start=[]) }}", "only numbers"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
            "{% endfor %}",
            "namespace value 's'",
        ),
        (
            "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}"
            "{{ f('x', 40) }}",
            "an argument",
        ),
        ("{{ lipsum(10 ** 9) }}", "'lipsum' is undefined"),
    ],
)
def test_bounded_work_and_values(
    tmp_path: Path,
    context: dict[str, Any],
    guard: None,
    small_budget: None,
    text: str,
    message: str,
) -> None:
    error = _refused(tmp_path, context, "## Risks\n" + text)
    assert re.search(r"templates/plan/risks\.md\.j2:2: template error: ", error), error
    assert message in error, error


def test_bounded_output(
    tmp_path: Path, context: dict[str, Any], guard: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "MAX_OUTPUT", 10**6)
    error = _refused(tmp_path, context, "{% for i in range(1000) %}{{ 'x' * 10000 }}{% endfor %}")
    assert "template error: the template wrote more than 1,000,000 characters" in error


def test_legitimate_work_is_allowed(tmp_path: Path, context: dict[str, Any]) -> None:
    mine = _template(
        tmp_path,
        "{% for a in applications %}{% for b in applications %}"
        "{% if a.id < b.id %}{% endif %}{% endfor %}{% endfor %}"
        "{{ 2 ** 64 }} {{ '%5.1f' % 3.14159 }} {{ '{:>8}'.format('x') }}"
        " {{ 'ab' * 3 }} {{ range(3) | join(', ') }}",
    )
    text = render("plan.md.j2", context, mine)
    assert "18446744073709551616   3.1        x ababab 0, 1, 2" in text


@pytest.mark.parametrize(
    "text",
    [
        "{{ applications.clear() }}",
        "{{ applications.append(1) }}",
        "{{ applications.pop() }}",
        "{{ applications.sort() }}",
        "{{ summary.update({}) }}",
        "{{ summary.readiness.setdefault('x', 1) }}",
        "{{ summary.readiness.popitem() }}",
        "{{ (applications | first).findings.clear() }}",
        "{{ (applications | attr('clear'))() }}",
    ],
)
def test_templates_cannot_change_the_data(
    tmp_path: Path, context: dict[str, Any], text: str
) -> None:
    before = repr(context)
    error = _refused(tmp_path, context, "## Risks\n" + text)
    assert re.search(r"risks\.md\.j2:2: template error: .*(unsafe|undefined)", error), error
    assert repr(context) == before


def test_the_command_line_ends_a_runaway_template(tmp_path: Path) -> None:
    """Through the command line, in a process of its own: exit 2 with the place, and no
    plan written."""
    mine = _template(
        tmp_path,
        "## Risks\n\n{% for i in range(100000) %}"
        "{% for j in range(100000) %}{% endfor %}{% endfor %}",
    )
    target = tmp_path / "plan.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "migrator",
            "plan",
            str(PHARMA),
            "-o",
            str(target),
            "--templates",
            str(mine),
            *AS_OF,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert re.search(r"risks\.md\.j2:3: template error: the template did more than", done.stderr), (
        done.stderr
    )
    assert "Traceback" not in done.stderr
    assert not target.exists()


def test_a_link_out_of_the_templates_directory_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not leak")
    mine = _template(tmp_path, "unused")
    (mine / "plan" / "risks.md.j2").unlink()
    (mine / "plan" / "risks.md.j2").symlink_to(secret)
    target = tmp_path / "plan.md"
    result = runner.invoke(
        app, ["plan", str(PHARMA), "-o", str(target), "--templates", str(mine), *AS_OF]
    )
    assert result.exit_code == 2
    assert re.search(
        r"risks\.md\.j2:1: template error: cannot use this template: a link to "
        r".*secret\.txt, outside the templates directory",
        result.stderr,
    )
    assert "do not leak" not in result.output and not target.exists()


def test_a_link_inside_the_templates_directory_is_followed(tmp_path: Path) -> None:
    mine = _template(tmp_path, "## Our risks ({{ risks | length }})\n", "mine/risks.md.j2")
    (mine / "plan").mkdir()
    (mine / "plan" / "risks.md.j2").symlink_to(mine / "mine" / "risks.md.j2")
    target = tmp_path / "plan.md"
    result = runner.invoke(
        app, ["plan", str(PHARMA), "-o", str(target), "--templates", str(mine), *AS_OF]
    )
    assert result.exit_code == 0, result.output
    assert "## Our risks (" in target.read_text()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_not_read(tmp_path: Path, guard: None) -> None:
    mine = _template(tmp_path, "unused")
    (mine / "plan" / "risks.md.j2").unlink()
    os.mkfifo(mine / "plan" / "risks.md.j2")
    result = runner.invoke(
        app, ["plan", str(PHARMA), "-o", str(tmp_path / "p.md"), "--templates", str(mine), *AS_OF]
    )
    assert result.exit_code == 2
    assert "cannot use this template: not a regular file" in result.stderr
