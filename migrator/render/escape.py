"""Text from the inventory made safe for each format migrator writes: one function a format.

Names, owners, domains, reasons and findings are typed by many hands and read by others
in a browser, a spreadsheet, a pull request or a terminal. Every renderer passes the text
it embeds through the function of its format here, and nowhere else escapes: HTML is
Jinja's autoescape (markupsafe), which the HTML environment turns on for every template
(see migrator.render.templates).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markupsafe

# Characters that move a terminal's cursor, change its state or reorder what it shows:
# C0 controls but the line feed and tab, DEL, C1 controls (a lone 0x9b is CSI), and the
# bidirectional overrides that make text read differently from what it is.
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible_controls(text: str) -> str:
    """``text`` with every control character written out (``\\x1b``), so that it shows
    where it is instead of acting on the terminal."""
    return _CONTROL.sub(_visible, text)


def terminal(text: str) -> str:
    """Text for a terminal: line feeds kept, every other control character made visible."""
    return visible_controls(text) if _CONTROL.search(text) else text


def one_line(text: str) -> str:
    """Line breaks of every kind (``\\r`` too) as one space, other controls made visible."""
    return visible_controls(_LINE_BREAKS.sub(" ", text))


# --- HTML ----------------------------------------------------------------------------

_HTML_SPECIAL = re.compile("[&<>\"']")


def html(value: object) -> str:
    """Text for HTML (markupsafe's escaping); text without ``& < > " '`` and numbers as
    they are, without the cost of making them Markup. The HTML environment writes every
    value through this."""
    kind = type(value)
    if kind is str:
        return markupsafe.escape(value) if _HTML_SPECIAL.search(value) else value  # type: ignore
    if kind is int or kind is float:
        return str(value)
    return markupsafe.escape(value)


# --- Markdown --------------------------------------------------------------------------


class MarkdownSafe(str):
    """Markdown already escaped, or written by migrator: the environment passes it as is."""

    __slots__ = ()


# Backslash-escaped anywhere: they open code, emphasis, links and images, HTML and
# autolinks, table cells; ``&`` only where it would start an entity.
_MARKDOWN_TABLE = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~"})
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Escaped at the start of the text only, where a template may have put it at the start
# of a line: a heading, a list item, a numbered item.
_START = r"^(?:(#{1,6}|[-+])|(\d{1,9})([.)]))(?=\s|$)"
_MARKDOWN_START = re.compile(_START)
_START_CHARACTERS = frozenset("#+-0123456789")
# Text with none of these, and no marker at its start, is shown as it is (most names,
# every number): the quick way out. (One pattern with both takes ten times as long.)
_MARKDOWN_ANY = re.compile(
    f"[\\\\`*_\\[\\]<>|~&\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f\\u2028\\u2029{_BIDI}]"
)


def _escape_start(match: re.Match[str]) -> str:
    marker, number, dot = match.groups()
    return "\\" + marker if marker else number + "\\" + dot


def markdown(value: object) -> str:
    """Text shown as itself in Markdown: one line, no markup, safe in a table cell.

    What it returns is MarkdownSafe, or text that needs no escaping (escaping it again
    changes nothing). It is the Markdown environment's ``finalize``: it sees every value
    a template writes, so the common case (no special character) costs one search.
    """
    if type(value) is int:  # a count, a score: the most common value after text
        return str(value)
    if isinstance(value, MarkdownSafe):
        return value
    text = value if isinstance(value, str) else str(value)
    if _MARKDOWN_ANY.search(text) is None and (
        text[:1] not in _START_CHARACTERS or _MARKDOWN_START.match(text) is None
    ):
        return text
    text = one_line(text).translate(_MARKDOWN_TABLE)
    if "&" in text:
        text = _ENTITY.sub(r"\\&", text)
    return MarkdownSafe(_MARKDOWN_START.sub(_escape_start, text))


def markdown_finalizer() -> Callable[[object], str]:
    """``markdown`` for one render, remembering the text it has seen: a plan repeats its
    words (strategies, severities, owners), nine values in ten of a large one."""
    seen: dict[str, str] = {}

    def finalize(value: object) -> str:
        if type(value) is not str:
            return markdown(value)
        shown = seen.get(value)
        if shown is None:
            if len(seen) >= 200_000:
                seen.clear()
            shown = seen[value] = markdown(value)
        return shown

    return finalize


def markdown_code(value: object) -> MarkdownSafe:
    """Text as a Markdown code span: delimited by more backticks than it holds in a row
    (code spans have no escapes), with ``|`` escaped for tables (GitHub's rule)."""
    text = one_line(str(value)).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MarkdownSafe(f"{fence}{pad}{text}{pad}{fence}")


# --- Mermaid ---------------------------------------------------------------------------

_MERMAID_PLAIN = re.compile(r"[^\W_]|[ _.,:/()+'?!@=*-]")
_ENTITY_AHEAD = re.compile(r"#?[0-9A-Za-z]+;")


def mermaid(text: str) -> str:
    """Text inside a quoted Mermaid label: only letters, digits and harmless punctuation
    stay; everything else (quotes, brackets, markup, backticks, line breaks, ``#``, ``;``)
    becomes Mermaid's entity code ``#60;``, which it shows as the character. ``&`` stays
    unless it would start an entity."""
    text = one_line(text)
    return "".join(
        ch
        if _MERMAID_PLAIN.fullmatch(ch) or (ch == "&" and not _ENTITY_AHEAD.match(text, index + 1))
        else f"#{ord(ch)};"
        for index, ch in enumerate(text)
    )


_GANTT_OTHER = re.compile(r"[^\w .,/()+'?!@=*-]+")


def mermaid_gantt(text: str) -> str:
    """A Gantt task name: the task line's syntax has no quoting, so any character that
    could end the name (``:``, ``;``, ``#``, a line break) or the block becomes a space."""
    return " ".join(_GANTT_OTHER.sub(" ", one_line(text)).split())


# --- DOT -------------------------------------------------------------------------------


def dot(text: str) -> str:
    """A DOT attribute value that Graphviz shows as written: never an HTML label (text in
    ``<...>``), backslashes literal (no ``\\N`` or ``\\l``), no control characters (a NUL
    ends Graphviz's input), line breaks as spaces."""
    import graphviz  # here: every command escapes, few draw (its import took 15-20 ms)

    escaped: str = graphviz.escape(one_line(text))  # a str that quote() never reads as HTML
    return escaped


# --- CSV -------------------------------------------------------------------------------

# A spreadsheet evaluates a cell that starts with one of these (OWASP's list: formulas,
# and tab or carriage return, after which some programs look again).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")  # \r is quoted


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: numbers stay numbers; text that a
    spreadsheet would read as a formula gets a leading apostrophe, which it hides; control
    characters other than line breaks and tabs are written out, as on a terminal."""
    if not isinstance(value, str):
        return value
    text = _CSV_CONTROL.sub(_visible, value)
    return "'" + text if text.startswith(_FORMULA_START) else text
