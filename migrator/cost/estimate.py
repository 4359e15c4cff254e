"""Monthly cost per server, application, wave and portfolio: sized, priced, traceable, and
honest about what it leaves out.

Each running server of an application that moves to Google Cloud capacity (rehost,
replatform, refactor) is right-sized to a Compute Engine machine type and priced from the
catalogue: compute (with committed-use discounts), Persistent Disk at the source's
provisioned size (Migrate to Virtual Machines keeps it; ``--disk-sizing used`` opts in to
the used size), OS licences, and SQL Server licences for SQL Server databases kept on
their VM. GKE nodes and Cloud Run are approximated by Compute Engine capacity of the same
size. A server shared by several moving applications is split evenly.

What the catalogue cannot price is never a silent zero: each such item (VMware Engine
nodes, a SaaS subscription, Bare Metal Solution or Oracle Database@Google Cloud, NetApp
Volumes or Filestore capacity, a GPU machine type, a disk or machine without a price) is
named on its application, the application and portfolio totals are marked partial, and the
on-premises figure covers the same servers as the priced part. Powered-off servers are out
of the run cost and listed apart, as candidates to retire or archive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from migrator.assess.model import ForPlanning, Planned
from migrator.choices import DiskSizing, Sizing
from migrator.cost.prices import Catalogue
from migrator.cost.servers import (
    FILE_STORAGE,
    DatabaseTier,
    ServerCost,
    cost_server,
    database_landings,
    sqlserver_by_server,
)
from migrator.inventory.model import AppId, DatabaseId, Inventory, ServerId
from migrator.speed import fast_init

PRICED = ("rehost", "replatform", "refactor")
NOT_PRICED = {
    "relocate": "Google Cloud VMware Engine nodes (no price in the catalogue)",
    "repurchase": "the SaaS subscription (no price in the catalogue)",
}
__all__ = [
    "PRICED",
    "AppCost",
    "CostEstimate",
    "DatabaseTier",
    "NotPriced",
    "ServerCost",
    "estimate",
]


@fast_init
@dataclass(frozen=True, slots=True)
class AppCost:
    app: AppId
    servers: tuple[ServerCost, ...]
    monthly: Mapping[str, float] | None  # on_demand, cud_1y, cud_3y; None: nothing priced
    note: str | None = None
    databases: tuple[DatabaseTier, ...] = ()
    unpriced: tuple[str, ...] = ()  # what the estimate could not price, in words
    powered_off: tuple[ServerId, ...] = ()  # servers left out of the run cost

    @property
    def partial(self) -> bool:
        return bool(self.unpriced)


@dataclass(frozen=True)
class CostEstimate:
    catalogue: Catalogue
    region: str
    sizing: Sizing
    disk_sizing: DiskSizing
    apps: Mapping[AppId, AppCost]
    total: Mapping[str, float]  # of what is priced
    onprem_monthly: float | None  # today's cost of the servers whose cloud cost is priced
    notes: tuple[str, ...] = field(default_factory=tuple)
    currency_note: str | None = None  # prices not in the portfolio's currency
    onprem_servers: int = 0  # how many servers the on-premises figure covers
    portfolio_currency: str | None = None  # as the inventory writes it

    @property
    def currency(self) -> str:
        return self.catalogue.currency

    @property
    def unpriced(self) -> tuple[tuple[AppId, str], ...]:
        return tuple((app, item) for app, cost in self.apps.items() for item in cost.unpriced)

    @property
    def powered_off(self) -> tuple[tuple[AppId, ServerId], ...]:
        return tuple(
            (app, server) for app, cost in self.apps.items() for server in cost.powered_off
        )

    @property
    def partial(self) -> bool:
        return any(cost.unpriced for cost in self.apps.values())


@dataclass(frozen=True, slots=True)
class NotPriced:
    """No estimate: migrator's catalogue has no prices for the portfolio's region. The
    rest of the output stands, and says why the cost is missing."""

    reason: str


def estimate(
    inventory: Inventory,
    assessment: ForPlanning,
    catalogue: Catalogue,
    sizing: Sizing = "moderate",
    disk_sizing: DiskSizing = "provisioned",
) -> CostEstimate:
    region, prices = catalogue.region(inventory.portfolio.region)
    servers = inventory.servers_by_id
    moving = [a for a in assessment.applications if a.strategy in PRICED]
    users: dict[ServerId, int] = {}
    for a in moving:
        for server_id in a.app.servers:
            users[server_id] = users.get(server_id, 0) + 1
    sql_on = sqlserver_by_server(inventory)
    cache: dict[ServerId, ServerCost] = {}
    apps: dict[AppId, AppCost] = {}
    nothing_to_run = _commit(catalogue, 0, 0)  # the cost of what stays or retires
    priced_servers: set[ServerId] = set()
    for a in assessment.applications:
        if a.strategy not in PRICED:
            note = NOT_PRICED.get(a.strategy)
            apps[a.app.id] = AppCost(
                a.app.id,
                (),
                None if note else dict(nothing_to_run),
                note,
                unpriced=(_whole(a, note),) if note else (),
            )
            continue
        app_tiers, elsewhere = database_landings(inventory, a, catalogue, prices, sizing, region)
        # A server whose databases all go to a priced managed service is not priced again;
        # one whose databases go to a service the catalogue cannot price (Bare Metal
        # Solution, Oracle Database@Google Cloud) is not priced as a VM either: the service
        # is named instead.
        host: dict[DatabaseId, ServerId | None] = {}
        replaced: set[ServerId | None] = set()
        if app_tiers:
            databases = inventory.databases_by_id
            host = {t.database: databases[t.database].server for t in app_tiers}
            replaced = {host[t.database] for t in app_tiers if t.monthly is not None} - {
                host[t.database] for t in app_tiers if t.monthly is None
            }
        unpriced: list[str] = []
        for db, host_id, service in elsewhere:
            replaced.add(host_id)
            unpriced.append(
                f"{service} for database {db} (on {host_id}): no price in the catalogue"
            )
        # The application tier comes first among the targets.
        storage_service = a.targets[0] if a.targets and a.targets[0] in FILE_STORAGE else None
        costs, off = [], []
        stored = 0.0
        for server_id in a.app.servers:
            server = servers.get(server_id)
            if server is None or server_id in replaced:
                continue
            if server.power_state == "off":
                off.append(server_id)
                continue
            if storage_service is not None and server_id not in host.values():
                # File servers whose shares move to managed file storage: the capacity,
                # not the VMs, is what runs on Google Cloud.
                stored += (
                    (server.storage_used_gb if disk_sizing == "used" else None)
                    or server.storage_gb
                    or 0
                )
                continue
            base = cache.get(server_id)
            if base is None:
                base = cache[server_id] = cost_server(
                    server,
                    catalogue,
                    prices,
                    region,
                    sizing,
                    disk_sizing,
                    sql_on.get(server_id, ()),
                    a.strategy,
                )
            # Most servers have one user, whose share is the whole server: the base itself.
            count = users[server_id]
            costs.append(base if count == 1 else _share(base, 1 / count))
            if base.unpriced:
                unpriced += [f"{item} ({server_id})" for item in base.unpriced]
            if base.compute is not None:
                priced_servers.add(server_id)
        if storage_service is not None:
            unpriced.append(
                f"{storage_service} capacity for about {stored:,.0f} GB (the file "
                f"servers' {'used' if disk_sizing == 'used' else 'provisioned'} "
                f"storage): no price in the catalogue"
            )
        compute = sum((c.compute or 0.0) * c.share for c in costs)
        rest = sum(c.monthly for c in costs) - compute + sum(t.monthly or 0 for t in app_tiers)
        nothing = not costs and not any(t.monthly is not None for t in app_tiers)
        apps[a.app.id] = AppCost(
            a.app.id,
            tuple(costs),
            None if nothing and unpriced else _commit(catalogue, compute, rest),
            databases=app_tiers,
            unpriced=tuple(unpriced),
            powered_off=tuple(off),
        )
    total = {
        k: round(sum(c.monthly[k] for c in apps.values() if c.monthly), 2)
        for k in catalogue.commitments
    }
    onprem = _onprem(inventory, priced_servers)
    return CostEstimate(
        catalogue,
        region,
        sizing,
        disk_sizing,
        apps,
        total,
        onprem,
        _notes(catalogue, region, sizing, disk_sizing),
        _currency_note(inventory, catalogue),
        len(priced_servers),
        inventory.portfolio.currency,
    )


def _whole(a: Planned, note: str) -> str:
    servers = len(a.app.servers)
    if a.strategy == "relocate":
        return f"Google Cloud VMware Engine nodes for {servers} server{'s' * (servers != 1)}"
    return (
        f"SaaS subscription ({', '.join(a.targets) or 'a SaaS product'})"
        if (a.strategy == "repurchase")
        else note
    )


def _notes(
    catalogue: Catalogue, region: str, sizing: Sizing, disk_sizing: DiskSizing
) -> tuple[str, ...]:
    notes = [
        f"prices of {catalogue.as_of.isoformat()} ({catalogue.name}), {region}, "
        f"{catalogue.currency}, {catalogue.hours:g} hours a month",
        f"sizing: {sizing}",
        "disks: "
        + (
            "the source's provisioned size, as Migrate to Virtual Machines keeps it"
            if disk_sizing == "provisioned"
            else "the used size with headroom (--disk-sizing used)"
        ),
    ]
    if catalogue.licences.get("sqlserver", {}).get("as_of"):
        notes.append(
            f"SQL Server licence prices are from "
            f"{catalogue.licences['sqlserver']['as_of']}: check current ones"
        )
    return tuple(notes)


def _currency_note(inventory: Inventory, catalogue: Catalogue) -> str | None:
    wanted = inventory.portfolio.currency
    if not wanted or wanted.strip().upper() == catalogue.currency.upper():
        return None
    return (
        f"prices in {catalogue.currency}; the portfolio's currency {wanted} is not "
        f"converted (a price file with exchange_rate and exchange_to: {wanted} "
        f"converts them)"
    )


def _commit(catalogue: Catalogue, compute: float, rest: float) -> dict[str, float]:
    """Monthly cost under each commitment: discounts apply to compute only."""
    return {
        kind: round(compute * (1 - discount) + rest, 2)
        for kind, discount in catalogue.commitments.items()
    }


def _share(cost: ServerCost, share: float) -> ServerCost:
    return ServerCost(
        cost.server,
        cost.shape,
        cost.disk_type,
        cost.disk_gb,
        cost.compute,
        cost.disk,
        cost.licences,
        share,
        cost.whole,
        cost.unpriced,
    )


def _onprem(inventory: Inventory, servers: set[ServerId]) -> float | None:
    """Today's monthly cost of the servers whose Google Cloud cost is priced (like for
    like: the same servers on both sides)."""
    costs = inventory.portfolio.onprem
    if costs is None:
        return None
    found = [inventory.servers_by_id[s] for s in sorted(servers)]
    total = costs.fixed_month or 0.0
    total += (costs.per_server_month or 0.0) * len(found)
    total += (costs.per_vcpu_month or 0.0) * sum(s.cpu or 0 for s in found)
    total += (costs.per_storage_gb_month or 0.0) * sum(s.storage_gb or 0 for s in found)
    return round(total, 2)
