"""Applications that look like shared services: proposed, never applied (docs/waves.md).

A directory, DNS, monitoring or a service bus is usually *extended* into the landing zone
rather than moved first: a domain controller or a collector runs in both places for a
while. Listed in ``planning.shared_services``, such an application no longer holds its
consumers back. migrator proposes the ones that look like it, as a warning: those that
many migrating applications depend on (at least ``FAN_IN_SHARE`` of them, and at least
``MIN_FAN_IN``), and those of the ``shared-services`` domain that have consumers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from migrator.inventory.model import Inventory
from migrator.waves.groups import GroupGraph
from migrator.waves.model import SharedServiceProposal

FAN_IN_SHARE = 0.03
MIN_FAN_IN = 5
DOMAIN = "shared-services"
SHOWN = 8


def proposals(inventory: Inventory, graph: GroupGraph) -> list[SharedServiceProposal]:
    # The dependencies that hold consumers back are those that order the move groups:
    # between two migrating applications, not bridged, not on a declared shared service.
    couples = graph.coupling
    apps = couples.apps
    consumers: dict[int, set[int]] = {}
    for consumer, provider, _ in couples.links:
        users = consumers.get(provider)
        if users is None:
            consumers[provider] = {consumer}
        else:
            users.add(consumer)
    threshold = max(MIN_FAN_IN, math.ceil(FAN_IN_SHARE * len(apps)))
    found = []
    for provider, users in consumers.items():
        app_id = apps[provider]
        why = []
        if len(users) >= threshold:
            why.append("fan-in")
        if inventory.apps_by_id[app_id].domain == DOMAIN and len(users) >= 2:
            why.append("domain")
        if why:
            found.append(SharedServiceProposal(app_id, len(users), tuple(why)))
    found.sort(key=lambda p: (-p.consumers, p.application))
    return found


def proposals_warning(found: Sequence[SharedServiceProposal]) -> str:
    shown = ", ".join(f"{p.application} ({p.consumers} consumers)" for p in found[:SHOWN])
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return (
        f"{len(found)} application(s) look like shared services (many migrating "
        f"consumers, or the {DOMAIN} domain): {shown}{more}. Extended to the cloud "
        f"rather than moved first, they would not hold their consumers back: list "
        f"those you extend in planning.shared_services"
    )
