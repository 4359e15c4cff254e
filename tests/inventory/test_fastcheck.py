"""The generated accepting check of a map (``fastcheck``) against the full check.

Whenever the fast path builds a model, the full check must build the same model and say
nothing; whenever every value is one the full check takes as it is, the fast path must
build it (or it would only be slow). Maps are drawn from the format's own specs, with
wrong types, values out of range, unknown and ``x-`` keys, nothing after a key, and
lists written in their short form.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrator.inventory import schema
from migrator.inventory.fastcheck import fast_check
from migrator.inventory.load import load
from migrator.inventory.schema import Spec, bounds
from migrator.inventory.validate import INVALID, FileChecker

ROOT = Path(__file__).resolve().parents[2]
ENTITIES = {"application": schema.APPLICATION, "server": schema.SERVER, "database": schema.DATABASE}

ids = st.sampled_from(["erp", "lims-1", "a.b_c", "x"])
wrong = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(["", "Not An Id", "orcale", "yes", "2024-13-01", "x-y"]),
    st.dates(),
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=2),
)


def correct(spec: Spec, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values the full check takes as they are."""
    kind = spec.kind
    if kind == "text":
        return st.text(max_size=6)
    if kind == "enum":
        return st.sampled_from(spec.choices)
    if kind == "open-enum":
        return st.one_of(st.sampled_from(spec.choices), st.sampled_from(["zzzz-unlisted"]))
    if kind == "id":
        return ids
    if kind == "bool":
        return st.booleans()
    if kind in ("number", "int"):
        low, high = bounds(spec)
        whole = st.integers(int(max(low, -(10**6))), int(min(high, 10**6)))
        if kind == "int":
            return whole
        return st.one_of(whole, st.floats(low, high, allow_nan=False))
    if kind == "date":
        return st.dates(schema.FIRST_DATE, schema.LAST_DATE)
    if kind == "list":
        assert spec.items is not None
        item = correct(spec.items, depth + 1)
        if spec.items.shorthand is not None:
            item = st.one_of(item, ids)
        return st.lists(item, max_size=3)
    if kind == "map":
        return st.fixed_dictionaries(
            {
                key: correct(field, depth + 1)
                for key, field in spec.fields.items()
                if field.required
            },
            optional={
                key: correct(field, depth + 1)
                for key, field in spec.fields.items()
                if not field.required
            },
        )
    return st.integers()  # any


def anything(spec: Spec) -> st.SearchStrategy[Any]:
    """Values the full check takes, takes after converting them, or refuses: mostly a
    correct value with one or two of its parts changed, so that the rest of it still
    takes the fast path."""
    kind = spec.kind
    if kind == "list":
        assert spec.items is not None
        items = st.one_of(anything(spec.items), wrong)
        return st.one_of(correct(spec), st.lists(items, max_size=3), wrong)
    if kind == "map":
        return st.one_of(_changed(spec), wrong)
    return st.one_of(correct(spec), edges(spec), wrong)


def edges(spec: Spec) -> st.SearchStrategy[Any]:
    """Values just outside what ``spec`` takes as it is."""
    values = _edge_values(spec)
    return st.sampled_from(values) if values else wrong


def _edge_values(spec: Spec) -> list[Any]:
    if spec.kind in ("number", "int"):
        low, high = bounds(spec)
        return [low - 1, high + 1, low - 0.5, high * 2.0, 2.0, True, float("nan"), float("inf")]
    if spec.kind in ("enum", "open-enum"):
        return [c.upper() for c in spec.choices] + [c + "x" for c in spec.choices] + [3]
    if spec.kind == "date":
        return [dt.date(1899, 12, 31), dt.date(3000, 1, 1), "2027-01-04", dt.datetime(2027, 1, 4)]
    if spec.kind == "id":
        return ["-erp", "ERP", "erp app", 42, ""]
    if spec.kind == "text":
        return [42, 1.5, True, dt.date(2027, 1, 4), ["a"]]
    if spec.kind == "bool":
        return ["yes", 1, 0]
    return []


@st.composite
def _changed(draw: st.DrawFn, spec: Spec) -> Any:
    value = dict(draw(correct(spec)))
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.one_of(st.sampled_from(list(spec.fields)), st.sampled_from(EXTRA_KEYS)))
        if key in spec.fields and draw(st.booleans()):
            value.pop(key, None)
        else:
            field = spec.fields.get(key) if isinstance(key, str) else None
            value[key] = draw(anything(field) if field is not None else wrong)
    return value


EXTRA_KEYS = ["x-note", "x-", "colour", "ID", 0, True]


def both(spec: Spec, value: Any) -> tuple[Any, Any, list[Any]]:
    """(fast result, full result, the full check's diagnostics)."""
    fast = fast_check(spec)
    assert fast is not None
    path = ("applications", 3)
    fast_result = fast(value, "f.yaml", path) if type(value) is dict else None
    checker = FileChecker("f.yaml", "", fast=False)
    full = checker.check(spec, value, path)
    return fast_result, full, checker.diagnostics


def maps(spec: Spec) -> list[Spec]:
    """Every map spec at or below ``spec``."""
    below = [spec.items] if spec.items is not None else []
    below += list(spec.fields.values())
    return ([spec] if spec.kind == "map" else []) + [m for s in below for m in maps(s)]


