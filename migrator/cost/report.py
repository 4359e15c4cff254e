"""The cost estimate as JSON: per server, application, wave and portfolio.

The one place the typed estimate becomes the JSON's shape (the assessment JSON's
``summary.cost`` and each application's ``cost``, which the plan's cost section extends).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from migrator.cost.estimate import AppCost, CostEstimate, NotPriced, ServerCost
from migrator.inventory.model import AppId

if TYPE_CHECKING:  # the waves (and networkx) are not imported for an output without them
    from migrator.waves.model import Schedule


def application(cost: AppCost, currency: str) -> dict[str, Any]:
    return {
        "currency": currency,
        "monthly": dict(cost.monthly) if cost.monthly is not None else None,
        "note": cost.note,
        "partial": cost.partial,
        "unpriced": list(cost.unpriced),
        "powered_off": list(cost.powered_off),
        "servers": [_server(s) for s in cost.servers],
        "databases": [
            {
                "id": t.database,
                "service": t.service,
                "tier": t.tier,
                "vcpu": t.vcpu,
                "memory_gb": t.memory_gb,
                "storage_gb": t.storage_gb,
                "monthly": t.monthly,
            }
            for t in cost.databases
        ],
    }


def _server(s: ServerCost) -> dict[str, Any]:
    shape = s.shape
    data: dict[str, Any] = {
        "id": s.server,
        "machine_type": shape.name if shape else None,
        "vcpu": shape.vcpu if shape else None,
        "memory_gb": shape.memory_gb if shape else None,
        "sizing": shape.basis if shape else None,
        "disk": {"type": s.disk_type, "gb": s.disk_gb},
        "monthly": {
            "compute": s.compute,
            "disk": s.disk,
            "licences": dict(s.licences),
            "total": round(s.monthly / s.share, 2) if s.share else 0.0,
        },
        "share": round(s.share, 4),
    }
    # Present only where they say something (tens of thousands of servers otherwise carry
    # empty fields): the GPUs, what sizing could not meet, what is not priced.
    if shape is not None and shape.gpus:
        data["gpus"] = {"count": shape.gpus, "model": shape.gpu_model}
    if shape is not None and shape.note:
        data["sizing_note"] = shape.note
    if s.unpriced:
        data["unpriced"] = list(s.unpriced)
    return data


def waves(cost: CostEstimate, plan: Schedule) -> list[dict[str, Any]]:
    """What each wave adds to the monthly bill, and the run rate once it is done."""
    rows = []
    running: dict[str, float] = dict.fromkeys(cost.total, 0.0)
    for wave in plan.waves:
        apps = [cost.apps[a] for a in wave.applications if a in cost.apps]
        added = {k: round(sum(c.monthly[k] for c in apps if c.monthly), 2) for k in cost.total}
        running = {k: round(running[k] + added[k], 2) for k in running}
        rows.append(
            {
                "number": wave.number,
                "added": added,
                "run_rate": dict(running),
                "partial": any(c.partial for c in apps),
            }
        )
    return rows


def summary(cost: CostEstimate | NotPriced, plan: Schedule | None) -> dict[str, Any]:
    """The portfolio's cost (``summary.cost``), by wave when given the schedule."""
    if isinstance(cost, NotPriced):
        return {"priced": False, "reason": cost.reason}
    return {"priced": True, **portfolio(cost, plan)}


def portfolio(cost: CostEstimate, plan: Schedule | None) -> dict[str, Any]:
    catalogue = cost.catalogue
    unpriced = [{"application": app, "item": item} for app, item in cost.unpriced]
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
        # What the totals leave out: they are the priced part (partial) when anything is.
        "disk_sizing": cost.disk_sizing,
        "partial": cost.partial,
        "unpriced_count": len(unpriced),
        "unpriced": unpriced,
        "powered_off": [{"application": app, "server": server} for app, server in cost.powered_off],
        "onprem_servers": cost.onprem_servers,
        "portfolio_currency": cost.portfolio_currency,
        "currency_note": cost.currency_note,
    }
    if plan is not None:
        data["waves"] = waves(cost, plan)
    return data


def by_app(cost: CostEstimate | NotPriced) -> Mapping[AppId, dict[str, Any]]:
    """Each application's cost, by id (none when nothing is priced)."""
    if isinstance(cost, NotPriced):
        return {}
    return {app: application(c, cost.currency) for app, c in cost.apps.items()}
