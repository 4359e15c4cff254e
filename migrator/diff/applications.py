"""What changed for each application between two plans, and why its wave moved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from migrator.assess.model import AppAssessment, Finding
from migrator.diff.side import Side
from migrator.inventory.model import AppId

CENT = 0.005  # cost deltas below half a cent are rounding, not change
MAX_NAMES = 5  # applications named in one reason; the move groups list them all


def names(ids: Sequence[str]) -> str:
    """A few ids, and how many more: a move group of an estate can hold thousands."""
    if len(ids) <= MAX_NAMES:
        return ", ".join(ids)
    return f"{', '.join(ids[:MAX_NAMES])} and {len(ids) - MAX_NAMES:,} more"


def group_reasons(reasons: tuple[str, ...]) -> str:
    """Why a group holds together, the shared servers and databases counted."""
    plain = [r for r in reasons if ":" not in r]
    for prefix, label in (("shared-server:", "server"), ("shared-database:", "database")):
        shared = [r.split(":", 1)[1] for r in reasons if r.startswith(prefix)]
        if len(shared) == 1:
            plain.append(f"shared {label} {shared[0]}")
        elif shared:
            plain.append(f"{len(shared):,} shared {label}s")
    return ", ".join(plain)


def finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity,
        "points": f.points,
        "subject": f.subject.text,
        "message": f.message,
    }


def summary(a: AppAssessment, side: Side) -> dict[str, Any]:
    """An added or removed application, in a few fields."""
    return {
        "id": a.app.id,
        "name": a.app.name,
        "score": a.score,
        "readiness": a.readiness,
        "strategy": a.strategy,
        "wave": side.plan.wave_of.get(a.app.id),
        "monthly": side.monthly(a.app.id),
    }


class Neighbours:
    """Each side's dependencies, both ways, and its move groups by application."""

    def __init__(self, side: Side) -> None:
        self.side = side
        self._providers: dict[AppId, set[AppId]] | None = None
        self._consumers: dict[AppId, set[AppId]] = defaultdict(set)
        self.group: dict[AppId, frozenset[AppId]] = {}
        self.reasons: dict[AppId, tuple[str, ...]] = {}
        for group in side.plan.groups:
            members = frozenset(group.applications)
            for app_id in group.applications:
                self.group[app_id] = members
                self.reasons[app_id] = group.reasons

    @property
    def providers(self) -> dict[AppId, set[AppId]]:
        """Who each application depends on; built when a wave move needs its reasons."""
        if self._providers is None:
            self._providers = defaultdict(set)
            for app in self.side.inventory.applications:
                for dep in app.depends_on:
                    self._providers[app.id].add(dep.app)
                    self._consumers[dep.app].add(app.id)
        return self._providers

    @property
    def consumers(self) -> dict[AppId, set[AppId]]:
        self.providers  # noqa: B018  # built together
        return self._consumers


def compare_app(
    base: Side,
    head: Side,
    old: AppAssessment,
    new: AppAssessment,
    near: tuple[Neighbours, Neighbours],
) -> dict[str, Any] | None:
    """The fields of one application that changed (None when nothing did)."""
    change: dict[str, Any] = {}
    # Kept from the base by the head's assessment: only its wave and cost can differ.
    if old.decision_path is not new.decision_path:
        _assessed(old, new, change)
    _wave_and_cost(base, head, new.app.id, near, change)
    if not change:
        return None
    return {"id": new.app.id, **change}


