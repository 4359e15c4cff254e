"""Loading an inventory: read, parse, check and merge its files into one validated model."""

from __future__ import annotations

import dataclasses
import marshal
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrator import forked
from migrator.diagnostics import Diagnostic, KeyPath, count
from migrator.errors import InvalidInputError
from migrator.inventory import schema
from migrator.inventory.model import (
    Application,
    Database,
    Inventory,
    Origin,
    Planning,
    Portfolio,
    Server,
)
from migrator.inventory.parse import parse
from migrator.inventory.references import (
    Problem,
    Related,
    check_planning,
    check_references,
    check_unique,
)
from migrator.inventory.source import (
    MAX_INVENTORY_FILE_BYTES,
    MAX_TOTAL_BYTES,
    SourceFile,
    discover,
    read,
)
from migrator.inventory.validate import INVALID, FileChecker, describe
from migrator.speed import without_cycle_collection

if TYPE_CHECKING:
    from migrator.inventory.locate import Place

FORMAT_VERSION = 1
_PARSERS = 2  # threads parsing ahead of the checks
MIN_BYTES_BESIDE = 2_000_000  # a file is parsed in a child from this size (_largest)
Parsed = tuple[object, list[Diagnostic]]  # a file's data (None: none) or why it is not YAML
_SECTIONS = {
    "applications": ("application", schema.APPLICATION),
    "servers": ("server", schema.SERVER),
    "databases": ("database", schema.DATABASE),
}


@dataclass(frozen=True)
class LoadResult:
    """An inventory (when it has no errors) and every diagnostic found on the way."""

    inventory: Inventory | None
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]

    @property
    def errors(self) -> int:
        return count(self.diagnostics)[0]

    @property
    def warnings(self) -> int:
        return count(self.diagnostics)[1]


@dataclass
class _Merged:
    applications: list[Application] = dataclasses.field(default_factory=list)
    servers: list[Server] = dataclasses.field(default_factory=list)
    databases: list[Database] = dataclasses.field(default_factory=list)
    portfolio: Portfolio | None = None
    planning: Planning | None = None
    known: dict[str, set[str]] = dataclasses.field(
        default_factory=lambda: {"application": set(), "server": set(), "database": set()}
    )
    entities: int = 0


def load(path: Path) -> LoadResult:
    """Load and validate the inventory at ``path`` (a file or a directory).

    Raises ``UsageError`` when the path itself cannot be used (missing, no YAML files);
    every problem inside the files is returned as a diagnostic.
    """
    with without_cycle_collection():
        return _load(path)


def _load(path: Path) -> LoadResult:
    files = discover(path)
    diagnostics: list[Diagnostic] = []
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    merged = _Merged()
    budget = MAX_TOTAL_BYTES
    sources: list[SourceFile] = []
    lost: set[str] = set()  # files that could not be read or parsed: their ids are unknown
    for name, file_path in files:
        source, found = read(name, file_path, budget, MAX_INVENTORY_FILE_BYTES)
        diagnostics.extend(found)
        if source is not None:
            budget -= len(source.text)
            texts[name] = source.text
            sources.append(source)
        else:
            lost.add(name)
    # The largest file parsed by a forked child while this process loads the others
    # (_largest), which is started before the threads are: a fork copies only the thread
    # that calls it.
    largest = _largest(sources)
    with (
        _parsed_beside(largest) as parsed_beside,
        ThreadPoolExecutor(max_workers=_PARSERS) as pool,
    ):
        # yaml-rs lets go of the interpreter while it scans: the next files parse on other
        # threads while this one checks the file before (10,000 applications: 1.1 s →
        # 0.75 s). At most _PARSERS files are parsed ahead, and a file's parsed data is let
        # go once it is checked: the raw data of every file at once would double the peak
        # memory (a 100,000-application estate parses into gigabytes).
        ahead: deque[Future[Parsed]] = deque()
        waiting = (source for source in sources if source is not largest)
        for source in sources:
            if source is largest:
                data, found = parsed_beside()
            else:
                while len(ahead) <= _PARSERS and (following := next(waiting, None)) is not None:
                    ahead.append(pool.submit(parse, following))
                data, found = ahead.popleft().result()
            diagnostics.extend(found)
            if found:
                lost.add(source.name)
            if data is None:
                if not found and len(files) > 1:
                    diagnostics.append(
                        Diagnostic(
                            "warning",
                            source.name,
                            (),
                            "the file holds no data (it is empty, or only comments)",
                        )
                    )
                continue
            checker = FileChecker(source.name, source.text)
            _check_file(checker, data, merged, problems)
            diagnostics.extend(checker.diagnostics)

    names = tuple(name for name, _ in files)
    if not any(d.is_error for d in diagnostics) and merged.entities == 0:
        diagnostics.append(
            Diagnostic(
                "error",
                str(path),
                (),
                "the inventory is empty: no applications, servers or databases",
            )
        )
    for kind, items in (
        ("application", merged.applications),
        ("server", merged.servers),
        ("database", merged.databases),
    ):
        check_unique(kind, items, problems)
    planning = merged.planning or Planning()
    if lost:
        # What the lost files define is unknown: every reference into them would be an
        # error of its own (333,000 of them when a 76 MiB servers.yaml was refused).
        if merged.entities:
            diagnostics.append(
                Diagnostic(
                    "warning",
                    str(path),
                    (),
                    f"references between applications, servers and "
                    f"databases (and unused ones) are not checked until "
                    f"{_listed(sorted(lost))} can be read",
                )
            )
    else:
        check_references(
            merged.applications, merged.servers, merged.databases, merged.known, problems
        )
        check_planning(planning, merged.known["application"], problems)

    diagnostics = _resolve(diagnostics, problems, texts)
    order = {name: index for index, name in enumerate(names)}
    # A file that could not be read comes first: it explains what follows.
    diagnostics.sort(
        key=lambda d: (d.file not in lost, order.get(d.file, -1), d.line, d.col, d.message)
    )
    inventory = None
    if not any(d.is_error for d in diagnostics):
        inventory = Inventory(
            portfolio=merged.portfolio or Portfolio(name=path.stem or path.name),
            planning=planning,
            applications=tuple(merged.applications),
            servers=tuple(merged.servers),
            databases=tuple(merged.databases),
            files=names,
            texts=texts,
        )
    return LoadResult(inventory, tuple(diagnostics), names)


