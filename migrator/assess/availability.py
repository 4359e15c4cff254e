"""Which region offers what: services (services.yaml), GPU types (machines.yaml), and the
nearest region that offers what the target region lacks, within the data's residency.

A service services.yaml does not list is taken to be offered everywhere; one whose list is
not confirmed is "unconfirmed" even in a region the list names, so that no output presents
it as certain.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from typing import Literal

from migrator.assess import catalogue

Availability = Literal["offered", "not-offered", "unconfirmed"]


def offered(service: str, region: str | None) -> Availability:
    """Whether ``region`` offers ``service``, as far as migrator's data tells."""
    known = catalogue.services().get(service)
    if known is None or region is None:
        return "offered"
    if known.regions is None:
        return "unconfirmed"
    if region not in known.regions:
        return "not-offered"
    return "offered" if known.confirmed else "unconfirmed"


def service_regions(service: str) -> frozenset[str]:
    known = catalogue.services().get(service)
    return known.regions if known is not None and known.regions is not None else frozenset()


@functools.lru_cache(maxsize=1024)
def residency_ok(constraint: str | None, region: str | None) -> bool | None:
    """True/False when ``region`` meets the residency ``constraint`` (``eu``, ``de, ch``);
    None when it cannot be told (no constraint, or a region migrator does not know)."""
    if not constraint or not region:
        return None
    known = catalogue.regions().get(region)
    if known is None:
        return None
    wanted = {part.strip().lower() for part in constraint.replace("/", ",").split(",")}
    return bool(wanted & known.jurisdictions)


def nearest(
    candidates: Iterable[str], region: str | None, residency: str | None = None
) -> str | None:
    """The candidate region closest to ``region`` (great circle between their towns) that
    meets ``residency``; None when no candidate with a known place qualifies."""
    places = catalogue.regions()
    home = places.get(region or "")
    best: tuple[float, str] | None = None
    for name in candidates:
        place = places.get(name)
        if place is None or place.at is None or name == region:
            continue
        if residency and not residency_ok(residency, name):
            continue
        distance = _distance(home.at, place.at) if home and home.at else 0.0
        if best is None or (distance, name) < best:
            best = (distance, name)
    return best[1] if best else None


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))