def _assessed(old: AppAssessment, new: AppAssessment, change: dict[str, Any]) -> None:
    """What the assessment says differently: score, findings, strategy, targets, effort."""
    if old.app.name != new.app.name:
        change["name"] = {"from": old.app.name, "to": new.app.name}
    if old.score != new.score:
        change["score"] = {"from": old.score, "to": new.score}
    before = {(f.rule, f.subject): f for f in old.findings}
    after = {(f.rule, f.subject): f for f in new.findings}
    appeared = [finding(after[k]) for k in sorted(after.keys() - before.keys())]
    resolved = [finding(before[k]) for k in sorted(before.keys() - after.keys())]
    if appeared or resolved:
        change["findings"] = {"appeared": appeared, "resolved": resolved}
    for key in ("readiness", "strategy"):
        if getattr(old, key) != getattr(new, key):
            change[key] = {"from": getattr(old, key), "to": getattr(new, key)}
    if old.targets != new.targets:
        change["targets"] = {"from": list(old.targets), "to": list(new.targets)}
    if old.effort.size != new.effort.size or old.effort.person_days != new.effort.person_days:
        change["effort"] = {
            "from": {"size": old.effort.size, "person_days": old.effort.person_days},
            "to": {"size": new.effort.size, "person_days": new.effort.person_days},
        }
    # A blocker is the same one when its rule and subject are (its message may name the
    # region, which the change moved).
    was_blocked = {k for k, f in before.items() if f.severity == "blocker"}
    is_blocked = {k for k, f in after.items() if f.severity == "blocker"}
    new_blockers = sorted(after[k].message for k in is_blocked - was_blocked)
    gone_blockers = sorted(before[k].message for k in was_blocked - is_blocked)
    if new_blockers or gone_blockers:
        change["blockers"] = {"new": new_blockers, "resolved": gone_blockers}


def _wave_and_cost(
    base: Side,
    head: Side,
    app_id: AppId,
    near: tuple[Neighbours, Neighbours],
    change: dict[str, Any],
) -> None:
    was, now = base.plan.wave_of.get(app_id), head.plan.wave_of.get(app_id)
    if was != now:
        change["wave"] = {
            "from": was,
            "to": now,
            "because": why_moved(app_id, base, head, *near),
        }
    cost_before, cost_after = base.monthly(app_id), head.monthly(app_id)
    if cost_before != cost_after and (
        cost_before is None or cost_after is None or abs(cost_after - cost_before) >= CENT
    ):
        change["monthly"] = {
            "from": cost_before,
            "to": cost_after,
            "delta": round((cost_after or 0.0) - (cost_before or 0.0), 2),
        }


def why_moved(app_id: AppId, base: Side, head: Side, was: Neighbours, now: Neighbours) -> list[str]:
    """The constraints behind a wave move, most direct first; never empty."""
    reasons: list[str] = []
    wave_was, wave_now = base.plan.wave_of.get(app_id), head.plan.wave_of.get(app_id)
    if wave_now is None:
        staying = _staying(head, app_id)
        return [f"it no longer migrates: {staying}"]
    if wave_was is None:
        reasons.append(f"it migrates now ({_staying(base, app_id)} before)")
    old_pin, new_pin = _pin(base, app_id), _pin(head, app_id)
    if old_pin != new_pin:
        reasons.append(
            f"pinned to wave {new_pin} (decision.wave)"
            if new_pin is not None
            else f"its pin to wave {old_pin} was removed"
        )
    group_was = was.group.get(app_id, frozenset({app_id}))
    group_now = now.group.get(app_id, frozenset({app_id}))
    joined, left = sorted(group_now - group_was - {app_id}), sorted(group_was - group_now)
    if joined:
        why = group_reasons(now.reasons.get(app_id, ()))
        reasons.append(f"moves with {names(joined)} now (move group: {why})")
        pins = [
            f"{other} is pinned to wave {_pin(head, other)}"
            for other in joined
            if _pin(head, other) is not None
        ]
        reasons.extend(pins[:MAX_NAMES])
    if left:
        reasons.append(f"no longer moves with {names(left)}")
    first = head.plan.planning.order == "providers-first"
    later = (wave_now or 0) > (wave_was or 0)
    ahead = now.providers if first else now.consumers  # what must move first
    before = was.providers if first else was.consumers
    role = "provider" if first else "consumer"
    for other in sorted(ahead.get(app_id, set()) - before.get(app_id, set())):
        where = head.plan.wave_of.get(other)
        where_text = f"wave {where}" if where else "not migrating"
        relation = f"depends on {other}" if first else f"{other} depends on it"
        reasons.append(f"new dependency: {relation} ({where_text})")
    for other in sorted(ahead.get(app_id, set()) & before.get(app_id, set()) - group_now):
        old_w, new_w = base.plan.wave_of.get(other), head.plan.wave_of.get(other)
        if old_w != new_w and new_w is not None and (not later or new_w >= (wave_now or 0) - 1):
            reasons.append(f"its {role} {other} moved from wave {old_w} to wave {new_w}")
    old, new = base.by_id.get(app_id), head.by_id.get(app_id)
    if old is not None and new is not None and old.decision_path is not new.decision_path:
        # Effort counts against a wave's capacity, and easy, low-risk ones go first.
        own = []
        if old.effort.person_days != new.effort.person_days:
            own.append(f"effort {old.effort.person_days} → {new.effort.person_days} person-days")
        if old.score != new.score:
            own.append(f"score {old.score} → {new.score}")
        if old.readiness != new.readiness:
            own.append(f"readiness {old.readiness} → {new.readiness}")
        if own:
            reasons.append(f"its own assessment changed: {', '.join(own)}")
    changed = _planning_changes(base, head)
    if changed:
        reasons.append(f"planning changed: {'; '.join(changed)}")
    if not reasons:
        reasons.append(_capacity(base, head, app_id, wave_was))
    return reasons


