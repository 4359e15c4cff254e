"""How much of what the assessment needs is written down: ``data_completeness``.

The application's own inputs count for half, its servers' for 35 % and its databases'
for 15 % (each block the mean over its members); a block that does not apply (a SaaS
application has no servers) leaves its weight to the others. A default is not an input:
``criticality`` counts only when it was written.
"""

from __future__ import annotations

from migrator.inventory.model import Application, Inventory

_APP_KEYS = frozenset(
    {
        "owner",
        "criticality",
        "lifecycle",
        "architecture",
        "users",
        "data_classification",
        "availability",
        "compliance",
    }
)
_EXTRA_KEYS = {
    "custom": frozenset({"stack", "servers"}),
    "cots": frozenset({"vendor", "licensing", "servers"}),
}
_SERVER_KEYS = frozenset({"os", "cpu", "memory_gb", "storage_gb", "environment"})
_DATABASE_KEYS = frozenset({"engine", "version", "size_gb"})
_WEIGHTS = {"application": 0.5, "servers": 0.35, "databases": 0.15}


_EXPECTED = {kind: _APP_KEYS | extra for kind, extra in _EXTRA_KEYS.items()}


def data_completeness(app: Application, inventory: Inventory) -> float:
    expected = _EXPECTED.get(app.type, _APP_KEYS)
    # Run for every application of a large estate: plain arithmetic, no generators.
    weight = _WEIGHTS["application"]
    value = weight * (len(app.given & expected) / len(expected))
    servers = inventory.servers_by_id
    given = count = 0
    for server_id in app.servers:
        server = servers.get(server_id)
        if server is not None:
            given += len(server.given & _SERVER_KEYS)
            count += 1
    if count:
        weight += _WEIGHTS["servers"]
        value += _WEIGHTS["servers"] * (given / (len(_SERVER_KEYS) * count))
    databases = inventory.databases_by_id
    given = count = 0
    for database_id in app.databases:
        database = databases.get(database_id)
        if database is not None:
            given += len(database.given & _DATABASE_KEYS)
            count += 1
    if count:
        weight += _WEIGHTS["databases"]
        value += _WEIGHTS["databases"] * (given / (len(_DATABASE_KEYS) * count))
    return round(value / weight, 2)
