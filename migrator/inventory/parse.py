"""Parsing one YAML file fast (yaml-rs, YAML 1.2) into plain data, or located errors."""

from __future__ import annotations

import re

import yaml_rs

from migrator.diagnostics import Diagnostic
from migrator.inventory.source import SourceFile

# yaml-rs stops replaying aliases after this many events: a "billion laughs" file is
# refused in milliseconds instead of exhausting memory. Real inventories use few aliases.
_ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=200_000, max_replay_stack_depth=32)
_POSITION = re.compile(r"line (\d+), column (\d+)")
_QUOTED = re.compile(r"'([^']+)'")
_DOCUMENT_MARKER = re.compile(r"^---(?=\s|$)", re.MULTILINE)


def parse(source: SourceFile) -> tuple[object, list[Diagnostic]]:
    """The file's data (``None`` for an empty file), or diagnostics when it is not YAML."""
    try:
        data = yaml_rs.loads(source.text, parse_datetime=True, alias_limits=_ALIAS_LIMITS)
    except yaml_rs.YAMLDecodeError as exc:
        return None, _decode_error(source, str(exc))
    except (RecursionError, MemoryError):
        return None, [Diagnostic("error", source.name, (), "YAML nesting is too deep")]
    if isinstance(data, list):
        second = _second_document(source.text)
        if second:
            return None, [
                Diagnostic(
                    "error",
                    source.name,
                    (),
                    "a file holds one YAML document; split the documents into separate files",
                    line=second,
                    col=1,
                )
            ]
    return data, []


def _second_document(text: str) -> int:
    """The line where a second YAML document starts, or 0 when there is one document."""
    starts = [match.start() for match in _DOCUMENT_MARKER.finditer(text)]
    if not starts:
        return 0
    content_before = any(
        line.strip() and not line.lstrip().startswith(("#", "%"))
        for line in text[: starts[0]].splitlines()
    )
    second = starts[0] if content_before else (starts[1] if len(starts) > 1 else -1)
    return text.count("\n", 0, second) + 1 if second >= 0 else 0


def _decode_error(source: SourceFile, message: str) -> list[Diagnostic]:
    name = source.name
    if message.startswith("duplicate mapping key"):
        from migrator.inventory.locate import find_duplicate_keys  # PyYAML: only here

        return [
            Diagnostic(
                "error",
                name,
                dup.path + (dup.key,),
                f"duplicate key '{dup.key}' (first at line {dup.first[0]})"
                if dup.key == dup.first_key
                else f"key '{dup.key}' is the same as '{dup.first_key}' at line "
                f"{dup.first[0]} once read (1, 1.0 and true are one key): quote keys "
                f"to keep them apart",
                target="key",
                line=dup.second[0],
                col=dup.second[1],
            )
            for dup in find_duplicate_keys(source.text)
        ] or [Diagnostic("error", name, (), message)]
    if message.startswith("alias replay limit exceeded"):
        return [
            Diagnostic(
                "error",
                name,
                (),
                "too many alias expansions (a YAML alias bomb?); refusing to expand them",
            )
        ]
    lines = [line for line in message.splitlines() if line.strip()]
    position = _POSITION.search(lines[0]) if lines else None
    if position:
        line, col = int(position.group(1)), int(position.group(2))
        detail = lines[-1].strip() if len(lines) > 1 else lines[0]
        return [Diagnostic("error", name, (), f"invalid YAML: {detail}", line=line, col=col)]
    line, col = _find_quoted(source.text, message)
    return [Diagnostic("error", name, (), f"invalid YAML: {message}", line=line, col=col)]


def _find_quoted(text: str, message: str) -> tuple[int, int]:
    """Best place for an error that came without one: where its quoted token appears."""
    quoted = _QUOTED.search(message)
    if quoted:
        offset = text.find(quoted.group(1))
        if offset >= 0:
            line = text.count("\n", 0, offset) + 1
            return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
    return 0, 0
