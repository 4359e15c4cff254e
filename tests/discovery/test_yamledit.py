"""Editing YAML in place: values read back as written by every reader, the rest untouched."""

from __future__ import annotations

from typing import Any

import yaml
import yaml_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.discovery.yamledit import Editor, scalar

TEXTS = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(
    value=st.one_of(
        TEXTS,
        st.sampled_from(
            [
                "on",
                "Off",
                "yes",
                "NULL",
                "~",
                "1e3",
                "0x1f",
                "12:30",
                "2026-01-01",
                "- a",
                "#x",
                "a: b",
                ".inf",
                "'q'",
                "Windows 2008 R2 (64-bit)",
                "_0",
                "_1.5",
                "__1",
            ]
        ),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.none(),
    )
)
def test_a_value_reads_back_the_same_in_yaml_1_1_and_1_2(value: Any) -> None:
    text = f"key: {scalar(value)}\n"
    assert yaml.safe_load(text) == {"key": value}
    # (with dates on, yaml-rs reads even a quoted "2026-01-01" as a date; the inventory's
    # text fields take such a scalar's text as written)
    assert yaml_rs.loads(text, parse_datetime=False) == {"key": value}


SERVERS = """\
# head comment
servers:
  - id: a   # note
    cpu: &c 2
    x-discovery:
      key: k
    # trailing comment
  - {id: b, cpu: 3}
other: [1, 2]
"""


def test_edits_keep_every_other_byte() -> None:
    editor = Editor(SERVERS)
    assert editor.root is not None
    servers = editor.root.get("servers")
    assert servers is not None
    first, second = servers.children
    editor.set_scalar(first.get("cpu"), 8)  # type: ignore[arg-type]
    editor.add_keys(first, {"os": "on"})
    editor.add_keys(first.get("x-discovery"), {"vm": "A"})  # type: ignore[arg-type]
    editor.add_keys(second, {"x-discovery": {"key": "kb"}})
    editor.append_items(servers, [{"id": "c", "x-discovery": {"key": "kc"}}])
    assert (
        editor.result()
        == """\
# head comment
servers:
  - id: a   # note
    cpu: &c 8
    x-discovery:
      key: k
      vm: A
    os: "on"
    # trailing comment
  - {id: b, cpu: 3, x-discovery: {key: kb}}
  - id: c
    x-discovery:
      key: kc
other: [1, 2]
"""
    )


def test_a_section_is_added_where_it_is_missing_or_empty() -> None:
    for text, expected in [
        ("# only a comment\n", "# only a comment\nservers:\n  - id: z\n"),
        ("x: 1\nservers:\ny: 2\n", "x: 1\nservers:\n  - id: z\ny: 2\n"),
        ("x: 1\nservers: []  # none yet\n", "x: 1\nservers:\n  - id: z\n"),
        ("x: 1", "x: 1\nservers:\n  - id: z\n"),
    ]:
        editor = Editor(text)
        editor.set_section("servers", [{"id": "z"}])
        assert editor.result() == expected, text
