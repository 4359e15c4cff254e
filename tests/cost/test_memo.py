"""The catalogue's memos never change a cost: a server priced from answers worked out for
other servers costs what it costs priced alone."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.assess.assessment import assess
from migrator.choices import DiskSizing, Sizing
from migrator.cost.estimate import estimate
from migrator.cost.prices import Catalogue, load
from migrator.cost.servers import cost_server
from migrator.inventory.load import load_inventory
from migrator.inventory.model import Database, DatabaseId, Gpus, Server, ServerId, Utilization
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
    (Database(DatabaseId("db-1"), engine="sqlserver", edition="Enterprise"),),
    (
        Database(DatabaseId("db-2"), engine="sqlserver"),
        Database(DatabaseId("db-3"), engine="mssql", edition="web"),
    ),
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
SIZINGS: tuple[Sizing, ...] = ("same-as-source", "moderate", "aggressive")
DISK_SIZINGS: tuple[DiskSizing, ...] = ("provisioned", "used")
costings = st.tuples(
    servers,
    st.sampled_from(SIZINGS),
    st.sampled_from(DISK_SIZINGS),
    st.sampled_from(_SQL),
    st.sampled_from(["rehost", "replatform"]),
    st.sampled_from(["europe-west1", "europe-west9"]),
)


def _alone(catalogue: Catalogue, **changes: object) -> Catalogue:
    """The same prices (with ``changes``) and empty memos. Not ``dataclasses.replace``:
    it would hand the new catalogue the old one's memos."""
    fields = {
        "name": catalogue.name,
        "as_of": catalogue.as_of,
        "currency": catalogue.currency,
        "hours": catalogue.hours,
        "custom_premium": catalogue.custom_premium,
        "exchange": catalogue.exchange,
        "commitments": catalogue.commitments,
        "regions": catalogue.regions,
        "licences": catalogue.licences,
    }
    return Catalogue(**{**fields, **changes})  # type: ignore[arg-type]


SHIPPED = load()
# GPU machine types priced, a disk type without a price, no licence prices.
REGION = {
    **SHIPPED.regions["europe-west1"],
    "disks": {"pd-balanced": 0.1},
    "machine_types": {"a2-highgpu-2g": 7.5, "g2-standard-4": 0.9},
}
OTHER = _alone(SHIPPED, regions={**SHIPPED.regions, "europe-west1": REGION}, licences={})
# Their memos fill as the examples run.
SHARED = {"shipped": _alone(SHIPPED), "other": _alone(OTHER)}


@settings(max_examples=200, deadline=None)
@given(st.lists(costings, min_size=1, max_size=8), st.sampled_from(sorted(SHARED)))
def test_a_memoised_server_cost_is_the_cost_worked_out_alone(
    batch: list[tuple[Server, str, str, tuple[Database, ...], str, str]], prices: str
) -> None:
    shared = SHARED[prices]
    for server, sizing, disk_sizing, sql, strategy, region in batch:
        args = (region, sizing, disk_sizing, sql, strategy)
        memoised = cost_server(server, shared, shared.regions[region], *args)  # type: ignore[arg-type]
        fresh = _alone(shared)
        alone = cost_server(server, fresh, fresh.regions[region], *args)  # type: ignore[arg-type]
        assert memoised == alone


def test_servers_of_one_size_os_and_disk_share_the_answers() -> None:
    catalogue = _alone(SHIPPED)
    prices = catalogue.regions["europe-west1"]
    args = ("europe-west1", "moderate", "provisioned", (), "rehost")
    first, second = (
        Server(ServerId(name), os="Ubuntu Linux (64-bit)", cpu=4, memory_gb=16, storage_gb=100)
        for name in ("s1", "s2")
    )
    one = cost_server(first, catalogue, prices, *args)  # type: ignore[arg-type]
    two = cost_server(second, catalogue, prices, *args)  # type: ignore[arg-type]
    assert (len(catalogue.sized), len(catalogue.runs), len(catalogue.disks)) == (1, 1, 1)
    assert (one.server, two.server) == ("s1", "s2") and two.shape is one.shape
    assert two.whole == one.whole == one.compute + one.disk  # type: ignore[operator]


def test_an_estimate_with_a_used_catalogue_is_the_estimate_with_a_new_one() -> None:
    inventory, _ = load_inventory(PHARMA)
    assessment = assess(inventory, as_of=dt.date(2026, 11, 29))
    used = load()
    runs = [(sizing, disks) for sizing in SIZINGS for disks in DISK_SIZINGS]
    for sizing, disks in runs:
        estimate(inventory, assessment, used, sizing, disks)
    for sizing, disks in runs:
        again = estimate(inventory, assessment, used, sizing, disks)
        assert again == estimate(inventory, assessment, load(), sizing, disks)
