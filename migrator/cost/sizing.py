"""Right-sizing a server to a Compute Engine machine type, like Migration Center's
preference sets.

    same-as-source  the vCPUs and memory the server has
    moderate        from the 95th percentile use, with 40 % CPU and 30 % memory headroom
    aggressive      from the 95th percentile use, with 15 % CPU and 10 % memory headroom

Without utilisation data every strategy sizes as the source. The cheapest machine type
that fits is chosen among the families the price catalogue has rates for: a predefined type
that the target region offers (migrator's machine catalogue), or a custom shape that the
family's rules allow (with the price catalogue's custom premium) where that is cheaper.
A server with GPUs gets a GPU machine type instead (see ``gpu_shape``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from migrator.assess.machines import MachineType, catalogue
from migrator.choices import Sizing
from migrator.cost.prices import Catalogue
from migrator.speed import fast_init

HEADROOM: dict[Sizing, tuple[float, float]] = {"moderate": (1.4, 1.3), "aggressive": (1.15, 1.1)}
MIN_VCPU = 2
MIN_MEMORY_GB = 1.0
_SIZED_KINDS = ("standard", "highmem", "highcpu", "megamem", "ultramem")


@fast_init
@dataclass(frozen=True, slots=True)
class Shape:
    name: str  # e.g. e2-standard-4, n2-custom-6-20480, g2-standard-48
    family: str
    vcpu: int
    memory_gb: float
    hourly: float | None  # compute only, on demand, without licences; None: not priced
    basis: str  # how the need was worked out
    gpus: int = 0
    gpu_model: str | None = None  # the accelerator type, e.g. nvidia-l4
    region: str | None = None  # where it was chosen, when not the portfolio's region
    note: str | None = None  # what the choice could not meet, or what to check


def need(
    cpu: float | None,
    memory_gb: float | None,
    cpu_p95: float | None,
    memory_p95: float | None,
    sizing: Sizing,
) -> tuple[float, float, str]:
    """vCPUs and GiB the server needs under ``sizing``, and why."""
    cpu = cpu or MIN_VCPU
    memory = memory_gb or max(MIN_MEMORY_GB, 2 * cpu)
    if sizing == "same-as-source" or cpu_p95 is None or memory_p95 is None:
        basis = "as source" if sizing == "same-as-source" else "as source (no utilisation)"
        return cpu, memory, basis
    cpu_room, memory_room = HEADROOM[sizing]
    return (
        cpu * cpu_p95 / 100 * cpu_room,
        memory * memory_p95 / 100 * memory_room,
        f"{sizing}: p95 {cpu_p95:g} % CPU, {memory_p95:g} % memory",
    )


def choose(
    vcpu_need: float, memory_need: float, prices: Catalogue, basis: str, region: str
) -> Shape | None:
    """The cheapest machine type offered in ``region`` with at least the vCPUs and memory
    needed, among the families the catalogue prices in that region."""
    # Thousands of servers share a few sizes: each size is priced once per catalogue
    # (the catalogue is frozen: a size and a region decide the answer).
    # Shapes come in whole vCPUs and quarter GiB: needs rounded up to those choose alike.
    key = (
        math.ceil(max(vcpu_need, 1) - 1e-9),
        math.ceil(max(memory_need, MIN_MEMORY_GB) * 4 - 1e-9) / 4,
        region,
    )
    if key in prices.shapes:
        found = prices.shapes[key]
    else:
        rates = prices.regions[region]["compute"]
        found = prices.shapes[key] = _cheapest(key[0], key[1], prices, rates, region)
    return (
        Shape(found.name, found.family, found.vcpu, found.memory_gb, found.hourly, basis)
        if found
        else None
    )


def _cheapest(
    vcpu_need: float, memory_need: float, prices: Catalogue, rates: dict[str, Any], region: str
) -> Shape | None:
    machines = catalogue()
    offered = machines.families_in(region)
    best: Shape | None = None
    custom: tuple[float, str, int, float] | None = None  # (hourly, family, vCPUs, GiB)
    for family, rate in rates.items():
        if family not in offered:
            continue
        shape = _predefined(family, vcpu_need, memory_need, prices, rate, region)
        if (
            shape is not None
            and shape.hourly is not None
            and (best is None or best.hourly is None or shape.hourly < best.hourly - 1e-9)
        ):
            best = shape
        rule = machines.custom.get(family)
        fit = rule.shape(max(vcpu_need, MIN_VCPU), memory_need) if rule else None
        if fit is not None:
            hourly = (fit[0] * rate["vcpu"] + fit[1] * rate["memory"]) * (1 + prices.custom_premium)
            if custom is None or hourly < custom[0] - 1e-9:
                custom = (hourly, family, fit[0], fit[1])
    # A custom shape wins only where it is cheaper; its name is made for the winner only.
    if custom is not None and (
        best is None or best.hourly is None or custom[0] < best.hourly - 1e-9
    ):
        hourly, family, count, memory = custom
        return Shape(machines.custom[family].name(count, memory), family, count, memory, hourly, "")
    return best


def _predefined(
    family: str,
    vcpu_need: float,
    memory_need: float,
    prices: Catalogue,
    rate: dict[str, float],
    region: str,
) -> Shape | None:
    """The family's cheapest predefined machine type in ``region`` that fits."""
    key = (family, region)
    ranked = prices.ranked.get(key)
    if ranked is None:
        ranked = prices.ranked[key] = _ranked(family, rate, region)
    for shape in ranked:
        if shape.vcpu >= vcpu_need and shape.memory_gb >= memory_need:
            return shape
    return None


