"""``migrator schema``: the inventory's JSON Schema, for editors and yaml-language-server."""

from __future__ import annotations

import json
from pathlib import Path

from migrator import atomic
from migrator.console import Output
from migrator.inventory.jsonschema import inventory_schema


def schema_text() -> str:
    return json.dumps(inventory_schema(), indent=2) + "\n"


def run(output: Output, output_file: Path | None = None) -> int:
    text = schema_text()
    if output_file is None:
        output.write(text)
    else:
        atomic.write_text(output_file, text)
        output.success(f"wrote {output_file}")
    return 0
