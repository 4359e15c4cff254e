"""Server imports on RVTools 4.x style estates: bind mounts, environment prefixes, stubs."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from migrator.cli import app
from migrator.discovery.records import Discovered
from migrator.discovery.storage import Partitions, used_mib
from migrator.discovery.stubs import environment_and_rest, group_key
from tests.discovery.test_import import DATA

runner = CliRunner()
INFO = ("VM", "Powerstate", "Template", "CPUs", "Memory", "Provisioned MiB", "In Use MiB")
INFO += ("VM ID", "Primary IP Address")
PARTITION = ("VM", "Disk", "Capacity MiB", "Consumed MiB", "VM ID")
APPS = ("SAPERP", "CRMWEB", "HRAPP", "BIDWH", "MAILGW", "PKISRV", "FILESRV")
PREFIXES = ("P-", "T-", "D-", "PRD-", "")
SUFFIXES = ("", "", "", "", "-T", "-dev")


def estate_133() -> bytes:
    """133 VMs named as in an RVTools 4.x export of one site: one-letter and three-letter
    environment prefixes and suffixes; every Linux VM with an agent's bind mount beside /;
    one powered off, one template."""
    book = openpyxl.Workbook()
    info = book.active
    info.title = "vInfo"
    info.append(list(INFO))
    part = book.create_sheet("vPartition")
    part.append(list(PARTITION))
    for n in range(133):
        prefix = PREFIXES[n % len(PREFIXES)]
        suffix = SUFFIXES[n % len(SUFFIXES)] if not prefix else ""
        name = f"{prefix}{APPS[n % len(APPS)]}{n:02d}{suffix}"
        vm_id = f"vm-{1000 + n}"
        template = "True" if n == 132 else "False"
        state = "poweredOff" if n == 7 else "poweredOn"
        info.append([name, state, template, 2, 8192, 524 * 1024, 300 * 1024, vm_id, f"10.1.{n}.5"])
        part.append([name, "/", 500 * 1024, 250 * 1024, vm_id])
        part.append([name, "/opt/sentinelone/rpm_mount", 500 * 1024, 250 * 1024, vm_id])
        part.append([name, "/boot", 1024, 200, vm_id])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, str]:
    export = tmp_path / "site.xlsx"
    export.write_bytes(estate_133())
    out = tmp_path / "estate"
    result = runner.invoke(app, ["import", "rvtools", str(export), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_bind_mounts_are_counted_once_and_strict_validation_passes(
    imported: tuple[Path, str],
) -> None:
    out, output = imported
    servers = yaml.safe_load((out / "servers.yaml").read_text())["servers"]
    assert len(servers) == 132
    assert all(s["storage_used_gb"] <= s["storage_gb"] for s in servers)
    # "/" once (250 GiB) and /boot (200 MiB), not the bind mount again (500 GiB)
    assert {s["storage_used_gb"] for s in servers} == {250.2}
    assert "used storage of 132 machine(s): a filesystem listed more than once" in output
    checked = runner.invoke(app, ["validate", "--strict", str(out)])
    assert checked.exit_code == 0, checked.output


def test_environment_prefixes_are_not_applications(imported: tuple[Path, str]) -> None:
    out, output = imported
    apps = yaml.safe_load((out / "applications.yaml").read_text())["applications"]
    assert sorted(a["id"] for a in apps) == sorted(a.lower() for a in APPS)
    servers = {s["id"]: s for s in yaml.safe_load((out / "servers.yaml").read_text())["servers"]}
    assert servers["p-saperp00"]["environment"] == "prod"
    assert servers["t-crmweb01"]["environment"] == "test"
    assert servers["prd-bidwh03"]["environment"] == "prod"
    assert servers["mailgw04-t"]["environment"] == "test"
    assert servers["crmweb29-dev"]["environment"] == "dev"
    assert "new ones, with their servers: " in output
    assert "132 machine(s) in the export, 1 powered off (kept)" in output
    assert "1 template(s) left out" in output


def test_a_portfolio_stub_when_there_is_none(imported: tuple[Path, str]) -> None:
    out, output = imported
    data = yaml.safe_load((out / "portfolio.yaml").read_text())
    assert data == {"portfolio": {"name": "site", "region": None}}
    assert "set its region" in output
    again = runner.invoke(app, ["import", "rvtools", str(out.parent / "site.xlsx"), "-o", str(out)])
    assert again.exit_code == 0 and "portfolio.yaml written" not in again.output


def test_an_inventory_with_a_portfolio_gets_no_stub(tmp_path: Path) -> None:
    export = tmp_path / "site.xlsx"
    export.write_bytes(estate_133())
    out = tmp_path / "estate"
    out.mkdir()
    (out / "settings.yaml").write_text("portfolio:\n  name: Acme\n  region: europe-west1\n")
    result = runner.invoke(app, ["import", "rvtools", str(export), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert not (out / "portfolio.yaml").exists()


@pytest.mark.parametrize(
    ("provisioned", "in_use", "partitions", "expected", "notes"),
    [
        (100.0, 40.0, [(80, 30), (80, 30), (10, 5)], 35.0, ["repeated"]),
        (100.0, 40.0, [(80, 70), (90, 60)], 40.0, ["from-vinfo"]),
        (100.0, 140.0, [(80, 70), (90, 60)], 100.0, ["from-vinfo", "capped"]),
        (100.0, 130.0, None, 100.0, ["capped"]),
        (100.0, 30.0, None, 30.0, []),
    ],
)
def test_used_storage_never_exceeds_provisioned(
    provisioned: float,
    in_use: float,
    partitions: list[tuple[float, float]] | None,
    expected: float,
    notes: list[str],
) -> None:
    listed = None
    if partitions is not None:
        listed = Partitions()
        for capacity, consumed in partitions:
            listed.add(capacity, consumed)
    assert used_mib(provisioned, in_use, listed) == (expected, notes)


@pytest.mark.parametrize(
    ("name", "environment", "group"),
    [
        ("P-SAPERP01", "prod", "saperp"),
        ("PRD-CRM-APP1", "prod", "crm"),
        ("crmweb01-T", "test", "crmweb"),
        ("sap-erp-db01-dev", "dev", "sap"),
        ("wadfs1", None, "wadfs"),
        ("SAP-ERP-DB01", None, "sap"),
        ("P", None, None),
        ("dev", None, "dev"),
    ],
)
def test_names_and_environments(name: str, environment: str | None, group: str | None) -> None:
    assert environment_and_rest(name)[0] == environment
    assert group_key(Discovered(name, name, {}), "prefix") == group


@pytest.mark.parametrize("export", sorted(DATA.glob("*.xlsx")), ids=lambda p: p.stem)
def test_every_shared_export_imports_strictly_valid(tmp_path: Path, export: Path) -> None:
    out = tmp_path / "estate"
    result = runner.invoke(app, ["import", "rvtools", str(export), "-o", str(out)])
    assert result.exit_code == 0, result.output
    servers = yaml.safe_load((out / "servers.yaml").read_text())["servers"]
    assert all(s.get("storage_used_gb", 0) <= s.get("storage_gb", 0) for s in servers)
    apps = yaml.safe_load((out / "applications.yaml").read_text())["applications"]
    assert len(apps) > 1
    checked = runner.invoke(app, ["validate", "--strict", str(out)])
    assert checked.exit_code == 0, checked.output