def _ranked(family: str, rate: dict[str, float], region: str) -> list[Shape]:
    """The family's predefined types in ``region``, cheapest first (ties by name)."""
    types: list[MachineType] = sorted(
        (
            m
            for m in catalogue().in_region(region)
            if m.family == family and m.kind in _SIZED_KINDS and not m.gpus
        ),
        key=lambda m: m.name,
    )
    shapes = [
        Shape(
            m.name,
            family,
            m.vcpu,
            m.memory_gb,
            m.vcpu * rate["vcpu"] + m.memory_gb * rate["memory"],
            "",
        )
        for m in types
    ]
    return sorted(shapes, key=lambda shape: shape.hourly or 0.0)  # sorted() keeps ties


def gpu_shape(
    count: int,
    model_text: str | None,
    vcpu_need: float,
    memory_need: float,
    region: str,
    machine_prices: dict[str, float],
    basis: str,
) -> Shape | None:
    """The GPU machine type for a server with ``count`` GPUs of ``model_text``: the model
    itself where the region offers it, else the model that takes its place there
    (compute.yaml's successors); the smallest type with at least that many GPUs that also
    fits the host's need, else the largest such type (and a note of what it lacks). Priced
    only from the price file's ``machine_types`` (no GPU prices ship with migrator)."""
    machines = catalogue()
    wanted = machines.gpu(model_text)
    model = machines.gpu_in(wanted, region) if wanted else None
    if model is None:
        return None
    if model.attach == "n1":
        rule = machines.custom["n1"]
        fit = next(
            (
                (m.name, m.vcpu, m.memory_gb)
                for m in sorted(
                    (
                        m
                        for m in machines.in_region(region)
                        if m.family == "n1"
                        and m.kind in _SIZED_KINDS
                        and m.vcpu >= vcpu_need
                        and m.memory_gb >= memory_need
                    ),
                    key=lambda m: (m.vcpu, m.memory_gb),
                )
            ),
            None,
        )
        custom = rule.shape(vcpu_need, memory_need)
        if fit is None and custom is not None:
            fit = (rule.name(*custom), custom[0], custom[1])
        if fit is None:
            return None
        name, vcpu, memory = fit
        return Shape(
            name,
            "n1",
            vcpu,
            memory,
            None,
            basis,
            count,
            model.id,
            note=f"check N1's vCPU and memory limits for {count} GPU(s) of this model",
        )
    types = sorted(
        (m for m in machines.in_region(region) if m.gpu_model == model.id and m.gpus >= count),
        key=lambda m: (m.gpus, m.vcpu, m.memory_gb, m.name),
    )
    if not types:
        return None
    fitting = [m for m in types if m.vcpu >= vcpu_need and m.memory_gb >= memory_need]
    chosen = fitting[0] if fitting else max(types, key=lambda m: (m.memory_gb, -m.gpus))
    note = (
        None
        if fitting
        else (
            f"the host needs {math.ceil(vcpu_need)} vCPUs and {memory_need:.0f} GB; the largest "
            f"{model.name} machine type has {chosen.vcpu} and {chosen.memory_gb:g}"
        )
    )
    price = machine_prices.get(chosen.name)
    return Shape(
        chosen.name,
        chosen.family,
        chosen.vcpu,
        chosen.memory_gb,
        price,
        basis,
        chosen.gpus,
        model.id,
        note=note,
    )
