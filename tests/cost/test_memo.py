"""The catalogue's memos never change a cost: a server priced from answers worked out for
other servers costs what it costs priced alone."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.assess.assessment import assess
from migrator.cost.estimate import estimate
from migrator.cost.prices import Catalogue, load
from migrator.cost.servers import cost_server
from migrator.inventory.load import load_inventory
from migrator.inventory.model import Database, Gpus, Server, Utilization
from tests.conftest import PHARMA

# Few values of each input, so that servers often share a size, an OS or a disk (and the
# memos answer); ints beside equal floats (4 and 4.0 are one key), and the edges: no
# value, an appliance, GPUs the region has or has not.
_OS = (
    None,
    "",
    "Microsoft Windows Server 2019 (64-bit)",
    "Red Hat Enterprise Linux 8 (64-bit)",
    "SUSE Linux Enterprise 15 (64-bit)",
    "Ubuntu Linux (64-bit)",
    "PAN-OS 10.1",
    "something else",
)
_GPUS = (None, Gpus(2, "NVIDIA A100"), Gpus(1, "Tesla T4"), Gpus(8, "no such GPU"))
_SQL = (
    (),
    (Database("db-1", engine="sqlserver", edition="Enterprise"),),
    (Database("db-2", engine="sqlserver"), Database("db-3", engine="mssql", edition="web")),
)
servers = st.builds(
    Server,
    id=st.sampled_from(["s1", "s2", "s3"]),
    os=st.sampled_from(_OS),
    cpu=st.sampled_from([None, 1, 2, 4, 4.0, 6, 96, 500]),
    memory_gb=st.sampled_from([None, 0.5, 4, 16, 16.0, 100.3, 100.5, 5000]),
    storage_gb=st.sampled_from([None, 0, 20, 500, 5000]),
    storage_used_gb=st.sampled_from([None, 3.3, 250, 4500]),
    utilization=st.sampled_from(
        [None, Utilization(), Utilization(25, 50), Utilization(25.0, 50), Utilization(99.9, 1)]
    ),
    gpu=st.sampled_from(_GPUS),
)
costings = st.tuples(
    servers,
    st.sampled_from(["same-as-source", "moderate", "aggressive"]),
    st.sampled_from(["provisioned", "used"]),
    st.sampled_from(_SQL),
    st.sampled_from(["rehost", "replatform"]),
    st.sampled_from(["europe-west1", "europe-west9"]),
)

SHARED = load()  # its memos fill as the examples run


def _alone(catalogue: Catalogue) -> Catalogue:
    """The same prices with empty memos."""
    return Catalogue(
        catalogue.name,
        catalogue.as_of,
        catalogue.currency,
        catalogue.hours,
        catalogue.custom_premium,
        catalogue.exchange,
        catalogue.commitments,
        catalogue.regions,
        catalogue.licences,
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(costings, min_size=1, max_size=8))
def test_a_memoised_server_cost_is_the_cost_worked_out_alone(
    batch: list[tuple[Server, str, str, tuple[Database, ...], str, str]],
) -> None:
    for server, sizing, disk_sizing, sql, strategy, region in batch:
        args = (region, sizing, disk_sizing, sql, strategy)
        shared = cost_server(server, SHARED, SHARED.regions[region], *args)  # type: ignore[arg-type]
        fresh = _alone(SHARED)
        alone = cost_server(server, fresh, fresh.regions[region], *args)  # type: ignore[arg-type]
        assert shared == alone


def test_the_memos_fill_and_answer() -> None:
    catalogue = _alone(SHARED)
    server = Server("s1", os="Ubuntu Linux (64-bit)", cpu=4, memory_gb=16, storage_gb=100)
    prices = catalogue.regions["europe-west1"]
    args = ("europe-west1", "moderate", "provisioned", (), "rehost")
    first = cost_server(server, catalogue, prices, *args)  # type: ignore[arg-type]
    assert (len(catalogue.sized), len(catalogue.runs), len(catalogue.disks)) == (1, 1, 1)
    again = cost_server(Server("s2", **_same(server)), catalogue, prices, *args)  # type: ignore[arg-type]
    assert (len(catalogue.sized), len(catalogue.runs), len(catalogue.disks)) == (1, 1, 1)
    assert again.server == "s2" and again.shape is first.shape and again.compute == first.compute


def _same(server: Server) -> dict[str, object]:
    return {"os": server.os, "cpu": server.cpu, "memory_gb": server.memory_gb, "storage_gb": 100}


def test_an_estimate_with_a_used_catalogue_is_the_estimate_with_a_new_one() -> None:
    inventory, _ = load_inventory(PHARMA)
    assessment = assess(inventory, as_of=dt.date(2026, 11, 29))
    used = load()
    for sizing in ("moderate", "aggressive", "same-as-source"):
        for disks in ("provisioned", "used"):
            estimate(inventory, assessment, used, sizing, disks)  # type: ignore[arg-type]
    for sizing in ("moderate", "aggressive", "same-as-source"):
        for disks in ("provisioned", "used"):
            again = estimate(inventory, assessment, used, sizing, disks)  # type: ignore[arg-type]
            new = estimate(inventory, assessment, load(), sizing, disks)  # type: ignore[arg-type]
            assert again == new
