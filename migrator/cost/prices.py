"""The price catalogue: migrator's (shipped, dated, sourced) or the user's ``--prices`` file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from migrator.errors import InvalidInputError, UsageError
from migrator.inventory.parse import parse
from migrator.inventory.schema import Spec
from migrator.inventory.source import MAX_FILE_BYTES, SourceFile, read
from migrator.inventory.validate import INVALID, FileChecker

_RATE = Spec("number", minimum=0)
_UNIT = Spec("map", fields={"vcpu": _RATE, "memory": _RATE})
PRICES = Spec("map", "A price catalogue.", fields={
    "schema": Spec("text"),
    "as_of": Spec("date", "The date the prices were taken.", required=True),
    "currency": Spec("text", required=True),
    "hours_per_month": Spec("number", minimum=1),
    "custom_premium": Spec("number", minimum=0),
    "exchange_rate": Spec("number", "Multiply prices by this to get exchange_to.",
                          minimum=0),
    "exchange_to": Spec("text", "The currency exchange_rate converts to, e.g. EUR."),
    "commitments": Spec("map", fields={"on_demand": _RATE, "cud_1y": _RATE, "cud_3y": _RATE}),
    "families": Spec("any"),
    "regions": Spec("any", required=True),
    "licences": Spec("any"),
})


@dataclass(frozen=True)
class Family:
    id: str
    label: str
    max_vcpu: int
    predefined_vcpu: tuple[int, ...]
    custom: bool
    memory_per_vcpu: dict[str, float]
    custom_memory: tuple[float, float]


@dataclass(frozen=True)
class Catalogue:
    name: str  # where it came from
    as_of: dt.date
    currency: str
    hours: float
    custom_premium: float
    exchange: str | None  # "1 USD = 0.92 EUR" when the prices were converted
    commitments: dict[str, float]
    families: dict[str, Family]
    regions: dict[str, dict[str, Any]]
    licences: dict[str, Any]
    # Machine types already chosen, by size: sizing thousands of servers prices each
    # distinct size once.
    shapes: dict[tuple[float, float, int], Any] = field(default_factory=dict, compare=False,
                                                        repr=False)
    # Each family's predefined machine types, cheapest first, by family and rate table.
    ranked: dict[tuple[str, int], Any] = field(default_factory=dict, compare=False, repr=False)

    def region(self, name: str | None) -> tuple[str, dict[str, Any]]:
        if name and name in self.regions:
            return name, self.regions[name]
        raise UsageError(f"no prices for region '{name or '(not set)'}' in {self.name} "
                         f"(it has {', '.join(sorted(self.regions))}); set portfolio.region "
                         f"or give --prices with that region")


def load(path: Path | None = None) -> Catalogue:
    base = _parse(SourceFile("migrator/data/prices.yaml", Path("prices.yaml"),
                             (resources.files("migrator") / "data" / "prices.yaml"
                              ).read_text(encoding="utf-8")))
    if path is None:
        return _catalogue("migrator/data/prices.yaml", base)
    source, problems = read(str(path), path, MAX_FILE_BYTES)
    if source is None:
        raise InvalidInputError(f"{path}: cannot read the price file", problems)
    user = _parse(source)
    merged = {**base, **user}
    # Regions and licences of the user's file add to migrator's rather than replace them.
    for key in ("regions", "licences", "families"):
        if isinstance(user.get(key), dict):
            merged[key] = {**(base.get(key) or {}), **user[key]}
    return _catalogue(source.name, merged)


def _parse(source: SourceFile) -> dict[str, Any]:
    data, problems = parse(source)
    checker = FileChecker(source.name, source.text)
    values: Any = checker.check(PRICES, data, ()) if not problems else INVALID
    if values is not INVALID:
        for region, table in (values.get("regions") or {}).items():
            if not isinstance(table, dict) or not isinstance(table.get("compute"), dict):
                checker.error(("regions", region), "expected a mapping with 'compute' (and "
                                                   "'disks') prices")
    problems += checker.diagnostics
    if values is INVALID or any(d.is_error for d in problems):
        from migrator.inventory.load import located

        raise InvalidInputError(f"{source.name}: the price file has errors",
                                located(problems, {source.name: source.text}))
    assert isinstance(data, dict)
    return {**data, "as_of": values["as_of"]}


def _catalogue(name: str, data: dict[str, Any]) -> Catalogue:
    currency = str(data["currency"])
    regions, licences = dict(data["regions"]), dict(data.get("licences") or {})
    exchange = None
    rate, target = data.get("exchange_rate"), data.get("exchange_to")
    if rate and target and target != currency:
        regions, licences = _scaled(regions, float(rate)), _scaled(licences, float(rate))
        exchange = f"1 {currency} = {float(rate):g} {target}"
        currency = str(target)
    families = {
        key: Family(key, str(f.get("label", key.upper())), int(f["max_vcpu"]),
                    tuple(int(v) for v in f.get("predefined_vcpu", ())), bool(f.get("custom")),
                    {k: float(v) for k, v in (f.get("memory_per_vcpu") or {}).items()},
                    tuple(f.get("custom_memory_per_vcpu") or (0.5, 8)))
        for key, f in (data.get("families") or {}).items()}
    return Catalogue(
        name=name, as_of=data["as_of"], currency=currency,
        hours=float(data.get("hours_per_month", 730)),
        custom_premium=float(data.get("custom_premium", 0)),
        exchange=exchange,
        commitments={k: float(v) for k, v in (data.get("commitments") or {"on_demand": 0}
                                              ).items()},
        families=families, regions=regions, licences=licences)


def _scaled(prices: Any, rate: float) -> Any:
    """Every price below ``prices`` times ``rate`` (dates and names untouched)."""
    if isinstance(prices, dict):
        return {k: v if k == "as_of" else _scaled(v, rate) for k, v in prices.items()}
    if isinstance(prices, int | float) and not isinstance(prices, bool):
        return prices * rate
    return prices
