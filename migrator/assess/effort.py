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

from collections.abc import Sequence

from migrator.assess.model import Effort, Finding, Size
from migrator.inventory.model import Application, Database, Strategy

BASE: dict[Strategy, float] = {"rehost": 4, "relocate": 2, "replatform": 10, "refactor": 40,
                               "repurchase": 20, "retire": 2, "retain": 1}
PER_SERVER: dict[Strategy, float] = {"rehost": 1.5, "relocate": 0.5, "replatform": 3,
                                     "refactor": 4, "repurchase": 0.5, "retire": 0.5,
                                     "retain": 0}
PER_DATABASE: dict[Strategy, float] = {"rehost": 3, "relocate": 1, "replatform": 5,
                                       "refactor": 15, "repurchase": 5, "retire": 1,
                                       "retain": 0}
PER_FINDING = {"blocker": 8, "major": 4, "minor": 1, "info": 0}
CRITICALITY = {"low": 0.9, "medium": 1.0, "high": 1.15, "critical": 1.3}
SIZES: tuple[tuple[float, Size], ...] = ((10, "S"), (30, "M"), (80, "L"))
GB_PER_DAY = 500
MAX_SIZE_DAYS = 20


def estimate(app: Application, strategy: Strategy, findings: Sequence[Finding],
             databases: Sequence[Database]) -> Effort:
    parts: list[tuple[str, float]] = [(f"{strategy} base", BASE[strategy])]
    moving = strategy not in ("retire", "retain")
    if app.servers and PER_SERVER[strategy]:
        parts.append((f"{len(app.servers)} server(s)", PER_SERVER[strategy] * len(app.servers)))
    if databases and PER_DATABASE[strategy]:
        volume = sum(min(MAX_SIZE_DAYS, (db.size_gb or 0) / GB_PER_DAY) for db in databases)
        parts.append((f"{len(databases)} database(s)",
                      PER_DATABASE[strategy] * len(databases) + (volume if moving else 0)))
    if moving:
        remediation = sum(PER_FINDING[f.severity] for f in findings)
        if remediation:
            parts.append(("remediation of findings", remediation))
        validation = 10 * ("gxp" in app.compliance) + 2 * bool(
            {"sox", "pci-dss"} & set(app.compliance))
        if validation:
            parts.append(("validation and evidence", validation))
    factor = CRITICALITY[app.criticality]
    total = sum(days for _, days in parts)
    if factor != 1:
        parts.append((f"{app.criticality} criticality ×{factor:g}", total * (factor - 1)))
    person_days = max(1, round(total * factor))
    size: Size = next((name for limit, name in SIZES if person_days <= limit), "XL")
    return Effort(size, person_days, tuple((what, round(days, 1)) for what, days in parts))
