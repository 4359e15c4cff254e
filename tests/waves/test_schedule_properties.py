"""Every schedule keeps the rules of docs/waves.md, on generated portfolios: random dependency
graphs with cycles, latency-sensitive pairs, shared servers and databases, pins, freezes,
tiny capacities, an effort cap, bridged kinds and dependencies, and shared services. A
schedule that cannot be made is a located error, never a crash."""

from __future__ import annotations

import datetime as dt
import math

import networkx as nx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from migrator.assess.assessment import assess
from migrator.assess.model import Assessment
from migrator.assess.rules import load_rules
from migrator.errors import InvalidInputError
from migrator.inventory.model import (
    DEPENDENCY_KINDS,
    Application,
    Database,
    Decision,
    Dependency,
    Freeze,
    Inventory,
    Origin,
    Planning,
    Portfolio,
    Server,
)
from migrator.waves.model import Schedule
from migrator.waves.schedule import schedule

AS_OF = dt.date(2026, 11, 29)
RULES = load_rules(today=AS_OF)


@st.composite
def portfolios(draw: st.DrawFn) -> tuple[Inventory, Planning]:
    n = draw(st.integers(1, 24))
    ids = [f"a{i:02d}" for i in range(n)]
    servers = [
        Server(
            id=f"s{i}",
            os="Red Hat Enterprise Linux 9 (64-bit)",
            cpu=2,
            memory_gb=8,
            platform="vmware",
        )
        for i in range(n + 2)
    ]
    databases = [
        Database(id=f"d{i}", engine="postgresql", version="16", server=f"s{i}") for i in range(3)
    ]
    apps = []
    for i, app_id in enumerate(ids):
        # Mostly acyclic (towards lower numbers), with some edges back to make cycles.
        targets = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
        deps = tuple(
            Dependency(
                app=t,
                kind=draw(st.sampled_from(DEPENDENCY_KINDS)),
                latency_sensitive=draw(st.booleans()) and draw(st.integers(0, 5)) == 0,
                bridge=draw(st.sampled_from([None] * 6 + [True, False])),
                origin=Origin("x", ()),
            )
            for t in targets
            if t != app_id and (t < app_id or draw(st.integers(0, 6)) == 0)
        )
        own = [f"s{i}"] + ([f"s{n}"] if draw(st.integers(0, 8)) == 0 else [])
        strategy = draw(st.sampled_from([None, None, None, "retain", "retire", "rehost"]))
        wave = draw(st.sampled_from([None] * 8 + [1, 2, 3]))
        decision = Decision(strategy=strategy or "rehost", wave=wave) if strategy or wave else None
        apps.append(
            Application(
                id=app_id,
                name=app_id,
                servers=tuple(own),
                databases=(f"d{draw(st.integers(0, 2))}",) if draw(st.integers(0, 6)) == 0 else (),
                type=draw(st.sampled_from(["custom"] * 6 + ["external", "saas"])),
                criticality=draw(st.sampled_from(["low", "medium", "high", "critical"])),
                depends_on=deps,
                decision=decision,
                origin=Origin("inv.yaml", ("applications", i)),
            )
        )
    freeze = tuple(
        draw(
            st.lists(
                st.builds(
                    lambda start, days: Freeze(start, start + dt.timedelta(days=days)),
                    st.dates(dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
                    st.integers(0, 40),
                ),
                max_size=2,
            )
        )
    )
    planning = Planning(
        start=dt.date(2027, 1, 11),
        wave_weeks=draw(st.integers(1, 6)),
        max_apps_per_wave=draw(st.integers(1, 6)),
        max_servers_per_wave=draw(st.sampled_from([None, 2, 4, 8])),
        max_person_days_per_wave=draw(st.sampled_from([None, None, 20, 60, 150])),
        bridge=tuple(draw(st.lists(st.sampled_from(DEPENDENCY_KINDS), max_size=3, unique=True))),
        shared_services=tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))),
        order=draw(st.sampled_from(["providers-first", "consumers-first"])),
        freeze=freeze,
    )
    inventory = Inventory(
        Portfolio(name="p", region="europe-west1"),
        planning,
        tuple(apps),
        tuple(servers),
        tuple(databases),
    )
    return inventory, planning


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=portfolios())
def test_every_schedule_keeps_the_rules(case: tuple[Inventory, Planning]) -> None:
    inventory, planning = case
    assessment = assess(inventory, RULES, AS_OF)
    try:
        plan = schedule(inventory, assessment, planning)
    except InvalidInputError as exc:  # impossible pins: said, with their place
        event("impossible pins")
        assert exc.diagnostics and all(
            d.path[-1] == "wave" or d.path[0] == "applications" for d in exc.diagnostics
        )
        return
    event("scheduled")
    strategies = {a.app.id: a.strategy for a in assessment.applications}
    migrating = {a for a, s in strategies.items() if s not in ("retain", "retire")}
    # Rule 1: each migrating application in exactly one wave, nothing else.
    placed = [a for w in plan.waves for a in w.applications]
    assert sorted(placed) == sorted(migrating)
    assert plan.wave_of == {a: w.number for w in plan.waves for a in w.applications}
    # Rule 7: bridged dependencies and dependencies on shared services neither join nor
    # order; every other dependency between migrating applications does.
    graph = nx.DiGraph()
    graph.add_nodes_from(migrating)
    for app in inventory.applications:
        for dep in app.depends_on:
            if app.id not in migrating or dep.app not in migrating:
                continue
            if planning.bridged(dep) or dep.app in planning.shared_services:
                event("a dependency bridged or on a shared service")
                continue
            graph.add_edge(app.id, dep.app)
            if dep.latency_sensitive:
                assert plan.wave_of[app.id] == plan.wave_of[dep.app]
    # Rule 2: move groups move together; cycles, latency pairs, shared servers inside one.
    for group in plan.groups:
        assert len({plan.wave_of[a] for a in group.applications}) == 1
    for component in nx.strongly_connected_components(graph):
        assert len({plan.wave_of[a] for a in component}) == 1
    users: dict[str, set[int]] = {}
    for app in inventory.applications:
        if app.id in migrating:
            for thing in app.servers + app.databases:
                users.setdefault(thing, set()).add(plan.wave_of[app.id])
    assert all(len(waves) == 1 for waves in users.values())
    # Rule 3: the order.
    for consumer, provider in graph.edges():
        if planning.order == "providers-first":
            assert plan.wave_of[provider] <= plan.wave_of[consumer]
        else:
            assert plan.wave_of[consumer] <= plan.wave_of[provider]
    _capacity(plan, planning, assessment)
    # Rule 5: pins.
    for app in inventory.applications:
        if app.id in migrating and app.decision and app.decision.wave:
            assert plan.wave_of[app.id] == app.decision.wave
    # Rule 6: no wave is empty, so wave 1 is not either; a pilot takes only what is ready
    # and not critical (or pinned to it).
    assert all(w.applications for w in plan.waves)
    assert bool(plan.waves) == bool(migrating)
    if plan.pilot:
        event("a pilot wave")
        results = {a.app.id: a for a in assessment.applications}
        groups = {g.id: g for g in plan.groups}
        for group_id in plan.waves[0].groups:
            members = [inventory.apps_by_id[a] for a in groups[group_id].applications]
            pinned = any(a.decision is not None and a.decision.wave == 1 for a in members)
            assert pinned or all(
                results[a.id].readiness == "ready" and a.criticality != "critical" for a in members
            )
    _links(plan, inventory, migrating, strategies)
    # Waves are consecutive, dated in order, and clear of freezes.
    assert [w.number for w in plan.waves] == list(range(1, len(plan.waves) + 1))
    for earlier, later in zip(plan.waves, plan.waves[1:], strict=False):
        assert earlier.end < later.start
    for wave in plan.waves:
        assert not any(wave.start <= f.end and f.start <= wave.end for f in planning.freeze)


