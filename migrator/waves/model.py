"""The wave schedule as typed, immutable results (SPEC 4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from migrator.inventory.model import Planning, fast_init
from migrator.waves.groups import MoveGroup


@fast_init
@dataclass(frozen=True, slots=True)
class Wave:
    number: int
    start: dt.date
    end: dt.date
    applications: tuple[str, ...]
    groups: tuple[str, ...]
    servers: int
    person_days: int
    moved: str | None = None  # why its dates were shifted (a freeze)


@fast_init
@dataclass(frozen=True, slots=True)
class HybridLink:
    """A dependency whose two ends live apart: for a while, or for good."""

    consumer: str  # "from": the application that calls
    provider: str  # "to": the application called
    consumer_wave: int | None
    provider_wave: int | None
    permanent: bool
    reason: str  # "different waves", "retained", "external", "saas", "retired"
    kind: str


@dataclass(frozen=True, slots=True)
class Schedule:
    planning: Planning  # the settings used (inventory, then command-line overrides)
    waves: tuple[Wave, ...]
    groups: tuple[MoveGroup, ...]
    wave_of: dict[str, int]  # application id → wave number
    not_migrating: dict[str, tuple[str, ...]]  # retain / retire / external → ids
    hybrid_links: tuple[HybridLink, ...]
    warnings: tuple[str, ...]
    lower_bound: int  # no schedule can have fewer waves (capacity, pins)
