"""Compute Engine's machine types, custom shapes and GPUs, per region (machines.yaml, compute.yaml).

Every machine type migrator recommends is a predefined type this catalogue lists in the
target region, or a custom shape its family's rules allow in a region that offers the
family: ``valid`` says which, and the tests hold every recommendation to it.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml_rs

MB_STEP = 256  # custom memory comes in steps of 256 MB


def _data(name: str) -> dict[str, Any]:
    text = (resources.files("migrator") / "data" / name).read_text(encoding="utf-8")
    loaded = yaml_rs.loads(text)
    assert isinstance(loaded, dict), name
    return loaded


@dataclass(frozen=True, slots=True)
class MachineType:
    name: str
    family: str  # the series: e2, n2d, c3, g2 ...
    kind: str | None  # standard, highmem, highcpu ... (None for names of another form)
    vcpu: int
    memory_gb: float
    regions: frozenset[str]
    gpu_model: str | None = None
    gpus: int = 0


@dataclass(frozen=True, slots=True)
class CustomRule:
    family: str
    prefix: str
    vcpus: tuple[int, ...]  # the vCPU counts allowed, ascending
    memory_per_vcpu: tuple[float, float]
    max_memory_gb: float | None

    def shape(self, vcpu_need: float, memory_need: float) -> tuple[int, float] | None:
        """The smallest custom shape with at least the vCPUs and memory needed."""
        low, high = self.memory_per_vcpu
        # Memory may need more vCPUs than the CPU need alone (at most `high` GB each).
        start = bisect.bisect_left(self.vcpus, max(vcpu_need, memory_need / high) - 1e-9)
        steps = 1024 / MB_STEP
        for count in self.vcpus[start:]:
            wanted = count * low if count * low > memory_need else memory_need
            memory = math.ceil(wanted * steps - 1e-9) / steps  # up to a step of 256 MB
            if memory <= count * high + 1e-9 and (
                self.max_memory_gb is None or memory <= self.max_memory_gb + 1e-9
            ):
                return count, memory
        return None

    def name(self, vcpu: int, memory_gb: float) -> str:
        return f"{self.prefix}-{vcpu}-{round(memory_gb * 1024)}"

    def allows(self, vcpu: int, memory_mb: int) -> bool:
        low, high = self.memory_per_vcpu
        memory = memory_mb / 1024
        return (
            vcpu in self.vcpus
            and memory_mb % MB_STEP == 0
            and _within(memory, vcpu * low, vcpu * high)
            and (self.max_memory_gb is None or memory <= self.max_memory_gb + 1e-9)
        )


def _within(value: float, low: float, high: float) -> bool:
    return low - 1e-9 <= value <= high + 1e-9


@dataclass(frozen=True, slots=True)
class Gpu:
    id: str  # the accelerator type, e.g. nvidia-tesla-v100
    name: str
    pattern: re.Pattern[str]
    memory_gb: float | None
    attach: str | None  # "n1": attached to N1 machine types; None: built into GPU types
    successors: tuple[str, ...]
    regions: frozenset[str]


@dataclass(frozen=True)
class Catalogue:
    as_of: str
    source: str
    types: dict[str, MachineType]
    custom: dict[str, CustomRule]
    gpus: dict[str, Gpu]

    @functools.cached_property
    def _by_region(self) -> dict[str, tuple[MachineType, ...]]:
        found: dict[str, list[MachineType]] = {}
        for machine in self.types.values():
            for region in machine.regions:
                found.setdefault(region, []).append(machine)
        return {region: tuple(items) for region, items in found.items()}

    def in_region(self, region: str) -> tuple[MachineType, ...]:
        return self._by_region.get(region, ())

    @functools.cached_property
    def _families(self) -> dict[str, frozenset[str]]:
        return {
            region: frozenset(m.family for m in types) for region, types in self._by_region.items()
        }

    def families_in(self, region: str) -> frozenset[str]:
        return self._families.get(region, frozenset())

    def offers(self, family: str, region: str) -> bool:
        return family in self.families_in(region)

    def regions(self) -> frozenset[str]:
        return frozenset(self._by_region)

    def gpu(self, text: str | None) -> Gpu | None:
        """The GPU model a server's ``gpu.model`` names (the first match in file order)."""
        if not text:
            return None
        return next((g for g in self.gpus.values() if g.pattern.search(text)), None)

    def gpu_in(self, model: Gpu, region: str) -> Gpu | None:
        """The GPU model to use in ``region``: the model itself where it is offered, else
        the first of its successors (then theirs) that is."""
        queue, seen = [model.id], set()
        while queue:
            key = queue.pop(0)
            found = self.gpus.get(key)
            if found is None or key in seen:
                continue
            seen.add(key)
            if region in found.regions:
                return found
            queue.extend(found.successors)
        return None

    def valid(self, name: str, region: str) -> bool:
        """True when ``name`` is a predefined type offered in ``region``, or a custom shape
        its family's rules allow in a region that offers the family."""
        machine = self.types.get(name)
        if machine is not None:
            return region in machine.regions
        match = _CUSTOM.fullmatch(name)
        if match is None:
            return False
        prefix, vcpu, memory = match.group(1), int(match.group(2)), int(match.group(3))
        rule = next((r for r in self.custom.values() if r.prefix == prefix), None)
        return rule is not None and rule.allows(vcpu, memory) and self.offers(rule.family, region)