def _capacity(plan: Schedule, planning: Planning, assessment: Assessment) -> None:
    """Rule 4: applications, servers and person-days within the caps, unless one oversize
    group is alone in its wave; and no schedule has fewer waves than the bound, which
    counts the effort cap."""
    days = {a.app.id: a.effort.person_days for a in assessment.applications}
    for wave in plan.waves:
        over = (
            len(wave.applications) > planning.max_apps_per_wave
            or bool(planning.max_servers_per_wave and wave.servers > planning.max_servers_per_wave)
            or bool(
                planning.max_person_days_per_wave
                and wave.person_days > planning.max_person_days_per_wave
            )
        )
        if over:
            assert len(wave.groups) == 1, (wave, planning)
        assert wave.person_days == sum(days[a] for a in wave.applications)
    assert len(plan.waves) >= plan.lower_bound
    if planning.max_person_days_per_wave:
        normal = [
            sum(days[a] for a in g.applications)
            for g in plan.groups
            if sum(days[a] for a in g.applications) <= planning.max_person_days_per_wave
            and len(g.applications) <= planning.max_apps_per_wave
        ]
        assert plan.lower_bound >= math.ceil(sum(normal) / planning.max_person_days_per_wave)


def _links(
    plan: Schedule, inventory: Inventory, migrating: set[str], strategies: dict[str, str]
) -> None:
    """Each dependency across waves, or on an application retired later, is a temporary
    hybrid link that ends with the later wave (the retirement: its last consumer's)."""
    links = {(link.consumer, link.provider): link for link in plan.hybrid_links}
    last_consumer: dict[str, int] = {}
    for app in inventory.applications:
        for dep in app.depends_on:
            if app.id in migrating and strategies.get(dep.app) == "retire":
                last_consumer[dep.app] = max(last_consumer.get(dep.app, 0), plan.wave_of[app.id])
    for app in inventory.applications:
        for dep in app.depends_on:
            ends = (plan.wave_of.get(app.id), plan.wave_of.get(dep.app))
            if None not in ends and ends[0] != ends[1]:
                link = links[app.id, dep.app]
                assert not link.permanent and link.end_wave == max(ends)  # type: ignore[type-var]
                assert link.weeks is not None and link.weeks >= 1
            elif ends[0] is not None and strategies.get(dep.app) == "retire":
                link = links[app.id, dep.app]
                assert not link.permanent and link.reason == "retired"
                assert link.end_wave == last_consumer[dep.app]
    assert plan.link_weeks == sum(
        link.weeks or 0 for link in plan.hybrid_links if not link.permanent
    )
