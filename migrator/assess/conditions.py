"""Rule conditions as data: ``all``/``any``/``not`` of ``{attr, op, value}`` tests.

A condition is checked once, when its rules file is loaded (unknown attributes and
operators are located errors), and kept as a small tree of those tests. The engine turns
the trees of all the rules about one kind of subject into one Python function, which
reads each fact once and tests every rule in turn: ten times fewer calls than a closure
per test. Nothing in a rules file can run code: the function's text is put together from
the fixed templates below and numbered names only; every name, value and pattern from the
file is passed to it as a constant, never written into its text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import re2

from migrator.diagnostics import KeyPath, suggest
from migrator.inventory.schema import MAX_NUMBER
from migrator.inventory.validate import FileChecker, describe

Facts = Mapping[str, Any]
# A condition's tree: ("leaf", attr, op, value), ("not", node), ("all"|"any", (nodes, ...)).
Node = tuple[Any, ...]
_LIST = (tuple, list, frozenset, str)
_ITEMS = (tuple, list, frozenset)
MAX_DEPTH = 32  # nested all/any/not: far beyond any real rule, well within Python's parser
MAX_PATTERN_MEMORY = 8 << 20  # what RE2 may spend on one compiled pattern (its default)

# op name → whether it takes a value
OPERATORS: dict[str, bool] = {
    "eq": True,
    "ne": True,
    "in": True,
    "not_in": True,
    "contains": True,
    "not_contains": True,
    "contains_any": True,
    "gt": True,
    "gte": True,
    "lt": True,
    "lte": True,
    "before": True,
    "after": True,
    "matches": True,
    "exists": False,
    "missing": False,
    "is_true": False,
    "is_false": False,
}
_TODAY = re.compile(r"today(?:\s*([+-])\s*(\d+)\s*([dwmy]))?\Z")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
MAX_OFFSET_DAYS = 1000 * 365  # today±N: far beyond any support date, well inside the calendar

# Each operator as a Python expression of the fact {v} and the rule's value {k}. Numbers
# exclude booleans (true is not 1 here); dates compare only with dates; only lists (and
# text, for contains) contain anything.
_TEMPLATES: dict[str, str] = {
    "exists": "({v} is not None and {v} != () and {v} != '')",
    "missing": "({v} is None or {v} == () or {v} == '')",
    "is_true": "({v} is True)",
    "is_false": "({v} is False)",
    "eq": "({v} == {k})",
    "ne": "({v} is not None and {v} != {k})",
    "in": "({v} in {k})",
    "not_in": "({v} is not None and {v} not in {k})",
    "contains_any": "(not {k}.isdisjoint({v}) if isinstance({v}, _ITEMS) else "
    "(isinstance({v}, str) and _any_text({k}, {v})))",
    "contains": "(isinstance({v}, _LIST) and {k} in {v})",
    "not_contains": "(not isinstance({v}, _LIST) or {k} not in {v})",
    # contains a number or a boolean: only a list can (text holds only text)
    "contains_item": "(isinstance({v}, _ITEMS) and {k} in {v})",
    "not_contains_item": "(not isinstance({v}, _ITEMS) or {k} not in {v})",
    "gt": "(isinstance({v}, _NUMBER) and {v} is not True and {v} is not False and {v} > {k})",
    "gte": "(isinstance({v}, _NUMBER) and {v} is not True and {v} is not False and {v} >= {k})",
    "lt": "(isinstance({v}, _NUMBER) and {v} is not True and {v} is not False and {v} < {k})",
    "lte": "(isinstance({v}, _NUMBER) and {v} is not True and {v} is not False and {v} <= {k})",
    "before": "(isinstance({v}, _DATE) and {v} < {k})",
    "after": "(isinstance({v}, _DATE) and {v} > {k})",
    "matches": "_matches({k}, {v})",
}


def resolve_date(value: Any, today: dt.date) -> dt.date | None:
    """A date, or ``today``, ``today+90d``, ``today-1y``: relative to the assessment date."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _TODAY.match(value.strip())
        if match:
            if not match.group(1):
                return today
            digits = match.group(2)
            days = int(digits) * _DAYS[match.group(3)] if len(digits) <= 7 else MAX_OFFSET_DAYS + 1
            if days > MAX_OFFSET_DAYS:
                return None
            try:
                return today + dt.timedelta(days=days if match.group(1) == "+" else -days)
            except OverflowError:
                return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True, slots=True, eq=False)
