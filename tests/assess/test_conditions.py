"""Conditions: each operator's meaning, alone and batched, and what a rules file cannot do."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.assess.conditions import MAX_DEPTH, ConditionCompiler, batch_test
from migrator.inventory.validate import FileChecker

TODAY = dt.date(2026, 11, 29)
ATTRS = ("x", "y")

# (condition, facts, expected)
CASES: list[tuple[dict[str, Any], dict[str, Any], bool]] = [
    ({"attr": "x", "op": "exists"}, {"x": "a"}, True),
    ({"attr": "x", "op": "exists"}, {"x": ""}, False),
    ({"attr": "x", "op": "exists"}, {"x": ()}, False),
    ({"attr": "x", "op": "exists"}, {"x": 0}, True),
    ({"attr": "x", "op": "exists"}, {}, False),
    ({"attr": "x", "op": "missing"}, {}, True),
    ({"attr": "x", "op": "missing"}, {"x": False}, False),
    ({"attr": "x", "op": "is_true"}, {"x": True}, True),
    ({"attr": "x", "op": "is_true"}, {"x": 1}, False),
    ({"attr": "x", "op": "is_false"}, {"x": False}, True),
    ({"attr": "x", "op": "is_false"}, {"x": None}, False),
    ({"attr": "x", "op": "eq", "value": "sap"}, {"x": "sap"}, True),
    ({"attr": "x", "op": "eq", "value": "sap"}, {"x": "SAP"}, False),
    ({"attr": "x", "op": "ne", "value": "sap"}, {"x": "oracle"}, True),
    ({"attr": "x", "op": "ne", "value": "sap"}, {}, False),
    ({"attr": "x", "op": "in", "value": ["a", "b"]}, {"x": "b"}, True),
    ({"attr": "x", "op": "in", "value": ["a", "b"]}, {"x": None}, False),
    ({"attr": "x", "op": "not_in", "value": ["a"]}, {"x": "b"}, True),
    ({"attr": "x", "op": "not_in", "value": ["a"]}, {}, False),
    ({"attr": "x", "op": "contains_any", "value": ["rac", "asm"]}, {"x": ("asm",)}, True),
    ({"attr": "x", "op": "contains_any", "value": ["rac"]}, {"x": ()}, False),
    ({"attr": "x", "op": "contains_any", "value": ["rac"]}, {}, False),
    ({"attr": "x", "op": "contains", "value": "gxp"}, {"x": ("sox", "gxp")}, True),
    ({"attr": "x", "op": "contains", "value": "gxp"}, {}, False),
    ({"attr": "x", "op": "not_contains", "value": "gxp"}, {"x": ("sox",)}, True),
    ({"attr": "x", "op": "not_contains", "value": "gxp"}, {}, True),
    ({"attr": "x", "op": "gt", "value": 4}, {"x": 5}, True),
    ({"attr": "x", "op": "gt", "value": 4}, {"x": 4}, False),
    ({"attr": "x", "op": "gte", "value": 4}, {"x": 4.0}, True),
    ({"attr": "x", "op": "lt", "value": 4}, {"x": 3.5}, True),
    ({"attr": "x", "op": "lte", "value": 4}, {"x": 5}, False),
    ({"attr": "x", "op": "lt", "value": 4}, {"x": True}, False),  # true is not 1 here
    ({"attr": "x", "op": "gt", "value": 0}, {"x": "7"}, False),  # text is not a number
    ({"attr": "x", "op": "lt", "value": 4}, {}, False),
    ({"attr": "x", "op": "before", "value": "today"}, {"x": dt.date(2020, 1, 14)}, True),
    ({"attr": "x", "op": "before", "value": "today-1y"}, {"x": dt.date(2026, 1, 1)}, False),
    ({"attr": "x", "op": "after", "value": "today+90d"}, {"x": dt.date(2027, 3, 1)}, True),
    ({"attr": "x", "op": "after", "value": "2020-01-01"}, {"x": "2030-01-01"}, False),
    ({"attr": "x", "op": "matches", "value": "^win"}, {"x": "Windows 2008"}, True),
    ({"attr": "x", "op": "matches", "value": "dongle"}, {"x": ("gpu", "USB-Dongle")}, True),
    ({"attr": "x", "op": "matches", "value": "1"}, {"x": 1}, False),
    ({"not": {"attr": "x", "op": "exists"}}, {}, True),
    (
        {"all": [{"attr": "x", "op": "gt", "value": 1}, {"attr": "y", "op": "eq", "value": "a"}]},
        {"x": 2, "y": "a"},
        True,
    ),
    (
        {"all": [{"attr": "x", "op": "gt", "value": 1}, {"attr": "y", "op": "eq", "value": "a"}]},
        {"x": 2, "y": "b"},
        False,
    ),
    (
        {"any": [{"attr": "x", "op": "gt", "value": 1}, {"attr": "y", "op": "eq", "value": "a"}]},
        {"x": 0, "y": "a"},
        True,
    ),
    ({"any": [{"not": {"attr": "x", "op": "missing"}}]}, {"x": 1}, True),
]


def compiler() -> ConditionCompiler:
    return ConditionCompiler(FileChecker("rules.yaml", ""), ATTRS, TODAY)


@pytest.mark.parametrize(("condition", "facts", "expected"), CASES)
def test_each_operator_alone(
    condition: dict[str, Any], facts: dict[str, Any], expected: bool
) -> None:
    compiled = compiler().compile(condition, ("when",))
    assert compiled is not None
    assert compiled(facts) is expected


def test_batched_conditions_give_the_same_answers_as_each_alone() -> None:
    c = compiler()
    conditions = [c.compile(condition, ("when",)) for condition, _, _ in CASES]
    assert all(condition is not None for condition in conditions)
    batch = batch_test([condition.tree for condition in conditions if condition is not None])
    for facts in {repr(f): f for _, f, _ in CASES}.values():
        expected = [
            index
            for index, condition in enumerate(conditions)
            if condition is not None and condition(facts)
        ]
        assert batch(facts) == expected


def test_values_from_a_rules_file_are_data_never_code() -> None:
    sneaky = "') or __import__('os').system('false') or ('"
    compiled = compiler().compile({"attr": "x", "op": "eq", "value": sneaky}, ("when",))
    assert compiled is not None
    assert compiled({"x": sneaky}) is True
    assert compiled({"x": "a"}) is False


def test_conditions_nested_too_deeply_are_refused_where_they_start() -> None:
    node: dict[str, Any] = {"attr": "x", "op": "exists"}
    for _ in range(MAX_DEPTH + 1):
        node = {"not": node}
    c = compiler()
    assert c.compile(node, ("rules", 0, "when")) is None
    [diag] = c.checker.diagnostics
    assert diag.path == ("rules", 0, "when") + ("not",) * MAX_DEPTH
    assert f"more than {MAX_DEPTH} levels" in diag.message


def test_conditions_as_deep_as_allowed_work() -> None:
    node: dict[str, Any] = {"attr": "x", "op": "exists"}
    for _ in range(MAX_DEPTH):
        node = {"not": node}
    compiled = compiler().compile(node, ("when",))
    assert compiled is not None
    assert compiled({"x": 1}) is (MAX_DEPTH % 2 == 0)


@pytest.mark.parametrize("op", ["contains", "not_contains", "contains_any", "in", "matches"])
@pytest.mark.parametrize("value", [True, 3, 2.5, TODAY, None])
def test_list_operators_on_a_fact_that_is_no_list_do_not_fail(op: str, value: Any) -> None:
    wanted: Any = ["a"] if op in ("in", "contains_any") else "a"
    compiled = compiler().compile({"attr": "x", "op": op, "value": wanted}, ("when",))
    assert compiled is not None
    assert compiled({"x": value}) is (op == "not_contains")


# -- property: the generated function agrees with a plain reading of each operator ------


def _reference(node: dict[str, Any], facts: dict[str, Any]) -> bool:
    """What a condition means, written out directly (no generated code)."""
    if "not" in node:
        return not _reference(node["not"], facts)
    if "all" in node:
        return all(_reference(item, facts) for item in node["all"])
    if "any" in node:
        return any(_reference(item, facts) for item in node["any"])
    v, op, k = facts.get(node["attr"]), node["op"], node.get("value")
    number = isinstance(v, int | float) and not isinstance(v, bool)
    listish = isinstance(v, tuple | list | frozenset | str)
    present = v is not None and v != () and v != ""
    when = None
    if op in ("before", "after"):
        when = dt.date.fromisoformat(k)
    return {
        "exists": lambda: present,
        "missing": lambda: not present,
        "is_true": lambda: v is True,
        "is_false": lambda: v is False,
        "eq": lambda: v == k,
        "ne": lambda: v is not None and v != k,
        "in": lambda: v in set(k),
        "not_in": lambda: v is not None and v not in set(k),
        "contains_any": lambda: listish and any(item in v for item in k),
        "contains": lambda: listish and k in v,
        "not_contains": lambda: not listish or k not in v,
        "gt": lambda: number and v > k,
        "gte": lambda: number and v >= k,
        "lt": lambda: number and v < k,
        "lte": lambda: number and v <= k,
        "before": lambda: isinstance(v, dt.date) and v < when,
        "after": lambda: isinstance(v, dt.date) and v > when,
        "matches": lambda: (
            (isinstance(v, str) and re.search(k, v, re.I) is not None)
            or (
                isinstance(v, tuple)
                and any(isinstance(x, str) and re.search(k, x, re.I) for x in v)
            )
        ),
    }[op]()


WORDS = st.sampled_from(["a", "b", "gxp", "rac"])
FACT_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.5, 2.5]),
    WORDS,
    st.just(""),
    st.tuples(),
    st.lists(WORDS, max_size=3).map(tuple),
    st.sampled_from([dt.date(2020, 1, 1), dt.date(2030, 1, 1)]),
)
LEAVES = st.one_of(
    st.builds(
        lambda a, op: {"attr": a, "op": op},
        st.sampled_from(ATTRS),
        st.sampled_from(["exists", "missing", "is_true", "is_false"]),
    ),
    st.builds(
        lambda a, op, k: {"attr": a, "op": op, "value": k},
        st.sampled_from(ATTRS),
        st.sampled_from(["eq", "ne", "contains", "not_contains"]),
        WORDS,
    ),
    st.builds(
        lambda a, op, k: {"attr": a, "op": op, "value": k},
        st.sampled_from(ATTRS),
        st.sampled_from(["in", "not_in", "contains_any"]),
        st.lists(WORDS, min_size=1, max_size=3),
    ),
    st.builds(
        lambda a, op, k: {"attr": a, "op": op, "value": k},
        st.sampled_from(ATTRS),
        st.sampled_from(["gt", "gte", "lt", "lte"]),
        st.integers(-2, 2),
    ),
    st.builds(
        lambda a, op, k: {"attr": a, "op": op, "value": k},
        st.sampled_from(ATTRS),
        st.sampled_from(["before", "after"]),
        st.sampled_from(["2025-06-01"]),
    ),
    st.builds(
        lambda a, k: {"attr": a, "op": "matches", "value": k},
        st.sampled_from(ATTRS),
        st.sampled_from(["^a", "x|p", "R"]),
    ),
)
CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        inner.map(lambda c: {"not": c}),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: {"all": cs}),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: {"any": cs}),
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(
    conditions=st.lists(CONDITIONS, min_size=1, max_size=6),
    facts=st.fixed_dictionaries({}, optional=dict.fromkeys(ATTRS, FACT_VALUES)),
)
def test_generated_tests_mean_what_the_operators_say(
    conditions: list[dict[str, Any]], facts: dict[str, Any]
) -> None:
    c = compiler()
    compiled = [c.compile(condition, ("when",)) for condition in conditions]
    assert all(condition is not None for condition in compiled), c.checker.diagnostics
    batch = batch_test([condition.tree for condition in compiled if condition is not None])
    expected = [i for i, condition in enumerate(conditions) if _reference(condition, facts)]
    assert batch(facts) == expected


# -- hostile values: refused where they are written, or harmless -------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            ["a"],
            "operator 'contains' needs one value (text or a number), got a list (for any of "
            "several values, use contains_any)",
        ),
        ({"a": 1}, "operator 'contains' needs one value (text or a number), got a mapping"),
        (None, "operator 'contains' needs one value (text or a number), got nothing"),
    ],
)
def test_contains_needs_one_value(value: Any, message: str) -> None:
    c = compiler()
    assert c.compile({"attr": "x", "op": "contains", "value": value}, ("when",)) is None
    assert [d.message for d in c.checker.diagnostics] == [message]


@pytest.mark.parametrize("op", ["contains", "not_contains"])
@pytest.mark.parametrize("value", [4, 2.5, True])
def test_contains_a_number_on_a_text_fact_is_false_not_a_crash(op: str, value: Any) -> None:
    compiled = compiler().compile({"attr": "x", "op": op, "value": value}, ("when",))
    assert compiled is not None
    assert compiled({"x": "a 4 here"}) is (op == "not_contains")
    assert compiled({"x": ("a", value)}) is (op == "contains")


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 10**400])
def test_comparisons_need_a_finite_number(value: Any) -> None:
    c = compiler()
    assert c.compile({"attr": "x", "op": "gt", "value": value}, ("when",)) is None
    assert "needs a number (finite" in c.checker.diagnostics[0].message


def test_relative_dates_far_from_today_are_refused() -> None:
    c = compiler()
    assert c.compile({"attr": "x", "op": "before", "value": "today+99999999d"}, ("when",)) is None
    assert [d.message for d in c.checker.diagnostics] == [
        "'today+99999999d' is too far from today: at most 1000 years either way"
    ]
    assert c.compile({"attr": "x", "op": "before", "value": "today+1000y"}, ("w",)) is not None


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (
            "(?<=a)b",
            "invalid perl operator: (?<= (patterns use RE2 syntax: no backreferences or "
            "look-arounds)",
        ),
        (
            r"(a)\1",
            "invalid escape sequence: \\1 (patterns use RE2 syntax: no backreferences or "
            "look-arounds)",
        ),
        ("a{2000}", "invalid repetition size: {2000}"),
    ],
)
def test_patterns_beyond_re2_are_refused(pattern: str, reason: str) -> None:
    c = compiler()
    assert c.compile({"attr": "x", "op": "matches", "value": pattern}, ("when",)) is None
    assert [d.message for d in c.checker.diagnostics] == [f"invalid regular expression: {reason}"]


def test_matches_cannot_backtrack_catastrophically() -> None:
    # With Python's backtracking engine this never ends; the child process shows it.
    code = (
        "import datetime as dt\n"
        "from migrator.assess.conditions import ConditionCompiler\n"
        "from migrator.inventory.validate import FileChecker\n"
        "c = ConditionCompiler(FileChecker('r', ''), ('x',), dt.date(2026, 1, 1))\n"
        "test = c.compile({'attr': 'x', 'op': 'matches', 'value': '^(a+)+$'}, ())\n"
        "print(test({'x': 'a' * 5000 + '!'}), test({'x': 'A' * 5000}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "True"], done.stderr
    assert done.stderr == ""  # RE2 logs nothing of its own
