"""How much work a move is: person-days and a size, from a simple, documented model.

    person-days = (base of the strategy
                   + per server × servers
                   + per database × databases + database size (1 per 500 GB, up to 20 each)
                   + remediation: 8 per blocker, 4 per major, 1 per minor finding
                   + validation: 10 for a GxP system, 2 for SOX / PCI-DSS)
                  × criticality factor (low 0.9, medium 1, high 1.15, critical 1.3)

Retired and retained applications get only their base (decommissioning, or keeping the
lights on and documenting why). Size: S up to 10 person-days, M up to 30, L up to 80,
XL beyond. The figures are planning estimates for a migration factory, meant to be
calibrated with your own (override them with a decision, or fork the numbers here).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from migrator.assess.model import Effort, Finding, Size
from migrator.inventory.model import Application, Criticality, Database, Strategy

BASE: dict[Strategy, float] = {
    "rehost": 4,
    "relocate": 2,
    "replatform": 10,
    "refactor": 40,
    "repurchase": 20,
    "retire": 2,
    "retain": 1,
}
PER_SERVER: dict[Strategy, float] = {
    "rehost": 1.5,
    "relocate": 0.5,
    "replatform": 3,
    "refactor": 4,
    "repurchase": 0.5,
    "retire": 0.5,
    "retain": 0,
}
PER_DATABASE: dict[Strategy, float] = {
    "rehost": 3,
    "relocate": 1,
    "replatform": 5,
    "refactor": 15,
    "repurchase": 5,
    "retire": 1,
    "retain": 0,
}
PER_FINDING = {"blocker": 8, "major": 4, "minor": 1, "info": 0}
CRITICALITY = {"low": 0.9, "medium": 1.0, "high": 1.15, "critical": 1.3}
SIZES: tuple[tuple[float, Size], ...] = ((10, "S"), (30, "M"), (80, "L"))
GB_PER_DAY = 500
MAX_SIZE_DAYS = 20


_BASE_LABELS = {strategy: f"{strategy} base" for strategy in BASE}
_FACTOR_LABELS = {name: f"{name} criticality ×{factor:g}" for name, factor in CRITICALITY.items()}
_SOX = frozenset({"sox", "pci-dss"})


def estimate(
    app: Application, strategy: Strategy, findings: Sequence[Finding], databases: Sequence[Database]
) -> Effort:
    # The effort is a function of a few numbers (servers, databases, their volume, the
    # findings' remediation, validation, criticality): worked out once per combination,
    # which thousands of applications share. Loops rather than generators: it runs for
    # every application of a large estate.
    moving = strategy not in ("retire", "retain")
    volume = 0.0
    remediation = validation = 0
    if moving:
        for db in databases:
            volume += min(MAX_SIZE_DAYS, (db.size_gb or 0) / GB_PER_DAY)
        for finding in findings:
            remediation += PER_FINDING[finding.severity]
        compliance = app.compliance
        validation = 10 * ("gxp" in compliance) + 2 * (not _SOX.isdisjoint(compliance))
    return _effort(
        strategy, len(app.servers), len(databases), volume, remediation, validation, app.criticality
    )


@functools.lru_cache(maxsize=16384)
def _effort(
    strategy: Strategy,
    servers: int,
    databases: int,
    volume: float,
    remediation: int,
    validation: int,
    criticality: Criticality,
) -> Effort:
    parts: list[tuple[str, float]] = [(_BASE_LABELS[strategy], BASE[strategy])]
    per_server = PER_SERVER[strategy]
    if servers and per_server:
        parts.append((f"{servers} server(s)", per_server * servers))
    per_database = PER_DATABASE[strategy]
    if databases and per_database:
        parts.append((f"{databases} database(s)", per_database * databases + volume))
    if remediation:
        parts.append(("remediation of findings", remediation))
    if validation:
        parts.append(("validation and evidence", validation))
    factor = CRITICALITY[criticality]
    total = 0.0
    for _, days in parts:
        total += days
    if factor != 1:
        parts.append((_FACTOR_LABELS[criticality], total * (factor - 1)))
    person_days = max(1, round(total * factor))
    size: Size = "XL"
    for limit, name in SIZES:
        if person_days <= limit:
            size = name
            break
    return Effort(size, person_days, tuple([(what, round(days, 1)) for what, days in parts]))