class Condition:
    """A checked condition, as its tree. The engine tests the trees of all the rules about
    a subject together (``batch_test``); calling a condition tests it alone."""

    tree: Node

    def __call__(self, facts: Facts) -> bool:
        return bool(batch_test([self.tree])(facts))


def batch_test(trees: Sequence[Node]) -> Callable[[Facts], list[int]]:
    """One function that tests every tree on a subject's facts: the indexes that hold."""
    attrs: dict[str, str] = {}
    consts: dict[str, Any] = {
        "_NUMBER": (int, float),
        "_DATE": dt.date,
        "_LIST": _LIST,
        "_ITEMS": _ITEMS,
        "_matches": _matches,
        "_any_text": _any_text,
    }

    def attr(name: str) -> str:
        if name not in attrs:
            attrs[name] = f"a{len(attrs)}"
        return attrs[name]

    def const(value: Any) -> str:
        name = f"k{len(consts)}"
        consts[name] = value
        return name

    tests = [_source(tree, attr, const) for tree in trees]
    lines = ["def _batch(facts):", "    get = facts.get"]
    lines += [f"    {var} = get({const(name)})" for name, var in list(attrs.items())]
    lines.append("    found = []")
    for index, test in enumerate(tests):
        lines += [f"    if {test}:", f"        found.append({index})"]
    lines.append("    return found")
    namespace = dict(consts)
    exec(compile("\n".join(lines), "<rules>", "exec"), namespace)  # our own text: see above
    function: Callable[[Facts], list[int]] = namespace["_batch"]
    return function


def _source(node: Node, attr: Callable[[str], str], const: Callable[[Any], str]) -> str:
    kind = node[0]
    if kind == "not":
        return f"(not {_source(node[1], attr, const)})"
    if kind in ("all", "any"):
        joiner = " and " if kind == "all" else " or "
        return "(" + joiner.join(_source(item, attr, const) for item in node[1]) + ")"
    _, name, op, value = node
    return _TEMPLATES[op].format(v=attr(name), k=const(value) if OPERATORS.get(op, True) else "")


