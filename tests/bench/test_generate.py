"""bench/generate.py: the synthetic portfolio the benchmarks run on is valid, repeatable,
and its hand-written YAML reads back the same in both YAML readers migrator uses."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml
import yaml_rs
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from migrator.cli import app
from tests.conftest import ROOT

GENERATE = ROOT / "bench" / "generate.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


generate = _module()


def _run(outdir: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(GENERATE), str(outdir), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


def test_a_small_portfolio_validates_through_the_cli(tmp_path: Path) -> None:
    summary = _run(tmp_path / "estate", "--apps", "60", "--seed", "7")
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "estate"), "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # no diagnostic, not even a warning
    # the summary counts what the files hold, and validate counts the same
    applications, servers, databases = (int(summary.split()[i]) for i in (0, 2, 4))
    assert applications == 60
    assert f"{applications} applications, {servers} servers, {databases} databases" in (
        result.stderr
    )


def test_the_portfolio_goes_through_assess_and_waves(tmp_path: Path) -> None:
    estate = tmp_path / "estate"
    _run(estate, "--apps", "40", "--back-edges", "3")
    runner = CliRunner()
    assessed = runner.invoke(app, ["assess", str(estate), "-f", "json", "--as-of", "2026-12-01"])
    assert assessed.exit_code == 0, assessed.output
    waves = runner.invoke(app, ["waves", str(estate), "-f", "json", "--as-of", "2026-12-01"])
    assert waves.exit_code == 0, waves.output
    assert "Traceback" not in assessed.output + waves.output


def test_the_same_arguments_write_the_same_bytes(tmp_path: Path) -> None:
    _run(tmp_path / "a", "--apps", "30", "--seed", "3")
    _run(tmp_path / "b", "--apps", "30", "--seed", "3")
    _run(tmp_path / "c", "--apps", "30", "--seed", "4")
    files = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert files == sorted(path.name for path in (tmp_path / "b").iterdir())
    read = {name: (tmp_path / "a" / name).read_bytes() for name in files}
    assert all(read[name] == (tmp_path / "b" / name).read_bytes() for name in files)
    assert read["servers.yaml"] != (tmp_path / "c" / "servers.yaml").read_bytes()


def test_a_smaller_run_leaves_no_file_of_a_larger_one(tmp_path: Path) -> None:
    _run(tmp_path / "estate", "--apps", "200")
    _run(tmp_path / "estate", "--apps", "1")
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "estate")])
    assert result.exit_code == 0, result.output
    assert "1 applications" in result.stderr or "1 application" in result.stderr


def test_bad_arguments_are_refused_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(GENERATE), str(tmp_path), "--apps", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--apps must be at least 1" in done.stderr
    assert "Traceback" not in done.stderr


# Text the emitter must quote: words YAML 1.1 reads as booleans or null, numbers, dates,
# indicators, and the characters around them.
TRICKY = st.one_of(
    st.sampled_from(["on", "off", "yes", "No", "null", "~", "2027-01-11", "1_000", "12.10"]),
    st.sampled_from(["0755", "1e3", ".inf", "- x", "a: b", "#x", "x #y", "[a]", "*a", "!a"]),
    st.text(max_size=12),
)
SCALARS = st.one_of(
    TRICKY,
    st.integers(-(10**9), 10**9),
    st.booleans(),
    st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)),
)
# Keys are written as they are: the emitter is for the inventory's own keys, which are
# plain identifiers (none of them a word YAML 1.1 would read as a boolean).
KEYS = st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True).filter(
    lambda key: key not in generate._RESERVED
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(KEYS, inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(KEYS, DOCUMENTS))
def test_the_emitter_writes_what_both_readers_read_back(document: dict[str, object]) -> None:
    text = generate.dump_yaml(document, header="a comment\nand another")
    assert yaml.safe_load(text) == (document or None)
    # yaml-rs reads any scalar that looks like a date as one, quoted or not (migrator then
    # takes a text field's source text): compared without dates, it reads the same
    assert yaml_rs.loads(text, parse_datetime=False) == (_undated(document) or None)


def _undated(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _undated(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_undated(item) for item in value]
    return value


@pytest.mark.parametrize("text", ["2027-01-11", "1_000"])
def test_text_that_looks_like_a_date_or_a_number_stays_text(text: str) -> None:
    # yaml-rs's own emitter writes these unquoted, and a YAML reader then reads a date or
    # a number: one of the reasons generate.py keeps its emitter (see its docstring)
    assert yaml.safe_load(generate.dump_yaml({"k": text})) == {"k": text}
    assert yaml.safe_load(yaml_rs.dumps({"k": text})) != {"k": text}
