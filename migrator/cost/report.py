"""The cost estimate as JSON: per server, application, wave and portfolio."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migrator.cost.estimate import AppCost, CostEstimate
from migrator.waves.model import Schedule


def application(cost: AppCost, currency: str) -> dict[str, Any]:
    return {
        "currency": currency,
        "monthly": dict(cost.monthly),
        "note": cost.note,
        "servers": [{
            "id": s.server,
            "machine_type": s.shape.name if s.shape else None,
            "vcpu": s.shape.vcpu if s.shape else None,
            "memory_gb": s.shape.memory_gb if s.shape else None,
            "sizing": s.shape.basis if s.shape else None,
            "disk": {"type": s.disk_type, "gb": s.disk_gb},
            "monthly": {"compute": s.compute, "disk": s.disk,
                        "licences": dict(s.licences), "total": round(s.monthly / s.share, 2)
                        if s.share else 0.0},
            "share": round(s.share, 4),
        } for s in cost.servers],
        "databases": [{
            "id": t.database, "service": t.service, "tier": t.tier, "vcpu": t.vcpu,
            "memory_gb": t.memory_gb, "storage_gb": t.storage_gb, "monthly": t.monthly,
        } for t in cost.databases],
    }


def waves(cost: CostEstimate, plan: Schedule) -> list[dict[str, Any]]:
    """What each wave adds to the monthly bill, and the run rate once it is done."""
    rows = []
    running: dict[str, float] = dict.fromkeys(cost.total, 0.0)
    for wave in plan.waves:
        added = {k: round(sum(cost.apps[a].monthly[k] for a in wave.applications
                               if a in cost.apps), 2) for k in cost.total}
        running = {k: round(running[k] + added[k], 2) for k in running}
        rows.append({"number": wave.number, "added": added, "run_rate": dict(running)})
    return rows


def portfolio(cost: CostEstimate, plan: Schedule | None) -> dict[str, Any]:
    catalogue = cost.catalogue
    data: dict[str, Any] = {
        "currency": cost.currency,
        "catalogue": catalogue.name,
        "prices_as_of": catalogue.as_of.isoformat(),
        "region": cost.region,
        "sizing": cost.sizing,
        "monthly": dict(cost.total),
        "onprem_monthly": cost.onprem_monthly,
        "notes": list(cost.notes),
        "exchange": catalogue.exchange,  # "1 USD = 0.92 EUR" when prices were converted
    }
    if plan is not None:
        data["waves"] = waves(cost, plan)
    return data


def by_app(cost: CostEstimate) -> Mapping[str, dict[str, Any]]:
    return {app: application(c, cost.currency) for app, c in cost.apps.items()}
