"""The price catalogue: migrator's (shipped, dated, sourced) or the user's ``--prices`` file.

A price file is checked as strictly as an inventory: every key known, every rate a finite
number of at least 0, every table the shape migrator reads; each mistake is located
(``file:line:col``) and the file is refused as a whole (exit 2), since a price that is
silently dropped would make a total look smaller than it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrator.diagnostics import suggest
from migrator.errors import UsageError
from migrator.inventory.schema import Spec
from migrator.inventory.source import SourceFile
from migrator.inventory.validate import INVALID, FileChecker, describe
from migrator.sidefiles import SideFile, shipped, user_file

_RATE = Spec("number", minimum=0)
_NEEDED = Spec("number", minimum=0, required=True)
_SHARE = Spec("number", minimum=0, maximum=1)
_UNIT = Spec("map", "Per vCPU-hour and per GiB-hour.", fields={"vcpu": _NEEDED, "memory": _NEEDED})
_DATABASE = Spec(
    "map",
    "A managed database service's rates.",
    fields={"vcpu": _RATE, "memory": _RATE, "storage_gb_month": _RATE},
)
DISKS = ("pd-standard", "pd-balanced", "pd-ssd")
_LICENCES = Spec(
    "map",
    "Licences Google charges on top of compute.",
    fields={
        "windows": Spec("map", fields={"per_vcpu_hour": _NEEDED}),
        "rhel": Spec("map", fields={"per_vcpu_hour": _NEEDED, "per_vcpu_hour_above_8": _RATE}),
        "sles": Spec("map", fields={"per_hour": _NEEDED}),
        "sqlserver": Spec(
            "map",
            "Per core-hour, 4-core minimum.",
            fields={
                "enterprise": _NEEDED,
                "standard": _NEEDED,
                "web": _NEEDED,
                "as_of": Spec("date", "When these prices were taken."),
            },
        ),
    },
)
PRICES = Spec(
    "map",
    "A price catalogue.",
    fields={
        "schema": Spec("text"),
        "as_of": Spec("date", "The date the prices were taken.", required=True),
        "currency": Spec("text", required=True),
        "hours_per_month": Spec("number", minimum=1, maximum=744),
        "custom_premium": _SHARE,
        "exchange_rate": Spec("number", "Multiply prices by this to get exchange_to.", minimum=0),
        "exchange_to": Spec("text", "The currency exchange_rate converts to, e.g. EUR."),
        "commitments": Spec(
            "map", fields={"on_demand": _SHARE, "cud_1y": _SHARE, "cud_3y": _SHARE}
        ),
        "regions": Spec("any", required=True),
        "licences": Spec("any"),
    },
)
_REGION_KEYS = ("compute", "disks", "databases", "machine_types")


@dataclass(frozen=True)
class Catalogue:
    name: str  # where it came from
    as_of: dt.date
    currency: str
    hours: float
    custom_premium: float
    exchange: str | None  # "1 USD = 0.92 EUR" when the prices were converted
    commitments: dict[str, float]
    regions: dict[str, dict[str, Any]]
    licences: dict[str, Any]
    # Memos of what the fields above decide (cost/sizing.py and cost/servers.py fill
    # them), so that sizing and pricing thousands of servers works each answer out once:
    # the machine type chosen for a size (vCPUs, GiB, region); each family's predefined
    # types cheapest first (family, region); a server's machine type by its size, use
    # and GPUs; a machine type's compute and licences by OS; a disk's price. Each holds
    # at most one entry per server priced.
    shapes: dict[tuple[int, float, str], Any] = field(
        default_factory=dict, compare=False, repr=False
    )
    ranked: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)
    sized: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False, repr=False)
    runs: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False, repr=False)
    disks: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def region(self, name: str | None) -> tuple[str, dict[str, Any]]:
        if name and name in self.regions:
            return name, self.regions[name]
        raise UsageError(
            f"no prices for region '{name or '(not set)'}' in {self.name} "
            f"(it has {', '.join(sorted(self.regions))}); set portfolio.region "
            f"or give --prices with that region"
        )


def load(path: Path | None = None) -> Catalogue:
    base = _parse(shipped("prices.yaml"))
    if path is None:
        return _catalogue("migrator/data/prices.yaml", base)
    source = user_file(path, "cannot read the price file")
    user = _parse(source)
    merged = {**base, **user}
    # Regions and licences of the user's file add to migrator's rather than replace them.
    for key in ("regions", "licences"):
        if isinstance(user.get(key), dict):
            merged[key] = {**(base.get(key) or {}), **user[key]}
    return _catalogue(source.name, merged)


def _parse(source: SourceFile) -> dict[str, Any]:
    side = SideFile.parsed(source)
    data, checker = side.data, side.checker
    values: Any = checker.check(PRICES, data, ()) if side.is_yaml else INVALID
    if values is not INVALID:
        assert isinstance(data, dict)  # the map check passed
        values["regions"] = _regions(checker, data.get("regions"))
        if data.get("licences") is not None:
            values["licences"] = checker.check(_LICENCES, data["licences"], ("licences",))
        if (data.get("exchange_rate") is None) != (data.get("exchange_to") is None):
            given = "exchange_rate" if data.get("exchange_rate") is not None else "exchange_to"
            checker.error(
                (given,),
                "exchange_rate and exchange_to go together: give both or neither",
                target="key",
            )
    side.refuse_errors("the price file has errors", invalid=values is INVALID)
    return {key: value for key, value in values.items() if value is not None}


def _regions(checker: FileChecker, regions: Any) -> dict[str, Any]:
    """Each region's tables, checked key by key (regions, families and services are named
    by the user, so they are not fixed keys of the schema)."""
    from migrator.assess.catalogue import managed_services
    from migrator.assess.machines import catalogue

    machines = catalogue()
    families = sorted({m.family for m in machines.types.values()})
    found: dict[str, Any] = {}
    known_regions = sorted(machines.regions())
    for region, table in _entries(checker, regions, ("regions",)):
        path = ("regions", region)
        if region not in known_regions:
            checker.error(
                path,
                f"unknown Google Cloud region '{region}'{suggest(region, known_regions)}",
                target="key",
            )
            continue
        if not isinstance(table, dict):
            checker.error(
                path,
                f"expected a mapping with 'compute' (and 'disks') prices, got {describe(table)}",
            )
            continue
        out: dict[str, Any] = {}
        for key in table:
            if key not in _REGION_KEYS:
                checker.error(
                    path + (str(key),),
                    f"unknown key{suggest(str(key), _REGION_KEYS)}"
                    f" (known keys: {', '.join(_REGION_KEYS)})",
                    target="key",
                )
        if not isinstance(table.get("compute"), dict):
            checker.error(path, "expected a mapping with 'compute' (and 'disks') prices")
        out["compute"] = _table(
            checker, table.get("compute"), path + ("compute",), _UNIT, families, "machine family"
        )
        out["disks"] = _table(
            checker, table.get("disks"), path + ("disks",), _RATE, DISKS, "disk type"
        )
        out["databases"] = _table(
            checker,
            table.get("databases"),
            path + ("databases",),
            _DATABASE,
            managed_services(),
            "managed database service",
        )
        out["machine_types"] = _table(
            checker,
            table.get("machine_types"),
            path + ("machine_types",),
            _RATE,
            sorted(machines.types),
            "machine type",
        )
        found[region] = out
    return found


def _entries(checker: FileChecker, value: Any, path: tuple[str, ...]) -> list[tuple[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, dict):
        checker.error(path, f"expected a mapping, got {describe(value)}")
        return []
    return [(str(key), item) for key, item in value.items()]


def _table(
    checker: FileChecker, value: Any, path: tuple[str, ...], spec: Spec, known: Any, what: str
) -> dict[str, Any]:
    """A table keyed by names migrator knows (families, disk types, services)."""
    out: dict[str, Any] = {}
    names = list(known)
    for name, item in _entries(checker, value, path):
        if name not in names:
            hint = suggest(name, names) or (
                f" (known: {', '.join(names)})" if len(names) <= 12 else ""
            )
            checker.error(path + (name,), f"unknown {what} '{name}'{hint}", target="key")
            continue
        checked = checker.check(spec, item, path + (name,))
        if checked is not INVALID:
            out[name] = checked
    return out


def _catalogue(name: str, data: dict[str, Any]) -> Catalogue:
    currency = str(data["currency"])
    regions, licences = dict(data["regions"]), dict(data.get("licences") or {})
    exchange = None
    rate, target = data.get("exchange_rate"), data.get("exchange_to")
    if rate is not None and target and target != currency:
        regions, licences = _scaled(regions, float(rate)), _scaled(licences, float(rate))
        exchange = f"1 {currency} = {float(rate):g} {target}"
        currency = str(target)
    return Catalogue(
        name=name,
        as_of=data["as_of"],
        currency=currency,
        hours=float(data.get("hours_per_month", 730)),
        custom_premium=float(data.get("custom_premium", 0)),
        exchange=exchange,
        commitments={k: float(v) for k, v in (data.get("commitments") or {"on_demand": 0}).items()},
        regions=regions,
        licences=licences,
    )


def _scaled(prices: Any, rate: float) -> Any:
    """Every price below ``prices`` times ``rate`` (dates and names untouched)."""
    if isinstance(prices, dict):
        return {k: v if k == "as_of" else _scaled(v, rate) for k, v in prices.items()}
    if isinstance(prices, int | float) and not isinstance(prices, bool):
        return prices * rate
    return prices
