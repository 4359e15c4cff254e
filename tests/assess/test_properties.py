"""Properties every assessment keeps, on generated inventories."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.assess.assessment import assess
from migrator.assess.rules import load_rules
from migrator.inventory.model import (
    Application,
    Availability,
    Database,
    Decision,
    Dependency,
    Inventory,
    Licensing,
    Planning,
    Portfolio,
    Server,
    Stack,
)

AS_OF = dt.date(2026, 11, 29)
RULES = load_rules(today=AS_OF)
OS_STRINGS = [
    "Microsoft Windows Server 2008 R2 (64-bit)",
    "Microsoft Windows Server 2019 (64-bit)",
    "Red Hat Enterprise Linux 6 (64-bit)",
    "Red Hat Enterprise Linux 9 (64-bit)",
    "Oracle Solaris 10 (64-bit)",
    "IBM z/OS",
    "Plan 9",
    "CentOS 7 (64-bit)",
    "Microsoft Windows Server 2003 (32-bit)",
]


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def inventories(draw: st.DrawFn) -> Inventory:
    n_servers = draw(st.integers(0, 6))
    servers = tuple(
        Server(
            id=f"s{i}",
            os=draw(maybe(st.sampled_from(OS_STRINGS))),
            cpu=draw(maybe(st.integers(1, 200))),
            memory_gb=draw(maybe(st.integers(1, 2000))),
            storage_gb=draw(maybe(st.integers(10, 40000))),
            cpu_arch=draw(st.sampled_from(["x86_64", "x86_64", "sparc", "arm64"])),
            platform=draw(maybe(st.sampled_from(["vmware", "physical", "hyperv", "mainframe"]))),
            given=frozenset({"os", "cpu"}),
        )
        for i in range(n_servers)
    )
    n_dbs = draw(st.integers(0, 3))
    databases = tuple(
        Database(
            id=f"d{i}",
            engine=draw(
                maybe(st.sampled_from(["oracle", "postgresql", "sqlserver", "db2", "nosuchdb"]))
            ),
            version=draw(maybe(st.sampled_from(["19c", "11.2", "9.6", "16", "2008 R2", "x"]))),
            size_gb=draw(maybe(st.integers(1, 20000))),
            features=tuple(
                draw(
                    st.lists(
                        st.sampled_from(["rac", "clr", "partitioning"]), max_size=2, unique=True
                    )
                )
            ),
            server=f"s{i}" if i < n_servers else None,
        )
        for i in range(n_dbs)
    )
    apps = []
    n_apps = draw(st.integers(1, 6))
    for i in range(n_apps):
        others = [f"a{j}" for j in range(n_apps) if j != i]
        decision = draw(
            maybe(
                st.builds(
                    Decision,
                    strategy=maybe(
                        st.sampled_from(
                            [
                                "rehost",
                                "replatform",
                                "refactor",
                                "repurchase",
                                "retire",
                                "retain",
                                "relocate",
                            ]
                        )
                    ),
                )
            )
        )
        apps.append(
            Application(
                id=f"a{i}",
                name=f"A{i}",
                type=draw(st.sampled_from(["custom", "cots", "saas", "external"])),
                criticality=draw(st.sampled_from(["low", "medium", "high", "critical"])),
                lifecycle=draw(st.sampled_from(["invest", "tolerate", "migrate", "eliminate"])),
                architecture=draw(
                    maybe(st.sampled_from(["monolith", "n-tier", "desktop", "mainframe", "batch"]))
                ),
                stack=draw(
                    maybe(
                        st.builds(
                            Stack,
                            language=maybe(st.sampled_from(["java", "cobol", "python", "vb6"])),
                            language_version=maybe(st.sampled_from(["1.6", "8", "17", "2.7"])),
                            middleware=st.lists(
                                st.sampled_from(["Tomcat 9", "WebLogic 12c", "Slurm"]),
                                max_size=2,
                                unique=True,
                            ).map(tuple),
                            stateless=maybe(st.booleans()),
                        )
                    )
                ),
                compliance=tuple(
                    draw(st.lists(st.sampled_from(["gxp", "gdpr", "sox"]), max_size=2, unique=True))
                ),
                data_residency=draw(maybe(st.sampled_from(["eu", "ch", "us"]))),
                availability=draw(
                    maybe(
                        st.builds(
                            Availability,
                            rto_hours=maybe(st.floats(0, 48)),
                            sla=maybe(st.floats(90, 100)),
                        )
                    )
                ),
                hardware=tuple(
                    draw(
                        st.lists(
                            st.sampled_from(["usb-dongle", "gpu", "fax"]), max_size=2, unique=True
                        )
                    )
                ),
                licensing=draw(maybe(st.builds(Licensing, cloud_portable=maybe(st.booleans())))),
                servers=tuple(
                    draw(st.lists(st.sampled_from([s.id for s in servers]), unique=True))
                    if servers
                    else ()
                ),
                databases=tuple(
                    draw(st.lists(st.sampled_from([d.id for d in databases]), unique=True))
                    if databases
                    else ()
                ),
                depends_on=tuple(
                    Dependency(app=x)
                    for x in draw(st.lists(st.sampled_from(others), unique=True))
                    if others
                )
                if others
                else (),
                decision=decision,
                given=frozenset(
                    draw(
                        st.lists(
                            st.sampled_from(["owner", "criticality", "users", "stack", "servers"]),
                            unique=True,
                        )
                    )
                ),
            )
        )
    return Inventory(
        Portfolio(
            name="p",
            region=draw(
                st.sampled_from(["europe-west1", "europe-west6", "us-central1", "nowhere-1"])
            ),
        ),
        Planning(),
        tuple(apps),
        servers,
        databases,
    )


@settings(max_examples=150, deadline=None)
@given(inventory=inventories())
def test_assessment_properties(inventory: Inventory) -> None:
    result = assess(inventory, RULES, AS_OF)
    assessed = {a.app.id for a in result.applications}
    assert assessed == {a.id for a in inventory.applications if a.type != "external"}
    for a in result.applications:
        points = sum(f.points for f in a.findings)
        assert 0 <= a.score <= 100
        assert a.score == max(0, 100 - points)  # every point traced to a rule
        if any(f.severity == "blocker" for f in a.findings):
            assert a.readiness == "not-ready"
        elif a.data_completeness < 0.5:
            assert a.readiness == "unknown"
        else:
            assert a.readiness == ("ready" if a.score >= 70 else "ready-with-conditions")
        decision = a.app.decision
        if decision is not None and decision.strategy is not None:
            assert a.strategy == decision.strategy and a.strategy_source == "decision"
        else:
            assert a.strategy_source == "rules"
        if a.app.lifecycle == "eliminate" and a.strategy_source == "rules":
            assert a.strategy == "retire"
        assert 0 <= a.data_completeness <= 1
        assert a.effort.person_days >= 1 and a.effort.size in ("S", "M", "L", "XL")
        assert len({f.rule for f in a.findings}) == len(a.findings)  # a rule counts once
        assert a.decision_path and a.reason


@st.composite
def near_alike(draw: st.DrawFn) -> Inventory:
    """An inventory whose applications' stacks are equal or differ in one field: what is
    shared by value must tell them apart exactly (servers are shared by design)."""
    inventory = draw(inventories())
    stacks = st.builds(
        Stack,
        language=st.just("java"),
        language_version=st.sampled_from(["1.6", "17"]),
        middleware=st.sampled_from([(), ("WebLogic 12c",)]),
        stateless=st.booleans(),
    )
    apps = tuple(dataclasses.replace(a, stack=draw(stacks)) for a in inventory.applications)
    return dataclasses.replace(inventory, applications=apps)


@settings(max_examples=60, deadline=None)
@given(inventory=st.one_of(inventories(), near_alike()))
def test_each_application_comes_out_as_if_assessed_alone(inventory: Inventory) -> None:
    """What the assessment works out once and shares (each server's and database's hits,
    each stack's facts) never carries one application's answer into another's: assessed
    on its own, with nothing shared, every application comes out the same, messages too."""
    whole = {a.app.id: a for a in assess(inventory, RULES, AS_OF).applications}
    for app in inventory.applications:
        if app.type == "external":
            continue
        (alone,) = assess(inventory, RULES, AS_OF, [app]).applications
        assert alone == whole[app.id]
        assert [f.message for f in alone.findings] == [f.message for f in whole[app.id].findings]
