"""The wave schedule as the JSON of SPEC 4."""

from __future__ import annotations

from typing import Any

from migrator.waves.model import Schedule

SCHEMA = "migrator/waves/v1"


def to_json(schedule: Schedule) -> dict[str, Any]:
    planning = schedule.planning
    return {
        "schema": SCHEMA,
        "planning": {
            "start": planning.start.isoformat() if planning.start else None,
            "wave_weeks": planning.wave_weeks,
            "max_apps_per_wave": planning.max_apps_per_wave,
            "max_servers_per_wave": planning.max_servers_per_wave,
            "order": planning.order,
            "freeze": [{"from": f.start.isoformat(), "to": f.end.isoformat(),
                        "reason": f.reason} for f in planning.freeze],
        },
        "waves": [{
            "number": w.number, "start": w.start.isoformat(), "end": w.end.isoformat(),
            "applications": list(w.applications), "move_groups": list(w.groups),
            "servers": w.servers, "person_days": w.person_days,
        } for w in schedule.waves],
        "move_groups": [{"id": g.id, "applications": list(g.applications),
                         "reasons": list(g.reasons), "wave": schedule.wave_of[g.applications[0]]}
                        for g in schedule.groups],
        "not_migrating": {k: list(v) for k, v in schedule.not_migrating.items()},
        "hybrid_links": [{
            "from": link.consumer, "to": link.provider, "from_wave": link.consumer_wave,
            "to_wave": link.provider_wave, "permanent": link.permanent,
            "reason": link.reason, "kind": link.kind,
        } for link in schedule.hybrid_links],
        "warnings": list(schedule.warnings),
        "summary": {"waves": len(schedule.waves), "lower_bound": schedule.lower_bound,
                    "applications": len(schedule.wave_of),
                    "move_groups": len(schedule.groups),
                    "person_days": sum(w.person_days for w in schedule.waves)},
    }
