"""Where an application lands on Google Cloud, tier by tier, and what its region cannot host.

The application's own tier comes from ``workload.app_tier``; each database goes to the
first of its engine's targets (databases.yaml, in order of preference) that the strategy
allows, that takes its version and size, and that the region offers. A target the region
does not offer is never kept silently: the next one that fits takes its place, or, where
none does (Oracle RAC needs Bare Metal Solution), the target is placed in the nearest
region that offers it and meets the data's residency, and the landing says so. The
landing's facts (``landing.*``) feed the rules that run after the strategy is chosen.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from migrator.assess import catalogue
from migrator.assess.availability import nearest, offered, service_regions
from migrator.assess.machines import catalogue as machines
from migrator.assess.workload import (
    BARE_METAL,
    COMPUTE_ENGINE,
    GKE,
    VMWARE_ENGINE,
    AppTier,
)
from migrator.inventory.model import Application, Database, Server, Strategy
from migrator.speed import fast_init


@fast_init
@dataclass(frozen=True, slots=True)
class Placement:
    """One target, and what its region says about it."""

    service: str  # as shown: "Bare Metal Solution (europe-west4)" when placed elsewhere
    not_in_region: str | None = None  # "Bare Metal Solution (nearest ...: europe-west4)"
    unconfirmed: str | None = None
    substituted: str | None = None


Step = tuple[str, str, str]  # (what: "application tier", "database db-1"; service; why)


@fast_init
@dataclass(frozen=True, slots=True)
class Landing:
    targets: tuple[str, ...]
    steps: tuple[Step, ...] = ()  # how the targets were found, for --explain (step_text)
    not_in_region: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    substituted: tuple[str, ...] = ()
    facts: Mapping[str, Any] = field(default_factory=dict)


@functools.lru_cache(maxsize=4096)
def place_service(service: str, region: str | None, residency: str | None) -> Placement:
    """``service`` in ``region``, or in the nearest region that offers it (a few services,
    regions and residencies recur over thousands of applications: each is placed once)."""
    found = offered(service, region)
    if found == "offered":
        return Placement(service)
    known = catalogue.services().get(service)
    if found == "unconfirmed":
        return Placement(service, unconfirmed=_unsure(service, region, known))
    other = nearest(service_regions(service), region, residency)
    within = f" that meets the residency '{residency}'" if residency else ""
    if other is None:
        return Placement(
            service, not_in_region=f"{service} (no region{within} is known to offer it)"
        )
    named = "is named for it" if known is not None and not known.confirmed else "offers it"
    return Placement(
        f"{service} ({other})",
        unconfirmed=_unsure(service, other, known),
        not_in_region=f"{service} (nearest region{within} that {named}: {other})",
    )


def _unsure(service: str, where: str | None, known: catalogue.Service | None) -> str | None:
    """What to say of a service whose regions are not confirmed (None when they are)."""
    if known is None or known.confirmed:
        return None
    listed = (
        "its list of regions is not confirmed"
        if known.regions
        else "no list of its regions was found"
    )
    return f"{service} in {where or 'the region'} ({listed})"


def land(
    app: Application,
    strategy: Strategy,
    facts: Mapping[str, Any],
    tier: AppTier | None,
    databases: Sequence[Database],
    servers: Sequence[Server],
    region: str | None,
) -> Landing:
    """The targets of ``app`` under ``strategy``, app tier first, and what they mean."""
    residency = app.data_residency
    steps: list[Step] = []
    placements: list[Placement]
    if app.decision is not None and app.decision.targets:
        steps.append(("decided", "", "targets decided in the inventory"))
        # The decision's targets stay as written; what the region lacks is said beside them.
        placements = [
            Placement(t, *_notes(place_service(t, region, residency))) for t in app.decision.targets
        ]
    elif strategy in ("retire", "retain"):
        placements = []
    elif strategy == "repurchase":
        replacements = facts.get("saas.replacements") or ()
        placements = [Placement(replacements[0] if replacements else "a SaaS product")]
    elif strategy == "relocate":
        placements = [place_service(VMWARE_ENGINE, region, residency)]
        steps.append(("relocate", "", "the VMs move as they are to Google Cloud VMware Engine"))
    else:
        placements = []
        if app.servers or not databases:
            chosen = tier or _AS_THEY_ARE
            if strategy == "refactor" and chosen.keeps_vms:
                chosen = _REBUILT
            placements.append(place_service(chosen.service, region, residency))
            steps.append(("application tier", chosen.service, chosen.reason))
        for db in databases:
            placement, why = database_placement(db, strategy, region, residency)
            placements.append(placement)
            steps.append((f"database {db.id}", placement.service, why))
    targets = tuple(dict.fromkeys([p.service for p in placements]))
    not_in_region = _unique([p.not_in_region for p in placements])
    unconfirmed = _unique([p.unconfirmed for p in placements])
    substituted = tuple(gpu_notes(servers, region)) if facts.get("app.gpu_servers_count") else ()
    return Landing(
        targets,
        tuple(steps),
        not_in_region,
        unconfirmed,
        substituted,
        {
            "landing.targets": targets,
            "landing.region": region,
            "landing.not_in_region": not_in_region,
            "landing.unconfirmed": unconfirmed,
            "landing.substituted": substituted,
        },
    )


_SIZE_LIMITS = sorted(
    {
        t.max_size_gb
        for e in catalogue.engines().values()
        for t in e.targets
        if t.max_size_gb is not None
    }
)
_AS_THEY_ARE = AppTier(COMPUTE_ENGINE, True, "the servers move as they are")
_REBUILT = AppTier(GKE, False, "rebuilt for containers")


def step_text(step: Step) -> str:
    """One step of a landing in words, as ``--explain`` prints it."""
    what, service, why = step
    return f"{what} → {service}: {why}" if service else why


def _unique(texts: list[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in texts if t)) if any(texts) else ()


def _notes(placement: Placement) -> tuple[str | None, str | None]:
    return placement.not_in_region, placement.unconfirmed


def gpu_notes(servers: Sequence[Server], region: str | None) -> list[str]:
    """For each GPU model a server records that the region does not offer: what takes its
    place, and the nearest region that has it."""
    notes = []
    catalogue_ = machines()
    for server in servers:
        gpu = server.gpu
        if gpu is None or region is None:
            continue
        model = catalogue_.gpu(gpu.model)
        if model is None or region in model.regions:
            continue
        used = catalogue_.gpu_in(model, region)
        other = nearest(model.regions, region)
        notes.append(
            f"{model.name} on {server.id}: not offered in {region}"
            + (f", {used.name} instead" if used else ", and no successor is")
            + (f" (nearest region with {model.name}: {other})" if other else "")
        )
    return notes


def database_target(
    db: Database, strategy: Strategy, region: str | None = None, residency: str | None = None
) -> str:
    """The Google Cloud service a database lands on under ``strategy``."""
    return database_placement(db, strategy, region, residency)[0].service.split(" (")[0]


def database_placement(
    db: Database, strategy: Strategy, region: str | None, residency: str | None
) -> tuple[Placement, str]:
    """Where a database lands, and why: the first target of its engine that the strategy
    allows, that fits, and that the region offers."""
    # Sizes only matter against the targets' size limits: databases on the same side of
    # every limit land alike, so thousands of them share a few answers.
    over = frozenset(limit for limit in _SIZE_LIMITS if (db.size_gb or 0) > limit)
    return _database_placement(
        db.engine, db.edition, db.version, over, "rac" in db.features, strategy, region, residency
    )


@functools.lru_cache(maxsize=16384)
def _database_placement(
    engine_text: str | None,
    edition: str | None,
    version_text: str | None,
    over: frozenset[float],
    rac: bool,
    strategy: Strategy,
    region: str | None,
    residency: str | None,
) -> tuple[Placement, str]:
    engine = catalogue.engine(engine_text, edition)
    if engine is None:
        return Placement(COMPUTE_ENGINE), "engine not in the catalogue: self-managed on a VM"
    release = engine.version(version_text)
    version = release.version if release else None

    def fits(target: catalogue.DbTarget) -> bool:
        size_ok = target.max_size_gb is None or target.max_size_gb not in over
        return size_ok and target.accepts(version)

    wanted: tuple[str, ...]
    if strategy == "refactor":
        wanted = ("refactor", "replatform", "rehost")
    elif strategy == "replatform" and not rac:
        wanted = ("replatform", "rehost")
    else:
        wanted = ("rehost",)
    passed: list[str] = []
    elsewhere: Placement | None = None
    for kind in wanted:
        for target in engine.targets:
            if target.strategy != kind or not fits(target):
                continue
            # RAC needs shared storage that plain Compute Engine VMs do not give; Bare Metal
            # Solution is for what VMs cannot host (RAC), not for any Oracle database.
            if rac and target.service == COMPUTE_ENGINE:
                continue
            if target.service == BARE_METAL and not rac:
                continue
            placement = place_service(target.service, region, residency)
            if placement.not_in_region:
                passed.append(f"{target.service} is not offered in {region}")
                elsewhere = elsewhere or placement
                continue
            why = _why(kind, target.service, engine.name, version, rac)
            if passed:
                why = "; ".join(passed) + f"; so {why}"
            return placement, why
    if elsewhere is not None:
        return elsewhere, "; ".join(passed) + " and nothing else takes it: the nearest region"
    return Placement(COMPUTE_ENGINE), "no target fits: self-managed on a VM"


def _why(kind: str, service: str, engine: str, version: str | None, rac: bool) -> str:
    if rac and service == BARE_METAL:
        return "Oracle RAC needs shared storage that Compute Engine VMs do not give"
    if kind == "rehost":
        return f"{engine} self-managed, as it is"
    if kind == "replatform":
        return f"the managed service takes {engine} {version or ''} as it is".replace("  ", " ")
    return f"converted to {service}"
