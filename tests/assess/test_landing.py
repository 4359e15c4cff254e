"""The right service for the workload, regional availability, and rehost versus replatform:
on the sample's GPU, HPC, file-share and SAP applications, and on small inventories."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from migrator.assess.assessment import assess
from migrator.assess.availability import nearest, offered
from migrator.assess.model import AppAssessment
from migrator.assess.targets import step_text
from migrator.cli import app
from migrator.inventory.load import load_inventory
from tests.conftest import PHARMA, WriteInventory

AS_OF = "2026-12-01"
runner = CliRunner()


@pytest.fixture(scope="module")
def sample() -> dict[str, dict[str, Any]]:
    result = runner.invoke(app, ["assess", str(PHARMA), "-f", "json", "--as-of", AS_OF])
    assert result.exit_code == 0
    return {a["id"]: a for a in json.loads(result.stdout)["applications"]}


def _explain(app_id: str) -> str:
    result = runner.invoke(app, ["assess", str(PHARMA), "--as-of", AS_OF, "--explain", app_id])
    assert result.exit_code == 0
    return result.stdout


def test_hpc_cluster_stays_a_cluster_on_compute_engine(sample: dict[str, Any]) -> None:
    hpc = sample["bioinformatics-hpc"]
    assert (hpc["strategy"], hpc["targets"]) == ("rehost", ["Compute Engine"])
    text = _explain("bioinformatics-hpc")
    assert "an HPC cluster (Slurm 20.02)" in text
    assert "Cloud Run serves requests, it does not run a cluster scheduler" in text
    assert "Cloud Run" not in hpc["targets"]


def test_gpu_application_lands_on_gpus(sample: dict[str, Any]) -> None:
    gpu = sample["hcs-imaging"]
    assert gpu["targets"][0] == "Google Kubernetes Engine (GPU node pools)"
    substituted = next(f for f in gpu["findings"] if f["rule"] == "gpu-substituted")
    assert (
        "NVIDIA V100 on sol-hcs-gpu01: not offered in europe-west1, NVIDIA L4 instead "
        "(nearest region with NVIDIA V100: europe-west4)"
    ) in substituted["message"]
    assert "GPU work that already runs in containers" in _explain("hcs-imaging")


def test_dfs_file_shares_go_to_netapp_volumes(sample: dict[str, Any]) -> None:
    files = sample["file-shares"]
    assert (files["strategy"], files["targets"]) == ("replatform", ["Google Cloud NetApp Volumes"])
    assert "SMB volumes joined to Active Directory" in _explain("file-shares")


def test_sap_never_lands_on_bare_metal_in_a_region_without_it(sample: dict[str, Any]) -> None:
    for app_id in ("sap-bw", "sap-po", "cds-chromatography", "consolidation", "wms"):
        assert not any(t.startswith("Bare Metal Solution") for t in sample[app_id]["targets"])
    for app_id in ("sap-bw", "sap-po"):
        assert sample[app_id]["strategy"] == "rehost"
        assert "SAP NetWeaver" in _explain(app_id)
    erp = sample["sap-erp"]  # the inventory decides Bare Metal Solution: kept, and said
    assert erp["targets"] == ["Bare Metal Solution", "Compute Engine"]
    finding = next(f for f in erp["findings"] if f["rule"] == "target-not-in-region")
    assert finding["message"] == (
        "europe-west1 does not offer Bare Metal Solution (nearest "
        "region that meets the residency 'eu' that offers it: "
        "europe-west3)"
    )


def test_vmware_engine_is_never_presented_as_certain(sample: dict[str, Any]) -> None:
    for app_id in ("ctms", "pv-safety", "esb-tibco", "mes"):
        found = {f["rule"]: f["message"] for f in sample[app_id]["findings"]}
        # mes's decision names the service: kept as written, with the findings beside it
        assert sample[app_id]["targets"] == (
            ["Google Cloud VMware Engine"]
            if app_id == "mes"
            else ["Google Cloud VMware Engine (europe-west9)"]
        )
        assert "target-not-in-region" in found
        assert "target-availability-unconfirmed" in found
        assert "its list of regions is not confirmed" in found["target-availability-unconfirmed"]


def test_only_compute_engine_means_rehost(sample: dict[str, Any]) -> None:
    for a in sample.values():
        if (
            a["targets"]
            and all(t.startswith(("Compute Engine", "Bare Metal Solution")) for t in a["targets"])
            and a["strategy_source"] == "rules"
        ):
            assert a["strategy"] == "rehost", a["id"]
        if a["strategy"] == "replatform":
            assert any(
                not t.startswith(("Compute Engine", "Bare Metal Solution")) for t in a["targets"]
            ), a["id"]


def _one(
    write_inventory: WriteInventory,
    app: str,
    servers: str = "",
    databases: str = "",
    region: str = "europe-west1",
) -> AppAssessment:
    text = (
        f"portfolio: {{name: t, region: {region}}}\napplications:\n  - {app}\n"
        + (f"servers:\n{servers}" if servers else "")
        + (f"databases:\n{databases}" if databases else "")
    )
    inventory, _ = load_inventory(write_inventory({"a.yaml": text}))
    return next(a for a in assess(inventory, as_of=dt.date(2026, 12, 1)).applications)


def test_cloud_run_only_for_stateless_web(write_inventory: WriteInventory) -> None:
    server = "  - {id: s, os: Red Hat Enterprise Linux 9 (64-bit), cpu: 2, memory_gb: 8}\n"
    web = (
        "{id: a, name: A, servers: [s], architecture: n-tier, stack: {language: Java, "
        "language_version: '17', middleware: [Tomcat 9], stateless: %s}}"
    )
    assert _one(write_inventory, web % "true", server).targets == ("Cloud Run",)
    assert _one(write_inventory, web % "false", server).targets == ("Google Kubernetes Engine",)
    batch = (
        "{id: a, name: A, servers: [s], architecture: batch, stack: {language: Python, "
        "language_version: '3.12', containerized: true, stateless: true}}"
    )
    assert _one(write_inventory, batch, server).targets == ("Google Kubernetes Engine",)


def test_middleware_the_catalogue_keeps_on_vms_is_a_rehost(write_inventory: WriteInventory) -> None:
    server = "  - {id: s, os: Microsoft Windows Server 2019 (64-bit), cpu: 4, memory_gb: 16}\n"
    biztalk = (
        "{id: a, name: A, servers: [s], stack: {language: C#, "
        "middleware: [BizTalk Server 2016], stateless: true}}"
    )
    result = _one(write_inventory, biztalk, server)
    assert (result.strategy, result.targets) == ("rehost", ("Compute Engine",))
    assert "the catalogue keeps it on VMs" in step_text(result.landing[0])


def test_an_end_of_support_os_on_compute_engine_is_still_a_rehost(
    write_inventory: WriteInventory,
) -> None:
    server = "  - {id: s, os: Microsoft Windows Server 2012 (64-bit), cpu: 4, memory_gb: 16}\n"
    result = _one(write_inventory, "{id: a, name: A, servers: [s]}", server)
    assert (result.strategy, result.targets) == ("rehost", ("Compute Engine",))
    assert "os-end-of-support" in result.reason


def test_every_server_powered_off_is_a_retire_candidate(write_inventory: WriteInventory) -> None:
    servers = (
        "  - {id: s1, cpu: 2, memory_gb: 4, power_state: 'off'}\n"
        "  - {id: s2, cpu: 2, memory_gb: 4, power_state: 'off'}\n"
    )
    result = _one(write_inventory, "{id: a, name: A, servers: [s1, s2]}", servers)
    assert result.strategy == "retire" and "powered off" in result.reason


def test_network_appliances_are_redeployed(write_inventory: WriteInventory) -> None:
    servers = "  - {id: fw1, os: Palo Alto Networks PAN-OS 10.2, cpu: 4, memory_gb: 16}\n"
    result = _one(write_inventory, "{id: a, name: A, servers: [fw1]}", servers)
    assert result.targets == ("Compute Engine (vendor appliance images)",)
    assert result.strategy == "replatform"
    assert "network-appliance" in {f.rule for f in result.findings}


def test_rac_goes_to_bare_metal_in_a_region_that_has_it(write_inventory: WriteInventory) -> None:
    servers = "  - {id: s, os: Oracle Linux 8 (64-bit), cpu: 8, memory_gb: 64}\n"
    databases = "  - {id: d, engine: oracle, version: 19c, features: [rac], server: s}\n"
    app = "{id: a, name: A, servers: [s], databases: [d], data_residency: eu}"
    here = _one(write_inventory, app, servers, databases, region="europe-west4")
    assert "Bare Metal Solution" in here.targets
    away = _one(write_inventory, app, servers, databases, region="europe-west1")
    assert "Bare Metal Solution (europe-west3)" in away.targets
    assert "target-not-in-region" in {f.rule for f in away.findings}


def test_availability_data() -> None:
    assert offered("Bare Metal Solution", "europe-west1") == "not-offered"
    assert offered("Bare Metal Solution", "europe-west4") == "offered"
    assert offered("Google Cloud VMware Engine", "europe-west4") == "unconfirmed"
    assert offered("Oracle Database@Google Cloud", "europe-west1") == "unconfirmed"
    assert offered("Cloud SQL for PostgreSQL", "europe-west1") == "offered"  # not recorded
    assert nearest(["europe-west2", "europe-west3", "europe-west4"], "europe-west1") == (
        "europe-west2"
    )
    assert nearest(["europe-west2", "europe-west6"], "europe-west1", "eu") is None


def test_no_relocation_where_the_residency_leaves_no_vmware_engine(
    write_inventory: WriteInventory,
) -> None:
    servers = "".join(
        f"  - {{id: s{n}, os: Microsoft Windows Server 2003 (32-bit), cpu: 2,"
        f" memory_gb: 4, platform: vmware}}\n"
        for n in range(4)
    )
    app = (
        "{id: a, name: A, servers: [s0, s1, s2, s3], data_residency: be, "
        "type: cots, lifecycle: tolerate, compliance: [gxp]}"
    )
    result = _one(write_inventory, app, servers)
    assert result.strategy != "relocate"
    assert any(
        "a low-readiness VMware estate, but Google Cloud VMware Engine (no region "
        "that meets the residency 'be' is known to offer it): not relocated" in step
        for step in result.decision_path
    )
