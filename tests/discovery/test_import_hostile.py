"""`migrator import` against hostile exports and inventories: located errors, nothing lost."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from migrator.cli import app
from migrator.discovery import merge
from migrator.discovery.records import Discovered
from migrator.errors import UsageError
from tests.discovery import xlsx

runner = CliRunner()
MC_HEADER = (
    "MachineId,MachineName,PrimaryIPAddress,PrimaryMACAddress,PublicIPAddress,"
    "IpAddressListSemiColonDelimited,TotalDiskAllocatedGiB,TotalDiskUsedGiB,"
    "MachineTypeLabel,AllocatedProcessorCoreCount,MemoryGiB,HostingLocation,OsType,"
    "OsName,OsVersion,MachineStatus,ProvisioningState,CreateDate,IsPhysical,Source"
)


def mc_row(key: str, name: str, cpu: str = "4", memory: str = "16") -> str:
    return (
        f"{key},{name},10.0.0.1,,,,100,10,,{cpu},{memory},dc-1,Linux,Ubuntu,22.04,Running,"
        f"Provisioned,2021-01-01,false,VMware"
    )


def import_csv(
    tmp_path: Path, rows: list[str], out: Path | None = None, mapping: str = "migration-center"
) -> tuple[Path, object]:
    export = tmp_path / "vmInfo.csv"
    export.write_text("\n".join([MC_HEADER, *rows]) + "\n")
    out = out or tmp_path / "estate"
    result = runner.invoke(
        app, ["import", "csv", str(export), "-o", str(out), "--mapping", mapping]
    )
    return out, result


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# -- item 6: what is in the inventory already --------------------------------------------


def test_a_hand_written_server_is_never_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "estate"
    out.mkdir()
    (out / "servers.yaml").write_text(
        "servers:\n  - id: web01\n    cpu: 64  # measured\n    environment: prod\n"
    )
    out, result = import_csv(tmp_path, [mc_row("vm-1", "web01")], out)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((out / "servers.yaml").read_text())["servers"]
    assert data[0] == {"id": "web01", "cpu": 64, "environment": "prod"}
    assert data[1]["id"] == "web01-2" and data[1]["x-discovery"]["key"] == "vm-1"
    assert "imported beside it, not over it: 'web01' as web01-2" in result.stderr
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0


def test_servers_in_other_files_are_updated_there_not_added_again(tmp_path: Path) -> None:
    out, result = import_csv(tmp_path, [mc_row("vm-1", "web01"), mc_row("vm-2", "db01")])
    assert result.exit_code == 0
    # someone moves db01 to a file of its own, and writes a server by hand elsewhere
    servers = (out / "servers.yaml").read_text()
    head, db = servers.split("  - id: db01\n")
    (out / "servers.yaml").write_text(head.replace("  - id: web01", "  - id: web01", 1))
    (out / "erp.yaml").write_text("# the ERP's servers\nservers:\n  - id: db01\n" + db)
    (out / "legacy.yaml").write_text(
        "servers:\n  - {id: app01, cpu: 2}\n"
        "applications:\n  - {id: legacy, name: L, servers: "
        "[app01, db01, web01]}\n"
    )
    _, again = import_csv(
        tmp_path,
        [mc_row("vm-1", "web01"), mc_row("vm-2", "db01", cpu="8"), mc_row("vm-3", "app01")],
        out,
    )
    assert again.exit_code == 0, again.output
    assert "1 new server(s), 1 updated" in again.stderr
    erp = yaml.safe_load((out / "erp.yaml").read_text())["servers"]
    assert [(s["id"], s["cpu"]) for s in erp] == [("db01", 8)]
    assert (out / "erp.yaml").read_text().startswith("# the ERP's servers\n")
    ids = [s["id"] for s in yaml.safe_load((out / "servers.yaml").read_text())["servers"]]
    assert ids == ["web01", "app01-2"]  # app01 is written by hand in legacy.yaml
    validated = runner.invoke(app, ["validate", str(out)])
    assert validated.exit_code == 0, validated.output


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "servers.yaml",
            "servers: {id: a}\n",
            "servers.yaml:1:10: error: servers: expected a list of servers, got a mapping; the import "
            "would have to replace it",
        ),
        (
            "applications.yaml",
            "applications: []\nservers: 5\n",
            "applications.yaml:2:10: error: servers: expected a list of servers, got the number 5; the "
            "import would have to replace it",
        ),
        (
            "servers.yaml",
            "servers:\n  - id: a\n    cpu: [\n",
            "servers.yaml:3:10: error: invalid YAML: unclosed bracket",
        ),
        (
            "servers.yaml",
            "servers:\n" + "".join("  " * i + "- \n" for i in range(5000)),
            "servers.yaml:",
        ),
    ],
)
def test_a_malformed_inventory_stops_the_import_where_it_is_wrong(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    out = tmp_path / "estate"
    out.mkdir()
    (out / name).write_text(text)
    before = snapshot(out)
    _, result = import_csv(tmp_path, [mc_row("vm-1", "web01")], out)
    assert result.exit_code == 2, result.output
    assert any(line.startswith(f"{out}/{expected}") for line in result.stderr.splitlines()), (
        result.stderr
    )
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert snapshot(out) == before


def test_a_proposed_application_whose_servers_are_not_a_list_stops_the_import(
    tmp_path: Path,
) -> None:
    out = tmp_path / "estate"
    out.mkdir()
    (out / "applications.yaml").write_text(
        "applications:\n  - id: web\n    name: W\n    servers: 5\n    x-review: proposed\n"
    )
    before = snapshot(out)
    _, result = import_csv(tmp_path, [mc_row("vm-1", "web01")], out)
    assert result.exit_code == 2
    assert (
        f"{out}/applications.yaml:4:14: error: applications[0].servers: expected a list of "
        f"server ids; the import cannot add its new servers to it"
    ) in result.stderr
    assert snapshot(out) == before


def test_a_second_import_into_the_same_directory_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "estate"
    out.mkdir()
    held = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running import holds it
        _, result = import_csv(tmp_path, [mc_row("vm-1", "web01")], out)
    finally:
        os.close(held)
    assert result.exit_code == 2
    assert "another import into this directory is running" in result.stderr
    assert not (out / "servers.yaml").exists()
    _, after = import_csv(tmp_path, [mc_row("vm-1", "web01")], out)
    assert after.exit_code == 0  # released: the next one runs


def test_without_flock_a_lock_file_serialises_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system has no flock (Windows), a hidden file beside the inventory is the
    lock: taken by creating it exclusively, removed at the end."""
    from migrator.discovery import lock

    monkeypatch.setattr(lock, "fcntl", None)
    out = tmp_path / "estate"
    out.mkdir()
    marker = out / lock.LOCK_NAME
    with lock.import_lock(out):
        assert marker.is_file()
        _, result = import_csv(tmp_path, [mc_row("vm-1", "web01")], out)
        assert result.exit_code == 2
        assert "another import into this directory is running" in result.stderr
        assert f"(or delete {marker} if none is)" in result.stderr
        assert not (out / "servers.yaml").exists()
    assert not marker.exists()
    _, after = import_csv(tmp_path, [mc_row("vm-1", "web01")], out)
    assert after.exit_code == 0, after.output
    assert (out / "servers.yaml").is_file() and not marker.exists()


