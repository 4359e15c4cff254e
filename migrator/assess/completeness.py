"""How much of what the assessment needs is written down: ``data_completeness`` (SPEC 3).

The application's own inputs count for half, its servers' for 35 % and its databases'
for 15 % (each block the mean over its members); a block that does not apply (a SaaS
application has no servers) leaves its weight to the others. A default is not an input:
``criticality`` counts only when it was written.
"""

from __future__ import annotations

from migrator.inventory.model import Application, Inventory

_APP_KEYS = frozenset({"owner", "criticality", "lifecycle", "architecture", "users",
                       "data_classification", "availability", "compliance"})
_EXTRA_KEYS = {"custom": frozenset({"stack", "servers"}),
               "cots": frozenset({"vendor", "licensing", "servers"})}
_SERVER_KEYS = frozenset({"os", "cpu", "memory_gb", "storage_gb", "environment"})
_DATABASE_KEYS = frozenset({"engine", "version", "size_gb"})
_WEIGHTS = {"application": 0.5, "servers": 0.35, "databases": 0.15}


def data_completeness(app: Application, inventory: Inventory) -> float:
    expected = _APP_KEYS | _EXTRA_KEYS.get(app.type, frozenset())
    parts = {"application": len(app.given & expected) / len(expected)}
    servers = inventory.servers_by_id
    found = [len(servers[s].given & _SERVER_KEYS) for s in app.servers if s in servers]
    if found:
        parts["servers"] = sum(found) / (len(_SERVER_KEYS) * len(found))
    databases = inventory.databases_by_id
    found = [len(databases[d].given & _DATABASE_KEYS) for d in app.databases if d in databases]
    if found:
        parts["databases"] = sum(found) / (len(_DATABASE_KEYS) * len(found))
    weight = sum(_WEIGHTS[name] for name in parts)
    return round(sum(_WEIGHTS[name] * value for name, value in parts.items()) / weight, 2)
