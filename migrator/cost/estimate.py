"""Monthly cost per server, application, wave and portfolio: sized, priced, traceable.

Each server of an application that moves to Google Cloud capacity (rehost, replatform,
refactor) is right-sized to a Compute Engine machine type and priced from the catalogue:
compute (with committed-use discounts), Persistent Disk, OS licences, and SQL Server
licences for SQL Server databases kept on their VM. GKE nodes, Cloud Run and managed
databases are approximated by Compute Engine capacity of the same size: the catalogue
has no prices for them. A server shared by several moving applications is split evenly.
Relocated (VMware Engine) and repurchased (SaaS) applications are listed as not priced.
Databases bound for a managed service get the tier they need (sized like the server
they run on); a tier is priced when the catalogue's region has the service under
``databases``, and its server is then not priced again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from migrator.assess.catalogue import recognise_os
from migrator.assess.model import AppAssessment, Assessment
from migrator.cost.prices import Catalogue
from migrator.cost.sizing import Shape, Sizing, choose, need
from migrator.inventory.model import Database, Inventory, Server, fast_init

PRICED = ("rehost", "replatform", "refactor")
NOT_PRICED = {"relocate": "Google Cloud VMware Engine nodes are not in the price catalogue",
              "repurchase": "the SaaS subscription is not in the price catalogue"}
LARGE_DISK_GB = 4096
MIN_DISK_GB = 10
DISK_ROOM = {"same-as-source": None, "moderate": 1.3, "aggressive": 1.15}


@fast_init
@dataclass(frozen=True, slots=True)
class ServerCost:
    server: str
    shape: Shape | None
    disk_type: str
    disk_gb: float
    compute: float  # monthly, on demand
    disk: float
    licences: tuple[tuple[str, float], ...]  # (licence, monthly)
    share: float  # the part of the server this application carries (1 / its users)

    @property
    def monthly(self) -> float:
        return (self.compute + self.disk + sum(m for _, m in self.licences)) * self.share


@fast_init
@dataclass(frozen=True, slots=True)
class DatabaseTier:
    """A database moving to a managed service: the size of instance it needs."""

    database: str
    service: str
    vcpu: int
    memory_gb: float
    storage_gb: float
    tier: str  # e.g. db-custom-4-16384 for Cloud SQL
    monthly: float | None  # None when the catalogue has no price for the service


@fast_init
@dataclass(frozen=True, slots=True)
class AppCost:
    app: str
    servers: tuple[ServerCost, ...]
    monthly: Mapping[str, float]  # on_demand, cud_1y, cud_3y
    note: str | None = None
    databases: tuple[DatabaseTier, ...] = ()


@dataclass(frozen=True)
class CostEstimate:
    catalogue: Catalogue
    region: str
    sizing: Sizing
    apps: Mapping[str, AppCost]
    total: Mapping[str, float]
    onprem_monthly: float | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def currency(self) -> str:
        return self.catalogue.currency


def estimate(inventory: Inventory, assessment: Assessment, catalogue: Catalogue,
             sizing: Sizing = "moderate") -> CostEstimate:
    region, prices = catalogue.region(inventory.portfolio.region)
    moving: dict[str, AppAssessment] = {a.app.id: a for a in assessment.applications
                                        if a.strategy in PRICED}
    users: dict[str, int] = {}
    for a in moving.values():
        for server_id in a.app.servers:
            users[server_id] = users.get(server_id, 0) + 1
    sql_on = _sqlserver_by_server(inventory)
    cache: dict[str, ServerCost] = {}
    apps: dict[str, AppCost] = {}
    for a in assessment.applications:
        if a.strategy not in PRICED:
            apps[a.app.id] = AppCost(a.app.id, (), _commit(catalogue, 0, 0),
                                     NOT_PRICED.get(a.strategy))
            continue
        tiers = _tiers(inventory, a, catalogue, prices, sizing)
        # A server whose databases all go to a priced managed service is not priced again.
        replaced = {inventory.databases_by_id[t.database].server for t in tiers
                    if t.monthly is not None} - {
            inventory.databases_by_id[t.database].server for t in tiers if t.monthly is None}
        costs = []
        for server_id in a.app.servers:
            server = inventory.servers_by_id.get(server_id)
            if server is None or server_id in replaced:
                continue
            base = cache.get(server_id)
            if base is None:
                base = cache[server_id] = _server(server, catalogue, prices, region, sizing,
                                                  sql_on.get(server_id, ()), a)
            costs.append(_share(base, 1 / users[server_id]))
        compute = sum(c.compute * c.share for c in costs)
        rest = sum(c.monthly for c in costs) - compute
        rest += sum(t.monthly or 0 for t in tiers)
        apps[a.app.id] = AppCost(a.app.id, tuple(costs), _commit(catalogue, compute, rest),
                                 databases=tiers)
    total = {k: round(sum(c.monthly[k] for c in apps.values()), 2)
             for k in catalogue.commitments}
    notes = [f"prices of {catalogue.as_of.isoformat()} ({catalogue.name}), {region}, "
             f"{catalogue.currency}, {catalogue.hours:g} hours a month",
             f"sizing: {sizing}"]
    if catalogue.licences.get("sqlserver", {}).get("as_of"):
        notes.append(f"SQL Server licence prices are from "
                     f"{catalogue.licences['sqlserver']['as_of']}: check current ones")
    return CostEstimate(catalogue, region, sizing, apps, total,
                        _onprem(inventory, moving, users), tuple(notes))


MANAGED = ("Cloud SQL", "AlloyDB", "Memorystore", "Spanner", "Firestore", "Bigtable")


def _tiers(inventory: Inventory, app: AppAssessment, catalogue: Catalogue,
           prices: dict[str, Any], sizing: Sizing) -> tuple[DatabaseTier, ...]:
    """The managed instances the application's databases need, sized like their servers
    and priced when the catalogue has the service (``databases:`` in a region)."""
    from migrator.assess.targets import database_target

    tiers = []
    for db_id in app.app.databases:
        db = inventory.databases_by_id.get(db_id)
        if db is None:
            continue
        service = database_target(db, app.strategy)
        if not service.startswith(MANAGED):
            continue
        host = inventory.servers_by_id.get(db.server or "")
        util = host.utilization if host else None
        vcpu, memory, _ = need(host.cpu if host else 2, host.memory_gb if host else 8,
                               util.cpu_p95 if util else None,
                               util.memory_p95 if util else None, sizing)
        vcpu_count, memory_gb = _cloud_sql_shape(vcpu, memory)
        storage = max(10.0, float(db.size_gb or 10) * 1.2)
        rate = (prices.get("databases") or {}).get(service)
        monthly = None
        if isinstance(rate, dict):
            monthly = round((vcpu_count * float(rate.get("vcpu", 0))
                             + memory_gb * float(rate.get("memory", 0))) * catalogue.hours
                            + storage * float(rate.get("storage_gb_month", 0)), 2)
        tier = (f"db-custom-{vcpu_count}-{int(memory_gb * 1024)}" if service.startswith(
            "Cloud SQL") else f"{vcpu_count} vCPU, {memory_gb:g} GB")
        tiers.append(DatabaseTier(db.id, service, vcpu_count, memory_gb, round(storage),
                                  tier, monthly))
    return tuple(tiers)


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


def _commit(catalogue: Catalogue, compute: float, rest: float) -> dict[str, float]:
    """Monthly cost under each commitment: discounts apply to compute only."""
    return {kind: round(compute * (1 - discount) + rest, 2)
            for kind, discount in catalogue.commitments.items()}


def _share(cost: ServerCost, share: float) -> ServerCost:
    return ServerCost(cost.server, cost.shape, cost.disk_type, cost.disk_gb, cost.compute,
                      cost.disk, cost.licences, share)


def _sqlserver_by_server(inventory: Inventory) -> dict[str, tuple[Database, ...]]:
    found: dict[str, list[Database]] = {}
    for db in inventory.databases:
        if db.server and (db.engine or "").lower() in ("sqlserver", "mssql", "sql-server"):
            found.setdefault(db.server, []).append(db)
    return {k: tuple(v) for k, v in found.items()}


def _server(server: Server, catalogue: Catalogue, prices: dict[str, Any], region: str,
            sizing: Sizing, sql: tuple[Database, ...], app: AppAssessment) -> ServerCost:
    util = server.utilization
    vcpu, memory, basis = need(server.cpu, server.memory_gb, util.cpu_p95 if util else None,
                               util.memory_p95 if util else None, sizing)
    shape = choose(vcpu, memory, catalogue, prices["compute"], basis, region)
    hours = catalogue.hours
    compute = (shape.hourly or 0.0) * hours if shape else 0.0
    disk_type, disk_gb = _disk(server, sizing, bool(sql))
    disk = disk_gb * float(prices.get("disks", {}).get(disk_type, 0))
    licences = _licences(server, shape, catalogue, sql if app.strategy == "rehost" else ())
    return ServerCost(server.id, shape, disk_type, disk_gb, round(compute, 2), round(disk, 2),
                      licences, 1.0)


def _disk(server: Server, sizing: Sizing, database: bool) -> tuple[str, float]:
    size = server.storage_gb or 50.0
    room = DISK_ROOM[sizing]
    if room and server.storage_used_gb:
        size = min(size, server.storage_used_gb * room)
    size = max(MIN_DISK_GB, round(size))
    if database:
        return "pd-ssd", size
    return ("pd-standard" if size > LARGE_DISK_GB else "pd-balanced"), size


def _licences(server: Server, shape: Shape | None, catalogue: Catalogue,
              sql: tuple[Database, ...]) -> tuple[tuple[str, float], ...]:
    if shape is None:
        return ()
    table = catalogue.licences
    hours = catalogue.hours
    found: list[tuple[str, float]] = []
    match = recognise_os(server.os) if server.os else None
    entry = match.entry if match else None
    if entry is not None and entry.family == "windows" and "windows" in table:
        found.append(("Windows Server", table["windows"]["per_vcpu_hour"] * shape.vcpu * hours))
    elif entry is not None and entry.product.startswith("Red Hat") and "rhel" in table:
        rate = table["rhel"]
        per = rate["per_vcpu_hour"] if shape.vcpu <= 8 else rate.get("per_vcpu_hour_above_8",
                                                                       rate["per_vcpu_hour"])
        found.append(("RHEL", per * shape.vcpu * hours))
    elif entry is not None and entry.product.startswith("SUSE") and "sles" in table:
        found.append(("SLES", table["sles"]["per_hour"] * hours))
    if sql and "sqlserver" in table:
        editions = {(db.edition or "standard").lower() for db in sql}
        edition = next((e for e in ("enterprise", "standard", "web") if any(e in x
                                                                              for x in editions)),
                       "standard")
        cores = max(4, shape.vcpu)
        found.append((f"SQL Server {edition}", table["sqlserver"][edition] * cores * hours))
    return tuple((name, round(monthly, 2)) for name, monthly in found)


def _onprem(inventory: Inventory, moving: Mapping[str, AppAssessment],
            users: Mapping[str, int]) -> float | None:
    costs = inventory.portfolio.onprem
    if costs is None:
        return None
    servers = [inventory.servers_by_id[s] for s in users if s in inventory.servers_by_id]
    total = costs.fixed_month or 0.0
    total += (costs.per_server_month or 0.0) * len(servers)
    total += (costs.per_vcpu_month or 0.0) * sum(s.cpu or 0 for s in servers)
    total += (costs.per_storage_gb_month or 0.0) * sum(s.storage_gb or 0 for s in servers)
    return round(total, 2)
