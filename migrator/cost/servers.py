"""The cost of one server on Compute Engine (machine type, disk, licences), of the managed
database tiers an application needs, and what of either the catalogue cannot price."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from migrator.assess.catalogue import OsEntry, engine, recognise_os
from migrator.assess.model import Planned
from migrator.assess.targets import database_target
from migrator.assess.workload import BARE_METAL, FILESTORE, NETAPP
from migrator.choices import DiskSizing, Sizing
from migrator.cost.prices import Catalogue
from migrator.cost.sizing import Shape, choose, gpu_shape, need
from migrator.inventory.model import Database, DatabaseId, Inventory, Server, ServerId, Strategy
from migrator.speed import fast_init

LARGE_DISK_GB = 4096
MIN_DISK_GB = 10
ASSUMED_DISK_GB = 50.0  # a server that records no storage
USED_ROOM = {"same-as-source": 1.0, "moderate": 1.3, "aggressive": 1.15}
MANAGED = ("Cloud SQL", "AlloyDB", "Memorystore", "Spanner", "Firestore", "Bigtable")
FILE_STORAGE = frozenset({NETAPP, FILESTORE})
# Services a database can land on that the catalogue has no price for, and that replace
# its server (it does not run as a VM).
UNPRICED_DATABASE_SERVICES = (BARE_METAL, "Oracle Database@Google Cloud")


@fast_init
@dataclass(frozen=True, slots=True)
class ServerCost:
    server: ServerId
    shape: Shape | None
    disk_type: str
    disk_gb: float
    compute: float | None  # monthly, on demand; None: not priced
    disk: float | None  # None: no price for the disk type in the region
    licences: tuple[tuple[str, float], ...]  # (licence, monthly)
    share: float  # the part of the server this application carries (1 / its users)
    whole: float  # what is priced of the whole server: compute, disk and licences
    unpriced: tuple[str, ...] = ()  # what of it is not priced, in words

    @property
    def monthly(self) -> float:
        """What is priced of it, for this application's share."""
        return self.whole * self.share


@fast_init
@dataclass(frozen=True, slots=True)
class DatabaseTier:
    """A database moving to a managed service: the size of instance it needs."""

    database: DatabaseId
    service: str
    vcpu: int
    memory_gb: float
    storage_gb: float
    tier: str  # e.g. db-custom-4-16384 for Cloud SQL
    monthly: float | None  # None when the catalogue has no price for the service


def cost_server(
    server: Server,
    catalogue: Catalogue,
    prices: dict[str, Any],
    region: str,
    sizing: Sizing,
    disk_sizing: DiskSizing,
    sql: tuple[Database, ...],
    strategy: Strategy,
) -> ServerCost:
    """What the server costs a month on Compute Engine under ``strategy`` (whole, its
    share 1), given the SQL Server databases it hosts (``sql``)."""
    util = server.utilization
    gpu = server.gpu
    # Servers of the same size, use and GPUs get the same machine type: it is chosen once
    # per catalogue for each such size (RVTools records no use: an estate has a few
    # dozen sizes).
    size = (
        region,
        sizing,
        server.cpu,
        server.memory_gb,
        util.cpu_p95 if util else None,
        util.memory_p95 if util else None,
        gpu.count if gpu else None,
        gpu.model if gpu else None,
    )
    sized = catalogue.sized.get(size)
    if sized is None:
        sized = catalogue.sized[size] = _sized(server, prices, catalogue, region, sizing)
    shape, unpriced = sized
    disk_type, disk_gb = _disk(server, sizing, disk_sizing, bool(sql))
    # Thousands of servers share a machine type and an OS, and as many a disk: what they
    # cost is worked out once per catalogue for each (keyed by every input that varies:
    # the machine type by its price and vCPUs, the OS by its text, SQL Server by the
    # edition licensed).
    edition = _edition(sql) if sql and strategy == "rehost" else None
    hourly, vcpu = (shape.hourly, shape.vcpu) if shape else (None, None)
    runs = (hourly, vcpu, server.os, edition)
    run = catalogue.runs.get(runs)
    if run is None:
        run = catalogue.runs[runs] = _run(shape, server.os, edition, catalogue)
    stored = (region, disk_type, disk_gb)
    disk = catalogue.disks.get(stored)
    if disk is None:
        disk = catalogue.disks[stored] = _stored(disk_type, disk_gb, prices, region)
    compute, licences, licensed, appliance = run
    monthly, no_disk = disk
    return ServerCost(
        server.id,
        shape,
        disk_type,
        disk_gb,
        compute,
        monthly,
        licences,
        1.0,
        (compute or 0.0) + (monthly or 0.0) + licensed,
        (*unpriced, *no_disk, *appliance) if no_disk or appliance else unpriced,
    )


