"""rich's console, made safe for what migrator prints: text that cannot act on the terminal."""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from migrator.render.escape import terminal


class SafeConsole(Console):
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


class Closed(io.StringIO):
    """Where a closed standard stream's text goes (Python sets it to None when the shell
    closed it; given None, rich would write standard error's lines to standard output)."""

    def write(self, text: str) -> int:
        return len(text)
