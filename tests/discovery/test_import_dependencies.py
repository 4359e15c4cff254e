"""`migrator import dependencies`: the shared Azure Migrate export, quirks, bad files, edits."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from migrator.cli import app
from migrator.discovery.dependencies import kind_of

runner = CliRunner()
EXPORT = Path(__file__).resolve().parents[3] / "shared" / "data" / "dependencies"
SHARED = next(
    (
        p / "azure-migrate-agentless-313rows.csv"
        for p in (EXPORT, Path("/work/shared/data/dependencies"))
        if (p / "azure-migrate-agentless-313rows.csv").exists()
    ),
    EXPORT / "azure-migrate-agentless-313rows.csv",
)
needs_data = pytest.mark.skipif(not SHARED.exists(), reason=f"no shared export at {SHARED}")
HEADER = (
    "Time slot,Source server name,Source IP,Source application,Source process,"
    "Destination server name,Destination IP,Destination application,Destination process,"
    "Destination port"
)


def lab(tmp_path: Path) -> Path:
    """The lab's servers as an RVTools export would list them: one application per folder,
    Win02's second card (10.100.110.4) and Win03's address only in vNetwork."""
    book = openpyxl.Workbook()
    info = book.active
    info.title = "vInfo"
    info.append(
        ["VM", "Powerstate", "CPUs", "Memory", "Provisioned MiB", "In Use MiB", "VM ID"]
        + ["Folder", "Primary IP Address"]
    )
    info.append(["Win01", "poweredOn", 2, 4096, 40960, 10240, "vm-1", "web", "10.100.110.17"])
    info.append(["Win02", "poweredOn", 4, 8192, 40960, 10240, "vm-2", "sql", "10.100.110.25"])
    info.append(["Win03", "poweredOn", 2, 4096, 40960, 10240, "vm-3", "app", None])
    network = book.create_sheet("vNetwork")
    network.append(["VM", "NIC label", "IPv4 Address", "IPv6 Address", "VM ID"])
    network.append(["Win02", "Network adapter 2", "10.100.110.4", "fe80::1%3", "vm-2"])
    network.append(["Win03", "Network adapter 1", "10.100.110.41", None, "vm-3"])
    book.save(tmp_path / "lab.xlsx")
    out = tmp_path / "estate"
    result = runner.invoke(
        app,
        ["import", "rvtools", str(tmp_path / "lab.xlsx"), "-o", str(out), "--group-by", "folder"],
    )
    assert result.exit_code == 0, result.output
    return out


def import_deps(export: Path, out: Path, *more: str) -> tuple[int, str]:
    result = runner.invoke(app, ["import", "dependencies", str(export), "-o", str(out), *more])
    return result.exit_code, result.output


def depends_on(out: Path) -> dict[str, list[object]]:
    data = yaml.safe_load((out / "applications.yaml").read_text())
    return {a["id"]: a.get("depends_on", []) for a in data["applications"]}


def snapshot(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(directory.iterdir()) if p.is_file()}


def test_the_servers_get_their_addresses_from_vinfo_and_vnetwork(tmp_path: Path) -> None:
    out = lab(tmp_path)
    servers = yaml.safe_load((out / "servers.yaml").read_text())["servers"]
    # the link-local fe80::1%3 tells no server from another: left out
    assert {s["id"]: s["ip_addresses"] for s in servers} == {
        "win01": ["10.100.110.17"],
        "win02": ["10.100.110.25", "10.100.110.4"],
        "win03": ["10.100.110.41"],
    }


@needs_data
def test_the_shared_export_becomes_dependencies_with_evidence(tmp_path: Path) -> None:
    out = lab(tmp_path)
    code, output = import_deps(SHARED, out)
    assert code == 0, output
    # ground truth from the raw file: rows from a lab server to Win02 (by address, the
    # destination name is empty), the appliance named in neither column nor addressed
    with SHARED.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    appliance = {
        r["Source IP"] for r in rows if r["Source server name"] == "MicrosoftAzureMigration"
    }
    to_sql = Counter(
        r["Source server name"]
        for r in rows
        if r["Destination IP"] in ("10.100.110.25", "10.100.110.4")
        and r["Source server name"] in ("Win01", "Win03")
        and r["Source IP"] not in appliance
    )
    assert to_sql == {"Win03": 16, "Win01": 8}
    found = depends_on(out)
    assert found["sql"] == []
    (web,) = found["web"]
    (app_,) = found["app"]
    assert isinstance(web, dict) and isinstance(app_, dict)
    assert (web["app"], web["kind"], app_["app"], app_["kind"]) == (
        "sql",
        "database",
        "sql",
        "database",
    )
    assert web["x-discovered"] == {
        "source": f"azure-migrate:{SHARED.name}",
        "connections": 8,
        "ports": [1433],
        "servers": ["win01 -> win02"],
        "processes": ["fake.exe"],
        "time_slots": ["12/18/2024 18:00-0:00"],
    }
    assert app_["x-discovered"]["connections"] == 16
    assert "313 connection row(s): 24 between applications, 289 left out" in output
    assert "262 the collector's own traffic (appliance)" in output
    assert "17 destination not in the inventory (private address) — 10.100.115.1 (16)" in output
    assert "9 within one server" in output
    assert "1 destination outside the estate (public address) — 20.72.205.209 (1)" in output
    checked = runner.invoke(app, ["validate", "--strict", str(out)])
    assert checked.exit_code == 0, checked.output
    before = snapshot(out)
    code, output = import_deps(SHARED, out)
    assert code == 0 and "nothing changed" in output, output
    assert "2 already in the inventory" in output
    assert snapshot(out) == before


@needs_data
def test_dry_run_shows_the_change_and_writes_nothing(tmp_path: Path) -> None:
    out = lab(tmp_path)
    before = snapshot(out)
    code, output = import_deps(SHARED, out, "--dry-run")
    assert code == 0, output
    assert "+ app -> sql (database; port(s) 1433; 16 connection(s))" in output
    assert f"would write {out / 'applications.yaml'}" in output
    assert snapshot(out) == before


def quirky(tmp_path: Path) -> Path:
    """BOM at the start and inside, CRLF, an IPv6 zone, empty names, Unknown process,
    loopback, link-local and ephemeral ports."""
    rows = [
        "d1,Win01,10.100.110.17,,w3wp.exe,,10.100.110.25,,Unknown process,1433",
        "d1,Win01,10.100.110.17,,w3wp.exe,Win03,,,java.exe,8080",
        "\ufeffd2,Win03,10.100.110.41,,java.exe,,10.100.110.4,,sqlservr.exe,1433",
        "d2,Win03,10.100.110.41,,java.exe,,127.0.0.1,,,1433",
        "d2,Win03,fe80::5%12,,java.exe,,fe80::1%3,,,445",
        "d2,Win01,10.100.110.17,,,,10.100.110.41,,,52311",
        "d2,Win01,10.100.110.17,,,,10.100.110.17,,,80",
    ]
    path = tmp_path / "quirky.csv"
    path.write_bytes(("\ufeff" + HEADER + "\r\n" + "\r\n".join(rows) + "\r\n").encode())
    return path


def test_the_quirks_of_real_exports(tmp_path: Path) -> None:
    out = lab(tmp_path)
    code, output = import_deps(quirky(tmp_path), out)
    assert code == 0, output
    found = depends_on(out)
    web = {d["app"]: d for d in found["web"] if isinstance(d, dict)}
    assert "provider_processes" not in web["sql"]["x-discovered"]  # "Unknown process"
    assert web["app"]["kind"] == "sync"
    assert web["app"]["x-discovered"]["provider_processes"] == ["java.exe"]
    (app_,) = found["app"]
    assert isinstance(app_, dict) and app_["x-discovered"]["provider_processes"] == ["sqlservr.exe"]
    assert app_["x-discovered"]["time_slots"] == ["d2"]  # the BOM inside is not part of it
    assert "1 loopback address" in output
    assert "1 link-local address" in output
    assert "1 ephemeral destination port (32768 and above)" in output
    assert "1 within one server" in output


def test_the_older_layout_without_source_ip(tmp_path: Path) -> None:
    out = lab(tmp_path)
    path = tmp_path / "old.csv"
    path.write_text(
        "Timeslot,Source server name,Source application,Source process,Destination server "
        "name,Destination IP,Destination application,Destination process,Destination port\n"
        "t1,Win01,,w3wp.exe,Win02,,,sqlservr.exe,1433\n"
    )
    code, output = import_deps(path, out)
    assert code == 0, output
    (dep,) = depends_on(out)["web"]
    assert isinstance(dep, dict) and dep["x-discovered"]["time_slots"] == ["t1"]


def test_a_generic_csv_through_a_mapping(tmp_path: Path) -> None:
    out = lab(tmp_path)
    mapping = tmp_path / "netstat.yaml"
    mapping.write_text(
        "columns:\n  source_name: host\n  destination_ip: remote\n  port: rport\n"
        "  connections: count\n"
    )
    path = tmp_path / "netstat.csv"
    path.write_text(
        "host;remote;rport;count\nwin01;10.100.110.41;2049;12\nwin03;10.100.110.25;445;3\n"
    )
    code, output = import_deps(path, out, "--mapping", str(mapping))
    assert code == 0, output
    found = depends_on(out)
    assert [(d["app"], d["kind"], d["x-discovered"]["connections"]) for d in found["web"]] == [
        ("app", "file", 12)
    ]
    assert [(d["app"], d["kind"]) for d in found["app"]] == [("sql", "file")]


def test_a_bad_mapping_is_located(tmp_path: Path) -> None:
    out = lab(tmp_path)
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("columns:\n  source_nam: host\n  port: rport\n")
    code, output = import_deps(quirky(tmp_path), out, "--mapping", str(mapping))
    assert code == 2
    assert f"{mapping}:2:3: error: columns.source_nam: unknown key" in output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"VM,Powerstate,CPUs\nweb01,poweredOn,2\n", ":1:1: not a connections export"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ":3:1: binary data (a NUL byte)"),
        (b"", ":1:1: the file is empty"),
        (b"\xef\xbb\xbf\r\n", ":1:1: the file is empty"),
        (HEADER.encode() + b"\nt,Win01,10.0.0.1,,,,10.0.0.2,,,http\n", ":2:10: port: expected"),
    ],
)
def test_a_malformed_file_gets_one_located_line(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    out = lab(tmp_path)
    before = snapshot(out)
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    code, output = import_deps(path, out)
    assert code == 2, output
    located, summary = [line for line in output.splitlines() if line.strip()]
    assert located.startswith(f"{path}{expected.replace(': ', ': error: ', 1)}"), output
    assert summary == f"error: {path}: not imported; nothing was written"
    assert snapshot(out) == before


def test_fifty_megabytes_of_noise(tmp_path: Path) -> None:
    out = lab(tmp_path)
    path = tmp_path / "noise.csv"
    line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n"
    path.write_bytes(line * (50 * 2**20 // len(line)))
    code, output = import_deps(path, out)
    assert code == 2
    located, _ = [line for line in output.splitlines() if line.strip()]
    assert located.startswith(f"{path}:1:1: error: not a connections export"), output


@needs_data
def test_hand_edits_and_deletions_survive_a_reimport(tmp_path: Path) -> None:
    out = lab(tmp_path)
    assert import_deps(SHARED, out)[0] == 0
    text = (out / "applications.yaml").read_text()
    # app's dependency on sql deleted (one on web written instead); web's kind corrected,
    # with a comment
    app_start, sql_start = text.index("  - id: app\n"), text.index("  - id: sql\n")
    block = text[app_start:sql_start]
    block = block[: block.index("    depends_on:\n")] + "    depends_on:\n      - web\n"
    text = text[:app_start] + block + text[sql_start:]
    web_start = text.index("  - id: web\n")
    text = text[:web_start] + text[web_start:].replace(
        "kind: database", "kind: batch  # nightly load", 1
    )
    (out / "applications.yaml").write_text(text)
    code, output = import_deps(SHARED, out)
    assert code == 0, output
    found = depends_on(out)
    assert found["app"] == ["web"]  # app -> sql was deleted: it stays deleted
    (web,) = found["web"]
    assert isinstance(web, dict) and web["kind"] == "batch"
    assert "# nightly load" in (out / "applications.yaml").read_text()
    assert "1 dependency(ies) you deleted left out: app -> sql" in output
    record = yaml.safe_load((out / "discovered.yaml").read_text())["x-import"]
    assert record["dependencies"]["deleted"] == ["app -> sql"]
    # taking the tombstone out lets the import add it again
    (out / "discovered.yaml").write_text(
        (out / "discovered.yaml").read_text().replace('      - "app -> sql"\n', "", 1)
    )
    code, output = import_deps(SHARED, out)
    assert code == 0 and "+ app -> sql" in output, output


def test_no_dependency_inside_one_application(tmp_path: Path) -> None:
    out = lab(tmp_path)
    apps = (out / "applications.yaml").read_text()
    apps = apps.replace("    servers:\n      - win02\n", "    servers: []\n")
    apps = apps.replace("      - win01\n", "      - win01\n      - win02\n")
    (out / "applications.yaml").write_text(apps)
    path = tmp_path / "same.csv"
    path.write_text(HEADER + "\nt,Win01,,,,Win02,,,,1433\n")
    code, output = import_deps(path, out)
    assert code == 0, output
    assert "1 within one application" in output
    assert depends_on(out)["web"] == []


def test_kind_from_the_busiest_port() -> None:
    assert kind_of(Counter({1433: 5, 443: 2})) == "database"
    assert kind_of(Counter({445: 1})) == "file"
    assert kind_of(Counter({443: 9, 1521: 1})) == "sync"
    assert kind_of(Counter({5672: 3})) == "async"
    assert kind_of(Counter({443: 2, 5432: 2})) == "database"  # a tie: the stronger coupling


def test_dependencies_need_an_inventory(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(HEADER + "\n")
    code, output = import_deps(path, tmp_path / "nowhere")
    assert code == 2 and "import the servers first" in output


def test_new_evidence_replaces_the_old_and_keeps_the_file_valid(tmp_path: Path) -> None:
    out = lab(tmp_path)
    first = tmp_path / "week1.csv"
    first.write_text(HEADER + "\nt1,Win01,,,w3wp.exe,Win02,,,,1433\n")
    assert import_deps(first, out)[0] == 0
    second = tmp_path / "week2.csv"
    second.write_text(HEADER + "\nt2,Win01,,,w3wp.exe,Win02,,,,1433\nt2,Win01,,,,Win02,,,,445\n")
    code, output = import_deps(second, out)
    assert code == 0 and "~ web -> sql: evidence updated" in output, output
    (dep,) = depends_on(out)["web"]
    assert isinstance(dep, dict)
    assert dep["kind"] == "database"  # the kind written at first stays
    assert dep["x-discovered"]["ports"] == [445, 1433]
    assert dep["x-discovered"]["time_slots"] == ["t2"]
    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == 0, checked.output


def test_a_dependency_written_by_hand_is_left_as_it_is(tmp_path: Path) -> None:
    out = lab(tmp_path)
    apps = (out / "applications.yaml").read_text()
    head, tail = apps.split("  - id: web\n", 1)
    tail = tail.replace("    servers:\n", "    depends_on: [sql]  # known\n    servers:\n", 1)
    (out / "applications.yaml").write_text(head + "  - id: web\n" + tail)
    before = (out / "applications.yaml").read_text()
    path = tmp_path / "export.csv"
    path.write_text(
        HEADER + "\nt,Win01,,,,Win02,,,,1433\nt,Win09,,,,Win02,,,,1433\nt,Win01,,,,,10.9.9.9,,,80\n"
    )
    code, output = import_deps(path, out)
    assert code == 0, output
    assert (out / "applications.yaml").read_text() == before
    assert "0 new dependency(ies), 0 with new evidence, 1 already in the inventory" in output
    assert "1 source not in the inventory — Win09 (1)" in output
    assert "1 destination not in the inventory (private address) — 10.9.9.9 (1)" in output


def test_a_server_in_no_application(tmp_path: Path) -> None:
    out = lab(tmp_path)
    apps = (out / "applications.yaml").read_text()
    (out / "applications.yaml").write_text(apps.replace("    servers:\n      - win02\n", ""))
    path = tmp_path / "export.csv"
    path.write_text(HEADER + "\nt,Win01,,,,Win02,,,,1433\n")
    code, output = import_deps(path, out)
    assert code == 0, output
    assert "1 server in no application — win02 (1)" in output


def test_a_well_known_service_port_above_the_ephemeral_range_is_kept(tmp_path: Path) -> None:
    out = lab(tmp_path)
    path = tmp_path / "db2.csv"
    path.write_text(HEADER + "\nt,Win01,,,,Win02,,,,50000\nt,Win01,,,,Win02,,,,50001\n")
    code, output = import_deps(path, out)
    assert code == 0, output
    (dep,) = depends_on(out)["web"]
    assert isinstance(dep, dict) and (dep["kind"], dep["x-discovered"]["ports"]) == (
        "database",
        [50000],
    )
    assert "1 ephemeral destination port" in output