def _largest(sources: list[SourceFile]) -> SourceFile | None:
    """The file worth parsing in a forked child, if any: the largest, when it is large
    and the files before it give this process work of its own meanwhile.

    Its parse is what loading waits on (10,000 applications: ``servers.yaml``, half of
    the text, 0.6 s of 1.8 s): the threads that parse ahead hold the interpreter while
    they build what they parsed, so they cannot take it off the checks. A child has an
    interpreter of its own, and its data reads back 3 to 4 times faster than it parses
    (``marshal``: 0.17 s for that file)."""
    if len(sources) < 2 or not forked.available():
        return None
    sizes = [len(source.text) for source in sources]
    at = max(range(len(sources)), key=sizes.__getitem__)
    total = sum(sizes)
    if sizes[at] < MIN_BYTES_BESIDE or sizes[at] * 4 < total or sum(sizes[:at]) * 4 < total:
        return None
    return sources[at]


def _parsed_beside(source: SourceFile | None) -> AbstractContextManager[Callable[[], Parsed]]:
    """What gives the parse of ``source``: a forked child's (``forked.beside``: the file
    is parsed here when the child fails, as it is when it does not parse)."""
    if source is None:
        return nullcontext(lambda: (None, []))  # no file is parsed beside: not called
    return forked.beside(partial(parse, source), partial(_parsed, source), _unmarshalled)


def _parsed(source: SourceFile) -> bytes:  # pragma: no cover  (runs in the forked child)
    """The file's data, in marshal's format; raises when it does not parse (the command
    parses it again, for its diagnostics) or holds what marshal cannot write (a date)."""
    data: Any
    data, found = parse(source)
    if found:
        raise ValueError("not YAML: the diagnostics are this process's to write")
    return marshal.dumps(data)


def _unmarshalled(sent: bytes) -> Parsed:
    return marshal.loads(sent), []


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more files" if len(names) > 3 else "")


def load_inventory(path: Path) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    """The inventory for commands that need a valid one; its warnings come along."""
    result = load(path)
    if result.inventory is None:
        raise InvalidInputError(
            f"{path}: the inventory has {result.errors} error(s); run 'migrator validate {path}'",
            result.diagnostics,
        )
    return result.inventory, result.diagnostics


