"""Every schedule keeps the rules of SPEC 4, on generated portfolios: random dependency
graphs with cycles, latency-sensitive pairs, shared servers and databases, pins, freezes
and tiny capacities. A schedule that cannot be made is a located error, never a crash."""

from __future__ import annotations

import datetime as dt

import networkx as nx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from migrator.assess.assessment import assess
from migrator.assess.rules import load_rules
from migrator.errors import InvalidInputError
from migrator.inventory.model import (
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
from migrator.waves.schedule import schedule

AS_OF = dt.date(2026, 11, 29)
RULES = load_rules(today=AS_OF)


@st.composite
def portfolios(draw: st.DrawFn) -> tuple[Inventory, Planning]:
    n = draw(st.integers(1, 24))
    ids = [f"a{i:02d}" for i in range(n)]
    servers = [Server(id=f"s{i}", os="Red Hat Enterprise Linux 9 (64-bit)", cpu=2,
                      memory_gb=8, platform="vmware") for i in range(n + 2)]
    databases = [Database(id=f"d{i}", engine="postgresql", version="16", server=f"s{i}")
                 for i in range(3)]
    apps = []
    for i, app_id in enumerate(ids):
        # Mostly acyclic (towards lower numbers), with some edges back to make cycles.
        targets = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
        deps = tuple(Dependency(app=t, latency_sensitive=draw(st.booleans()) and
                                draw(st.integers(0, 5)) == 0, origin=Origin("x", ()))
                     for t in targets if t != app_id and (t < app_id or
                                                          draw(st.integers(0, 6)) == 0))
        own = [f"s{i}"] + ([f"s{n}"] if draw(st.integers(0, 8)) == 0 else [])
        strategy = draw(st.sampled_from([None, None, None, "retain", "retire", "rehost"]))
        wave = draw(st.sampled_from([None] * 8 + [1, 2, 3]))
        decision = (Decision(strategy=strategy or "rehost", wave=wave)
                    if strategy or wave else None)
        apps.append(Application(
            id=app_id, name=app_id, servers=tuple(own),
            databases=(f"d{draw(st.integers(0, 2))}",) if draw(st.integers(0, 6)) == 0
            else (),
            type=draw(st.sampled_from(["custom"] * 6 + ["external", "saas"])),
            criticality=draw(st.sampled_from(["low", "medium", "high", "critical"])),
            depends_on=deps, decision=decision,
            origin=Origin("inv.yaml", ("applications", i))))
    freeze = tuple(draw(st.lists(st.builds(
        lambda start, days: Freeze(start, start + dt.timedelta(days=days)),
        st.dates(dt.date(2027, 1, 1), dt.date(2027, 12, 31)), st.integers(0, 40)),
        max_size=2)))
    planning = Planning(
        start=dt.date(2027, 1, 11), wave_weeks=draw(st.integers(1, 6)),
        max_apps_per_wave=draw(st.integers(1, 6)),
        max_servers_per_wave=draw(st.sampled_from([None, 2, 4, 8])),
        order=draw(st.sampled_from(["providers-first", "consumers-first"])), freeze=freeze)
    inventory = Inventory(Portfolio(name="p", region="europe-west1"), planning, tuple(apps),
                          tuple(servers), tuple(databases))
    return inventory, planning


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=portfolios())
def test_every_schedule_keeps_the_rules(case: tuple[Inventory, Planning]) -> None:
    inventory, planning = case
    assessment = assess(inventory, RULES, AS_OF)
    try:
        plan = schedule(inventory, assessment, planning)
    except InvalidInputError as exc:  # impossible pins: said, with their place
        event("impossible pins")
        assert exc.diagnostics and all(d.path[-1] == "wave" or d.path[0] == "applications"
                                       for d in exc.diagnostics)
        return
    event("scheduled")
    strategies = {a.app.id: a.strategy for a in assessment.applications}
    migrating = {a for a, s in strategies.items() if s not in ("retain", "retire")}
    # Rule 1: each migrating application in exactly one wave, nothing else.
    placed = [a for w in plan.waves for a in w.applications]
    assert sorted(placed) == sorted(migrating)
    assert plan.wave_of == {a: w.number for w in plan.waves for a in w.applications}
    # Rule 2: move groups move together; cycles, latency pairs, shared servers inside one.
    for group in plan.groups:
        assert len({plan.wave_of[a] for a in group.applications}) == 1
    graph = nx.DiGraph()
    graph.add_nodes_from(migrating)
    for app in inventory.applications:
        for dep in app.depends_on:
            if app.id in migrating and dep.app in migrating:
                graph.add_edge(app.id, dep.app)
                if dep.latency_sensitive:
                    assert plan.wave_of[app.id] == plan.wave_of[dep.app]
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
    # Rule 4: capacity, unless one oversize group is alone in its wave.
    for wave in plan.waves:
        over = len(wave.applications) > planning.max_apps_per_wave or bool(
            planning.max_servers_per_wave and wave.servers > planning.max_servers_per_wave)
        if over:
            assert len(wave.groups) == 1, (wave, planning)
    # Rule 5: pins.
    for app in inventory.applications:
        if app.id in migrating and app.decision and app.decision.wave:
            assert plan.wave_of[app.id] == app.decision.wave
    # Waves are consecutive, dated in order, and clear of freezes.
    assert [w.number for w in plan.waves] == list(range(1, len(plan.waves) + 1))
    for earlier, later in zip(plan.waves, plan.waves[1:], strict=False):
        assert earlier.end < later.start
    for wave in plan.waves:
        assert not any(wave.start <= f.end and f.start <= wave.end for f in planning.freeze)
    assert len(plan.waves) >= plan.lower_bound
