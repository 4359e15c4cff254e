"""JSON as migrator writes it: indented by two spaces, UTF-8, one trailing newline.

orjson writes the same text as ``json.dumps(data, indent=2, ensure_ascii=False)`` about
ten times faster: with an indent, the standard library falls back to its pure-Python
encoder, which took six seconds for the assessment of 10,000 applications.
"""

from __future__ import annotations

from typing import Any

import orjson


def encode(data: Any) -> bytes:
    """The JSON as UTF-8 bytes, ready for a file or standard output (no copy to text)."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def dumps(data: Any) -> str:
    return encode(data).decode()