def _check_file(
    checker: FileChecker, data: object, merged: _Merged, problems: list[Problem]
) -> None:
    if not isinstance(data, dict):
        checker.error(
            (),
            f"expected a mapping of sections (version, portfolio, planning, "
            f"applications, servers, databases), got {describe(data)}",
        )
        return
    for key, value in data.items():
        name = key if isinstance(key, str) else str(key)
        if name == "version":
            if value is not None and (value != FORMAT_VERSION or isinstance(value, bool)):
                shown = value if type(value) is int else describe(value)
                checker.error(
                    (name,),
                    f"unsupported format version {shown}; "
                    f"this migrator reads version {FORMAT_VERSION}",
                )
        elif name in ("portfolio", "planning"):
            _check_single(checker, name, value, merged, problems)
        elif name in _SECTIONS:
            _check_section(checker, name, value, merged)
        elif not name.startswith("x-"):
            checker.error((name,), FileChecker.unknown_key(name, schema.TOP), target="key")


def _check_single(
    checker: FileChecker, name: str, value: object, merged: _Merged, problems: list[Problem]
) -> None:
    spec = schema.PORTFOLIO if name == "portfolio" else schema.PLANNING
    result = checker.check(spec, value, (name,)) if value is not None else INVALID
    if result is INVALID:
        return
    first: Portfolio | Planning | None = getattr(merged, name)
    if first is not None:
        problems.append(
            Problem(
                "error",
                Origin(checker.file, ()),
                (name,),
                f"'{name}' may appear only once in an inventory",
                target="key",
                related=Related(first.origin.file, (name,)),
            )
        )
    else:
        setattr(merged, name, result)


def _check_section(checker: FileChecker, name: str, value: Any, merged: _Merged) -> None:
    kind, spec = _SECTIONS[name]
    if value is None:
        return
    if not isinstance(value, list):
        checker.error((name,), f"expected a list of {name}, got {describe(value)}")
        return
    known = merged.known[kind]
    target: list[Any] = getattr(merged, name)
    merged.entities += len(value)
    for index, item in enumerate(value):
        if isinstance(item, dict):
            raw_id = item.get("id")
            if isinstance(raw_id, str | int):
                known.add(str(raw_id))
        result = checker.check(spec, item, (name, index))
        if result is not INVALID:
            target.append(result)


def _resolve(
    diagnostics: list[Diagnostic], problems: list[Problem], texts: Mapping[str, str]
) -> list[Diagnostic]:
    """Give every diagnostic its line and column: one location pass per file concerned."""
    pending = [p.diagnostic() for p in problems]
    wanted: dict[str, set[KeyPath]] = defaultdict(set)
    for diag in (*diagnostics, *pending):
        if diag.line == 0 and diag.file in texts:
            wanted[diag.file].add(diag.path)
    for problem in problems:
        if problem.related is not None and problem.related.file in texts:
            wanted[problem.related.file].add(problem.related.path)
    places: dict[str, dict[KeyPath, Place]] = {}
    if wanted:
        from migrator.inventory.locate import locate  # PyYAML (20 ms): to place problems only

        places = {file: locate(texts[file], paths) for file, paths in wanted.items()}

    def place(file: str, path: KeyPath, target: str) -> tuple[int, int]:
        found = places.get(file, {}).get(path)
        if found is None:
            return 0, 0
        return (found.key_line, found.key_col) if target == "key" else (found.line, found.col)

    def located(diag: Diagnostic, message: str | None = None) -> Diagnostic:
        if diag.line and message is None:
            return diag
        line, col = (diag.line, diag.col) if diag.line else place(diag.file, diag.path, diag.target)
        # The constructor, not dataclasses.replace: three times faster, and a file with
        # 400,000 problems has 400,000 of them to place.
        return Diagnostic(
            diag.severity, diag.file, diag.path, message or diag.message, diag.target, line, col
        )

    resolved = [located(d) for d in diagnostics]
    for problem, diag in zip(problems, pending, strict=True):
        message = diag.message
        if problem.related is not None:
            line, col = place(problem.related.file, problem.related.path, "value")
            message += f" (first defined at {problem.related.file}:{line}:{col})"
        resolved.append(located(diag, message))
    return _unique(resolved)


def _unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diagnostics))


def located(diagnostics: Iterable[Diagnostic], texts: Mapping[str, str]) -> list[Diagnostic]:
    """Diagnostics of a later stage (wave pins, rules, mappings), with their lines, found
    in ``texts`` (file name → text: the files the diagnostics name, as they were read)."""
    return _resolve(list(diagnostics), [], texts)


def where(inventory: Inventory, origin: Origin, *subpath: str | int) -> str:
    """``file:line:col`` of an entity (and a key below it), for messages of later stages."""
    diag = located([Diagnostic("error", origin.file, origin.path + subpath, "")], inventory.texts)[
        0
    ]
    return f"{diag.file}:{diag.line}:{diag.col}" if diag.line else diag.file