def test_a_file_changed_during_the_import_is_not_overwritten(tmp_path: Path) -> None:
    out, _ = import_csv(tmp_path, [mc_row("vm-1", "web01")])
    record = Discovered("web02", "vm-2", {"cpu": 2}, {"source": "x.csv"}, row=2)
    changes = merge.merge([record], out, "csv:x.csv", "none", __import__("datetime").date.today())
    (out / "servers.yaml").write_text((out / "servers.yaml").read_text() + "# edited\n")
    with pytest.raises(UsageError, match="changed while the import ran; nothing was written"):
        merge.write(changes)
    assert (out / "servers.yaml").read_text().endswith("# edited\n")


def test_a_fifo_in_the_inventory_does_not_block_the_import(tmp_path: Path) -> None:
    out = tmp_path / "estate"
    out.mkdir()
    os.mkfifo(out / "servers.yaml")
    export = tmp_path / "vmInfo.csv"
    export.write_text("\n".join([MC_HEADER, mc_row("vm-1", "web01")]) + "\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "migrator",
            "import",
            "csv",
            str(export),
            "-o",
            str(out),
            "--mapping",
            "migration-center",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert f"{out}/servers.yaml: error: cannot read: not a regular file" in done.stderr


# -- item 6 and 16: values validate would refuse are errors at their cells -----------------


@pytest.mark.parametrize(
    ("cpu", "message"),
    [
        ("-4", "must be at least 0, got -4"),
        ("NaN", "expected a finite number, got nan"),
        ("inf", "expected a finite number, got inf"),
        ("1e400", "expected a finite number, got inf"),
        ("1e300", "must be at most 100000, got 1e+300"),
    ],
)
def test_a_bad_number_in_a_csv_is_located_and_nothing_is_written(
    tmp_path: Path, cpu: str, message: str
) -> None:
    out, result = import_csv(tmp_path, [mc_row("vm-1", "web01"), mc_row("vm-2", "db01", cpu)])
    assert result.exit_code == 2, result.output
    assert (
        f"{tmp_path}/vmInfo.csv:3:10: error: cpu (column 'AllocatedProcessorCoreCount'): "
        f"{message}" in result.stderr
    )
    assert not out.exists()


def test_a_mapped_value_validate_would_refuse_is_located(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(
        "key: MachineId\nname: MachineName\ncolumns:\n"
        "  power_state: MachineStatus\n"
        "values:\n  power_state: {Running: 'yes'}\n"
    )
    out, result = import_csv(
        tmp_path, [mc_row("vm-1", "web01")], mapping=str(tmp_path / "map.yaml")
    )
    assert result.exit_code == 2
    assert (
        "vmInfo.csv:2:16: error: power_state (column 'MachineStatus'): 'yes' is not one of "
        "on, off" in result.stderr
    )
    assert not out.exists()


def test_a_csv_field_over_the_limit_is_located(tmp_path: Path) -> None:
    out, result = import_csv(tmp_path, [mc_row("vm-1", "web01"), mc_row("vm-2", "x" * 200_000)])
    assert result.exit_code == 2 and not out.exists()
    assert (
        f"{tmp_path}/vmInfo.csv:3:1: error: a field is longer than 131,072 characters: not "
        f"a machine's attribute (is this the right file?)"
    ) in result.stderr


# -- item 11 and 16: workbooks -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (xlsx.zip_bomb(), "xl/worksheets/sheet1.xml would expand"),
        (xlsx.with_doctype(xlsx.ENTITY_BOMB, "i"), "cannot read the workbook: ParseError"),
        (xlsx.with_doctype(xlsx.EXTERNAL_ENTITY, "x"), "cannot read the workbook: ParseError"),
        (xlsx.with_cell("NaN"), "cannot read the workbook: ValueError"),
    ],
)
def test_hostile_workbooks_are_refused_as_bad_input(
    tmp_path: Path, data: bytes, expected: str
) -> None:
    export = tmp_path / "export.xlsx"
    export.write_bytes(data)
    result = runner.invoke(app, ["import", "rvtools", str(export), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e400", "cpu (column 'CPUs'): expected a finite number, got inf"),
        ("-4", "cpu (column 'CPUs'): must be at least 0, got -4"),
    ],
)
def test_a_bad_number_in_a_workbook_is_located(tmp_path: Path, value: str, message: str) -> None:
    export = tmp_path / "export.xlsx"
    export.write_bytes(xlsx.with_cell(value))
    result = runner.invoke(app, ["import", "rvtools", str(export), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert f"export.xlsx:2:3: error: {message}" in result.stderr


# -- item 13: a re-import edits in place -------------------------------------------------


def test_a_reimport_changes_only_the_values_that_changed(tmp_path: Path) -> None:
    out, _ = import_csv(tmp_path, [mc_row(f"vm-{i}", f"web{i:02d}") for i in range(30)])
    path = out / "servers.yaml"
    entries = path.read_text().split("\n  - id: ")
    entries[8] = entries[8].replace("web07\n", "web07   # the odd one\n    environment: prod\n", 1)
    flow = "    x-discovery: {source: vmInfo.csv, key: vm-3, first_seen: '2026-01-01'}\n"
    entries[4] = entries[4][: entries[4].index("    x-discovery:")] + flow.rstrip("\n")
    edited = "\n  - id: ".join(entries)
    path.write_text(edited)
    rows = [mc_row(f"vm-{i}", f"web{i:02d}", cpu="8" if i in (3, 7) else "4") for i in range(30)]
    _, again = import_csv(tmp_path, rows, out)
    assert again.exit_code == 0, again.output
    for number in (4, 8):
        entries[number] = entries[number].replace("\n    cpu: 4\n", "\n    cpu: 8\n")
    assert path.read_text() == "\n  - id: ".join(entries)  # nothing else moved
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0


def test_a_value_mapped_to_null_is_left_out_not_refused(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(
        "key: MachineId\nname: MachineName\ncolumns:\n"
        "  cpu: AllocatedProcessorCoreCount\n"
        "values:\n  cpu: {'-1': null}\n"
    )
    out, result = import_csv(
        tmp_path, [mc_row("vm-1", "web01", cpu="-1")], mapping=str(tmp_path / "map.yaml")
    )
    assert result.exit_code == 0, result.output
    [server] = yaml.safe_load((out / "servers.yaml").read_text())["servers"]
    assert "cpu" not in server


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1.7976931348623157e308, "inf"),  # the workbook holds 1.797693134862316e+308
        (-1.7976931348623157e308, "-inf"),
        (2020.0, "2020"),
        (True, "true"),
        (1.5, "1.5"),
    ],
)
def test_a_number_in_a_text_column_is_written_as_text(
    tmp_path: Path, number: object, text: str
) -> None:
    """Found by the workbook fuzz test: a host name, datacenter, cluster or power state
    that a spreadsheet holds as a number too large for a float read as infinity, which
    no inventory value may be, and the import failed with an internal error."""
    header = (*xlsx.HEADER, "DNS Name", "Datacenter", "Cluster")
    row = ("web01", number, 2, 4096, 40960, 10240, "vm-101", number, number, number)
    (tmp_path / "export.xlsx").write_bytes(xlsx.workbook([row], header))
    out = tmp_path / "estate"
    result = runner.invoke(
        app, ["import", "rvtools", str(tmp_path / "export.xlsx"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    validated = runner.invoke(app, ["validate", str(out)])
    assert validated.exit_code == 0, validated.output
    (server,) = yaml.safe_load((out / "servers.yaml").read_text(encoding="utf-8"))["servers"]
    assert (server["hostname"], server["datacenter"], server["cluster"]) == (text,) * 3
    assert server["x-discovery"]["powerstate"] == text
    assert server["power_state"] == "off"  # neither poweredOn nor poweredOff
