"""The sandbox templates run in: data they cannot change, and work and values with limits.

Jinja's sandbox already refuses Python's internals; a template shared with others (a
``--templates`` directory in a repository) must also not be able to hang migrator or
fill its memory. Every loop, filter and call is counted against one budget per render;
the operators and methods that make large values from small ones (``**``, ``*``, ``%``
widths, ``center``, ``replace``…) check the size of what they would make before making
it; the output is counted as it is written.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from migrator.render import escape

MAX_WORK = 5_000_000  # steps in one render (loop iterations, items filtered, calls) …
WORK_PER_APPLICATION = 200  # … and this many more per application of the plan
CALL_WORK = 50  # a call (a macro, a method) is worth this many steps
MAX_TEXT = 16 * 2**20  # characters in one value a template makes
MAX_ITEMS = 1_000_000  # items in one list a template makes
MAX_INT_BITS = 100_000  # about 30,000 decimal digits
MAX_WIDTH = 10_000  # a field width or padding
MAX_OUTPUT = 512 * 2**20  # characters a template writes


class TemplateLimitError(SecurityError):
    """A template went past one of the limits above."""


class _CountingCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every ``for`` loop's iterable counted first (by
    ``environment.loop_items``: Jinja has no hook for loops, and no custom nodes)."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        counted = nodes.Call(
            nodes.EnvironmentAttribute("loop_items"),
            [node.iter],
            [],
            None,
            None,
            lineno=node.iter.lineno,
        )
        loop = nodes.For(
            node.target,
            counted,
            node.body,
            node.else_,
            node.test,
            node.recursive,
            lineno=node.lineno,
        )
        loop.set_environment(self.environment)
        super().visit_For(loop, frame)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        # Autoescaped output through escape.html, which leaves text without a special
        # character (and numbers) as it is: markupsafe would wrap each in Markup first.
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_html(")
            if finalize.src is not None:
                self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)


_COLLECTIONS = frozenset({list, tuple, dict, set, frozenset, range})


def _cost(value: object) -> int:
    """The work a filter does on ``value``: an item of a collection, or 256 characters of
    text (what a filter does on text runs at C speed), is one step."""
    if isinstance(value, str):
        return 1 + len(value) // 256
    if isinstance(value, (list, tuple, dict, set, frozenset, range)):
        return 1 + len(value)
    return 1


def _check_text(length: int, what: str) -> None:
    if length > MAX_TEXT:
        raise TemplateLimitError(
            f"{what} would make {length:,} characters (at most {MAX_TEXT:,} in one value)"
        )


def _check_items(count: int, what: str) -> None:
    if count > MAX_ITEMS:
        raise TemplateLimitError(
            f"{what} would make {count:,} items (at most {MAX_ITEMS:,} in one list)"
        )


def _check_width(width: object, what: str) -> None:
    if isinstance(width, int) and abs(width) > MAX_WIDTH:
        raise TemplateLimitError(f"{what}: width {width:,} is over {MAX_WIDTH:,}")
    if isinstance(width, str):
        _check_text(len(width), what)


def _check_value(value: object, what: str) -> None:
    """A value a template passes on (to a macro, into a namespace) is not too large."""
    if isinstance(value, str):
        _check_text(len(value), what)
    elif isinstance(value, (list, tuple, dict, set, frozenset)):
        _check_items(len(value), what)
    elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimitError(f"{what}: a number of more than {MAX_INT_BITS:,} bits")


def _check_power(base: object, exponent: object) -> None:
    if (
        isinstance(base, int)
        and isinstance(exponent, int)
        and exponent > 0
        and abs(base) > 1
        and base.bit_length() * exponent > MAX_INT_BITS
    ):
        raise TemplateLimitError(
            f"{base} ** {exponent} is too large a number (more than {MAX_INT_BITS:,} bits)"
        )


def _check_product(left: object, right: object) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise TemplateLimitError(f"a product of more than {MAX_INT_BITS:,} bits")
        return
    times, sequence = (left, right) if isinstance(left, int) else (right, left)
    if not isinstance(times, int):
        return
    if isinstance(sequence, str):
        _check_text(len(sequence) * times, "'*'")
    elif isinstance(sequence, (list, tuple)):
        _check_items(len(sequence) * times, "'*'")


def _check_sum(left: object, right: object) -> None:
    if isinstance(left, str) and isinstance(right, str):
        _check_text(len(left) + len(right), "'+'")
    elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        _check_items(len(left) + len(right), "'+'")


# printf-style conversions: flags, then a width and a precision (or * to take them from
# the arguments, which this refuses: the width would not be seen here).
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")
# A format spec's width and precision: [[fill]align][sign][z][#][0][width][,_][.precision]
_FORMAT_SPEC = re.compile(r"(?:.?[<>=^])?[+\- ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?")


def _check_printf(template: str, what: str) -> None:
    for width, precision in _PRINTF.findall(template):
        for part in (width, precision):
            if part == "*":
                raise TemplateLimitError(f"{what}: a width taken from the arguments ('*')")
            if part and int(part) > MAX_WIDTH:
                raise TemplateLimitError(f"{what}: width {int(part):,} is over {MAX_WIDTH:,}")


def _check_format(template: str) -> None:
    for _, field, spec, _ in string.Formatter().parse(template):
        if field is None or not spec:
            continue
        if "{" in spec:
            raise TemplateLimitError("format(): a width taken from the arguments")
        match = _FORMAT_SPEC.match(spec)
        for part in match.groups() if match else ():
            if part and int(part) > MAX_WIDTH:
                raise TemplateLimitError(f"format(): width {int(part):,} is over {MAX_WIDTH:,}")


def _check_replace(text: object, old: object, new: object, count: object = None) -> None:
    text, old, new = str(text), str(old), str(new)
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    _check_text(len(text) + hits * len(new), "replace")


def _check_str_method(
    method: str, text: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """Checks for the methods of text that make more than they are given."""
    values = list(args) + list(kwargs.values())
    if method in ("center", "ljust", "rjust", "zfill") and values:
        _check_width(values[0], method)
    elif method == "expandtabs":
        size = values[0] if values else 8
        if isinstance(size, int):
            _check_text(len(text) + text.count("\t") * size, method)
    elif method == "replace" and len(values) >= 2:
        _check_replace(text, *values[:3])
    elif method == "join" and values and isinstance(values[0], (list, tuple, range)):
        _check_text(len(text) * len(values[0]), method)


# Filters that make more than they are given, and what their arguments may be.
def _filter_center(value: object, width: object = 80) -> None:
    _check_width(width, "center")


def _filter_indent(value: object, width: object = 4, *args: object, **kwargs: object) -> None:
    _check_width(width, "indent")
    if isinstance(width, int):
        text = str(value)
        _check_text(len(text) + (text.count("\n") + 1) * max(width, 0), "indent")


def _filter_join(value: object, d: object = "", *args: object, **kwargs: object) -> None:
    if isinstance(value, (list, tuple, set, frozenset, dict, range, str)):
        _check_text(len(str(d)) * len(value), "join")


def _filter_format(value: object, *args: object, **kwargs: object) -> None:
    _check_printf(str(value), "format")


def _filter_wordwrap(
    value: object,
    width: object = 79,
    break_long_words: object = True,
    wrapstring: object = None,
    *args: object,
    **kwargs: object,
) -> None:
    wrap = str(wrapstring if wrapstring is not None else kwargs.get("wrapstring", "\n"))
    if isinstance(width, int):
        _check_text(len(str(value)) // max(width, 1) * len(wrap), "wordwrap")


def _filter_batch(value: object, linecount: object, fill_with: object = None) -> None:
    if isinstance(linecount, int):
        _check_items(linecount, "batch")


def _filter_slice(value: object, slices: object, fill_with: object = None) -> None:
    if isinstance(slices, int):
        _check_items(slices, "slice")


def _filter_sum(value: object, attribute: object = None, start: object = 0) -> None:
    if not isinstance(start, (int, float)):
        raise TemplateLimitError("sum: only numbers can be summed")


def _filter_replace(value: object, old: object, new: object, count: object = None) -> None:
    _check_replace(value, old, new, count)


_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _filter_center,
    "indent": _filter_indent,
    "join": _filter_join,
    "format": _filter_format,
    "wordwrap": _filter_wordwrap,
    "batch": _filter_batch,
    "slice": _filter_slice,
    "sum": _filter_sum,
    "replace": _filter_replace,
}


class BoundedNamespace(Namespace):
    """``namespace()``, whose values (``{% set ns.x = ... %}``) are checked for size."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_value(value, f"namespace value '{name}'")
        super().__setitem__(name, value)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox (no ``list.append``, no ``dict.clear`` on the plan's data),
    with the limits of this module. An environment counts one render at a time."""

    code_generator_class = _CountingCodeGenerator
    intercepted_binops = frozenset({"**", "*", "+", "%"})
    escape_html = staticmethod(escape.html)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.work = self.allowed = MAX_WORK
        self.globals["range"] = self._range
        self.globals["namespace"] = BoundedNamespace
        self.globals.pop("lipsum", None)  # lipsum(n) writes n paragraphs

    def add_filters(self, filters: dict[str, Callable[..., Any]]) -> None:
        self.filters.update(filters)
        self.filters = {name: self._bounded(name, f) for name, f in self.filters.items()}

    def allow(self, applications: int) -> None:
        """Set the budget of the next render, for a plan of this many applications."""
        self.work = self.allowed = MAX_WORK + WORK_PER_APPLICATION * applications

    def charge(self, units: int) -> None:
        self.work -= units
        if self.work < 0:
            raise TemplateLimitError(
                f"the template did more than {self.allowed:,} steps (loop iterations, items "
                f"filtered, calls): a loop inside a loop over the whole plan, or a macro "
                f"that calls itself?"
            )

    def loop_items(self, iterable: Any) -> Any:
        try:
            items = len(iterable)
        except TypeError:  # an iterator: counted as it goes
            return self._counting(iterable)
        self.charge(items)
        return iterable

    def _counting(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.charge(1)
            yield item

    def _range(self, *args: int) -> range:
        items = range(*args)
        _check_items(len(items), "range")
        return items  # counted where it is used: by a loop or a filter

    def _bounded(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        if getattr(function, "_migrator_bounded", False):
            return function
        skip = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0
        check = _FILTER_CHECKS.get(name)
        env = self

        @functools.wraps(function)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            # Filters run a million times in a large plan: the common cases inline.
            value: Any = args[skip] if len(args) > skip else None
            kind = type(value)
            env.work -= (
                1 + len(value) // 256
                if kind is str
                else 1 + len(value)
                if kind in _COLLECTIONS
                else _cost(value)
            )
            if env.work < 0:
                env.charge(0)
            if check is not None:
                check(*args[skip:], **kwargs)
            return function(*args, **kwargs)

        bounded._migrator_bounded = True  # type: ignore[attr-defined]
        return bounded

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        elif operator == "+":
            _check_sum(left, right)
        elif isinstance(left, str):  # '%': formatting, not a remainder
            _check_printf(left, "'%'")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(__obj, "__func__", None) is BoundedSandbox.loop_items:
            return __obj(*args)
        __self.charge(CALL_WORK)
        for value in (*args, *kwargs.values()):
            _check_value(value, "an argument")
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            _check_str_method(getattr(__obj, "__name__", ""), owner, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is not None:
            _check_format(value.__self__)
        return wrapper


def render(template: Template, context: dict[str, Any]) -> str:
    """``template`` rendered with ``context``, its output counted as it is written.

    What ``Template.generate`` does, without its generator around each piece of output
    (two million of them in a large report); errors get their template lines as there.
    """
    try:
        return collect(template.root_render_func(template.new_context(context)))
    except Exception:
        template.environment.handle_exception()
        raise  # handle_exception raises; this keeps the type checker informed


def collect(parts: Iterable[str]) -> str:
    """A template's output, joined, and refused once it is larger than MAX_OUTPUT."""
    out: list[str] = []
    append, size, limit = out.append, 0, MAX_OUTPUT
    for part in parts:
        size += len(part)
        if size > limit:
            raise TemplateLimitError(f"the template wrote more than {limit:,} characters")
        append(part)
    return "".join(out)
