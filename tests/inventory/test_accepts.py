"""The quick test a map takes its values by agrees with each kind's full check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from migrator.inventory.schema import TOP, Spec
from migrator.inventory.validate import INVALID, FileChecker, accepts

VALUES: list[Any] = [
    "lims",
    "LIMS app",
    "",
    "-x",
    "a.b_c-1",
    0,
    7,
    -3,
    2.5,
    1e16,
    -1e16,
    float("nan"),
    float("inf"),
    True,
    False,
    None,
    dt.date(2027, 1, 1),
    [],
    ["a", "b"],
    ["Not An Id"],
    ["a", None],
    ["a", 1],
    {"id": "a"},
]


def specs(spec: Spec) -> Iterator[Spec]:
    yield spec
    if spec.items is not None:
        yield from specs(spec.items)
    for field in spec.fields.values():
        yield from specs(field)


def every_spec() -> list[Spec]:
    seen: dict[int, Spec] = {}
    for spec in specs(TOP):
        seen.setdefault(id(spec), spec)
    return list(seen.values())


def test_an_accepted_value_passes_its_full_check_unchanged() -> None:
    tested = set()
    for spec in every_spec():
        accept = accepts(spec)
        if accept is None:
            continue
        for value in [*VALUES, *spec.choices[:2]]:
            checker = FileChecker("i.yaml", "")
            if not accept(value):
                continue
            result = checker.check(spec, value, ("x",))
            expected = tuple(value) if isinstance(value, list) else value
            assert result == expected and type(result) is type(expected), (spec.kind, value)
            assert checker.diagnostics == [], (spec.kind, value)
            tested.add(spec.kind)
    assert tested >= {"text", "enum", "number", "id", "bool", "list"}


def test_a_value_the_full_check_rejects_is_never_accepted() -> None:
    for spec in every_spec():
        accept = accepts(spec)
        if accept is None:
            continue
        for value in [*VALUES, *spec.choices[:2], [*spec.choices[:1], "no-such-choice"]]:
            if value is None:
                continue  # "key:" with nothing after it: the map skips it
            checker = FileChecker("i.yaml", "")
            result = checker.check(spec, value, ("x",))
            errors = [d for d in checker.diagnostics if d.severity == "error"]
            if result is INVALID or errors:
                assert not accept(value), (spec.kind, spec.choices, value)