def _pin(side: Side, app_id: AppId) -> int | None:
    app = side.inventory.apps_by_id.get(app_id)
    return app.decision.wave if app is not None and app.decision is not None else None


def _staying(side: Side, app_id: AppId) -> str:
    for kind, ids in side.plan.not_migrating.items():
        if app_id in ids:
            return kind
    return "not in the inventory"


def _planning_changes(base: Side, head: Side) -> list[str]:
    old, new = base.plan.planning, head.plan.planning
    shown = []
    for key in (
        "start",
        "wave_weeks",
        "max_apps_per_wave",
        "max_servers_per_wave",
        "max_person_days_per_wave",
        "bridge",
        "shared_services",
        "order",
        "freeze",
    ):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            shown.append(f"{key} {_value(a)} → {_value(b)}")
    return shown


def _value(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _capacity(base: Side, head: Side, app_id: AppId, wave_was: int | None) -> str:
    """No constraint of its own changed: what capacity says about its old or new wave."""
    planning = head.plan.planning
    waves = {wave.number: wave for wave in head.plan.waves}
    wave_now = head.plan.wave_of.get(app_id)
    members = next((g.applications for g in head.plan.groups if app_id in g.applications), ())
    results = head.by_id
    apps = len(members) or 1
    days = sum(results[a].effort.person_days for a in members if a in results)
    servers = len({s for a in members for s in head.inventory.apps_by_id[a].servers})
    if wave_was is not None and wave_now is not None and wave_now > wave_was:
        old = waves.get(wave_was)
        if old is not None:
            over = []
            if len(old.applications) + apps > planning.max_apps_per_wave:
                over.append(
                    f"{len(old.applications)} + {apps} > {planning.max_apps_per_wave} applications"
                )
            limit = planning.max_person_days_per_wave
            if limit and old.person_days + days > limit:
                over.append(f"{old.person_days} + {days} > {limit} person-days")
            cap = planning.max_servers_per_wave
            if cap and old.servers + servers > cap:
                over.append(f"{old.servers} + {servers} > {cap} servers")
            if over:
                came = sorted(a for a in old.applications if base.plan.wave_of.get(a) != wave_was)
                who = f"; {names(came)} moved in" if came else ""
                return f"capacity: wave {wave_was} has no room for it now ({', '.join(over)}{who})"
    elif wave_was is not None and wave_now is not None and wave_now < wave_was:
        new = waves.get(wave_now)
        if new is not None:
            return (
                f"capacity: wave {wave_now} has room for it now ({len(new.applications)} of "
                f"{planning.max_apps_per_wave} applications, {new.person_days} person-days)"
            )
    return "capacity: the waves were refilled around the other changes"
