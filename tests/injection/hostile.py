"""An inventory whose every free-text field is hostile: markup, formulas, fences, escapes.

Each string is one way to break out of one output format; together they go into every
text field that ends up in a report, a diagram, a CSV file or a terminal.
"""

from __future__ import annotations

import json
from pathlib import Path

# A script runs if one of these is pasted into HTML: each sets this global.
PWNED = "__pwned"
SCRIPT = f"<script>window.{PWNED}=1</script>"
IMG = f'<img src=x onerror="window.{PWNED}=2">'
SVG_ONLOAD = f"<svg onload=window.{PWNED}=3>"
ATTRIBUTE = f'" onmouseover="window.{PWNED}=4" x="'
# Graphviz reads a label in <...> as an HTML label: attributes escape into the node.
DOT_HTML = f'<x> URL="javascript:window.{PWNED}=5" shape=<circle>'
DOT_BROKEN = "<a>b<c>"
BACKSLASH = "ends with a backslash\\"
NUL = "nul\x00byte"
# Markdown and Mermaid: a fence or a line break ends the block the text is in.
FENCE = "x\n```\n</div>[click](javascript:alert(1)) ![i](http://tracker.example/p.png)"
CR_FENCE = "y\r```\rz"
MERMAID = 'q"]\nclick n0 call alert(1)\n%% end'
# Spreadsheets run cells that start like a formula; a bare \r starts a new row.
FORMULA = '=HYPERLINK("http://evil.example","click")'
FORMULA_PLUS = "+cmd|' /C calc'!A0"
FORMULA_AT = "@SUM(1+1)"
ROW = "first\rsecond,row"
# Terminals obey escape sequences: clear the screen, set the title, ring the bell.
TERMINAL = "\x1b[2J\x1b]0;pwned\x07\x1b[31mred"
BIDI = "abc\u202edcba"

ALL = (
    SCRIPT,
    IMG,
    SVG_ONLOAD,
    ATTRIBUTE,
    DOT_HTML,
    DOT_BROKEN,
    BACKSLASH,
    NUL,
    FENCE,
    CR_FENCE,
    MERMAID,
    FORMULA,
    FORMULA_PLUS,
    FORMULA_AT,
    ROW,
    TERMINAL,
    BIDI,
)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


def inventory_text() -> str:
    """One application per hostile string, in every field a report shows."""
    lines = [
        "portfolio:",
        f"  name: {_q(SCRIPT + ' ' + IMG)}",
        "  region: europe-west1",
        "planning:",
        "  start: 2027-01-04",
        "  max_apps_per_wave: 6",
        "  freeze:",
        "    - from: 2027-03-01",
        "      to: 2027-03-14",
        f"      reason: {_q(FENCE + ' ' + SCRIPT + ' ' + MERMAID)}",
        "applications:",
    ]
    for index, text in enumerate(ALL):
        other = ALL[(index + 1) % len(ALL)]
        lines += [
            f"  - id: app-{index:02d}",
            f"    name: {_q(text)}",
            f"    description: {_q(other)}",
            f"    owner: {_q(other)}",
            f"    domain: {_q(text if index % 3 else 'plain')}",
            f"    tags: [{_q(text)}]",
            f"    servers: [srv-{index:02d}]",
        ]
        if index:
            lines.append(
                f"    depends_on: [{{app: app-{index - 1:02d}, description: {_q(other)}}}]"
            )
        if index % 4 == 0:
            lines += ["    decision:", "      strategy: rehost", f"      rationale: {_q(text)}"]
    lines.append("servers:")
    for index, text in enumerate(ALL):
        lines += [
            f"  - id: srv-{index:02d}",
            f"    os: {_q('Windows Server 2008 ' + text)}",
            "    cpu: 2",
            "    memory_gb: 8",
            "    environment: prod",
        ]
    return "\n".join(lines) + "\n"


def write(directory: Path) -> Path:
    target = directory / "hostile.yaml"
    target.write_text(inventory_text(), encoding="utf-8")
    return target
