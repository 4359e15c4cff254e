"""Where a side of a diff comes from: a path, or a path at a git revision.

A revision is read with ``git ls-tree`` and ``git cat-file`` into a temporary directory:
the work tree, the index and the repository are never changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from migrator.errors import InvalidInputError, UsageError
from migrator.inventory.source import YAML_SUFFIXES

GIT_TIMEOUT = 120  # seconds; a local repository answers in well under one


@dataclass(frozen=True)
class Source:
    """One side: ``path`` in the work tree, or ``path`` as it was at ``revision``."""

    path: Path
    revision: str | None = None

    @property
    def label(self) -> str:
        return f"{self.revision}:{self.path}" if self.revision else str(self.path)


def parse_side(text: str) -> Source:
    """``PATH``, or ``REV:PATH`` (as ``git show`` writes it) when no such path exists."""
    if not os.path.lexists(text) and ":" in text:
        revision, _, path = text.partition(":")
        if revision:
            return Source(Path(path or "."), revision)
    return Source(Path(text))


@contextlib.contextmanager
def opened(source: Source) -> Iterator[Path]:
    """The inventory's path on disk for the time of the ``with`` block."""
    if source.revision is None:
        yield source.path
        return
    if source.revision.startswith("-"):  # never let it reach git as an option
        raise UsageError(f"'{source.revision}' is not a revision")
    top, relative = _repository(source.path)
    commit = _commit(top, source.revision)
    temporary = tempfile.mkdtemp(prefix="migrator-diff-")
    try:
        root = Path(temporary) / "tree"
        _export(top, commit, source, relative, root)
        inside = root / relative if relative != "." else root
        try:
            yield inside
        except InvalidInputError as exc:
            raise _renamed(exc, str(inside), source) from None
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _renamed(exc: InvalidInputError, root: str, source: Source) -> InvalidInputError:
    """The error with its file names as ``REV:path`` instead of the temporary directory's."""
    shown = f"{source.revision}:{source.path}"

    def name(file: str) -> str:
        return shown + file[len(root) :] if file.startswith(root) else file

    return InvalidInputError(
        str(exc).replace(root, shown),
        [dataclasses.replace(d, file=name(d.file)) for d in exc.diagnostics],
    )


def _git(top: str | Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(top), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("git is not installed (a revision needs it)") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {args[0]} took over {GIT_TIMEOUT} s: giving up") from None


def _repository(path: Path) -> tuple[Path, str]:
    """The repository's top directory, and ``path`` relative to it."""
    absolute = Path(os.path.abspath(path))
    existing = absolute
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    start = existing if existing.is_dir() else existing.parent
    found = _git(start, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise UsageError(f"{path}: not inside a git repository (a revision is read from one)")
    top = Path(found.stdout.decode().strip()).resolve()
    real = start.resolve() / absolute.relative_to(start) if absolute != start else start.resolve()
    try:
        relative = real.relative_to(top).as_posix() or "."
    except ValueError:
        raise UsageError(f"{path}: outside the git repository at {top}") from None
    return top, relative


def _commit(top: Path, revision: str) -> str:
    found = _git(
        top, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"
    )
    if found.returncode != 0:
        raise UsageError(f"unknown revision '{revision}' in the git repository at {top}")
    return found.stdout.decode().strip()


def _export(top: Path, commit: str, source: Source, relative: str, root: Path) -> None:
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", relative)
    if listing.returncode != 0:
        raise UsageError(
            f"{source.label}: cannot list it: {listing.stderr.decode(errors='replace').strip()}"
        )
    blobs: list[tuple[str, str]] = []
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        path = name.decode("utf-8", errors="surrogateescape")
        regular = kind == "blob" and mode in ("100644", "100755")
        if regular and (path == relative or path.endswith(YAML_SUFFIXES)):
            blobs.append((sha, path))
    if not blobs:
        raise UsageError(f"{source.label}: no such path at {source.revision}")
    contents = _git_batch(top, [sha for sha, _ in blobs])
    for (_, path), data in zip(blobs, contents, strict=True):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _git_batch(top: Path, shas: list[str]) -> list[bytes]:
    """The blobs' contents, read by one ``git cat-file --batch``."""
    try:
        done = subprocess.run(
            ["git", "-C", str(top), "cat-file", "--batch"],
            input="".join(f"{sha}\n" for sha in shas).encode(),
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UsageError(f"git cat-file took over {GIT_TIMEOUT} s: giving up") from None
    data, offset, found = done.stdout, 0, []
    for _ in shas:
        end = data.index(b"\n", offset)
        size = int(data[offset:end].split()[2])
        found.append(data[end + 1 : end + 1 + size])
        offset = end + 1 + size + 1
    return found