def _sized(
    server: Server, prices: dict[str, Any], catalogue: Catalogue, region: str, sizing: Sizing
) -> tuple[Shape | None, tuple[str, ...]]:
    """The machine type for the server's size, use and GPUs, and what of it the catalogue
    cannot meet or price."""
    util = server.utilization
    vcpu, memory, basis = need(
        server.cpu,
        server.memory_gb,
        util.cpu_p95 if util else None,
        util.memory_p95 if util else None,
        sizing,
    )
    unpriced: list[str] = []
    shape: Shape | None
    if server.gpu is not None:
        shape = gpu_shape(
            server.gpu.count,
            server.gpu.model,
            vcpu,
            memory,
            region,
            prices.get("machine_types") or {},
            basis,
        )
        if shape is None:
            unpriced.append(
                f"{server.gpu.count} × {server.gpu.model or 'GPU'}: no GPU machine "
                f"type in {region} carries them"
            )
        elif shape.hourly is None:
            unpriced.append(
                f"GPU machine type {shape.name} ({shape.gpus} × {shape.gpu_model}):"
                f" no price in the catalogue"
            )
    else:
        shape = choose(vcpu, memory, catalogue, basis, region)
        if shape is None:
            unpriced.append(
                f"no machine type in {region} has {math.ceil(vcpu)} vCPUs and {memory:.0f} GB"
            )
    return shape, tuple(unpriced)


def _run(
    shape: Shape | None, os_text: str | None, sql_edition: str | None, catalogue: Catalogue
) -> tuple[float | None, tuple[tuple[str, float], ...], float, tuple[str, ...]]:
    """A machine type's monthly compute and licences with this OS (and SQL Server
    edition), the licences' sum, and the OS licence the catalogue cannot price (an
    appliance's)."""
    match = recognise_os(os_text) if os_text else None
    entry = match.entry if match else None
    unpriced: tuple[str, ...] = ()
    if entry is not None and entry.kind == "appliance":
        unpriced = (f"the {entry.product} licence (the vendor's image): no price in the catalogue",)
    compute = None
    if shape is not None and shape.hourly is not None:
        compute = round(shape.hourly * catalogue.hours, 2)
    licences = _licences(entry, shape, catalogue, sql_edition)
    return compute, licences, sum(m for _, m in licences), unpriced


def _stored(
    disk_type: str, disk_gb: float, prices: dict[str, Any], region: str
) -> tuple[float | None, tuple[str, ...]]:
    """A disk's monthly price, or why there is none."""
    rate = (prices.get("disks") or {}).get(disk_type)
    if rate is None:
        return None, (f"{disk_gb:g} GB of {disk_type}: no price for it in {region}",)
    return round(disk_gb * float(rate), 2), ()


def _disk(
    server: Server, sizing: Sizing, disk_sizing: DiskSizing, database: bool
) -> tuple[str, float]:
    size = server.storage_gb or ASSUMED_DISK_GB
    if disk_sizing == "used" and server.storage_used_gb:
        size = min(size, server.storage_used_gb * USED_ROOM[sizing])
    size = max(MIN_DISK_GB, round(size))
    if database:
        return "pd-ssd", size
    return ("pd-standard" if size > LARGE_DISK_GB else "pd-balanced"), size


def _licences(
    entry: OsEntry | None, shape: Shape | None, catalogue: Catalogue, sql_edition: str | None
) -> tuple[tuple[str, float], ...]:
    if shape is None:
        return ()
    table = catalogue.licences
    hours = catalogue.hours
    found: list[tuple[str, float]] = []
    if entry is not None and entry.family == "windows" and "windows" in table:
        found.append(("Windows Server", table["windows"]["per_vcpu_hour"] * shape.vcpu * hours))
    elif entry is not None and entry.product.startswith("Red Hat") and "rhel" in table:
        rate = table["rhel"]
        per = (
            rate["per_vcpu_hour"]
            if shape.vcpu <= 8
            else rate.get("per_vcpu_hour_above_8", rate["per_vcpu_hour"])
        )
        found.append(("RHEL", per * shape.vcpu * hours))
    elif entry is not None and entry.product.startswith("SUSE") and "sles" in table:
        found.append(("SLES", table["sles"]["per_hour"] * hours))
    if sql_edition is not None and "sqlserver" in table:
        cores = max(4, shape.vcpu)
        found.append((f"SQL Server {sql_edition}", table["sqlserver"][sql_edition] * cores * hours))
    return tuple((name, round(monthly, 2)) for name, monthly in found)