class ConditionCompiler:
    """Checks conditions of one rules file and compiles them; problems go to ``checker``."""

    def __init__(self, checker: FileChecker, attributes: Collection[str], today: dt.date) -> None:
        self.checker = checker
        self.attributes = attributes
        self.today = today
        self.used: set[str] = set()  # the attributes the compiled conditions read

    def compile(self, node: Any, path: KeyPath) -> Condition | None:
        tree = self._node(node, path, 0)
        return None if tree is None else Condition(tree)

    def _node(self, node: Any, path: KeyPath, depth: int) -> Node | None:
        if not isinstance(node, dict):
            self.checker.error(
                path,
                f"expected a condition (a mapping with all, any, not or "
                f"attr/op/value), got {describe(node)}",
            )
            return None
        combinators = [key for key in ("all", "any", "not") if key in node]
        if combinators:
            extra = sorted(set(node) - {combinators[0]})
            if len(combinators) > 1 or extra:
                also = ", ".join(map(str, extra or combinators[1:]))
                self.checker.error(
                    path, f"'{combinators[0]}' must be alone in its mapping (found also {also})"
                )
                return None
            key = combinators[0]
            if depth >= MAX_DEPTH:
                self.checker.error(
                    path,
                    f"conditions nest too deeply (more than {MAX_DEPTH} "
                    f"levels of all, any and not)",
                )
                return None
            if key == "not":
                inner = self._node(node[key], path + (key,), depth + 1)
                return None if inner is None else ("not", inner)
            return self._combine(key, node[key], path + (key,), depth + 1)
        return self._leaf(node, path)

    def _combine(self, key: str, items: Any, path: KeyPath, depth: int) -> Node | None:
        if not isinstance(items, list) or not items:
            self.checker.error(
                path, f"expected a non-empty list of conditions, got {describe(items)}"
            )
            return None
        trees = [self._node(item, path + (index,), depth) for index, item in enumerate(items)]
        if any(tree is None for tree in trees):
            return None
        if len(trees) == 1:
            return trees[0]
        return (key, tuple(trees))

    def _leaf(self, node: dict[Any, Any], path: KeyPath) -> Node | None:
        ok = True
        for key in node:
            if key not in ("attr", "op", "value"):
                hint = suggest(str(key), ["attr", "op", "value", "all", "any", "not"])
                self.checker.error(
                    path + (str(key),),
                    f"unknown key{hint}"
                    if hint
                    else "unknown key (a condition is attr, op and value; or all, any or not)",
                    target="key",
                )
                ok = False
        attr, op = node.get("attr"), node.get("op")
        if not isinstance(attr, str):
            self.checker.error(
                path + ("attr",) if "attr" in node else path,
                "missing required key 'attr'"
                if attr is None
                else f"expected an attribute name, got {describe(attr)}",
            )
            return None
        if attr not in self.attributes:
            self.checker.error(
                path + ("attr",),
                f"unknown attribute '{attr}'{suggest(attr, list(self.attributes))}",
            )
            ok = False
        if not isinstance(op, str) or op not in OPERATORS:
            where = path + ("op",) if "op" in node else path
            if op is None:
                self.checker.error(where, "missing required key 'op'")
            else:
                self.checker.error(
                    where,
                    f"'{op}' is not one of {', '.join(OPERATORS)}"
                    f"{suggest(str(op), list(OPERATORS))}",
                )
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

    def _test(self, attr: str, op: str, value: Any, path: KeyPath) -> Node | None:
        """The leaf with its value in the form the operator's template needs."""
        if not OPERATORS[op]:
            return ("leaf", attr, op, None)
        if op in ("in", "not_in", "contains_any"):
            if not isinstance(value, list):
                self.checker.error(path, f"operator '{op}' needs a list, got {describe(value)}")
                return None
            value = frozenset(v for v in value if isinstance(v, str | int | float | bool))
        elif op in ("contains", "not_contains"):
            if isinstance(value, bool | int | float) and not isinstance(value, str):
                op = f"{op}_item"
            elif not isinstance(value, str):
                hint = (
                    " (for any of several values, use contains_any)"
                    if isinstance(value, list)
                    else ""
                )
                self.checker.error(
                    path,
                    f"operator '{op}' needs one value (text or a number), "
                    f"got {describe(value)}{hint}",
                )
                return None
        elif op in ("gt", "gte", "lt", "lte"):
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not (-MAX_NUMBER <= value <= MAX_NUMBER)
            ):
                self.checker.error(
                    path,
                    f"operator '{op}' needs a number (finite, at most "
                    f"{MAX_NUMBER:g} either way), got {describe(value)}",
                )
                return None
        elif op in ("before", "after"):
            when = resolve_date(value, self.today)
            if when is None:
                relative = isinstance(value, str) and _TODAY.match(value.strip())
                self.checker.error(
                    path,
                    f"'{value}' is too far from today: at most "
                    f"{MAX_OFFSET_DAYS // 365} years either way"
                    if relative
                    else f"operator '{op}' needs a date (YYYY-MM-DD) or today, "
                    f"today+90d, today-1y; got {describe(value)}",
                )
                return None
            value = when
        elif op == "matches":
            if not isinstance(value, str):
                self.checker.error(
                    path, f"operator 'matches' needs a regular expression, got {describe(value)}"
                )
                return None
            pattern = compile_pattern(value)
            if isinstance(pattern, str):
                self.checker.error(path, pattern)
                return None
            value = pattern
        return ("leaf", attr, op, value)


class Pattern:
    """A ``matches`` pattern, run by RE2: time linear in the text, whatever the pattern.

    Python's own engine backtracks: ``^(a+)+$`` on 58 characters would take longer than
    the universe has existed. RE2 has no backreferences or look-arounds, which is what
    makes that guarantee possible; a pattern using them is refused where it is written.
    """

    __slots__ = ("_regexp", "text")

    def __init__(self, text: str, regexp: Any) -> None:
        self.text = text
        self._regexp = regexp

    def search(self, value: str) -> bool:
        return self._regexp.search(value) is not None

    def __repr__(self) -> str:
        return f"Pattern({self.text!r})"


def compile_pattern(text: str) -> Pattern | str:
    """The pattern, case-insensitive, or why it cannot be used."""
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would print to standard error; the error is ours
    options.max_mem = MAX_PATTERN_MEMORY
    try:
        return Pattern(text, re2.compile(text, options))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        unsupported = str(reason).startswith(("invalid perl operator", "invalid escape"))
        return f"invalid regular expression: {reason}" + (
            " (patterns use RE2 syntax: no backreferences or look-arounds)" if unsupported else ""
        )


def _any_text(values: frozenset[Any], text: str) -> bool:
    """contains_any on a text fact: any of the values (text ones) is part of it."""
    return any(isinstance(value, str) and value in text for value in values)


def _matches(pattern: Pattern, value: Any) -> bool:
    if isinstance(value, str):
        return pattern.search(value)
    if isinstance(value, tuple | list):
        return any(isinstance(v, str) and pattern.search(v) for v in value)
    return False