def test_every_map_of_the_format_has_its_fast_check() -> None:
    for spec in maps(schema.TOP):
        assert (fast_check(spec) is None) == (spec.model is None), spec.doc


def test_each_edge_value_of_each_field_in_a_correct_map() -> None:
    """Every field of every map, given each value just outside what it takes as it is,
    in a map otherwise minimal and correct."""
    tried = taken = 0
    for spec in maps(schema.TOP):
        if spec.model is None:
            continue
        base = {key: _example(field) for key, field in spec.fields.items() if field.required}
        for key, field in spec.fields.items():
            candidates = [_example(field), None]
            if field.kind in ("list", "map"):
                candidates += [[], {}, "erp", 5]
            else:
                candidates += list(_edge_values(field))
            if field.kind == "list" and field.items is not None:
                items = field.items
                candidates += [[value] for value in _edge_values(items)] + [[None]]
                if items.shorthand is not None:
                    shorthand = items.fields[items.shorthand]
                    candidates += [[value] for value in _edge_values(shorthand)]
            for candidate in candidates:
                fast_result, full, diagnostics = both(spec, {**base, key: candidate})
                tried += 1
                if fast_result is not None:
                    taken += 1
                    assert diagnostics == [], (spec.doc, key, candidate)
                    assert fast_result == full, (spec.doc, key, candidate)
    assert tried > 300 and taken > 50


def _example(spec: Spec) -> Any:
    kind = spec.kind
    if kind in ("enum", "open-enum"):
        return spec.choices[0]
    if kind == "id":
        return "erp"
    if kind == "bool":
        return True
    if kind in ("number", "int"):
        return int(max(bounds(spec)[0], 1))
    if kind == "date":
        return dt.date(2027, 1, 4)
    if kind == "list":
        assert spec.items is not None
        return [_example(spec.items)]
    if kind == "map":
        return {key: _example(field) for key, field in spec.fields.items() if field.required}
    return "text"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_fast_result_is_the_full_check_s(data: st.DataObject) -> None:
    spec = data.draw(st.sampled_from([*ENTITIES.values(), schema.PLANNING, schema.PORTFOLIO]))
    value = data.draw(anything(spec))
    fast_result, full, diagnostics = both(spec, value)
    if fast_result is not None:
        assert diagnostics == []
        assert full is not INVALID
        assert fast_result == full
        assert type(fast_result) is type(full)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_correct_map_takes_the_fast_path(data: st.DataObject) -> None:
    spec = data.draw(st.sampled_from([*ENTITIES.values(), schema.PLANNING, schema.PORTFOLIO]))
    value = data.draw(correct(spec))
    fast_result, full, diagnostics = both(spec, value)
    assert diagnostics == []
    assert fast_result is not None
    assert fast_result == full


def test_x_keys_and_empty_values_come_out_as_the_full_check_s() -> None:
    value = {
        "id": "erp",
        "name": "ERP",
        "owner": None,
        "x-cost-centre": 4711,
        "x-empty": None,
        "depends_on": ["lims", {"app": "mes", "kind": "batch"}],
        "stack": {"language": "java", "x-note": "kept out"},
    }
    fast_result, full, diagnostics = both(schema.APPLICATION, value)
    assert diagnostics == []
    assert fast_result == full
    assert fast_result.given == frozenset({"id", "name", "x-cost-centre", "depends_on", "stack"})
    assert dict(fast_result.extensions) == {"x-cost-centre": 4711, "x-empty": None}
    assert [d.origin.path for d in fast_result.depends_on] == [
        ("applications", 3, "depends_on", 0),
        ("applications", 3, "depends_on", 1),
    ]


def test_a_value_the_full_check_converts_or_refuses_leaves_the_fast_path() -> None:
    for value in (
        {
            "id": "erp",
            "name": 2024,
        },  # text YAML read as a number: the full check keeps it as written
        {"id": "erp", "name": "ERP", "users": 10.0},  # a whole float: an int
        {"id": "erp", "name": "ERP", "colour": "red"},  # an unknown key: an error
        {"id": "erp", "name": "ERP", "compliance": ["gpx"]},  # a likely typo: a warning
        {"id": "erp"},  # no name: an error
    ):
        fast_result, _, _ = both(schema.APPLICATION, value)
        assert fast_result is None, value


def test_inventories_load_the_same_with_and_without_the_fast_path(
    monkeypatch: Any, tmp_path: Path
) -> None:
    import subprocess
    import sys

    estate = tmp_path / "estate"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(estate), "--apps", "300"],
        check=True,
        capture_output=True,
    )
    original = FileChecker.__init__
    for root in (ROOT / "inventories" / "pharma", estate):
        fast = load(root)

        def slow_init(self: FileChecker, file: str, text: str, *, fast: bool = True) -> None:
            original(self, file, text, fast=False)

        monkeypatch.setattr(FileChecker, "__init__", slow_init)
        full = load(root)
        monkeypatch.undo()
        assert fast.inventory is not None
        assert fast.inventory == full.inventory
        assert fast.diagnostics == full.diagnostics


def test_dates_and_freezes() -> None:
    value = {
        "start": dt.date(2027, 1, 4),
        "freeze": [{"from": dt.date(2027, 12, 18), "to": dt.date(2028, 1, 4)}],
    }
    fast_result, full, diagnostics = both(schema.PLANNING, value)
    assert diagnostics == [] and fast_result == full and fast_result is not None
