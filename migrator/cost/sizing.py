"""Right-sizing a server to a Compute Engine machine type, like Migration Center's
preference sets.

    same-as-source  the vCPUs and memory the server has
    moderate        from the 95th percentile use, with 40 % CPU and 30 % memory headroom
    aggressive      from the 95th percentile use, with 15 % CPU and 10 % memory headroom

Without utilisation data every strategy sizes as the source. The cheapest machine type
that fits is chosen among the families of the catalogue: a predefined shape, or a custom
shape (with the catalogue's custom premium) where that is cheaper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from migrator.cost.prices import Catalogue, Family
from migrator.inventory.model import fast_init

Sizing = Literal["same-as-source", "moderate", "aggressive"]
HEADROOM: dict[Sizing, tuple[float, float]] = {"moderate": (1.4, 1.3),
                                               "aggressive": (1.15, 1.1)}
MIN_VCPU = 2
MIN_MEMORY_GB = 1.0


@fast_init
@dataclass(frozen=True, slots=True)
class Shape:
    name: str  # e.g. e2-standard-4, n2-custom-6-20480
    family: str
    vcpu: int
    memory_gb: float
    hourly: float  # compute only, on demand, without licences
    basis: str  # how the need was worked out


def need(cpu: float | None, memory_gb: float | None, cpu_p95: float | None,
         memory_p95: float | None, sizing: Sizing) -> tuple[float, float, str]:
    """vCPUs and GiB the server needs under ``sizing``, and why."""
    cpu = cpu or MIN_VCPU
    memory = memory_gb or max(MIN_MEMORY_GB, 2 * cpu)
    if sizing == "same-as-source" or cpu_p95 is None or memory_p95 is None:
        basis = "as source" if sizing == "same-as-source" else "as source (no utilisation)"
        return cpu, memory, basis
    cpu_room, memory_room = HEADROOM[sizing]
    return (cpu * cpu_p95 / 100 * cpu_room, memory * memory_p95 / 100 * memory_room,
            f"{sizing}: p95 {cpu_p95:g} % CPU, {memory_p95:g} % memory")


def choose(vcpu_need: float, memory_need: float, catalogue: Catalogue,
           rates: dict[str, Any], basis: str) -> Shape | None:
    """The cheapest machine type with at least the vCPUs and memory needed."""
    # Thousands of servers share a few sizes: each size is priced once per catalogue.
    # Shapes come in whole vCPUs and quarter GiB: needs rounded up to those choose alike.
    key = (math.ceil(max(vcpu_need, 1) - 1e-9),
           math.ceil(max(memory_need, MIN_MEMORY_GB) * 4 - 1e-9) / 4, id(rates))
    if key in catalogue.shapes:
        found = catalogue.shapes[key]
    else:
        found = catalogue.shapes[key] = _cheapest(key[0], key[1], catalogue, rates)
    return Shape(found.name, found.family, found.vcpu, found.memory_gb, found.hourly,
                 basis) if found else None


def _cheapest(vcpu_need: float, memory_need: float, catalogue: Catalogue,
              rates: dict[str, Any]) -> Shape | None:
    best: Shape | None = None
    for family in catalogue.families.values():
        rate = rates.get(family.id)
        if rate is None:
            continue
        for shape in (_predefined(family, vcpu_need, memory_need, catalogue, rate),
                      _custom(family, vcpu_need, memory_need, catalogue.custom_premium, rate)):
            if shape is not None and (best is None or shape.hourly < best.hourly - 1e-9):
                best = shape
    return best


def _predefined(family: Family, vcpu_need: float, memory_need: float, catalogue: Catalogue,
                rate: dict[str, float]) -> Shape | None:
    """The family's cheapest predefined machine type that fits."""
    key = (family.id, id(rate))
    ranked = catalogue.ranked.get(key)
    if ranked is None:
        ranked = catalogue.ranked[key] = _ranked(family, rate)
    return next((shape for shape in ranked
                 if shape.vcpu >= vcpu_need and shape.memory_gb >= memory_need), None)


def _custom(family: Family, vcpu_need: float, memory_need: float, premium: float,
            rate: dict[str, float]) -> Shape | None:
    """The family's custom machine type that fits, if it has custom shapes that large."""
    if not family.custom:
        return None
    count = max(2, math.ceil(vcpu_need))
    count += count % 2  # custom vCPU counts are even beyond one
    low, high = family.custom_memory
    memory = math.ceil(max(memory_need, count * low) * 4) / 4  # in steps of 256 MiB
    if count > family.max_vcpu or memory > count * high:
        return None
    hourly = (count * rate["vcpu"] + memory * rate["memory"]) * (1 + premium)
    return Shape(f"{family.id}-custom-{count}-{int(memory * 1024)}", family.id, count, memory,
                 hourly, "")


def _ranked(family: Family, rate: dict[str, float]) -> list[Shape]:
    """Every predefined shape of the family, cheapest first (ties in catalogue order)."""
    shapes = [Shape(f"{family.id}-{kind}-{count}", family.id, count, count * per_vcpu,
                    count * rate["vcpu"] + count * per_vcpu * rate["memory"], "")
              for count in family.predefined_vcpu
              for kind, per_vcpu in family.memory_per_vcpu.items()]
    return sorted(shapes, key=lambda shape: shape.hourly)  # sorted() keeps ties in order
