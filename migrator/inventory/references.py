"""Checks across the whole inventory: unique ids, references that resolve, unused entities."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from migrator.diagnostics import Diagnostic, KeyPath, Severity, Suggestions, Target
from migrator.inventory.model import Application, Database, Origin, Planning, Server


@dataclass(frozen=True, slots=True)
class Related:
    """The other place a diagnostic names ("first defined at ...")."""

    file: str
    path: KeyPath


@dataclass
class Problem:
    """A cross-reference diagnostic before its lines are known."""

    severity: Severity
    origin: Origin
    subpath: KeyPath
    message: str
    target: Target = "value"
    related: Related | None = None

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(
            self.severity,
            self.origin.file,
            self.origin.path + self.subpath,
            self.message,
            self.target,
        )


class _Lazy:
    """Suggestions among a kind's ids, built only if a reference is unknown."""

    def __init__(self, ids: set[str]) -> None:
        self._ids = ids
        self._suggestions: Suggestions | None = None

    def __call__(self, word: str) -> str:
        if self._suggestions is None:
            self._suggestions = Suggestions(self._ids, cutoff=0.75)
        return self._suggestions(word)


def check_unique(
    kind: str, items: Iterable[Application | Server | Database], problems: list[Problem]
) -> None:
    first: dict[str, Origin] = {}
    for item in items:
        seen = first.get(item.id)
        if seen is None:
            first[item.id] = item.origin
        else:
            problems.append(
                Problem(
                    "error",
                    item.origin,
                    ("id",),
                    f"duplicate {kind} id '{item.id}'",
                    related=Related(seen.file, seen.path + ("id",)),
                )
            )


def check_references(
    applications: Sequence[Application],
    servers: Sequence[Server],
    databases: Sequence[Database],
    known: dict[str, set[str]],
    problems: list[Problem],
) -> None:
    """``known`` holds every id written, even on entities that failed their own checks,
    so that one broken server does not make every application using it an error too."""
    app_ids, server_ids, db_ids = known["application"], known["server"], known["database"]
    apps_like, servers_like, databases_like = _Lazy(app_ids), _Lazy(server_ids), _Lazy(db_ids)
    used_servers: set[str] = set()
    used_databases: set[str] = set()
    for app in applications:
        for index, server_id in enumerate(app.servers):
            used_servers.add(server_id)
            if server_id not in server_ids:
                problems.append(
                    Problem(
                        "error",
                        app.origin,
                        ("servers", index),
                        f"unknown server '{server_id}'{servers_like(server_id)}",
                    )
                )
        for index, database_id in enumerate(app.databases):
            used_databases.add(database_id)
            if database_id not in db_ids:
                problems.append(
                    Problem(
                        "error",
                        app.origin,
                        ("databases", index),
                        f"unknown database '{database_id}'{databases_like(database_id)}",
                    )
                )
        seen: set[str] = set()
        for dep in app.depends_on:
            if dep.app == app.id:
                problems.append(
                    Problem("error", dep.origin, (), f"application '{app.id}' depends on itself")
                )
            elif dep.app not in app_ids:
                problems.append(
                    Problem(
                        "error",
                        dep.origin,
                        (),
                        f"unknown application '{dep.app}'{apps_like(dep.app)}",
                    )
                )
            elif dep.app in seen:
                problems.append(
                    Problem("warning", dep.origin, (), f"'{dep.app}' is listed twice in depends_on")
                )
            seen.add(dep.app)
    for db in databases:
        if db.server is not None and db.server not in server_ids:
            problems.append(
                Problem(
                    "error",
                    db.origin,
                    ("server",),
                    f"unknown server '{db.server}'{servers_like(db.server)}",
                )
            )
        if db.id not in used_databases:
            problems.append(
                Problem(
                    "warning",
                    db.origin,
                    ("id",),
                    f"database '{db.id}' is not used by any application",
                )
            )
    # A database's server counts as used: the application reaches it through the database.
    used_servers.update(
        db.server for db in databases if db.id in used_databases and db.server is not None
    )
    for server in servers:
        if server.id not in used_servers:
            problems.append(
                Problem(
                    "warning",
                    server.origin,
                    ("id",),
                    f"server '{server.id}' is not used by any application",
                )
            )
        if (
            server.storage_used_gb is not None
            and server.storage_gb is not None
            and server.storage_used_gb > server.storage_gb
        ):
            problems.append(
                Problem(
                    "warning",
                    server.origin,
                    ("storage_used_gb",),
                    f"used storage ({server.storage_used_gb:g} GB) is more than "
                    f"provisioned storage ({server.storage_gb:g} GB)",
                )
            )


def check_planning(planning: Planning, app_ids: set[str], problems: list[Problem]) -> None:
    suggest = _Lazy(app_ids)
    for index, app_id in enumerate(planning.shared_services):
        if app_id not in app_ids:
            problems.append(
                Problem(
                    "error",
                    planning.origin,
                    ("shared_services", index),
                    f"unknown application '{app_id}'{suggest(app_id)}",
                )
            )
    for index, freeze in enumerate(planning.freeze):
        if freeze.end < freeze.start:
            problems.append(
                Problem(
                    "error",
                    planning.origin,
                    ("freeze", index, "to"),
                    f"the freeze ends ({freeze.end}) before it starts ({freeze.start})",
                )
            )
