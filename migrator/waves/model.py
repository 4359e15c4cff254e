"""The wave schedule as typed, immutable results (docs/waves.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from migrator.inventory.model import AppId, Planning
from migrator.speed import fast_init
from migrator.waves.groups import MoveGroup


@fast_init
@dataclass(frozen=True, slots=True)
class Wave:
    number: int
    start: dt.date
    end: dt.date
    applications: tuple[AppId, ...]
    groups: tuple[str, ...]
    servers: int
    person_days: int
    moved: str | None = None  # why its dates were shifted (a freeze)


@fast_init
@dataclass(frozen=True, slots=True)
class HybridLink:
    """A dependency whose two ends live apart: for a while, or for good."""

    consumer: AppId  # "from": the application that calls
    provider: AppId  # "to": the application called
    consumer_wave: int | None
    provider_wave: int | None
    permanent: bool
    reason: str  # "different waves", "retired" (for a while); "retained", "external", "saas"
    kind: str
    end_wave: int | None = None  # the wave at whose end it can go; None: permanent
    weeks: int | None = None  # from the start of its first end's wave to end_wave's end


@dataclass(frozen=True, slots=True)
class SplitAdvice:
    """How an oversize move group could be split: the dependencies to bridge."""

    group: str
    # (consumer, provider, kind, latency-sensitive) of each dependency to bridge
    bridge: tuple[tuple[AppId, AppId, str, bool], ...]
    largest_after: int  # applications in the largest group once they are bridged
    fits: bool  # whether every group then fits a wave
    held_by: tuple[str, ...]  # what no bridge can split: shared servers and databases


@dataclass(frozen=True, slots=True)
class SharedServiceProposal:
    """An application that looks like a shared service: many consumers, or its domain."""

    application: AppId
    consumers: int  # migrating applications that depend on it
    why: tuple[str, ...]  # "fan-in", "domain"


@dataclass(frozen=True, slots=True)
class Schedule:
    planning: Planning  # the settings used (inventory, then command-line overrides)
    waves: tuple[Wave, ...]
    groups: tuple[MoveGroup, ...]
    wave_of: dict[AppId, int]  # application id → wave number
    not_migrating: dict[str, tuple[AppId, ...]]  # retain / retire / external → ids
    hybrid_links: tuple[HybridLink, ...]
    warnings: tuple[str, ...]
    lower_bound: int  # no schedule can have fewer waves (capacity, pins)
    split_advice: tuple[SplitAdvice, ...] = ()
    shared_service_proposals: tuple[SharedServiceProposal, ...] = ()
    pilot: bool = False  # wave 1 is a pilot: only easy, low-risk groups (and pins to it)

    @property
    def link_weeks(self) -> int:
        """The weeks of every temporary hybrid link, added up."""
        return sum(link.weeks or 0 for link in self.hybrid_links)
