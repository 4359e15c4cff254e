"""The command line: help everywhere, exit codes (docs/commands.md), JSON output, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from migrator import __version__
from migrator.cli import app
from migrator.commands.init import SCHEMA_FILE
from tests.conftest import PHARMA, WriteInventory

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"migrator {__version__}"


@pytest.mark.parametrize("command", [[], ["validate"], ["schema"], ["init"]])
def test_help_everywhere(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])
    assert "Usage" in result.output
    assert result.exit_code == 2


def test_unknown_option_is_bad_usage() -> None:
    result = runner.invoke(app, ["validate", "--frobnicate", "x"])
    assert result.exit_code == 2


def test_validate_sample_portfolio() -> None:
    result = runner.invoke(app, ["validate", str(PHARMA)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "valid:" in result.stderr


def test_validate_missing_path_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope'}: no such file or directory"


def test_validate_json(write_inventory: WriteInventory) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a, name: A, users: -1}\n"})
    result = runner.invoke(app, ["validate", str(root), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["schema"] == "migrator/validation/v1"
    assert report["valid"] is False
    assert (report["errors"], report["warnings"]) == (1, 0)
    assert report["diagnostics"] == [
        {
            "file": "inv/a.yaml",
            "line": 2,
            "column": 29,
            "severity": "error",
            "path": "applications[0].users",
            "message": "must be at least 0, got -1",
        }
    ]


def test_validate_json_valid(write_inventory: WriteInventory) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a, name: A}\n"})
    result = runner.invoke(app, ["validate", str(root), "-f", "json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["counts"] == {"applications": 1, "servers": 0, "databases": 0}


def test_strict_fails_on_warnings(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {"a.yaml": "applications:\n  - {id: a, name: A}\nservers:\n  - {id: lonely}\n"}
    )
    assert runner.invoke(app, ["validate", str(root)]).exit_code == 0
    result = runner.invoke(app, ["validate", str(root), "--strict"])
    assert result.exit_code == 1
    assert "warning: servers[0].id: server 'lonely' is not used" in result.stdout


def test_quiet_prints_only_problems(write_inventory: WriteInventory) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a, name: A}\n"})
    result = runner.invoke(app, ["-q", "validate", str(root)])
    assert result.exit_code == 0
    assert result.output == ""


def test_schema_is_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    app_schema = schema["properties"]["applications"]["items"]
    assert app_schema["required"] == ["id", "name"]
    assert app_schema["additionalProperties"] is False
    assert app_schema["properties"]["criticality"]["enum"] == ["low", "medium", "high", "critical"]
    assert app_schema["properties"]["criticality"]["default"] == "medium"


def test_schema_accepts_the_sample_and_rejects_a_typo() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    validator = jsonschema.Draft7Validator(schema)
    for path in sorted(PHARMA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        # PyYAML reads dates as dates; JSON Schema wants their text.
        errors = list(validator.iter_errors(json.loads(json.dumps(data, default=str))))
        assert errors == [], f"{path.name}: {errors[0].message}"
    bad = {"applications": [{"id": "a", "name": "A", "critcality": "high"}]}
    assert not validator.is_valid(bad)


def test_schema_to_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    result = runner.invoke(app, ["schema", "-o", str(target)])
    assert result.exit_code == 0
    assert json.loads(target.read_text())["title"] == "migrator inventory"


def test_schema_to_missing_directory_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "-o", str(tmp_path / "no" / "schema.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_init_writes_a_valid_inventory(tmp_path: Path) -> None:
    target = tmp_path / "starter"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir()) == [
        "applications.yaml",
        "infrastructure.yaml",
        SCHEMA_FILE,
        "portfolio.yaml",
    ]
    assert (
        "# yaml-language-server: $schema=./inventory.schema.json"
        in (target / "applications.yaml").read_text()
    )
    check = runner.invoke(app, ["validate", str(target), "--strict"])
    assert check.exit_code == 0, check.output


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path / "s")]).exit_code == 0
    (tmp_path / "s" / "applications.yaml").write_text("mine")
    result = runner.invoke(app, ["init", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "use --force" in result.stderr
    assert (tmp_path / "s" / "applications.yaml").read_text() == "mine"
    assert runner.invoke(app, ["init", str(tmp_path / "s"), "--force"]).exit_code == 0
    assert (tmp_path / "s" / "applications.yaml").read_text() != "mine"


def test_init_into_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    result = runner.invoke(app, ["init", str(tmp_path / "f")])
    assert result.exit_code == 2
    assert "is not a directory" in result.stderr


def test_internal_errors_are_short_without_debug(
    monkeypatch: pytest.MonkeyPatch, write_inventory: WriteInventory
) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a, name: A}\n"})

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("migrator.commands.validate.load", boom)
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        "error: internal error: RuntimeError: boom (run with --debug for the traceback)"
    )
    assert "Traceback" not in result.output
    debug = runner.invoke(app, ["--debug", "validate", str(root)])
    assert debug.exit_code == 3
    assert "Traceback" in debug.stderr


def test_as_a_subprocess(write_inventory: WriteInventory) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a, name: A, type: legacy}\n"})
    done = subprocess.run(
        [sys.executable, "-m", "migrator", "validate", str(root)],
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1", "PATH": ""},
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == (
        "inv/a.yaml:2:28: error: applications[0].type: 'legacy' is not one "
        "of custom, cots, saas, external\n"
    )
    assert "\x1b[" not in done.stdout + done.stderr


def _migrator(*args: str) -> list[str]:
    return [sys.executable, "-m", "migrator", *args]


def test_output_that_cannot_be_written_is_an_error_not_a_crash() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("this system has no /dev/full to fill")
    for args in (["assess", str(PHARMA), "-f", "json"], ["assess", str(PHARMA)], ["schema"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                _migrator(*args),
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env={"NO_COLOR": "1", "PATH": ""},
                check=False,
            )
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith("error: cannot write the output: No space left"), args
        assert "Traceback" not in done.stderr


def test_a_reader_that_leaves_early_stops_the_command_quietly(tmp_path: Path) -> None:
    # Several megabytes of JSON, of which the reader takes a few bytes and goes.
    big = tmp_path / "big.yaml"
    big.write_text(
        "applications:\n"
        + "".join(
            f"  - {{id: app-{n}, name: App {n}, description: {'x' * 200}}}\n" for n in range(3000)
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        _migrator("assess", str(big), "-f", "json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"NO_COLOR": "1", "PATH": ""},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10).startswith(b"{")
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert stderr == ""


def test_the_whole_output_arrives_through_a_pipe() -> None:
    done = subprocess.run(
        _migrator("assess", str(PHARMA), "-f", "json"),
        capture_output=True,
        env={"NO_COLOR": "1", "PATH": ""},
        check=False,
    )
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert len(data["applications"]) == 67
