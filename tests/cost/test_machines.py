"""The machine catalogue against gcloud's lists, custom shapes by their family's rules, and
every recommendation of the sample and of a large synthetic portfolio checked against both."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.assess.machines import catalogue
from migrator.cli import app
from migrator.cost.prices import load
from migrator.cost.sizing import choose
from tests.conftest import PHARMA

ROOT = Path(__file__).resolve().parents[2]
GCE = ROOT.parent / "shared" / "facts" / "gce"
runner = CliRunner()


def _tool() -> object:
    spec = importlib.util.spec_from_file_location(
        "gce_catalogue", ROOT / "tools" / "gce_catalogue.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gcloud() -> dict[str, set[str]]:
    """Machine type → regions, straight from gcloud's list (shared-core and deprecated out)."""
    found: dict[str, set[str]] = defaultdict(set)
    with (GCE / "machinetyperegion.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if not row["DEPRECATED"] and row["SHARED_CPU"] == "False":
                found[row["NAME"]].add(row["ZONE"])
    return found


needs_csv = pytest.mark.skipif(
    not (GCE / "machinetyperegion.csv").exists(),
    reason="gcloud's machine-type lists are not beside the clone",
)


@needs_csv
def test_shipped_catalogue_is_what_the_tool_writes_from_the_lists() -> None:
    tool = _tool()
    shipped = (ROOT / "migrator" / "data" / "machines.yaml").read_text(encoding="utf-8")
    assert tool.build(GCE) == shipped  # type: ignore[attr-defined]


def test_custom_rules_per_family() -> None:
    rules = catalogue().custom
    assert rules["e2"].shape(18, 140) is None  # E2 stops at 128 GB
    assert rules["e2"].shape(17, 100) == (18, 100)  # even vCPUs only
    assert rules["n2d"].shape(70, 400) == (80, 400)  # 2, 4, 8, 16, 32, 48, 64, 80, 96
    assert rules["n2d"].shape(124, 700) is None
    assert rules["n2"].shape(33, 200) == (36, 200)  # 36-128 by 4
    assert rules["n1"].shape(1, 3) == (1, 3)
    assert rules["n1"].shape(3, 1) == (4, 3.75)  # at least 0.9 GB a vCPU, in 256 MB steps
    assert rules["n1"].name(4, 15) == "custom-4-15360"  # N1 custom names have no family
    assert rules["e2"].name(2, 3.25) == "e2-custom-2-3328"


@pytest.mark.parametrize(
    ("name", "region", "expected"),
    [
        ("e2-standard-4", "europe-west1", True),
        ("e2-highmem-32", "europe-west1", False),  # no such type
        ("n2d-highmem-128", "europe-west1", False),  # no such type
        ("e2-custom-18-143360", "europe-west1", False),  # 140 GB: over E2's 128 GB
        ("e2-custom-20-129536", "europe-west1", True),
        ("n2d-custom-124-726016", "europe-west1", False),  # N2D custom has no 124 vCPUs
        ("n2d-custom-80-402176", "europe-west1", True),
        ("e2-custom-4-8000", "europe-west1", False),  # not a multiple of 256 MB
        ("c3-standard-4", "europe-west1", True),
        ("a2-highgpu-1g", "europe-west1", False),  # A2 is not offered there
    ],
)
def test_valid_machine_types(name: str, region: str, expected: bool) -> None:
    assert catalogue().valid(name, region) is expected


def test_large_needs_leave_e2_for_real_types() -> None:
    prices = load()
    for vcpu, memory in ((32, 256), (40, 300), (96, 768), (128, 900), (18, 140)):
        shape = choose(vcpu, memory, prices, "t", "europe-west1")
        assert shape is not None and catalogue().valid(shape.name, "europe-west1"), shape
        assert shape.vcpu >= vcpu and shape.memory_gb >= memory


def _recommended(report: dict[str, object]) -> list[tuple[str, str, str]]:
    region = report["portfolio"]["region"]  # type: ignore[index]
    found = []
    for item in report["applications"]:  # type: ignore[attr-defined]
        for server in (item.get("cost") or {}).get("servers", []):
            if server["machine_type"]:
                found.append((item["id"], server["machine_type"], server.get("region") or region))
    return found


def _check(found: list[tuple[str, str, str]]) -> None:
    machines = catalogue()
    listed = _gcloud() if (GCE / "machinetyperegion.csv").exists() else None
    wrong = [f for f in found if not machines.valid(f[1], f[2])]
    assert not wrong, wrong[:10]
    if listed is not None:  # and predefined types against gcloud's own list
        missing = [f for f in found if f[1] in machines.types and f[2] not in listed[f[1]]]
        assert not missing, missing[:10]


def test_every_recommendation_of_the_sample_is_real() -> None:
    result = runner.invoke(app, ["assess", str(PHARMA), "-f", "json", "--as-of", "2026-12-01"])
    assert result.exit_code == 0
    found = _recommended(json.loads(result.stdout))
    assert len(found) > 50
    _check(found)


def test_every_recommendation_of_a_large_synthetic_portfolio_is_real(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate(tmp_path, 2000, 7)
    for sizing in ("moderate", "same-as-source"):
        result = runner.invoke(
            app,
            ["assess", str(tmp_path), "-f", "json", "--as-of", "2026-12-01", "--sizing", sizing],
        )
        assert result.exit_code == 0
        found = _recommended(json.loads(result.stdout))
        assert len(found) > 2000
        _check(found)
