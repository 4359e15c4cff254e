"""Where commands write: plain lines for machines, colour only on a terminal."""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table

from migrator.diagnostics import Diagnostic
from migrator.render.escape import terminal

_STYLES = {"error": "bold red", "warning": "yellow"}
WIDEST = 2000  # columns for a table written to a file: wider than any row it holds


class _Console(Console):
    """rich's console, whose text cannot act on the terminal.

    Names, values in diagnostics, findings: whatever a command prints may hold an escape
    sequence from the inventory (``\\e[2J`` clears the screen). Every piece of text is
    shown with its control characters written out (``\\x1b[2J``); rich's own styles and
    cursor moves are separate (control) segments and pass as they are.
    """

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterator[Segment]:
        for segment in super().render(renderable, options):
            if segment.control is None:
                shown = terminal(segment.text)
                if shown is not segment.text:
                    segment = Segment(shown, segment.style)
            yield segment


class _Closed(io.StringIO):
    """Where a closed standard stream's text goes (Python sets it to None when the shell
    closed it; given None, rich would write standard error's lines to standard output)."""

    def write(self, text: str) -> int:
        return len(text)


def _console(stream: TextIO | None) -> Console:
    # rich already honours NO_COLOR and only colours terminals; never let it wrap lines.
    return _Console(
        file=stream if stream is not None else _Closed(),
        soft_wrap=True,
        highlight=False,
        no_color="NO_COLOR" in os.environ,
    )


@dataclass
class Output:
    """The two streams of a command run, and how talkative to be."""

    quiet: bool = False
    out: Console = field(default_factory=lambda: _console(sys.stdout))
    err: Console = field(default_factory=lambda: _console(sys.stderr))

    @property
    def interactive(self) -> bool:
        """A person is watching: progress bars and tables are welcome."""
        return self.err.is_terminal and not self.quiet

    def write(self, text: str | bytes) -> None:
        """Machine output (JSON, CSV, Markdown) exactly as given, on standard output;
        bytes (JSON of tens of megabytes) go out as they are, without a copy to text."""
        if sys.stdout is None:
            raise OSError(errno.EBADF, "standard output is closed (write to a file with -o)")
        if isinstance(text, str):
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            sys.stdout.flush()
            return
        sys.stdout.flush()
        out = sys.stdout.buffer
        # A large write to a pipe may be cut short when its reader leaves: write on until
        # all of it is out, or the pipe says it is closed (BrokenPipeError).
        rest = memoryview(text if text.endswith(b"\n") else text + b"\n")
        while rest:
            rest = rest[out.write(rest) :]
        out.flush()

    def table(self, table: Table) -> None:
        """A table on standard output. On a terminal it fits the window; elsewhere (a pipe,
        a file, a CI log, where rich would assume 80 columns) it takes the width it needs,
        so that no cell wraps and no id is cut in two: each row stays one line for grep."""
        console = self.out
        if console.is_terminal:
            console.print(table)
            return
        needed = Measurement.get(console, console.options.update_width(WIDEST), table).maximum
        before = console.width
        console.width = min(WIDEST, max(needed, before))  # print() would cap it at this
        try:
            console.print(table, crop=False)
        finally:
            console.width = before

    def diagnostics(self, diags: Iterable[Diagnostic], stream: str = "out") -> None:
        """Diagnostics one a line: coloured on a terminal, else written as they are.

        rich lays out each line it prints (about 0.1 ms): 400,000 diagnostics piped into a
        file or a CI log would take a minute, against a second as plain lines.
        """
        console = self.out if stream == "out" else self.err
        if console.is_terminal and not console.no_color:
            for diag in diags:
                console.print(diag.format(), style=_STYLES[diag.severity], markup=False)
            return
        lines = [terminal(diag.format()) for diag in diags]  # as the console would
        if lines:
            console.file.write("\n".join(lines) + "\n")
            console.file.flush()

    def info(self, message: str) -> None:
        """A summary line for people, on standard error; silenced by --quiet."""
        if not self.quiet:
            self.err.print(message, markup=False)

    def success(self, message: str) -> None:
        if not self.quiet:
            self.err.print(message, style="green", markup=False)

    def error(self, message: str) -> None:
        self.err.print(f"error: {message}", style="bold red", markup=False)
