"""`migrator import`: the shared RVTools exports, CSV mappings, safe re-import, bad files."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from migrator.cli import app
from migrator.discovery import rvtools
from migrator.discovery.records import Discovered, assign_ids, slug

runner = CliRunner()


def _shared_data() -> Path:
    """The shared RVTools exports: $MIGRATOR_SHARED_DATA, or ../shared/data beside the
    repository (the workplace's layout), or /work/shared/data."""
    candidates = [Path(p) for p in (os.environ.get("MIGRATOR_SHARED_DATA"),) if p]
    candidates += [
        Path(__file__).resolve().parents[3] / "shared" / "data",
        Path("/work/shared/data"),
    ]
    return next(
        (c / "rvtools" for c in candidates if (c / "rvtools").is_dir()), candidates[-1] / "rvtools"
    )


DATA = _shared_data()
SAMPLE = DATA / "rvtools-3-sample-133vms.xlsx"
MINIMAL = DATA / "rvtools-minimal-3503vms.xlsx"
needs_data = pytest.mark.skipif(
    not SAMPLE.exists(),
    reason=f"the shared RVTools exports are not at {DATA} (set "
    f"MIGRATOR_SHARED_DATA to the folder holding rvtools/)",
)


def servers(directory: Path) -> dict[str, dict[str, object]]:
    data = yaml.safe_load((directory / "servers.yaml").read_text())
    return {s["id"]: s for s in data["servers"]}


@needs_data
def test_rvtools_3_sample(tmp_path: Path) -> None:
    out = tmp_path / "estate"
    result = runner.invoke(app, ["import", "rvtools", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    found = servers(out)
    assert len(found) == 129  # 131 VM rows, 2 of them templates
    ca = found["adcsca01"]
    assert (ca["cpu"], ca["memory_gb"], ca["storage_gb"]) == (4, 2, 42.1)
    assert ca["storage_used_gb"] == 22.64  # vPartition: 23,180 MiB consumed
    assert ca["os"] == "Microsoft Windows Server 2012 (64-bit)"
    assert ca["hostname"] == "ADCSCA01.next.local"
    assert (ca["datacenter"], ca["cluster"]) == ("NEXT Data Center", "Production Cluster")
    assert ca["x-discovery"]["vm_id"] == "vm-15333"
    assert ca["x-discovery"]["host"] == "esxhost10.next.local"
    assert "operating systems recognised: 129 of 129 machines (100%)" in result.stderr
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0
    assessed = runner.invoke(app, ["assess", str(out), "-f", "json"])
    assert assessed.exit_code == 0
    assert '"applications": 99' in assessed.stdout  # proposed by name prefix


@needs_data
def test_rvtools_minimal_export(tmp_path: Path) -> None:
    out = tmp_path / "estate"
    result = runner.invoke(
        app, ["import", "rvtools", str(MINIMAL), "-o", str(out), "--group-by", "none"]
    )
    assert result.exit_code == 0, result.output
    found = servers(out)
    assert len(found) == 795  # 805 VM rows among the blank ones, 10 of them templates
    first = found["wadfs1"]
    assert (first["cpu"], first["memory_gb"], first["storage_gb"]) == (1, 4, 84.18)
    assert first["os"] == "Microsoft Windows Server 2008 R2 (64-bit)"
    assert "operating systems recognised: 795 of 795 machines (100%)" in result.stderr
    assert not (out / "applications.yaml").exists()
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0


@needs_data
def test_powered_off_vms_are_kept(tmp_path: Path) -> None:
    records = rvtools.read(SAMPLE)
    off = [r for r in records if r.fields.get("power_state") == "off"]
    assert off, "the sample has powered-off VMs"
    assert all(r.source.get("vm") for r in off)


@needs_data
def test_vinfo_as_csv_gives_the_same_servers(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(SAMPLE, read_only=True, data_only=True)
    target = tmp_path / "RVTools_tabvInfo.csv"
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in book["vInfo"].iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])
    book.close()
    from_csv = {r.key: r.fields for r in rvtools.read(target)}
    from_xlsx = {r.key: r.fields for r in rvtools.read(SAMPLE)}
    assert from_csv.keys() == from_xlsx.keys()
    # Without vPartition, used storage is vInfo's "In Use MB"; everything else is equal.
    for key, fields in from_xlsx.items():
        other = dict(from_csv[key])
        assert {k: v for k, v in other.items() if k != "storage_used_gb"} == {
            k: v for k, v in fields.items() if k != "storage_used_gb"
        }


@needs_data
def test_reimport_keeps_hand_edits_and_comments(tmp_path: Path) -> None:
    out = tmp_path / "estate"
    assert runner.invoke(app, ["import", "rvtools", str(SAMPLE), "-o", str(out)]).exit_code == 0
    path = out / "servers.yaml"
    text = path.read_text()
    text = text.replace(
        "  - id: adcsca01\n",
        "  - id: adcsca01\n    # issuing CA: patch monthly\n"
        "    environment: prod\n    utilization: {cpu_p95: 12}\n",
        1,
    )
    text = text.replace("    cpu: 2\n", "    cpu: 99\n", 1)  # a discovered field, changed
    path.write_text(text)
    apps = (
        (out / "applications.yaml")
        .read_text()
        .replace("name: adcsca\n", "name: Certificate authority\n")
    )
    (out / "applications.yaml").write_text(apps)
    dry = runner.invoke(app, ["import", "rvtools", str(SAMPLE), "-o", str(out), "--dry-run"])
    assert dry.exit_code == 0
    assert "0 updated" in dry.stderr
    assert "kept your cpu for addsdc01: 99, discovery says 2" in dry.stderr
    assert path.read_text() == text  # a dry run writes nothing
    again = runner.invoke(app, ["import", "rvtools", str(SAMPLE), "-o", str(out)])
    assert again.exit_code == 0, again.output
    after = path.read_text()
    assert "    # issuing CA: patch monthly\n    environment: prod\n" in after
    assert "cpu: 99" in after  # the user's correction stays
    taken = runner.invoke(
        app, ["import", "rvtools", str(SAMPLE), "-o", str(out), "--overwrite", "cpu"]
    )
    assert taken.exit_code == 0 and "updated addsdc01: cpu" in taken.stderr, taken.output
    after = path.read_text()
    assert "cpu: 99" not in after  # discovery's value, taken on purpose
    found = servers(out)
    assert found["adcsca01"]["utilization"] == {"cpu_p95": 12}
    assert list(found["adcsca01"])[:3] == ["id", "environment", "utilization"]  # key order
    assert "name: Certificate authority" in (out / "applications.yaml").read_text()


@needs_data
def test_reimport_reports_vanished_and_adds_new(tmp_path: Path) -> None:
    out = tmp_path / "estate"
    assert (
        runner.invoke(
            app, ["import", "rvtools", str(SAMPLE), "-o", str(out), "--group-by", "none"]
        ).exit_code
        == 0
    )
    path = out / "servers.yaml"
    text = path.read_text().replace("key: vm-15333", "key: vm-gone")  # as if the VM left
    path.write_text(text)
    record = out / "discovered.yaml"  # ... and another came with the name it had
    record.write_text(record.read_text().replace("      vm-15333: ", "      vm-gone: "))
    again = runner.invoke(
        app, ["import", "rvtools", str(SAMPLE), "-o", str(out), "--group-by", "none"]
    )
    assert again.exit_code == 0
    assert "1 new server(s)" in again.stderr
    assert "1 server(s) no longer in the export, kept in the inventory" in again.stderr
    found = servers(out)
    assert "adcsca01" in found and "adcsca01-2" in found  # kept, and the new one beside it


MIGRATION_CENTER = (
    ",".join(
        (  # Migration Center's manual-import vmInfo.csv header
            "MachineId",
            "MachineName",
            "PrimaryIPAddress",
            "PrimaryMACAddress",
            "PublicIPAddress",
            "IpAddressListSemiColonDelimited",
            "TotalDiskAllocatedGiB",
            "TotalDiskUsedGiB",
            "MachineTypeLabel",
            "AllocatedProcessorCoreCount",
            "MemoryGiB",
            "HostingLocation",
            "OsType",
            "OsName",
            "OsVersion",
            "MachineStatus",
            "ProvisioningState",
            "CreateDate",
            "IsPhysical",
            "Source",
        )
    )
    + """
vm-001,shop-web01,10.60.0.4,00:50:56:01:02:03,,10.60.0.4,120,48,,4,16,dc-london,Linux,Ubuntu,22.04,Running,Provisioned,2021-03-04,false,VMware vCenter
vm-002,shop-db01,10.60.0.5,00:50:56:01:02:04,,,500,,,8,64,dc-london,Windows,Microsoft Windows Server 2019 Standard,10.0.17763,Stopped,Provisioned,2020-01-01,true,Manual
"""
)


def test_migration_center_csv(tmp_path: Path) -> None:
    source = tmp_path / "vmInfo.csv"
    source.write_text(MIGRATION_CENTER)
    out = tmp_path / "estate"
    result = runner.invoke(
        app, ["import", "csv", str(source), "-o", str(out), "--mapping", "migration-center"]
    )
    assert result.exit_code == 0, result.output
    found = servers(out)
    web = found["shop-web01"]
    assert (web["cpu"], web["memory_gb"], web["storage_gb"], web["storage_used_gb"]) == (
        4,
        16,
        120,
        48,
    )
    assert (web["os"], web["power_state"], web["platform"]) == ("Ubuntu 22.04", "on", "vmware")
    db = found["shop-db01"]
    assert (db["power_state"], db["platform"]) == ("off", "physical")
    assert "storage_used_gb" not in db
    assert db["x-discovery"]["key"] == "vm-002"
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0


def test_custom_mapping_with_value_map_and_scale(tmp_path: Path) -> None:
    (tmp_path / "cmdb.csv").write_text(
        "CI;Host;RAM MB;Cores;Operating System;Status\n"
        "CI001;lims-app-01;16384;4;RHEL 7.9;Live\n"
        "CI002;lims-db-01;65536;8;Red Hat Enterprise Linux 7 (64-bit);Decommissioned\n"
    )
    (tmp_path / "map.yaml").write_text(
        "key: CI\nname: Host\ncolumns:\n  cpu: Cores\n  memory_gb: RAM MB\n"
        "  os: Operating System\n  power_state: Status\n"
        "values:\n  power_state: {Live: 'on', Decommissioned: 'off'}\n"
        "scale:\n  memory_gb: 0.0009765625\n"
    )
    out = tmp_path / "estate"
    result = runner.invoke(
        app,
        [
            "import",
            "csv",
            str(tmp_path / "cmdb.csv"),
            "-o",
            str(out),
            "--mapping",
            str(tmp_path / "map.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    found = servers(out)
    assert found["lims-app-01"]["memory_gb"] == 16
    assert found["lims-db-01"]["power_state"] == "off"
    assert "operating systems recognised: 2 of 2 machines (100%)" in result.stderr


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        (
            "key: CI\nname: Host\ncolumns:\n  cpus: Cores\n",
            "map.yaml:4:3: error: columns.cpus: unknown key (did you mean 'cpu'?)",
        ),
        ("name: Host\ncolumns: {cpu: Cores}\n", "map.yaml:1:1: error: missing required key 'key'"),
        (
            "key: CI\nname: Host\ncolumns: {cpu: 4}\n",
            "map.yaml:3:16: error: columns.cpu: expected a column name or a list of them",
        ),
    ],
)
def test_bad_mapping_files_are_located(
    mapping: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cmdb.csv").write_text("CI,Host,Cores\nCI1,h1,2\n")
    Path("map.yaml").write_text(mapping)
    result = runner.invoke(
        app, ["import", "csv", "cmdb.csv", "-o", "estate", "--mapping", "map.yaml"]
    )
    assert result.exit_code == 2
    assert expected in result.stderr.splitlines(), result.stderr


def test_csv_missing_columns(tmp_path: Path) -> None:
    source = tmp_path / "vmInfo.csv"
    source.write_text("MachineId,MachineName\nvm-1,a\n")
    result = runner.invoke(
        app,
        ["import", "csv", str(source), "-o", str(tmp_path / "o"), "--mapping", "migration-center"],
    )
    assert result.exit_code == 2
    assert "the CSV lacks the column(s) AllocatedProcessorCoreCount, HostingLocation" in (
        result.stderr
    )


def test_wrong_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.save(tmp_path / "export.xlsx")
    result = runner.invoke(
        app, ["import", "rvtools", str(tmp_path / "export.xlsx"), "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "no vInfo sheet (sheets: Sheet1); is this an RVTools export?" in result.stderr
    assert not (tmp_path / "o").exists()


def test_missing_columns_are_named(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "vInfo"
    sheet.append(["VM", "Powerstate", "Memory"])
    sheet.append(["a", "poweredOn", 1024])
    book.save(tmp_path / "export.xlsx")
    result = runner.invoke(
        app, ["import", "rvtools", str(tmp_path / "export.xlsx"), "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "vInfo lacks the column(s) CPUs, Provisioned MiB or Provisioned MB" in result.stderr


def test_rvtools_4_guest_detailed_data_names_the_release(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "vInfo"
    sheet.append(
        [
            "VM",
            "Powerstate",
            "CPUs",
            "Memory",
            "Provisioned MiB",
            "In Use MiB",
            "OS according to the VMware Tools",
            "Guest Detailed Data",
        ]
    )
    sheet.append(
        [
            "web01",
            "poweredOn",
            2,
            4096,
            51200,
            20480,
            "Ubuntu Linux (64-bit)",
            "architecture='X86' bitness='64' distroName='Ubuntu' distroVersion='22.04' "
            "familyName='Linux' kernelVersion='5.15.0-91-generic'",
        ]
    )
    sheet.append(
        [
            "db01",
            "poweredOn",
            4,
            8192,
            102400,
            51200,
            "Ubuntu Linux (64-bit)",
            "distroName='Ubuntu' distroVersion='20.04' prettyName='Ubuntu 20.04.6 LTS'",
        ]
    )
    sheet.append(["fw01", "poweredOn", 4, 8192, 61440, 20480, "Palo Alto Networks PAN-OS", ""])
    book.save(tmp_path / "export.xlsx")
    out = tmp_path / "estate"
    result = runner.invoke(
        app,
        ["import", "rvtools", str(tmp_path / "export.xlsx"), "-o", str(out), "--group-by", "none"],
    )
    assert result.exit_code == 0, result.output
    found = servers(out)
    assert found["web01"]["os"] == "Ubuntu Linux 22.04 (64-bit)"
    assert found["db01"]["os"] == "Ubuntu 20.04.6 LTS (64-bit)"
    from migrator.assess.catalogue import recognise_os

    ids = {name: recognise_os(str(s["os"])) for name, s in found.items()}
    assert {name: m.entry.id if m else None for name, m in ids.items()} == {
        "web01": "ubuntu-22.04",
        "db01": "ubuntu-20.04",
        "fw01": "pan-os",
    }


def test_not_an_xlsx(tmp_path: Path) -> None:
    fake = tmp_path / "export.xlsx"
    fake.write_text("this is not a workbook")
    result = runner.invoke(app, ["import", "rvtools", str(fake), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "not an Excel workbook (.xlsx) that RVTools wrote" in result.stderr
    assert "Traceback" not in result.output


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import", "rvtools", str(tmp_path / "none.xlsx"), "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_ids_are_safe_stable_and_unique() -> None:
    assert slug("SAP ERP (Prod) #1") == "sap-erp-prod-1"
    assert slug("..") == "server"
    records = [
        Discovered("WEB01", "k2", {}),
        Discovered("web01", "k1", {}),
        Discovered("Db 01", "k3", {}),
    ]
    assert assign_ids(records, {}) == {"k1": "web01", "k2": "web01-2", "k3": "db-01"}
    assert assign_ids(records, {"k2": "web01"}) == {"k2": "web01", "k1": "web01-2", "k3": "db-01"}


def test_import_into_a_file_is_refused(tmp_path: Path) -> None:
    if not SAMPLE.exists():
        pytest.skip("shared RVTools exports not here")
    target = tmp_path / "file"
    target.write_text("x")
    shutil.copy(SAMPLE, tmp_path / "s.xlsx")
    result = runner.invoke(app, ["import", "rvtools", str(tmp_path / "s.xlsx"), "-o", str(target)])
    assert result.exit_code == 2 and "is not a directory" in result.stderr
