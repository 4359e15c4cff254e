"""Editing a YAML file in place: values replaced, keys and items added, the rest kept as is.

A re-import changes a few fields of many servers. Loading and dumping the whole file with
a round-trip library took 2 ms a server (36 s for 20,000) and reformatted what it did not
understand; here the file is read once as events (libyaml), each edit is a span of text
replaced, and every byte not edited, comments and layout included, stays as it was.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Text written without quotes only when every YAML reader (1.1 and 1.2) takes it as text.
# Plain (unquoted) only from a letter: yaml-rs reads "_0" or "_1.5" as numbers (digits
# may be grouped by underscores in YAML 1.2 readers), PyYAML as text.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_./()+@-]*(?: [A-Za-z0-9_./()+@-]+)*\Z")
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"})
# A key written "key: value" may be at most 1024 characters long (YAML 1.2, sections 7.4
# and 8.2.2; yaml-rs and PyYAML refuse a longer one); past this, with room for what the
# limit counts beside the key, it is written "? key" then ": value", which has no limit.
_LONGEST_KEY = 1000


@dataclass(eq=False)
class Node:
    """A node of the file, with where its text is (character offsets)."""

    kind: Literal["scalar", "alias", "map", "seq"]
    start: int
    end: int  # after its text; for a block collection, after its last child's text
    flow: bool = False
    anchor: str | None = None
    value: str | None = None  # a scalar's text
    children: list[Node] = field(default_factory=list)  # a map's keys and values, in turn
    close: int = -1  # a flow collection's closing bracket

    @property
    def pairs(self) -> list[tuple[Node, Node]]:
        return list(zip(self.children[::2], self.children[1::2], strict=True))

    def get(self, key: str) -> Node | None:
        for name, value in self.pairs:
            if name.kind == "scalar" and name.value == key:
                return value
        return None


def tree(text: str) -> Node | None:
    """The file's document as nodes; ``None`` when it holds none. The text must be YAML
    (the fast parser has read it already)."""
    root: Node | None = None
    stack: list[Node] = []
    for event in yaml.parse(text, Loader=_Loader):
        start, end = _span(event)
        if isinstance(event, yaml.CollectionEndEvent):
            done = stack.pop()
            if done.flow:
                done.close, done.end = start, end
            elif done.children:
                done.end = done.children[-1].end
            if stack:
                stack[-1].end = max(stack[-1].end, done.end)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        if isinstance(event, yaml.ScalarEvent):
            node = Node("scalar", start, end, anchor=event.anchor, value=event.value)
        elif isinstance(event, yaml.AliasEvent):
            node = Node("alias", start, end)
        else:
            kind: Literal["map", "seq"] = (
                "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
            )
            node = Node(
                kind,
                start,
                end,
                flow=bool(getattr(event, "flow_style", False)),
                anchor=event.anchor,
            )
        if stack:
            stack[-1].children.append(node)
        else:
            root = node
        if node.kind in ("map", "seq"):
            stack.append(node)
    return root


def _span(event: yaml.Event) -> tuple[int, int]:
    start, end = event.start_mark, event.end_mark
    return (start.index if start else 0), (end.index if end else 0)


def scalar(value: Any) -> str:
    """A value as YAML text that every reader takes back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        text = repr(value)
        mantissa, _, exponent = text.partition("e")
        # YAML 1.1 readers take 1e-05 for text: a float there needs its dot (1.0e-05)
        return f"{mantissa}.0e{exponent}" if exponent and "." not in mantissa else text
    text = str(value)
    # Ending in " -", it ends a flow mapping or list in a way yaml-rs refuses ("web01 -}").
    if _PLAIN.match(text) and text.lower() not in _WORDS and not text.endswith(" -"):
        return text
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable() and char not in "\u2028\u2029\ufeff":
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def block_key(key: Any, lead: str, pad: str) -> str:
    """A key of a block mapping, its ":" included, starting with ``lead`` (the indentation,
    or the "- " of a list item): a long one on a line of its own, its ":" below at
    ``pad`` (_LONGEST_KEY)."""
    text = scalar(key)
    return f"{lead}? {text}\n{pad}:" if len(text) > _LONGEST_KEY else f"{lead}{text}:"


def flow_key(key: Any) -> str:
    """A key of a flow mapping, its ":" included: a long one after "? " (_LONGEST_KEY)."""
    text = scalar(key)
    return f"? {text} :" if len(text) > _LONGEST_KEY else f"{text}:"


