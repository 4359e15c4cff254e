"""Finding an inventory's YAML files and reading them safely (size, encoding, file type)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from migrator.diagnostics import Diagnostic
from migrator.errors import UsageError

# A 100,000-application inventory is about 150 MB, its largest file (270,000 servers)
# about 77 MiB; an import of 100,000 VMs writes about 50 MB. Loading takes about 15 bytes
# of memory per byte of YAML: far beyond these sizes is a mistake (a log, a dump) that
# would only exhaust memory. Other inputs (rules, prices, mappings) are far smaller.
MAX_INVENTORY_FILE_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_FILE_BYTES = 32 * 1024 * 1024  # a rules, price or mapping file
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One YAML file of an inventory, decoded."""

    name: str  # as shown in diagnostics: the user's path, joined with the file's place below it
    path: Path
    text: str


def discover(root: Path) -> list[tuple[str, Path]]:
    """The YAML files of an inventory, sorted by path, with their display names.

    A file is taken as it is, whatever its suffix. A directory is searched recursively for
    ``*.yaml`` and ``*.yml``; hidden directories (``.git``, ``.github``) are skipped.
    """
    try:
        mode = root.stat().st_mode
    except FileNotFoundError:
        raise UsageError(f"{root}: no such file or directory") from None
    except OSError as exc:
        raise UsageError(f"{root}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(mode):
        return [(str(root), root)]
    found: list[tuple[str, Path]] = []
    try:
        for dirpath, dirnames, filenames in os.walk(root, onerror=_raise):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in filenames:
                if filename.endswith(YAML_SUFFIXES) and not filename.startswith("."):
                    path = Path(dirpath) / filename
                    found.append((str(path), path))
    except OSError as exc:
        raise UsageError(f"{exc.filename or root}: cannot read: {exc.strerror or exc}") from None
    if not found:
        raise UsageError(f"{root}: no YAML files (*.yaml, *.yml) in this directory")
    found.sort(key=lambda item: item[1].parts)
    return found


def _raise(exc: OSError) -> None:
    raise exc


def read(
    name: str, path: Path, budget: int, limit: int = MAX_FILE_BYTES
) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read and decode one file of at most ``limit`` bytes; ``budget`` is how many bytes
    the inventory may still use."""
    try:
        info = path.stat()
    except OSError as exc:
        return None, [_file_error(name, f"cannot read: {exc.strerror or exc}")]
    if not stat.S_ISREG(info.st_mode):
        return None, [_file_error(name, "cannot read: not a regular file")]
    limit = min(limit, budget)
    if info.st_size > limit:
        return None, [
            _file_error(
                name,
                f"file is too large ({_mb(info.st_size)}); "
                f"the limit is {_mb(limit)} per file and "
                f"{_mb(MAX_TOTAL_BYTES)} per inventory",
            )
        ]
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return None, [_file_error(name, f"cannot read: {exc.strerror or exc}")]
    if len(data) > limit:  # the file grew after stat()
        return None, [_file_error(name, f"file is too large (over {_mb(limit)})")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        message = f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        return None, [Diagnostic("error", name, (), message, line=line, col=col)]
    if "\x00" in text:
        line, col = _position(data, data.index(b"\x00"))
        return None, [
            Diagnostic(
                "error", name, (), "binary file (contains a NUL byte), not YAML", line=line, col=col
            )
        ]
    return SourceFile(name, path, text), []


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def _file_error(name: str, message: str) -> Diagnostic:
    return Diagnostic("error", name, (), message)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"
