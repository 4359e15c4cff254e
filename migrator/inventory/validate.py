"""Checking one parsed file against the format, value by value, into model objects."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from typing import Any, Final

from migrator.diagnostics import (
    Diagnostic,
    KeyPath,
    Severity,
    Target,
    one_of,
    suggest,
    suggest_typo,
)
from migrator.inventory.fastcheck import fast_check
from migrator.inventory.model import Origin
from migrator.inventory.schema import FIRST_DATE, LAST_DATE, SLUG, Spec, bounds

_slug = SLUG.match

Accept = Callable[[Any], bool]


@functools.cache
def accepts(spec: Spec) -> Accept | None:
    """The test a correct value of ``spec`` passes as YAML gives it, taken as it is;
    ``None`` for the kinds that always need their full check. Each kind's check tries it
    first, and the map loop calls it directly: 10,000 applications mean about a million
    values, and a value it accepts costs one call and writes no diagnostics."""
    kind = spec.kind
    choices = frozenset(spec.choices)
    low, high = bounds(spec)
    if kind == "text":
        return lambda v: type(v) is str
    if kind == "enum":
        return lambda v: type(v) is str and v in choices
    if kind == "number":
        # NaN and the infinities fail the comparison: the full check says why.
        return lambda v: (type(v) is int or type(v) is float) and low <= v <= high
    if kind == "id":
        return lambda v: type(v) is str and _slug(v) is not None
    if kind == "bool":
        return lambda v: type(v) is bool
    items = spec.items.kind if spec.items is not None else None
    if kind == "list" and items == "text":
        return lambda v: type(v) is list and all(type(x) is str for x in v)
    if kind == "list" and items == "id":
        return lambda v: type(v) is list and all(type(x) is str and _slug(x) for x in v)
    return None  # int (whole floats become ints), dates, open enums, maps, other lists


def _accepted(spec: Spec, value: Any) -> bool:
    accept = accepts(spec)
    return accept is not None and accept(value)


# A map's field as its loop needs it: the model's attribute, the field, its acceptance test
# and whether an accepted value (a YAML list) becomes a tuple.
_Entry = tuple[str, Spec, Accept | None, bool]


@functools.cache
def _compile(spec: Spec) -> tuple[dict[object, _Entry], tuple[str, ...]]:
    """A map spec as a lookup table for its loop, and its required keys."""
    table: dict[object, _Entry] = {
        key: (field.attr or key, field, accepts(field), field.kind == "list")
        for key, field in spec.fields.items()
    }
    required = tuple(key for key, field in spec.fields.items() if field.required)
    return table, required


class _Invalid:
    """Marks a value that failed its check (``None`` is a valid "not given")."""


INVALID: Final = _Invalid()


def describe(value: object) -> str:
    """How a wrong value is named in a message: ``text 'four'``, ``a list``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text '{shown}'"
    if isinstance(value, int) and abs(value) >= 10**16:
        return f"the number {_number_text(value)}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _number_text(value: float) -> str:
    """A number as a message shows it: ``-4``, ``1e+308``; a 400-digit one shortened."""
    if isinstance(value, int) and abs(value) >= 10**16:
        digits, count = _leading_digits(abs(value))
        return f"{'-' if value < 0 else ''}{digits[0]}.{digits[1:4]}e+{count - 1}"
    if float(value).is_integer() and abs(value) < 10**16:
        return str(int(value))
    return f"{value:g}"


def _leading_digits(number: int) -> tuple[str, int]:
    """The first four digits of a positive integer of 16 digits or more, and how many it
    has, without writing it out: Python refuses to turn an integer of more than 4,300
    digits into text (YAML has no limit on how many a number may have)."""
    count = int(math.log10(number)) + 1
    while 10 ** (count - 1) > number:  # log10 rounds near a power of ten
        count -= 1
    while 10**count <= number:
        count += 1
    return str(number // 10 ** (count - 4)), count


def slug(text: str, fallback: str = "x") -> str:
    """A valid id made of ``text``: lower case, each run of other characters one '-'
    (``fallback`` when nothing is left)."""
    value = re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower())
    return re.sub(r"-{2,}", "-", value).strip("-._") or fallback


