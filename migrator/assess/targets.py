"""Where an application lands on Google Cloud, from its strategy and the catalogues."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from migrator.assess import catalogue
from migrator.inventory.model import Application, Database, Strategy

COMPUTE_ENGINE = "Compute Engine"
GKE = "Google Kubernetes Engine"
CLOUD_RUN = "Cloud Run"
VMWARE_ENGINE = "Google Cloud VMware Engine"


def targets(app: Application, strategy: Strategy, facts: Mapping[str, Any],
            databases: Sequence[Database]) -> tuple[str, ...]:
    """The Google Cloud services the application would land on, app tier first."""
    if app.decision is not None and app.decision.targets:
        return app.decision.targets
    if strategy in ("retire", "retain"):
        return ()
    if strategy == "repurchase":
        replacements = facts.get("saas.replacements") or ()
        return (replacements[0],) if replacements else ("a SaaS product",)
    if strategy == "relocate":
        return (VMWARE_ENGINE,)
    found: list[str] = [_app_tier(strategy, facts)] if app.servers or not databases else []
    for db in databases:
        found.append(database_target(db, strategy))
    return tuple(dict.fromkeys(found))


def _app_tier(strategy: Strategy, facts: Mapping[str, Any]) -> str:
    containers = (facts.get("runtime.containerizable") == "yes"
                  or facts.get("stack.containerized") is True)
    if strategy in ("replatform", "refactor") and containers:
        return CLOUD_RUN if facts.get("stack.stateless") is True else GKE
    if strategy == "refactor":
        return GKE
    return COMPUTE_ENGINE


def database_target(db: Database, strategy: Strategy) -> str:
    """The Google Cloud service a database lands on under ``strategy``."""
    engine = catalogue.engine(db.engine, db.edition)
    if engine is None:
        return COMPUTE_ENGINE
    release = engine.version(db.version)
    version = release.version if release else None
    rac = "rac" in db.features

    def fits(target: catalogue.DbTarget) -> bool:
        size_ok = target.max_size_gb is None or (db.size_gb or 0) <= target.max_size_gb
        return size_ok and target.accepts(version)

    wanted: tuple[str, ...]
    if strategy == "refactor":
        wanted = ("refactor", "replatform", "rehost")
    elif strategy == "replatform" and not rac:
        wanted = ("replatform", "rehost")
    else:
        wanted = ("rehost",)
    for kind in wanted:
        for target in engine.targets:
            if target.strategy != kind or not fits(target):
                continue
            # RAC needs shared storage that plain Compute Engine VMs do not give.
            if rac and target.service == COMPUTE_ENGINE:
                continue
            return target.service
    return COMPUTE_ENGINE
