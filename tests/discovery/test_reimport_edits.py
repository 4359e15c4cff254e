"""A re-import keeps every edit: a field changed, a server deleted, a comment added."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from migrator.cli import app
from tests.discovery.test_import_hostile import MC_HEADER, mc_row

runner = CliRunner()


def run(tmp_path: Path, rows: list[str], *more: str) -> Any:
    export = tmp_path / "vmInfo.csv"
    export.write_text("\n".join([MC_HEADER, *rows]) + "\n")
    out = tmp_path / "estate"
    return runner.invoke(
        app,
        ["import", "csv", str(export), "-o", str(out), "--mapping", "migration-center", *more],
    )


def servers(tmp_path: Path) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((tmp_path / "estate" / "servers.yaml").read_text())
    return {s["id"]: s for s in data["servers"]}


ROWS = [mc_row("vm-1", "addsdc01"), mc_row("vm-2", "addsdc02"), mc_row("vm-3", "crm01")]


def edit(tmp_path: Path, old: str, new: str, name: str = "servers.yaml") -> None:
    path = tmp_path / "estate" / name
    text = path.read_text()
    assert old in text, text
    path.write_text(text.replace(old, new, 1))


def test_a_changed_field_is_kept_and_said(tmp_path: Path) -> None:
    assert run(tmp_path, ROWS).exit_code == 0
    edit(tmp_path, "    memory_gb: 16\n", "    memory_gb: 24  # corrected by hand\n")
    result = run(tmp_path, ROWS)
    assert result.exit_code == 0, result.output
    assert "kept your memory_gb for addsdc01: 24, discovery says 16" in result.stderr
    assert "--overwrite memory_gb" in result.stderr
    assert "memory_gb: 24  # corrected by hand" in (tmp_path / "estate/servers.yaml").read_text()
    # discovery changes its mind on another field: that one is discovery's, and updated
    changed = [mc_row("vm-1", "addsdc01", cpu="8"), *ROWS[1:]]
    result = run(tmp_path, changed)
    assert result.exit_code == 0, result.output
    found = servers(tmp_path)["addsdc01"]
    assert (found["cpu"], found["memory_gb"]) == (8, 24)
    record = yaml.safe_load((tmp_path / "estate/discovered.yaml").read_text())["x-import"]
    assert record["servers"]["written"]["vm-1"]["memory_gb"] == 16  # what discovery said
    assert "written" not in found["x-discovery"]
    again = run(tmp_path, changed)
    assert "0 updated" in again.stderr and "nothing changed" in again.stderr


def test_overwrite_takes_discoverys_value(tmp_path: Path) -> None:
    assert run(tmp_path, ROWS).exit_code == 0
    edit(tmp_path, "    memory_gb: 16\n", "    memory_gb: 24  # corrected by hand\n")
    result = run(tmp_path, ROWS, "--overwrite", "memory_gb")
    assert result.exit_code == 0, result.output
    assert servers(tmp_path)["addsdc01"]["memory_gb"] == 16
    assert "updated addsdc01: memory_gb" in result.stderr
    wrong = run(tmp_path, ROWS, "--overwrite", "environment")
    assert wrong.exit_code == 2
    assert "--overwrite environment: not a field discovery writes" in wrong.stderr


def test_a_deleted_field_stays_deleted(tmp_path: Path) -> None:
    assert run(tmp_path, ROWS).exit_code == 0
    edit(tmp_path, "    datacenter: dc-1\n", "")
    result = run(tmp_path, ROWS)
    assert result.exit_code == 0, result.output
    assert "datacenter" not in servers(tmp_path)["addsdc01"]
    assert "kept your datacenter for addsdc01: (deleted), discovery says dc-1" in result.stderr


def test_a_deleted_server_stays_deleted(tmp_path: Path) -> None:
    assert run(tmp_path, ROWS).exit_code == 0
    text = (tmp_path / "estate/servers.yaml").read_text()
    head = text.split("  - id: crm01\n", 1)[0]
    (tmp_path / "estate/servers.yaml").write_text(head)
    edit(tmp_path, "  - id: crm\n", "  - id: crm-retired\n", "applications.yaml")
    edit(tmp_path, "      - crm01\n", "", "applications.yaml")
    result = run(tmp_path, ROWS)
    assert result.exit_code == 0, result.output
    assert "crm01" not in servers(tmp_path)
    assert "1 machine(s) you deleted left out: crm01" in result.stderr
    apps = yaml.safe_load((tmp_path / "estate/applications.yaml").read_text())["applications"]
    assert "crm" not in {a["id"] for a in apps}  # its application is not proposed again
    record = yaml.safe_load((tmp_path / "estate/discovered.yaml").read_text())["x-import"]
    assert record["servers"]["deleted"] == ["vm-3"]
    assert set(record["servers"]["written"]) == {"vm-1", "vm-2"}
    assert runner.invoke(app, ["validate", str(tmp_path / "estate")]).exit_code == 0
    again = run(tmp_path, ROWS)
    assert "nothing changed" in again.stderr
    # the user takes the tombstone out: the machine comes back
    edit(tmp_path, "    deleted:\n      - vm-3\n", "    deleted: []\n", "discovered.yaml")
    back = run(tmp_path, ROWS)
    assert back.exit_code == 0 and "crm01" in servers(tmp_path), back.output


def test_comments_and_own_keys_stay(tmp_path: Path) -> None:
    assert run(tmp_path, ROWS).exit_code == 0
    edit(
        tmp_path,
        "  - id: addsdc02\n",
        "  # the domain controller of the Lyon site\n  - id: addsdc02\n"
        "    environment: prod  # by the owner\n    x-owner: infra\n",
    )
    before = (tmp_path / "estate/servers.yaml").read_text()
    result = run(tmp_path, [*ROWS[:1], mc_row("vm-2", "addsdc02", memory="32"), ROWS[2]])
    assert result.exit_code == 0, result.output
    after = (tmp_path / "estate/servers.yaml").read_text()
    assert "  # the domain controller of the Lyon site\n  - id: addsdc02\n" in after
    assert "    environment: prod  # by the owner\n    x-owner: infra\n" in after
    assert after.replace("memory_gb: 32", "memory_gb: 16") == before
