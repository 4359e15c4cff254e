"""Editing YAML in place: values read back as written by every reader, the rest untouched."""

from __future__ import annotations

from typing import Any

import pytest
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


LONG = "name:" + "x" * 2000  # a machine name an export may hold: past YAML's 1,024 for a key


@pytest.mark.parametrize(
    "value",
    [
        {LONG: {"hostname": "h"}, "short": 1},
        {"written": {LONG: {"hostname": LONG}, "b": [1, 2]}},
        {LONG: [1, {LONG: 2}], "x" * 990: 3},
        {"x" * 1001: {}, LONG: []},
    ],
    ids=["flow-value", "nested", "list", "empty"],
)
def test_a_key_of_any_length_reads_back(value: dict[str, Any]) -> None:
    from migrator.discovery.yamledit import block, flow

    for text in (block(value, 0, False), block(value, 2, True), f"x: {flow(value)}\n"):
        for read in (yaml_rs.loads, lambda t: yaml.load(t, Loader=yaml.SafeLoader)):
            data = read(text)
            data = data[0] if isinstance(data, list) else data.get("x", data)
            assert data == value, text[:200]


def test_a_long_key_added_to_a_flow_mapping_reads_back() -> None:
    editor = Editor("servers: {a: 1}\n")
    assert editor.root is not None
    mapping = editor.root.get("servers")
    assert mapping is not None
    editor.add_keys(mapping, {LONG: 2})
    assert yaml_rs.loads(editor.result()) == {"servers": {"a": 1, LONG: 2}}


def test_plain_text_reads_back_in_every_context() -> None:
    """Every short text of the characters plain text may hold, in a flow mapping, a flow
    list, a block mapping and a block list, read by yaml-rs and PyYAML: "web01 -" at the
    end of a flow mapping was refused by yaml-rs (found by the CSV fuzz test)."""
    import itertools

    texts = {"a" + "".join(t) for n in range(4) for t in itertools.product("a1_./()+@- ", repeat=n)}
    for value in sorted(texts | {"web01 -", "Ubuntu - 22.04"}):
        written = scalar(value)
        for text in (
            f"x: {{k: {written}, z: 1}}\n",
            f"x: [{written}, 1]\n",
            f"x:\n  k: {written}\n",
            f"x:\n  - {written}\n",
        ):
            for read in (yaml_rs.loads, lambda t: yaml.load(t, Loader=yaml.SafeLoader)):
                data = read(text)["x"]
                assert (data["k"] if isinstance(data, dict) else data[0]) == value, text
