"""``migrator schema``: the inventory's JSON Schema, for editors and yaml-language-server."""

from __future__ import annotations

import json
from pathlib import Path

from migrator import atomic
from migrator.console import Output
from migrator.inventory.jsonschema import inventory_schema


def render() -> str:
    return json.dumps(inventory_schema(), indent=2) + "\n"


def run(output: Output, out: Path | None = None) -> int:
    text = render()
    if out is None:
        output.write(text)
    else:
        atomic.write_text(out, text)
        output.success(f"wrote {out}")
    return 0
