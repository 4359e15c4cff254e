"""Right-sizing per strategy, price arithmetic worked by hand, and catalogue overrides."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.assess.assessment import assess
from migrator.cli import app
from migrator.cost.estimate import estimate
from migrator.cost.prices import load
from migrator.cost.sizing import choose, need
from migrator.inventory.model import (
    Application,
    Database,
    Inventory,
    OnPremCosts,
    Planning,
    Portfolio,
    Server,
    Utilization,
)
from tests.conftest import PHARMA, WriteInventory

AS_OF = dt.date(2026, 11, 29)
runner = CliRunner()


@pytest.mark.parametrize(
    ("sizing", "expected"),
    [
        ("same-as-source", (8, 32)),
        ("moderate", (8 * 0.25 * 1.4, 32 * 0.5 * 1.3)),
        ("aggressive", (8 * 0.25 * 1.15, 32 * 0.5 * 1.1)),
    ],
)
def test_need_per_sizing_strategy(sizing: str, expected: tuple[float, float]) -> None:
    vcpu, memory, _ = need(8, 32, 25, 50, sizing)  # type: ignore[arg-type]
    assert vcpu == pytest.approx(expected[0]) and memory == pytest.approx(expected[1])


def test_without_utilisation_every_strategy_sizes_as_the_source() -> None:
    for sizing in ("same-as-source", "moderate", "aggressive"):
        vcpu, memory, basis = need(4, 16, None, None, sizing)  # type: ignore[arg-type]
        assert (vcpu, memory) == (4, 16) and "as source" in basis


def test_predefined_shape_by_hand() -> None:
    # 4 vCPU / 16 GiB fits e2-standard-4 exactly:
    # 4 × 0.023993 + 16 × 0.003216 = 0.095972 + 0.051456 = 0.147428 per hour.
    shape = choose(4, 16, load(), "test", "europe-west1")
    assert shape is not None and shape.name == "e2-standard-4"
    assert shape.hourly == pytest.approx(0.147428)


def test_custom_shape_when_cheaper_by_hand() -> None:
    # 2 vCPU / 3 GiB: e2-custom-2-3072 = (2 × 0.023993 + 3 × 0.003216) × 1.05 = 0.0605157;
    # e2-standard-2 (2 / 8) = 0.073714 and e2-highcpu-2 (2 / 2) is too small.
    shape = choose(2, 3, load(), "test", "europe-west1")
    assert shape is not None and shape.name == "e2-custom-2-3072"
    assert shape.hourly == pytest.approx(0.0605157, rel=1e-6)


def test_large_servers_leave_e2() -> None:
    shape = choose(40, 300, load(), "test", "europe-west1")
    assert shape is not None and shape.family in ("n2", "n2d") and shape.vcpu >= 40


def _inventory(**server: object) -> Inventory:
    return Inventory(
        Portfolio(
            name="t",
            region="europe-west1",
            onprem=OnPremCosts(per_server_month=100, per_vcpu_month=10),
        ),
        Planning(),
        (Application(id="a", name="A", servers=("s1",), databases=("d1",)),),
        (
            Server(
                id="s1",
                os="Microsoft Windows Server 2019 (64-bit)",
                cpu=4,
                memory_gb=16,
                storage_gb=100,
                platform="vmware",
                **server,
            ),
        ),  # type: ignore[arg-type]
        (Database(id="d1", engine="sqlserver", version="2019", edition="Standard", server="s1"),),
    )


def test_server_cost_by_hand() -> None:
    inventory = _inventory()
    result = assess(inventory, as_of=AS_OF)
    cost = estimate(inventory, result, load(), "same-as-source")
    app_cost = cost.apps["a"]
    (server,) = app_cost.servers
    assert server.shape is not None and server.shape.name == "e2-standard-4"
    assert server.compute == pytest.approx(round(0.147428 * 730, 2))  # 107.62
    assert server.disk_type == "pd-ssd"  # it hosts a database
    assert server.disk == pytest.approx(100 * 0.17)
    licences = dict(server.licences)
    assert licences["Windows Server"] == pytest.approx(round(0.046 * 4 * 730, 2))  # 134.32
    strategy = next(a for a in result.applications if a.app.id == "a").strategy
    if strategy == "rehost":  # SQL Server stays on the VM, licence included
        assert licences["SQL Server standard"] == pytest.approx(round(0.1645 * 4 * 730, 2))
    total = 107.62 + 17.0 + sum(licences.values())
    assert app_cost.monthly["on_demand"] == pytest.approx(total, abs=0.01)
    assert app_cost.monthly["cud_1y"] == pytest.approx(total - 107.62 * 0.37, abs=0.01)
    assert app_cost.monthly["cud_3y"] == pytest.approx(total - 107.62 * 0.55, abs=0.01)
    assert cost.onprem_monthly == pytest.approx(100 + 10 * 4)


def test_utilisation_shrinks_the_machine() -> None:
    inventory = _inventory(utilization=Utilization(cpu_p95=20, memory_p95=30))
    result = assess(inventory, as_of=AS_OF)
    moderate = estimate(inventory, result, load(), "moderate").apps["a"].servers[0]
    source = estimate(inventory, result, load(), "same-as-source").apps["a"].servers[0]
    assert moderate.shape is not None and source.shape is not None
    assert moderate.shape.hourly < source.shape.hourly


def test_price_file_overrides_and_extends(tmp_path: Path) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "as_of: 2026-11-01\ncurrency: EUR\nregions:\n  europe-west1:\n"
        "    compute: {e2: {vcpu: 0.02, memory: 0.002}}\n"
        "    disks: {pd-balanced: 0.09, pd-ssd: 0.15}\n"
    )
    catalogue = load(prices)
    assert catalogue.currency == "EUR" and catalogue.as_of == dt.date(2026, 11, 1)
    assert catalogue.regions["europe-west1"]["compute"] == {"e2": {"vcpu": 0.02, "memory": 0.002}}
    assert "europe-west9" in catalogue.regions  # migrator's other regions still there
    shape = choose(4, 16, catalogue, "t", "europe-west1")
    assert shape is not None and shape.hourly == pytest.approx(4 * 0.02 + 16 * 0.002)


def test_bad_price_file_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("prices.yaml").write_text("as_of: soon\ncurrency: EUR\nregions: {}\n")
    result = runner.invoke(app, ["assess", str(PHARMA), "-f", "json", "--prices", "prices.yaml"])
    assert result.exit_code == 2
    assert (
        "prices.yaml:1:8: error: as_of: 'soon' is not a valid date (write YYYY-MM-DD)"
        in result.stderr.splitlines()
    )


def test_the_sample_s_costs_add_up() -> None:
    """Recompute every total of the sample from its parts: servers → applications →
    portfolio and waves; the unpriced items are counted, and nothing unpriced is a 0."""
    result = runner.invoke(app, ["assess", str(PHARMA), "-f", "json", "--as-of", "2026-11-29"])
    report = json.loads(result.stdout)
    cost = report["summary"]["cost"]
    assert cost["priced"] and cost["currency"] == "USD" and cost["prices_as_of"] == "2026-07-30"
    discounts = load().commitments
    totals = dict.fromkeys(cost["monthly"], 0.0)
    unpriced = 0
    for a in report["applications"]:
        c = a["cost"]
        unpriced += len(c["unpriced"])
        assert c["partial"] == bool(c["unpriced"]), a["id"]
        if c["monthly"] is None:
            assert c["unpriced"] and not c["servers"], a["id"]  # not priced: named, not 0
            continue
        compute = sum((s["monthly"]["compute"] or 0) * s["share"] for s in c["servers"])
        rest = sum(
            ((s["monthly"]["disk"] or 0) + sum(s["monthly"]["licences"].values())) * s["share"]
            for s in c["servers"]
        )
        rest += sum(t["monthly"] or 0 for t in c["databases"])
        for s in c["servers"]:
            parts = (
                (s["monthly"]["compute"] or 0)
                + (s["monthly"]["disk"] or 0)
                + sum(s["monthly"]["licences"].values())
            )
            assert s["monthly"]["total"] == pytest.approx(parts, abs=0.011), s["id"]
        for kind, discount in discounts.items():
            assert c["monthly"][kind] == pytest.approx(compute * (1 - discount) + rest, abs=0.02), (
                a["id"],
                kind,
            )
            totals[kind] += c["monthly"][kind]
    for kind in totals:
        assert cost["monthly"][kind] == pytest.approx(totals[kind], abs=0.05), kind
        assert cost["waves"][-1]["run_rate"][kind] == pytest.approx(totals[kind], abs=0.05)
    assert sum(sum(w["added"].values()) for w in cost["waves"]) == pytest.approx(
        sum(cost["monthly"].values()), abs=0.5
    )
    assert cost["unpriced_count"] == unpriced == len(cost["unpriced"]) > 0
    assert cost["partial"] is True
    lims = next(a for a in report["applications"] if a["id"] == "lims")
    assert lims["cost"]["servers"][0]["machine_type"]
    mes = next(a for a in report["applications"] if a["id"] == "mes")
    assert mes["cost"]["monthly"] is None
    assert mes["cost"]["unpriced"] == ["Google Cloud VMware Engine nodes for 5 servers"]


def test_table_with_cost() -> None:
    result = runner.invoke(
        app, ["assess", str(PHARMA), "--cost", "--as-of", "2026-11-29"], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0
    assert "USD/month" in result.stdout
    assert "cost per month (USD, prices of 2026-07-30, europe-west1" in result.stdout
    assert "partial: 14 item(s) not priced" in result.stdout
    assert "on premises today, for the same" in result.stdout
    assert "prices in USD; the portfolio's currency EUR is not converted" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "│ mes " in line)
    assert "not priced" in row and " 0 " not in row
    row = next(line for line in result.stdout.splitlines() if "│ sap-erp " in line)
    assert "≥" in row  # partly priced (Bare Metal Solution is not)


def test_region_without_prices_is_said_not_fatal(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "a.yaml": "portfolio: {region: asia-east2}\n"
            "applications:\n  - {id: a, name: A, servers: [s]}\n"
            "servers:\n  - {id: s, cpu: 2, memory_gb: 4}\n"
        }
    )
    result = runner.invoke(app, ["assess", str(root), "-f", "json"])
    assert result.exit_code == 0
    cost = json.loads(result.stdout)["summary"]["cost"]
    assert cost["priced"] is False and "no prices for region 'asia-east2'" in cost["reason"]


def test_managed_database_tier_priced_from_the_price_file(tmp_path: Path) -> None:
    inventory = Inventory(
        Portfolio(name="t", region="europe-west1"),
        Planning(),
        (Application(id="a", name="A", servers=("web", "db"), databases=("d1",), decision=None),),
        (
            Server(id="web", os="Red Hat Enterprise Linux 9 (64-bit)", cpu=2, memory_gb=8),
            Server(id="db", os="Red Hat Enterprise Linux 9 (64-bit)", cpu=4, memory_gb=32),
        ),
        (Database(id="d1", engine="postgresql", version="16", size_gb=100, server="db"),),
    )
    result = assess(inventory, as_of=AS_OF)
    assert next(a for a in result.applications).strategy == "replatform"
    plain = estimate(inventory, result, load(), "same-as-source").apps["a"]
    (tier,) = plain.databases
    assert (tier.service, tier.tier) == ("Cloud SQL for PostgreSQL", "db-custom-6-32768")
    assert tier.monthly is None  # no Cloud SQL price in migrator's catalogue
    assert {s.server for s in plain.servers} == {"web", "db"}  # the server stands in
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "as_of: 2026-11-01\ncurrency: USD\nregions:\n  europe-west1:\n"
        "    compute: {e2: {vcpu: 0.023993, memory: 0.003216}}\n"
        "    disks: {pd-balanced: 0.1}\n"
        "    databases:\n      Cloud SQL for PostgreSQL: "
        "{vcpu: 0.05, memory: 0.008, storage_gb_month: 0.2}\n"
    )
    priced = estimate(inventory, result, load(prices), "same-as-source").apps["a"]
    (tier,) = priced.databases
    # (6 × 0.05 + 32 × 0.008) × 730 + 120 GB × 0.2 = 405.88 + 24 = 429.88
    assert tier.monthly == pytest.approx(429.88)
    assert {s.server for s in priced.servers} == {"web"}  # the database server is replaced


def test_exchange_rate_converts_every_price(tmp_path: Path) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "as_of: 2026-11-01\ncurrency: USD\nexchange_rate: 0.5\nexchange_to: EUR\nregions: {}\n"
    )
    catalogue = load(prices)
    assert catalogue.currency == "EUR" and catalogue.exchange == "1 USD = 0.5 EUR"
    rates = catalogue.regions["europe-west1"]["compute"]
    assert rates["e2"]["vcpu"] == pytest.approx(0.023993 / 2)
    assert catalogue.licences["windows"]["per_vcpu_hour"] == pytest.approx(0.023)
    assert catalogue.licences["sqlserver"]["as_of"] == dt.date(2019, 3, 7)
    assert catalogue.commitments["cud_1y"] == pytest.approx(0.37)  # a share, not a price


HEAD = "as_of: 2026-11-01\ncurrency: USD\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "regions: {europe-west1: {compute: {e2: {vcpu: .nan, memory: 0.1}}}}",
            "prices.yaml:3:47: error: regions.europe-west1.compute.e2.vcpu: expected a finite "
            "number, got nan",
        ),
        (
            "regions: {europe-west1: {compute: {e2: {vcpu: .inf, memory: 0.1}}}}",
            "prices.yaml:3:47: error: regions.europe-west1.compute.e2.vcpu: expected a finite "
            "number, got inf",
        ),
        (
            "regions: {europe-west1: {compute: {e2: 5}}}",
            "prices.yaml:3:40: error: regions.europe-west1.compute.e2: expected a mapping, got the "
            "number 5",
        ),
        (
            "regions: {europe-west1: {compute: {e2: {vcpu: 0.1}}}}",
            "prices.yaml:3:40: error: regions.europe-west1.compute.e2: missing required key "
            "'memory'",
        ),
        (
            "regions: {europe-west1: {compute: {n2x: {vcpu: 0.1, memory: 0.1}}}}",
            "prices.yaml:3:36: error: regions.europe-west1.compute.n2x: unknown machine family "
            "'n2x' (did you mean 'n2'?)",
        ),
        (
            "regions: {europe-west1: {compute: {}, disks: 3}}",
            "prices.yaml:3:46: error: regions.europe-west1.disks: expected a mapping, got the "
            "number 3",
        ),
        (
            "regions: {europe-west1: {compute: {}, disks: {pd-sdd: 0.2}}}",
            "prices.yaml:3:47: error: regions.europe-west1.disks.pd-sdd: unknown disk type 'pd-sdd' "
            "(did you mean 'pd-ssd'?)",
        ),
        (
            "regions: {europe-west1: {compute: {}, disk: {}}}",
            "prices.yaml:3:39: error: regions.europe-west1.disk: unknown key (did you mean 'disks'?) "
            "(known keys: compute, disks, databases, machine_types)",
        ),
        (
            "regions: {europe-west-1: {compute: {}}}",
            "prices.yaml:3:11: error: regions.europe-west-1: unknown Google Cloud region "
            "'europe-west-1' (did you mean 'europe-west1'?)",
        ),
        ("regions: 5", "prices.yaml:3:10: error: regions: expected a mapping, got the number 5"),
        (
            "regions: {}\nlicences: {windows: 3}",
            "prices.yaml:4:21: error: licences.windows: expected a mapping, got the number 3",
        ),
        (
            "regions: {}\nlicences: {sqlserver: {enterprise: 1, standard: .nan, web: 1}}",
            "prices.yaml:4:49: error: licences.sqlserver.standard: expected a finite number, got nan",
        ),
        (
            "regions: {}\ncommitments: {cud_1y: 2}",
            "prices.yaml:4:23: error: commitments.cud_1y: must be at most 1, got 2",
        ),
        (
            "regions: {}\nexchange_to: EUR",
            "prices.yaml:4:1: error: exchange_to: exchange_rate and exchange_to go together: give "
            "both or neither",
        ),
        (
            "regions: {europe-west1: {compute: {}, machine_types: {g2-standard-48: .nan}}}",
            "prices.yaml:3:71: error: regions.europe-west1.machine_types.g2-standard-48: expected a "
            "finite number, got nan",
        ),
    ],
)
def test_malformed_price_files_are_refused_and_located(
    body: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("prices.yaml").write_text(HEAD + body + "\n")
    result = runner.invoke(app, ["assess", str(PHARMA), "-f", "json", "--prices", "prices.yaml"])
    assert result.exit_code == 2, result.output
    assert message in result.stderr.splitlines(), result.stderr
    assert "internal error" not in result.stderr and result.stdout == ""


def test_disks_at_provisioned_size_unless_used_is_asked(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "a.yaml": (
                "portfolio: {name: t, region: europe-west1}\n"
                "applications:\n  - {id: a, name: A, servers: [s]}\n"
                "servers:\n  - {id: s, os: Red Hat Enterprise Linux 9 (64-bit), cpu: 2, memory_gb: 8,"
                " storage_gb: 500, storage_used_gb: 100}\n"
            )
        }
    )
    disks = {}
    for option in ("provisioned", "used"):
        result = runner.invoke(
            app,
            [
                "assess",
                str(root),
                "-f",
                "json",
                "--sizing",
                "same-as-source",
                "--disk-sizing",
                option,
            ],
        )
        assert result.exit_code == 0, result.output
        server = json.loads(result.stdout)["applications"][0]["cost"]["servers"][0]
        disks[option] = server["disk"]["gb"]
    assert disks == {"provisioned": 500, "used": 100}  # same-as-source: no headroom
    plain = runner.invoke(app, ["assess", str(root), "-f", "json"])
    assert (
        json.loads(plain.stdout)["applications"][0]["cost"]["servers"][0]["disk"]["gb"] == 500
    )  # provisioned by default
    wrong = runner.invoke(app, ["assess", str(root), "--disk-sizing", "free"])
    assert wrong.exit_code == 2


def test_powered_off_servers_are_out_of_the_run_cost(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "a.yaml": (
                "portfolio: {name: t, region: europe-west1,"
                " onprem: {per_server_month: 100}}\n"
                "applications:\n  - {id: a, name: A, servers: [on1, off1]}\n"
                "servers:\n"
                "  - {id: on1, os: Red Hat Enterprise Linux 9 (64-bit), cpu: 2, memory_gb: 8}\n"
                "  - {id: off1, os: Red Hat Enterprise Linux 9 (64-bit), cpu: 8, memory_gb: 64,"
                " power_state: 'off'}\n"
            )
        }
    )
    result = runner.invoke(app, ["assess", str(root), "-f", "json"])
    report = json.loads(result.stdout)
    app_cost = report["applications"][0]["cost"]
    assert [s["id"] for s in app_cost["servers"]] == ["on1"]
    assert app_cost["powered_off"] == ["off1"]
    money = report["summary"]["cost"]
    assert money["powered_off"] == [{"application": "a", "server": "off1"}]
    assert money["onprem_monthly"] == 100 and money["onprem_servers"] == 1  # like for like


def test_nothing_priced_is_never_zero(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "a.yaml": (
                "portfolio: {name: t, region: europe-west1}\n"
                "applications:\n  - {id: a, name: A, servers: [s],"
                " decision: {strategy: relocate}}\n"
                "servers:\n  - {id: s, cpu: 2, memory_gb: 8, platform: vmware}\n"
            )
        }
    )
    report = json.loads(runner.invoke(app, ["assess", str(root), "-f", "json"]).stdout)
    assert report["applications"][0]["cost"]["monthly"] is None
    assert report["summary"]["cost"]["partial"] is True
    table = runner.invoke(app, ["assess", str(root), "--cost"], env={"COLUMNS": "200"}).stdout
    assert "not priced: none of the 1 items has a price in the catalogue" in table
    assert " 0 on demand" not in table
    markdown = runner.invoke(app, ["assess", str(root), "-f", "markdown"]).stdout
    assert "not priced: none of its 1 items has a price in the catalogue" in markdown


def test_currency_converted_or_said(tmp_path: Path, write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "a.yaml": (
                "portfolio: {name: t, region: europe-west1, currency: EUR}\n"
                "applications:\n  - {id: a, name: A, servers: [s]}\n"
                "servers:\n  - {id: s, cpu: 2, memory_gb: 8}\n"
            )
        }
    )
    said = json.loads(runner.invoke(app, ["assess", str(root), "-f", "json"]).stdout)
    assert said["summary"]["cost"]["currency_note"].startswith(
        "prices in USD; the portfolio's currency EUR is not converted"
    )
    prices = tmp_path / "eur.yaml"
    prices.write_text(
        "as_of: 2026-11-01\ncurrency: USD\nexchange_rate: 0.9\nexchange_to: EUR\nregions: {}\n"
    )
    converted = json.loads(
        runner.invoke(app, ["assess", str(root), "-f", "json", "--prices", str(prices)]).stdout
    )["summary"]["cost"]
    assert converted["currency"] == "EUR" and converted["currency_note"] is None
    assert converted["exchange"] == "1 USD = 0.9 EUR"


def test_gpu_servers_get_gpu_machine_types_priced_from_the_price_file(
    tmp_path: Path, write_inventory: WriteInventory
) -> None:
    root = write_inventory(
        {
            "a.yaml": (
                "portfolio: {name: t, region: europe-west4}\n"
                "applications:\n  - {id: a, name: A, hardware: [gpu], servers: [g]}\n"
                "servers:\n  - {id: g, os: Ubuntu 22.04 LTS, cpu: 24, memory_gb: 160,"
                " gpu: {count: 2, model: NVIDIA A100}}\n"
            )
        }
    )
    region = (
        "as_of: 2026-11-01\ncurrency: USD\nregions:\n  europe-west4:\n"
        "    compute: {e2: {vcpu: 0.02, memory: 0.003}}\n"
        "    disks: {pd-balanced: 0.1}\n"
    )
    prices = tmp_path / "region.yaml"
    prices.write_text(region)
    plain = json.loads(
        runner.invoke(
            app,
            [
                "assess",
                str(root),
                "-f",
                "json",
                "--sizing",
                "same-as-source",
                "--prices",
                str(prices),
            ],
        ).stdout
    )
    server = plain["applications"][0]["cost"]["servers"][0]
    assert server["machine_type"] == "a2-highgpu-2g"
    assert server["gpus"] == {"count": 2, "model": "nvidia-tesla-a100"}
    assert server["monthly"]["compute"] is None  # no GPU prices ship with migrator
    assert plain["applications"][0]["cost"]["partial"]
    prices.write_text(region + "    machine_types: {a2-highgpu-2g: 7.5}\n")
    priced = json.loads(
        runner.invoke(
            app,
            [
                "assess",
                str(root),
                "-f",
                "json",
                "--sizing",
                "same-as-source",
                "--prices",
                str(prices),
            ],
        ).stdout
    )
    cost = priced["applications"][0]["cost"]
    assert cost["servers"][0]["monthly"]["compute"] == pytest.approx(7.5 * 730)
    assert not cost["partial"]


@pytest.mark.parametrize(
    ("engine", "licensed"),
    [
        ("sqlserver", True),
        ("Microsoft SQL Server", True),
        ("MSSQL", True),
        ("sql-server", True),
        ("postgresql", False),
        (None, False),
    ],
)
def test_sql_server_licences_know_the_engine_by_any_of_its_names(
    engine: str | None, licensed: bool
) -> None:
    from migrator.cost.servers import sqlserver_by_server

    inventory = _inventory()
    database = dataclasses.replace(inventory.databases[0], engine=engine)
    with_engine = dataclasses.replace(inventory, databases=(database,))
    assert bool(sqlserver_by_server(with_engine).get("s1")) is licensed
