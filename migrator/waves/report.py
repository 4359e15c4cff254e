"""The wave schedule as JSON (migrator/waves/v1)."""

from __future__ import annotations

from typing import Any, Literal

from migrator import jsonout
from migrator.outputs import OutputFormat
from migrator.waves.groups import MoveGroup
from migrator.waves.model import HybridLink, Schedule, SplitAdvice

SCHEMA = "migrator/waves/v1"


def move_group(group: MoveGroup) -> dict[str, Any]:
    """A move group as the JSON and the plan show it."""
    return {
        "id": group.id,
        "applications": list(group.applications),
        "reasons": list(group.reasons),
    }


def hybrid_link(link: HybridLink, open_end: str | None = None) -> dict[str, Any]:
    """A hybrid link as the plan and the diff show it; ``open_end`` is its end_wave when
    it has none (the waves JSON says "permanent")."""
    return {
        "from": link.consumer,
        "to": link.provider,
        "from_wave": link.consumer_wave,
        "to_wave": link.provider_wave,
        "permanent": link.permanent,
        "reason": link.reason,
        "kind": link.kind,
        "end_wave": open_end if link.end_wave is None else link.end_wave,
        "weeks": link.weeks,
    }


def bridge(advice: SplitAdvice) -> list[dict[str, Any]]:
    """The dependencies a split move group would carry over the hybrid link."""
    return [
        {"from": c, "to": p, "kind": kind, "latency_sensitive": latency}
        for c, p, kind, latency in advice.bridge
    ]


def to_json(schedule: Schedule) -> dict[str, Any]:
    planning = schedule.planning
    return {
        "schema": SCHEMA,
        "planning": {
            "start": planning.start.isoformat() if planning.start else None,
            "wave_weeks": planning.wave_weeks,
            "max_apps_per_wave": planning.max_apps_per_wave,
            "max_servers_per_wave": planning.max_servers_per_wave,
            "max_person_days_per_wave": planning.max_person_days_per_wave,
            "bridge": list(planning.bridge),
            "shared_services": list(planning.shared_services),
            "order": planning.order,
            "freeze": [
                {"from": f.start.isoformat(), "to": f.end.isoformat(), "reason": f.reason}
                for f in planning.freeze
            ],
        },
        "waves": [
            {
                "number": w.number,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "applications": list(w.applications),
                "move_groups": list(w.groups),
                "servers": w.servers,
                "person_days": w.person_days,
            }
            for w in schedule.waves
        ],
        "move_groups": [
            {**move_group(g), "wave": schedule.wave_of[g.applications[0]]} for g in schedule.groups
        ],
        "not_migrating": {k: list(v) for k, v in schedule.not_migrating.items()},
        "hybrid_links": [hybrid_link(link, "permanent") for link in schedule.hybrid_links],
        "split_advice": [
            {
                "move_group": a.group,
                "bridge": bridge(a),
                "largest_after": a.largest_after,
                "fits": a.fits,
                "held_by": list(a.held_by),
            }
            for a in schedule.split_advice
        ],
        "shared_service_proposals": [
            {
                "application": p.application,
                "consumers": p.consumers,
                "why": list(p.why),
            }
            for p in schedule.shared_service_proposals
        ],
        "warnings": list(schedule.warnings),
        "summary": {
            "waves": len(schedule.waves),
            "lower_bound": schedule.lower_bound,
            "applications": len(schedule.wave_of),
            "move_groups": len(schedule.groups),
            "largest_move_group": max((len(g.applications) for g in schedule.groups), default=0),
            "person_days": sum(w.person_days for w in schedule.waves),
            "pilot": schedule.pilot,
            "link_weeks": schedule.link_weeks,
        },
    }


def _json(schedule: Schedule) -> bytes:
    return jsonout.encode(to_json(schedule))


# The waves' file formats (the table is the terminal's, in commands/waves.py).
WAVES_FORMATS: dict[Literal["json"], OutputFormat[Schedule]] = {
    "json": OutputFormat("json", (".json",), _json),
}
