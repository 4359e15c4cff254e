"""Rule conditions as data: ``all``/``any``/``not`` of ``{attr, op, value}`` tests.

A condition is checked once, when its rules file is loaded (unknown attributes and
operators are located errors), and compiled into a plain Python function of a subject's
facts. Nothing in a rules file can run code: the operators are a fixed list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from migrator.diagnostics import KeyPath, suggest
from migrator.inventory.validate import FileChecker, describe

Facts = Mapping[str, Any]
Test = Callable[[Facts], bool]

# op name → whether it takes a value
OPERATORS: dict[str, bool] = {
    "eq": True, "ne": True, "in": True, "not_in": True,
    "contains": True, "not_contains": True, "contains_any": True,
    "gt": True, "gte": True, "lt": True, "lte": True,
    "before": True, "after": True, "matches": True,
    "exists": False, "missing": False, "is_true": False, "is_false": False,
}
_TODAY = re.compile(r"today(?:\s*([+-])\s*(\d+)\s*([dwmy]))?\Z")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def resolve_date(value: Any, today: dt.date) -> dt.date | None:
    """A date, or ``today``, ``today+90d``, ``today-1y``: relative to the assessment date."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _TODAY.match(value.strip())
        if match:
            if not match.group(1):
                return today
            days = int(match.group(2)) * _DAYS[match.group(3)]
            return today + dt.timedelta(days=days if match.group(1) == "+" else -days)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class ConditionCompiler:
    """Checks conditions of one rules file and compiles them; problems go to ``checker``."""

    def __init__(self, checker: FileChecker, attributes: Collection[str], today: dt.date) -> None:
        self.checker = checker
        self.attributes = attributes
        self.today = today
        self.used: set[str] = set()  # the attributes the compiled conditions read

    def compile(self, node: Any, path: KeyPath) -> Test | None:
        if not isinstance(node, dict):
            self.checker.error(path, f"expected a condition (a mapping with all, any, not or "
                                     f"attr/op/value), got {describe(node)}")
            return None
        combinators = [key for key in ("all", "any", "not") if key in node]
        if combinators:
            extra = sorted(set(node) - {combinators[0]})
            if len(combinators) > 1 or extra:
                also = ", ".join(map(str, extra or combinators[1:]))
                self.checker.error(path, f"'{combinators[0]}' must be alone in its mapping "
                                         f"(found also {also})")
                return None
            key = combinators[0]
            if key == "not":
                inner = self.compile(node[key], path + (key,))
                return None if inner is None else (lambda facts: not inner(facts))
            return self._combine(key, node[key], path + (key,))
        return self._leaf(node, path)

    def _combine(self, key: str, items: Any, path: KeyPath) -> Test | None:
        if not isinstance(items, list) or not items:
            self.checker.error(path, f"expected a non-empty list of conditions, got "
                                     f"{describe(items)}")
            return None
        tests = [self.compile(item, path + (index,)) for index, item in enumerate(items)]
        if any(test is None for test in tests):
            return None
        compiled = tuple(t for t in tests if t is not None)
        if len(compiled) == 1:
            return compiled[0]
        if key == "all":
            return lambda facts: all(test(facts) for test in compiled)
        return lambda facts: any(test(facts) for test in compiled)

    def _leaf(self, node: dict[Any, Any], path: KeyPath) -> Test | None:
        ok = True
        for key in node:
            if key not in ("attr", "op", "value"):
                hint = suggest(str(key), ["attr", "op", "value", "all", "any", "not"])
                self.checker.error(path + (str(key),), f"unknown key{hint}" if hint else
                                   "unknown key (a condition is attr, op and value; or all, "
                                   "any or not)", target="key")
                ok = False
        attr, op = node.get("attr"), node.get("op")
        if not isinstance(attr, str):
            self.checker.error(path + ("attr",) if "attr" in node else path,
                               "missing required key 'attr'" if attr is None else
                               f"expected an attribute name, got {describe(attr)}")
            return None
        if attr not in self.attributes:
            self.checker.error(path + ("attr",), f"unknown attribute '{attr}'"
                                                 f"{suggest(attr, list(self.attributes))}")
            ok = False
        if not isinstance(op, str) or op not in OPERATORS:
            where = path + ("op",) if "op" in node else path
            if op is None:
                self.checker.error(where, "missing required key 'op'")
            else:
                self.checker.error(where, f"'{op}' is not one of {', '.join(OPERATORS)}"
                                          f"{suggest(str(op), list(OPERATORS))}")
            return None
        takes_value = OPERATORS[op]
        if takes_value and "value" not in node:
            self.checker.error(path, f"operator '{op}' needs a 'value'")
            return None
        if not takes_value and "value" in node:
            self.checker.error(path + ("value",), f"operator '{op}' takes no value")
            return None
        if not ok:
            return None
        self.used.add(attr)
        return self._test(attr, op, node.get("value"), path + ("value",))

    def _test(self, attr: str, op: str, value: Any, path: KeyPath) -> Test | None:
        get = _getter(attr)
        if op == "exists":
            return lambda facts: _present(get(facts))
        if op == "missing":
            return lambda facts: not _present(get(facts))
        if op == "is_true":
            return lambda facts: get(facts) is True
        if op == "is_false":
            return lambda facts: get(facts) is False
        if op in ("eq", "ne"):
            if op == "eq":
                return lambda facts: get(facts) == value
            return lambda facts: (v := get(facts)) is not None and v != value
        if op in ("in", "not_in", "contains_any"):
            if not isinstance(value, list):
                self.checker.error(path, f"operator '{op}' needs a list, got {describe(value)}")
                return None
            choices = frozenset(v for v in value if isinstance(v, str | int | float | bool))
            if op == "in":
                return lambda facts: get(facts) in choices
            if op == "not_in":
                return lambda facts: (v := get(facts)) is not None and v not in choices
            return lambda facts: bool(choices.intersection(get(facts) or ()))
        if op in ("contains", "not_contains"):
            if op == "contains":
                return lambda facts: value in (get(facts) or ())
            return lambda facts: value not in (get(facts) or ())
        if op in ("gt", "gte", "lt", "lte"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.checker.error(path, f"operator '{op}' needs a number, got "
                                         f"{describe(value)}")
                return None
            return _compare(get, op, value)
        if op in ("before", "after"):
            when = resolve_date(value, self.today)
            if when is None:
                self.checker.error(path, f"operator '{op}' needs a date (YYYY-MM-DD) or today, "
                                         f"today+90d, today-1y; got {describe(value)}")
                return None
            if op == "before":
                return lambda facts: isinstance(d := get(facts), dt.date) and d < when
            return lambda facts: isinstance(d := get(facts), dt.date) and d > when
        # matches
        if not isinstance(value, str):
            self.checker.error(path, f"operator 'matches' needs a regular expression, got "
                                     f"{describe(value)}")
            return None
        try:
            pattern = re.compile(value, re.IGNORECASE)
        except re.error as exc:
            self.checker.error(path, f"invalid regular expression: {exc}")
            return None
        return lambda facts: _matches(pattern, get(facts))


def _getter(attr: str) -> Callable[[Facts], Any]:
    def get(facts: Facts) -> Any:
        return facts.get(attr)

    return get


def _present(value: Any) -> bool:
    return value is not None and value != () and value != ""


def _compare(get: Callable[[Facts], Any], op: str, limit: float) -> Test:
    def number(facts: Facts) -> float | None:
        value = get(facts)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    if op == "gt":
        return lambda facts: (v := number(facts)) is not None and v > limit
    if op == "gte":
        return lambda facts: (v := number(facts)) is not None and v >= limit
    if op == "lt":
        return lambda facts: (v := number(facts)) is not None and v < limit
    return lambda facts: (v := number(facts)) is not None and v <= limit


def _matches(pattern: re.Pattern[str], value: Any) -> bool:
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, tuple | list):
        return any(isinstance(v, str) and pattern.search(v) is not None for v in value)
    return False
