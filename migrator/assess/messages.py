"""Finding messages: a rule's text with ``{fact.name}`` replaced by the fact's value."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\{([a-z_]+\.[a-z_]+)\}")


def render(template: str, facts: Mapping[str, Any]) -> str:
    """Replace ``{fact.name}`` by the fact's value; nothing else in a message is evaluated."""
    literal, parts = _split(template)
    if not parts:
        return literal
    out = [literal]
    for name, text in parts:
        value = facts.get(name)
        out.append(value if type(value) is str else show(value))
        out.append(text)
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _split(template: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A message as its leading text and (fact, text after it) pairs, split once."""
    pieces = _PLACEHOLDER.split(template)
    return pieces[0], tuple(zip(pieces[1::2], pieces[2::2], strict=True))


def show(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ", ".join(show(v) for v in value) if value else "none"
    return str(value)