class FileChecker:
    """Checks the values of one file, collecting every problem rather than stopping."""

    def __init__(self, file: str, text: str, *, fast: bool = True) -> None:
        self.file = file
        self.text = text
        self.fast = fast  # try a map's generated accepting check first (``fastcheck``)
        self.diagnostics: list[Diagnostic] = []
        self._raw: dict[KeyPath, str] | None = None
        self._checks: dict[str, Callable[[Spec, Any, KeyPath], Any]] = {
            "text": self._text,
            "int": self._int,
            "number": self._number,
            "bool": self._bool,
            "date": self._date,
            "enum": self._enum,
            "open-enum": self._open_enum,
            "id": self._id,
            "list": self._list,
            "map": self._map,
            "any": self._any,
        }

    # -- reporting -------------------------------------------------------------------
    def report(
        self, severity: Severity, path: KeyPath, message: str, target: Target = "value"
    ) -> None:
        self.diagnostics.append(Diagnostic(severity, self.file, path, message, target))

    def error(self, path: KeyPath, message: str, target: Target = "value") -> None:
        self.report("error", path, message, target)

    def raw_text(self, path: KeyPath) -> str | None:
        """A scalar exactly as written: ``12.10`` stays "12.10", not the float 12.1."""
        if self._raw is None:
            from migrator.inventory.locate import all_scalars  # PyYAML: only when asked

            self._raw = all_scalars(self.text)
        return self._raw.get(path)

    # -- checking --------------------------------------------------------------------
    def check(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        return self._checks[spec.kind](spec, value, path)

    def _any(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        return value  # checked by its owner (a rule's condition)

    def _text(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, bool | int | float | dt.date):
            # Text written without quotes that YAML read as a number, boolean or date.
            raw = self.raw_text(path)
            if raw is not None:
                return raw
            if isinstance(value, dt.date):
                return value.isoformat()
            try:
                return str(value)
            except ValueError:  # an integer longer than Python writes out (from an alias)
                self.error(path, f"expected text, got {describe(value)}: quote it")
                return INVALID
        self.error(path, f"expected text, got {describe(value)}")
        return INVALID

    def _int(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"expected a whole number, got {describe(value)}")
            return INVALID
        return self._range(spec, value, path)

    def _number(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"expected a number, got {describe(value)}")
            return INVALID
        if isinstance(value, float) and not math.isfinite(value):
            self.error(path, f"expected a finite number, got {value}")
            return INVALID
        return self._range(spec, value, path)

    def _range(self, spec: Spec, value: float, path: KeyPath) -> Any:
        low, high = bounds(spec)
        if value < low:
            self.error(path, f"must be at least {_number_text(low)}, got {_number_text(value)}")
            return INVALID
        if value > high:
            self.error(path, f"must be at most {_number_text(high)}, got {_number_text(value)}")
            return INVALID
        return value

    def _bool(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        if _accepted(spec, value):
            return value
        hint = " (write true or false)" if isinstance(value, str) else ""
        self.error(path, f"expected true or false, got {describe(value)}{hint}")
        return INVALID

    def _date(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        if isinstance(value, dt.datetime):
            value = value.date()
        elif isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                self.error(path, f"'{value}' is not a valid date (write YYYY-MM-DD)")
                return INVALID
        elif not isinstance(value, dt.date):
            self.error(path, f"expected a date (YYYY-MM-DD), got {describe(value)}")
            return INVALID
        if not FIRST_DATE <= value <= LAST_DATE:
            self.error(
                path,
                f"{value.isoformat()} is out of range: dates must be between "
                f"{FIRST_DATE.isoformat()} and {LAST_DATE.isoformat()}",
            )
            return INVALID
        return value

    def _enum(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        if _accepted(spec, value):
            return value
        if isinstance(value, str):
            self.error(
                path,
                f"'{value}' is not one of {one_of(spec.choices)}{suggest(value, spec.choices)}",
            )
        else:
            self.error(path, f"expected one of {one_of(spec.choices)}, got {describe(value)}")
        return INVALID

    def _open_enum(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        text = self._text(spec, value, path)
        if isinstance(text, str) and text not in spec.choices:
            hint = suggest_typo(text, spec.choices)
            if hint:
                self.report("warning", path, f"unknown value '{text}'{hint}")
        return text

    def _id(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        # The inventory's ids enter the model here: the field of the model they fill says
        # which id each is (AppId, ServerId, DatabaseId: NewTypes of str, no conversion).
        if _accepted(spec, value):
            return value
        text = self._text(spec, value, path)
        if isinstance(text, str) and not SLUG.match(text):
            # Kept as written so that references to it still resolve: one error, not many.
            self.error(
                path,
                f"'{text}' is not a valid id: use lowercase letters, digits, "
                f"'.', '_' and '-', starting with a letter or digit "
                f"(e.g. '{slug(text)}')",
            )
        return text

    def _list(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        if _accepted(spec, value):
            return tuple(value)
        if not isinstance(value, list):
            hint = f" (write [{value}])" if isinstance(value, str) else ""
            self.error(path, f"expected a list, got {describe(value)}{hint}")
            return INVALID
        items = spec.items
        assert items is not None
        check = self._checks[items.kind]
        out = []
        # A map item written in its short form (``depends_on: [erp]``) is the common case.
        shorthand = items.shorthand if items.located and items.model is not None else None
        for index, item in enumerate(value):
            if item is None:
                self.error(path + (index,), "empty list item")
                continue
            if shorthand is not None and type(item) is str and _slug(item):
                assert items.model is not None
                out.append(
                    items.model(**{shorthand: item, "origin": Origin(self.file, path + (index,))})
                )
                continue
            result = check(items, item, path + (index,))
            if result is not INVALID:
                out.append(result)
        return tuple(out)

    def _map(self, spec: Spec, value: Any, path: KeyPath) -> Any:
        if type(value) is not dict:
            if spec.shorthand is not None and isinstance(value, str | int | float):
                value = {spec.shorthand: value}
            else:
                self.error(path, f"expected a mapping, got {describe(value)}")
                return INVALID
        fast = fast_check(spec) if self.fast else None
        if fast is not None:
            result = fast(value, self.file, path)
            if result is not None:
                return result
        table, required = _compile(spec)
        checks = self._checks
        out: dict[str, Any] = {}
        extensions: dict[str, Any] | None = None
        complete = True
        # A correct value is taken when its field's test accepts it; anything else goes to
        # the field's full check, which also writes the diagnostics.
        for key, item in value.items():
            entry = table.get(key)
            if entry is None:
                name = key if isinstance(key, str) else str(key)
                if name.startswith("x-"):
                    extensions = extensions or {}
                    extensions[name] = item
                else:
                    self.error(path + (name,), self.unknown_key(name, spec), target="key")
                continue
            if item is None:
                continue  # "key:" with nothing after it means "not given"
            attr, field, accept, as_tuple = entry
            if accept is not None and accept(item):
                out[attr] = tuple(item) if as_tuple else item
                continue
            result = checks[field.kind](field, item, path + (key,))
            if result is INVALID:
                complete = complete and not field.required
            else:
                out[attr] = result
        for name in required:
            if value.get(name) is None:
                self.error(path, f"missing required key '{name}'")
                complete = False
        if spec.model is None:
            return out
        if not complete:
            return INVALID
        if spec.located:
            out["origin"] = Origin(self.file, path)
        if spec.extensions:
            out["given"] = frozenset(key for key, item in value.items() if item is not None)
            if extensions:
                out["extensions"] = extensions
        return spec.model(**out)

    @staticmethod
    def unknown_key(name: str, spec: Spec) -> str:
        hint = suggest(name, list(spec.fields))
        if hint:
            return f"unknown key{hint}"
        return f"unknown key (known keys: {one_of(list(spec.fields))}; extensions start with 'x-')"
