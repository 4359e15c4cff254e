"""The check of a correct map, generated once for each map of the format.

A 10,000-application inventory holds about 150,000 maps and a million values. The full
check (``validate.FileChecker``) walks a map key by key through a table of fields, calls a
test for each value and gathers the model's arguments in a dictionary: about a second of
interpreter work, as much as parsing the files. Nearly every map of a real inventory is
correct, so each map spec also gets a function, written out as Python source for that
spec alone (its keys, its bounds, its nested maps inlined as calls), which only *accepts*:
it builds the model object when every value is one the full check takes as it is, and
returns ``None`` at the first value it is not sure of. The full check then runs from the
start and writes the diagnostics. A fast result is therefore always the full check's
result (``tests/inventory/test_fastcheck.py`` holds the two side by side on random maps);
what the fast path cannot prove costs one extra, partial pass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from migrator.diagnostics import KeyPath, suggest_typo
from migrator.inventory.model import Origin
from migrator.inventory.schema import FIRST_DATE, LAST_DATE, SLUG, Spec, bounds

# value, file, the map's key path (None when nothing below it records where it was written)
Fast = Callable[[dict[Any, Any], str, KeyPath | None], Any]


@functools.cache
def fast_check(spec: Spec) -> Fast | None:
    """The accepting check of a map spec that builds a model; ``None`` for other specs."""
    if spec.kind != "map" or spec.model is None or not dataclasses.is_dataclass(spec.model):
        return None
    writer = _Writer()
    name = writer.function(spec)
    namespace = writer.namespace
    exec(
        compile("\n".join(writer.lines), f"<fast check of {spec.model.__name__}>", "exec"),
        namespace,
    )
    check: Fast = namespace[name]
    return check


def needs_path(spec: Spec) -> bool:
    """Whether the model of ``spec`` or of anything below it records its key path."""
    if spec.located:
        return True
    if spec.items is not None and needs_path(spec.items):
        return True
    return any(needs_path(field) for field in spec.fields.values())


class _Writer:
    """Writes one function per map spec into ``lines``, its constants into ``namespace``."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {"Origin": Origin, "date": dt.date, "_given": {}}
        self.names: dict[int, str] = {}  # id(spec) → its function

    def constant(self, value: object) -> str:
        name = f"_c{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def function(self, spec: Spec) -> str:
        known = self.names.get(id(spec))
        if known is not None:
            return known
        assert spec.model is not None
        name = f"_fast_{len(self.names)}_{spec.model.__name__}"
        self.names[id(spec)] = name
        keys = self.constant(frozenset(spec.fields))
        # Keys outside the format: ``x-`` ones are kept (or, where the model keeps none,
        # passed over) as the full check does; any other is its error to report.
        if spec.extensions:
            body = [
                "    extensions = None",
                f"    if not value.keys() <= {keys}:",
                "        extensions = {}",
                "        for key, item in value.items():",
                f"            if key not in {keys}:",
                "                if type(key) is not str or not key.startswith('x-'):",
                "                    return None",
                "                extensions[key] = item",
            ]
        else:
            body = [
                f"    if not value.keys() <= {keys}:",
                "        for key in value:",
                f"            if key not in {keys}:",
                "                if type(key) is not str or not key.startswith('x-'):",
                "                    return None",
            ]
        fields = {field.attr or key: (key, field) for key, field in spec.fields.items()}
        arguments: list[str] = []
        for index, model_field in enumerate(dataclasses.fields(spec.model)):
            if model_field.kw_only or not model_field.init:
                raise TypeError(f"{spec.model.__name__}.{model_field.name}: not a positional field")
            var = f"v{index}"
            arguments.append(var)
            if model_field.name in fields:
                key, field = fields[model_field.name]
                default = "" if field.required else self._default(model_field)
                missing = (
                    "return None"
                    if field.required
                    else ("pass" if default == "None" else f"{var} = {default}")
                )
                body += [
                    f"    {var} = value.get({key!r})",
                    f"    if {var} is None:",
                    f"        {missing}",
                ]
                body += ["    " + line for line in self._value(field, var, key)]
            elif model_field.name == "origin" and spec.located:
                body += [f"    {var} = Origin(file, path)"]
            elif model_field.name == "given" and spec.extensions:
                body += self._given(var)
            elif model_field.name == "extensions" and spec.extensions:
                body += [f"    {var} = extensions or {self._default(model_field)}"]
            else:
                body += [f"    {var} = {self._default(model_field)}"]
        model = self.constant(spec.model)
        body += [f"    return {model}({', '.join(arguments)})"]
        self.lines += [f"def {name}(value, file, path):", *body, ""]
        return name

    def _given(self, var: str) -> list[str]:
        # The keys written with a value, one frozenset per distinct list of keys (the
        # full check builds the same set from the same keys in the same order).
        return [
            "    names = tuple(value)",
            f"    {var} = _given.get(names)",
            f"    if {var} is None or None in value.values():",
            f"        {var} = frozenset(key for key, item in value.items() if item is not None)",
            "        if None not in value.values():",
            "            if len(_given) >= 4096:",
            "                _given.clear()",
            f"            _given[names] = {var}",
        ]

    def _default(self, model_field: dataclasses.Field[Any]) -> str:
        default = model_field.default
        if default is None or type(default) is bool:
            return repr(default)
        if default is not dataclasses.MISSING:
            return self.constant(default)
        if model_field.default_factory is not dataclasses.MISSING:
            return self.constant(model_field.default_factory) + "()"
        raise TypeError(f"{model_field.name} has no default")

    def _value(self, spec: Spec, var: str, key: str) -> list[str]:
        """The branches after ``if var is None`` that leave ``var`` as the model's value,
        or return None."""
        test = self._scalar(spec, var)
        if test is not None:
            return [f"elif not ({test}):", "    return None"]
        if spec.kind == "map" and spec.model is not None:
            return [
                f"elif type({var}) is dict:",
                f"    {var} = {self._call(spec, var, f'({key!r},)')}",
                f"    if {var} is None:",
                "        return None",
                "else:",
                "    return None",
            ]
        if spec.kind == "list" and spec.items is not None:
            return self._list(spec.items, var, key)
        return ["else:", "    return None"]  # a kind this path leaves to the full check

    def _call(self, spec: Spec, var: str, below: str) -> str:
        path = f"path + {below}" if needs_path(spec) else "None"
        return f"{self.function(spec)}({var}, file, {path})"

    def _list(self, items: Spec, var: str, key: str) -> list[str]:
        head = [f"elif type({var}) is not list:", "    return None", "else:"]
        test = self._scalar(items, "x")
        if test is not None:
            return head + [
                f"    for x in {var}:",
                f"        if not ({test}):",
                "            return None",
                f"    {var} = tuple({var})",
            ]
        if items.kind != "map" or items.model is None:
            return ["else:", "    return None"]
        lines = head + [
            "    out = []",
            f"    for i, x in enumerate({var}):",
            "        if type(x) is dict:",
            f"            x = {self._call(items, 'x', f'({key!r}, i)')}",
            "            if x is None:",
            "                return None",
        ]
        if items.shorthand is not None and items.located:
            # As the full check takes a list item written as a bare id (``depends_on: [erp]``).
            model, slug = self.constant(items.model), self.constant(SLUG.match)
            lines += [
                f"        elif type(x) is str and {slug}(x):",
                f"            x = {model}({items.shorthand}=x, origin=Origin(file, path + ({key!r}, i)))",
            ]
        lines += [
            "        else:",
            "            return None",
            "        out.append(x)",
            f"    {var} = tuple(out)",
        ]
        return lines

    def _scalar(self, spec: Spec, var: str) -> str | None:
        """A test the values the full check takes as they are pass, for scalar kinds."""
        kind = spec.kind
        if kind == "text":
            return f"type({var}) is str"
        choices = self.constant(frozenset(spec.choices))
        if kind == "enum":
            return f"type({var}) is str and {var} in {choices}"
        if kind == "open-enum":
            quiet = self.constant(_quiet(spec.choices))
            return f"type({var}) is str and ({var} in {choices} or {quiet}({var}))"
        if kind == "id":
            return f"type({var}) is str and {self.constant(SLUG.match)}({var}) is not None"
        if kind == "bool":
            return f"type({var}) is bool"
        if kind == "any":
            return "True"
        if kind in ("number", "int"):
            low, high = (self.constant(bound) for bound in bounds(spec))
            types = f"type({var}) is int" + (
                f" or type({var}) is float" if kind == "number" else ""
            )
            return f"({types}) and {low} <= {var} <= {high}"
        if kind == "date":
            first, last = self.constant(FIRST_DATE), self.constant(LAST_DATE)
            return f"type({var}) is date and {first} <= {var} <= {last}"
        return None


def _quiet(choices: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether the full check takes a value of an open vocabulary outside ``choices``
    without a word: when it is no likely typo of a known one. Real inventories repeat
    such values (an engine feature the format does not list), so each is tried once."""

    @functools.lru_cache(maxsize=4096)
    def quiet(value: str) -> bool:
        return not suggest_typo(value, choices)

    return quiet