_CUSTOM = re.compile(r"([a-z0-9]+(?:-custom)?|custom)-(\d+)-(\d+)")
_PREDEFINED = re.compile(r"([a-z][a-z0-9]*)-([a-z]+)-(\d+)")


def _counts(spec: Any) -> tuple[int, ...]:
    """vCPU counts from ``[2, 4]``, ``{from, to, step}`` or a list of both."""
    items = spec if isinstance(spec, list) else [spec]
    found: set[int] = set()
    for item in items:
        if isinstance(item, dict):
            found.update(range(int(item["from"]), int(item["to"]) + 1, int(item["step"])))
        else:
            found.add(int(item))
    return tuple(sorted(found))


@functools.cache
def catalogue() -> Catalogue:
    machines, compute = _data("machines.yaml"), _data("compute.yaml")
    sets = [frozenset(regions) for regions in machines["region_sets"]]
    pairs = compute.get("gpu_machines") or {}
    types = {}
    for name, (vcpu, memory, region_set) in machines["machine_types"].items():
        shape = _PREDEFINED.fullmatch(name)
        gpu = pairs.get(name)
        types[name] = MachineType(
            name=name,
            family=name.split("-", 1)[0],
            kind=shape.group(2) if shape else None,
            vcpu=int(vcpu),
            memory_gb=float(memory),
            regions=sets[int(region_set)],
            gpu_model=gpu[0] if gpu else None,
            gpus=int(gpu[1]) if gpu else 0,
        )
    custom = {
        family: CustomRule(
            family=family,
            prefix=str(rule["prefix"]),
            vcpus=_counts(rule["vcpus"]),
            memory_per_vcpu=(float(rule["memory_per_vcpu"][0]), float(rule["memory_per_vcpu"][1])),
            max_memory_gb=float(rule["max_memory_gb"]) if rule.get("max_memory_gb") else None,
        )
        for family, rule in compute["custom"].items()
    }
    accelerators = machines.get("accelerators") or {}
    gpus = {
        key: Gpu(
            id=key,
            name=str(item["name"]),
            pattern=re.compile(item["match"], re.IGNORECASE),
            memory_gb=float(item["memory_gb"]) if item.get("memory_gb") else None,
            attach=item.get("attach"),
            successors=tuple(item.get("successors") or ()),
            regions=frozenset(accelerators.get(key) or ()),
        )
        for key, item in compute["gpus"].items()
    }
    return Catalogue(str(machines["as_of"]), str(machines["source"]), types, custom, gpus)
