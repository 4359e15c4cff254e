"""Every kind of output migrator writes, and its table of formats.

A new format goes into its kind's table; a new kind of output gets a table beside the
code that produces it and a line here. The commands import their own table only (this
module loads them all): it is the index for readers, the tests and the documentation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migrator.assess.formats import ASSESSMENT_FORMATS
from migrator.graph.render import DIAGRAM_FORMATS
from migrator.outputs import OutputFormat
from migrator.plan.formats import PLAN_FORMATS
from migrator.waves.report import WAVES_FORMATS

OUTPUTS: dict[str, Mapping[Any, OutputFormat[Any]]] = {
    "assess": ASSESSMENT_FORMATS,  # migrator assess --format / --output
    "waves": WAVES_FORMATS,  # migrator waves --output
    "graph": DIAGRAM_FORMATS,  # migrator graph --output, by suffix
    "plan": PLAN_FORMATS,  # migrator plan --format / --output
}