def block(value: dict[str, Any], indent: int, dash: bool) -> str:
    """A mapping in block style, its keys at column ``indent`` (the first after "- ")."""
    lines: list[str] = []
    pad = " " * indent
    for number, (key, item) in enumerate(value.items()):
        lead = (" " * (indent - 2) + "- ") if dash and number == 0 else pad
        if isinstance(item, dict) and item:
            lines.append(f"{block_key(key, lead, pad)}\n{block(item, indent + 2, False)}")
        elif isinstance(item, list | tuple) and item:
            lines.append(f"{block_key(key, lead, pad)}\n{items_text(list(item), indent + 2)}")
        else:
            lines.append(f"{block_key(key, lead, pad)} {flow(item)}\n")
    return "".join(lines)


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow_key(k)} {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


class Editor:
    """Edits to one file's text, applied together by ``result``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root = tree(text)
        # (start, end, rank, order, text): lines added at one place go deepest first, so
        # that a key added to a nested mapping stays inside it.
        self._edits: list[tuple[int, int, int, int, str]] = []

    def _edit(self, start: int, end: int, replacement: str, rank: int = 0) -> None:
        self._edits.append((start, end, rank, len(self._edits), replacement))

    def column(self, offset: int) -> int:
        return offset - (self.text.rfind("\n", 0, offset) + 1)

    def _after_line(self, offset: int) -> int:
        """Where the line holding the text just before ``offset`` ends (after its newline)."""
        newline = self.text.find("\n", max(offset - 1, 0))
        return len(self.text) if newline < 0 else newline + 1

    def _lines_at(self, offset: int, lines: str, indent: int = 0) -> None:
        if offset == len(self.text) and self.text and not self.text.endswith("\n"):
            lines = "\n" + lines
        self._edit(offset, offset, lines, rank=-indent)

    def set_scalar(self, node: Node, value: Any) -> None:
        anchor = f"&{node.anchor} " if node.anchor else ""
        self._edit(node.start, node.end, anchor + flow(value))

    def set_after_key(self, key: Node, value: Node, new: Any) -> None:
        """A block collection replaced by a flow value on its key's line."""
        self._edit(key.end, value.end, ": " + flow(new))

    def add_keys(self, mapping: Node, values: dict[str, Any]) -> None:
        if not values:
            return
        if mapping.flow:
            text = ", ".join(f"{flow_key(k)} {flow(v)}" for k, v in values.items())
            self._edit(mapping.close, mapping.close, (", " if mapping.children else "") + text)
            return
        indent = self.column(mapping.start)
        self._lines_at(self._after_line(mapping.end), block(values, indent, False), indent)

    def append_items(self, sequence: Node, items: list[Any]) -> None:
        if not items:
            return
        if sequence.flow:
            text = ", ".join(flow(item) for item in items)
            self._edit(sequence.close, sequence.close, (", " if sequence.children else "") + text)
            return
        dash = self.column(sequence.start)
        self._lines_at(self._after_line(sequence.end), items_text(items, dash), dash + 2)

    def set_section(self, key: str, items: list[Any]) -> None:
        """Give the top-level ``key`` these items, where it is missing or empty."""
        root = self.root
        if root is None or (root.kind == "scalar" and not root.value):
            self._lines_at(len(self.text), f"{key}:\n{items_text(items, 2)}")
            return
        if root.kind != "map" or root.flow:
            raise ValueError("the file is not a block mapping of sections")
        for name, value in root.pairs:
            if name.kind == "scalar" and name.value == key:
                if value.kind == "seq" and (value.children or not value.flow):
                    self.append_items(value, items)
                    return
                # "servers:" with nothing (or null) after it: the list takes its place
                end = self._after_line(max(value.end, name.end + 1))
                indent = self.column(name.start)
                self._edit(name.start, end, f"{key}:\n{items_text(items, indent + 2)}")
                return
        self._lines_at(len(self.text), f"{key}:\n{items_text(items, 2)}")

    def result(self) -> str:
        pieces: list[str] = []
        done = 0
        for start, end, _, _, replacement in sorted(self._edits):
            pieces += [self.text[done:start], replacement]
            done = max(done, end)
        pieces.append(self.text[done:])
        return "".join(pieces)


def items_text(items: list[Any], dash: int) -> str:
    out = []
    for item in items:
        if isinstance(item, dict) and item:
            out.append(block(item, dash + 2, True))
        else:
            out.append(f"{' ' * dash}- {flow(item)}\n")
    return "".join(out)
