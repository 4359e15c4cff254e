"""Where commands write: plain lines for machines, colour only on a terminal."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from migrator.diagnostics import Diagnostic
from migrator.render.escape import terminal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

_STYLES = {"error": "bold red", "warning": "yellow"}
WIDEST = 2000  # columns for a table written to a file: wider than any row it holds


def _console(stream: TextIO | None) -> Console:
    # rich (about 30 ms to import) comes in with the first line printed through it: a
    # quiet run that writes only JSON, or that finds nothing to say, never needs it.
    from migrator.terminal import Closed, SafeConsole

    # rich already honours NO_COLOR and only colours terminals; never let it wrap lines.
    return SafeConsole(
        file=stream if stream is not None else Closed(),
        soft_wrap=True,
        highlight=False,
        no_color="NO_COLOR" in os.environ,
    )


class Output:
    """The two streams of a command run, and how talkative to be."""

    def __init__(
        self, quiet: bool = False, out: Console | None = None, err: Console | None = None
    ) -> None:
        self.quiet = quiet
        self._out = out
        self._err = err

    @property
    def out(self) -> Console:
        """Standard output's console, made when first printed to."""
        if self._out is None:
            self._out = _console(sys.stdout)
        return self._out

    @property
    def err(self) -> Console:
        """Standard error's console, made when first printed to."""
        if self._err is None:
            self._err = _console(sys.stderr)
        return self._err

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
        from rich.measure import Measurement

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
        diags = list(diags)
        if not diags:
            return  # and no console to make
        console = self.out if stream == "out" else self.err
        if console.is_terminal and not console.no_color:
            for diag in diags:
                console.print(diag.format(), style=_STYLES[diag.severity], markup=False)
            return
        lines = [terminal(diag.format()) for diag in diags]  # as the console would
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