def _edition(sql: tuple[Database, ...]) -> str | None:
    """The SQL Server edition a server's databases license it for (the highest named),
    or None without SQL Server databases."""
    if not sql:
        return None
    editions = {(db.edition or "standard").lower() for db in sql}
    return next(
        (e for e in ("enterprise", "standard", "web") if any(e in x for x in editions)),
        "standard",
    )


def sqlserver_by_server(inventory: Inventory) -> dict[ServerId, tuple[Database, ...]]:
    found: dict[ServerId, list[Database]] = {}
    for db in inventory.databases:
        if not db.server:
            continue
        # The engine's names and aliases are databases.yaml's, as for the assessment.
        known = engine(db.engine)
        if known is not None and known.id == "sqlserver":
            found.setdefault(db.server, []).append(db)
    return {k: tuple(v) for k, v in found.items()}


def database_landings(
    inventory: Inventory,
    app: Planned,
    catalogue: Catalogue,
    prices: dict[str, Any],
    sizing: Sizing,
    region: str,
) -> tuple[tuple[DatabaseTier, ...], list[tuple[DatabaseId, ServerId, str]]]:
    """The managed instances the application's databases need, sized like their servers
    and priced when the catalogue has the service (``databases:`` in a region); and
    (database, its server, service) for those that land on a service the catalogue cannot
    price and that replaces their server (Bare Metal Solution ...)."""
    if not app.app.databases:
        return (), []
    found: list[DatabaseTier] = []
    elsewhere: list[tuple[DatabaseId, ServerId, str]] = []
    for db_id in app.app.databases:
        db = inventory.databases_by_id.get(db_id)
        if db is None:
            continue
        service = database_target(db, app.strategy, region, app.app.data_residency)
        if service in UNPRICED_DATABASE_SERVICES:
            if db.server:
                elsewhere.append((db.id, db.server, service))
            continue
        if not service.startswith(MANAGED):
            continue
        host = inventory.servers_by_id.get(db.server) if db.server else None
        util = host.utilization if host else None
        vcpu, memory, _ = need(
            host.cpu if host else 2,
            host.memory_gb if host else 8,
            util.cpu_p95 if util else None,
            util.memory_p95 if util else None,
            sizing,
        )
        vcpu_count, memory_gb = _cloud_sql_shape(vcpu, memory)
        storage = max(10.0, float(db.size_gb or 10) * 1.2)
        rate = (prices.get("databases") or {}).get(service)
        monthly = None
        if isinstance(rate, dict):
            monthly = round(
                (vcpu_count * float(rate.get("vcpu", 0)) + memory_gb * float(rate.get("memory", 0)))
                * catalogue.hours
                + storage * float(rate.get("storage_gb_month", 0)),
                2,
            )
        tier = (
            f"db-custom-{vcpu_count}-{int(memory_gb * 1024)}"
            if service.startswith("Cloud SQL")
            else f"{vcpu_count} vCPU, {memory_gb:g} GB"
        )
        found.append(
            DatabaseTier(db.id, service, vcpu_count, memory_gb, round(storage), tier, monthly)
        )
    return tuple(found), elsewhere


def _cloud_sql_shape(vcpu: float, memory: float) -> tuple[int, float]:
    """A Cloud SQL custom tier that fits: 1 or an even number of vCPUs up to 96, 0.9 to
    6.5 GB per vCPU in steps of 256 MB, at least 3.75 GB (Cloud SQL's custom machine type
    limits, as its Terraform provider documents them; read 2026-11)."""
    memory = max(3.75, math.ceil(memory * 4 - 1e-9) / 4)
    count = max(1, math.ceil(vcpu - 1e-9), math.ceil(memory / 6.5 - 1e-9))
    if count > 1:
        count += count % 2
    count = min(count, 96)
    memory = min(max(memory, math.ceil(count * 0.9 * 4) / 4), count * 6.5)
    return count, memory
