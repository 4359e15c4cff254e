"""What rules can test: the facts of an application, a server or a database, by name.

What the catalogue says of free text (an OS string, an engine with its edition and
version, a stack's language, version and middleware) is a function of that text alone, and
the same few hundred values recur over thousands of subjects: each distinct value is looked
up once and its facts shared, read-only, by every subject that writes it (bounded caches
keyed by the value; a stack's facts live in the assessment's Context). Every fact that
belongs to one subject (its id, sizes, counts) is read from the subject itself.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from migrator.assess import catalogue
from migrator.assess.availability import residency_ok
from migrator.inventory.model import Application, Database, Inventory, Server, Stack

SubjectKind = Literal["application", "server", "database"]
SUBJECTS: tuple[SubjectKind, ...] = ("application", "server", "database")

# Every fact a rule may name, with what it means. Rules files are checked against this
# list, and `migrator rules --facts` prints it.
FACTS: dict[SubjectKind, dict[str, str]] = {
    "application": {
        "app.id": "the application's id",
        "app.name": "its name",
        "app.type": "custom, cots, saas or external",
        "app.vendor": "vendor of a COTS or SaaS product",
        "app.owner": "owning team",
        "app.domain": "business domain",
        "app.criticality": "low, medium, high or critical",
        "app.lifecycle": "invest, tolerate, migrate or eliminate (Gartner TIME)",
        "app.users": "number of users",
        "app.architecture": "monolith, n-tier, microservices, batch, desktop or mainframe",
        "app.compliance": "list of regulations (gxp, gdpr, sox, ...)",
        "app.hardware": "list of special hardware (usb-dongle, serial-port, gpu, ...)",
        "app.data_classification": "public, internal, confidential or restricted",
        "app.data_residency": "region constraint on its data (eu, de, ch, ...)",
        "app.tags": "list of tags",
        "app.servers_count": "number of servers it runs on",
        "app.databases_count": "number of databases it uses",
        "app.depends_on_count": "number of applications it calls or reads",
        "app.dependents_count": "number of applications that call or read it",
        "app.latency_sensitive_count": "number of latency-sensitive dependencies, both ways",
        "app.external_providers": "list of external applications it depends on",
        "app.data_completeness": "share of the assessment's inputs that are filled in (0-1)",
        "app.has_decision": "true when the inventory decides its strategy",
        "stack.language": "main language as written",
        "stack.language_version": "language version as written",
        "stack.frameworks": "list of frameworks",
        "stack.middleware": "list of middleware",
        "stack.containerized": "already runs in containers",
        "stack.stateless": "keeps no state on its servers",
        "runtime.language": "the language as recognised by the catalogue (java, cobol, ...)",
        "runtime.containerizable": "yes, partial or no: its language runs in a container",
        "runtime.end_of_support": "end of support of its language version",
        "runtime.version": "its language version as recognised",
        "middleware.known": "list of recognised middleware and frameworks",
        "middleware.not_containerizable": "list of those that do not run in containers",
        "middleware.partly_containerizable": "list of those that need work to containerise",
        "availability.rto_hours": "recovery time objective, hours",
        "availability.rpo_hours": "recovery point objective, hours",
        "availability.sla": "service level, percent",
        "licensing.model": "per-core, per-socket, per-user, subscription, open-source, site",
        "licensing.cloud_portable": "its licence may be used on Google Cloud",
        "portfolio.region": "the target Google Cloud region",
        "residency.satisfied": "true/false when the region meets its data residency, "
        "absent when it cannot be told",
        "saas.category": "the SaaS category it matches (mail, hr, crm, ...) if COTS",
        "saas.category_name": "that category's name (Email and calendar, ...)",
        "saas.replacements": "SaaS products that could replace it",
        "app.gpu_servers_count": "number of its servers that record their GPUs (servers[].gpu)",
        "landing.targets": "the Google Cloud services it lands on (known once its strategy "
        "is chosen: rules on landing.* facts run after the strategy)",
        "landing.region": "the region it lands in",
        "landing.not_in_region": "list of its targets the region does not offer, each with "
        "the nearest region that does",
        "landing.unconfirmed": "list of its targets whose availability in the region is "
        "not confirmed",
        "landing.substituted": "list of what took the place of something the region lacks "
        "(a GPU model)",
    },
    "server": {
        "server.id": "the server's id",
        "server.environment": "prod, preprod, test, dev or dr",
        "server.cpu": "vCPUs",
        "server.memory_gb": "memory, GB",
        "server.storage_gb": "provisioned storage, GB",
        "server.storage_used_gb": "used storage, GB",
        "server.cpu_arch": "x86_64, arm64, sparc, power, s390x or itanium: as recorded, or as "
        "the OS implies when not recorded",
        "server.platform": "vmware, hyperv, kvm, physical, mainframe or aix-lpar",
        "server.power_state": "on or off",
        "server.cpu_p95": "95th percentile CPU use, percent",
        "server.memory_p95": "95th percentile memory use, percent",
        "os.text": "the OS as written",
        "os.known": "true when the catalogue recognises the OS",
        "os.id": "catalogue id of the OS",
        "os.family": "windows, linux, unix, mainframe or other",
        "os.name": "product and version, e.g. Windows Server 2008 R2",
        "os.kind": "server, desktop or appliance (a firewall, load balancer or router OS)",
        "os.bits": "32 or 64 when the OS string says",
        "os.cpu_arch": "CPU architecture the OS implies",
        "os.end_of_support": "vendor end of support",
        "os.extended_until": "end of paid extended support (ESU, ELS, LTSS ...)",
        "os.compute_engine": "image (public image), import (runs when imported) or none",
    },
    "database": {
        "db.id": "the database's id",
        "db.engine": "engine as recognised (oracle, sqlserver, ...), else as written",
        "db.engine_known": "true when the catalogue knows the engine",
        "db.engine_name": "the engine's product name (Oracle Database, SQL Server, ...)",
        "db.version": "version as written",
        "db.version_known": "true when the catalogue recognises the version",
        "db.release": "the version as recognised (19c, 2008 R2, 9.6, ...)",
        "db.end_of_support": "vendor or community end of support of the version",
        "db.edition": "edition as written",
        "db.size_gb": "data size, GB",
        "db.features": "list of engine features in use (rac, linked-servers, ...)",
        "db.managed_target": "the managed Google Cloud service that takes this version as is",
        "db.managed_service_exists": "true when some managed service exists for the engine",
    },
}


@dataclass(frozen=True, slots=True)
class Context:
    """What facts need beyond the entity itself: the whole inventory, counted once."""

    inventory: Inventory
    dependents: Mapping[str, int]
    latency_links: Mapping[str, int]
    today: dt.date
    gpu_servers: frozenset[str] = frozenset()  # servers that record their GPUs
    external: frozenset[str] = frozenset()  # ids of the external applications
    # The facts of each distinct stack (``_stack_facts``), filled as applications are
    # assessed: bounded by the inventory's stacks, gone with the context.
    stacks: dict[tuple[Any, ...], dict[str, Any]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(cls, inventory: Inventory, today: dt.date) -> Context:
        dependents: dict[str, int] = {}
        latency: dict[str, int] = {}
        for app in inventory.applications:
            for dep in app.depends_on:
                dependents[dep.app] = dependents.get(dep.app, 0) + 1
                if dep.latency_sensitive:
                    latency[app.id] = latency.get(app.id, 0) + 1
                    latency[dep.app] = latency.get(dep.app, 0) + 1
        gpus = frozenset(s.id for s in inventory.servers if s.gpu is not None)
        external = frozenset(i for i, a in inventory.apps_by_id.items() if a.type == "external")
        return cls(inventory, dependents, latency, today, gpus, external)


def server_facts(server: Server) -> dict[str, Any]:
    util = server.utilization
    system = _os_facts(server.os)
    arch = server.cpu_arch
    if "cpu_arch" not in server.given and system.get("os.cpu_arch") not in (None, "x86_64"):
        arch = system["os.cpu_arch"]  # not recorded, but the OS says (AIX: POWER, z/OS: s390x)
    return {
        "server.id": server.id,
        "server.environment": server.environment,
        "server.cpu": server.cpu,
        "server.memory_gb": server.memory_gb,
        "server.storage_gb": server.storage_gb,
        "server.storage_used_gb": server.storage_used_gb,
        "server.cpu_arch": arch,
        "server.platform": server.platform,
        "server.power_state": server.power_state,
        "server.cpu_p95": util.cpu_p95 if util else None,
        "server.memory_p95": util.memory_p95 if util else None,
        "os.text": server.os,
        **system,
    }


@functools.lru_cache(maxsize=4096)
def os_facts(text: str | None) -> Mapping[str, Any]:
    """The facts of an OS string; the same few dozen strings recur on thousands of servers."""
    return MappingProxyType(_os_facts(text))


@functools.lru_cache(maxsize=4096)
def _os_facts(text: str | None) -> dict[str, Any]:
    """``os_facts`` as the dict a server's facts are built from (copied, never changed:
    a plain dict merges into another in one step, a read-only view does not)."""
    match = catalogue.recognise_os(text) if text else None
    if match is None:
        return {"os.known": False if text else None}
    entry = match.entry
    return {
        "os.known": True,
        "os.id": entry.id,
        "os.family": entry.family,
        "os.name": entry.name,
        "os.kind": entry.kind,
        "os.bits": match.bits,
        "os.cpu_arch": entry.cpu_arch,
        "os.end_of_support": entry.end_of_support,
        "os.extended_until": entry.extended_until,
        "os.compute_engine": entry.compute_engine,
    }


def database_facts(db: Database) -> dict[str, Any]:
    known = _engine_facts(db.engine, db.edition, db.version)
    return {
        "db.id": db.id,
        "db.engine": known[0],
        "db.engine_known": known[1],
        "db.engine_name": known[2],
        "db.version": db.version,
        "db.version_known": known[3],
        "db.release": known[4],
        "db.end_of_support": known[5],
        "db.edition": db.edition,
        "db.size_gb": db.size_gb,
        "db.features": db.features,
        "db.managed_target": known[6],
        "db.managed_service_exists": known[7],
    }


@functools.lru_cache(maxsize=4096)
def _engine_facts(
    engine_text: str | None, edition: str | None, version_text: str | None
) -> tuple[Any, ...]:
    """What the catalogue says of an engine, edition and version as written: a function of
    those three strings alone, which a few dozen combinations cover in most estates."""
    engine = catalogue.engine(engine_text, edition)
    release = engine.version(version_text) if engine else None
    # Managed services that take the engine as it is (replatform); a conversion to another
    # engine (refactor) is not "a managed service for this database".
    managed_services = (
        [t for t in engine.targets if t.managed and t.strategy == "replatform"] if engine else []
    )
    version = release.version if release else None
    managed = next((t.service for t in managed_services if t.accepts(version)), None)
    return (
        engine.id if engine else engine_text,
        engine is not None if engine_text else None,
        engine.name if engine else engine_text,
        release is not None if version_text and engine else None,
        release.version if release else None,
        release.end_of_support if release else None,
        managed,
        bool(managed_services) if engine else None,
    )


def application_facts(app: Application, context: Context, completeness: float) -> dict[str, Any]:
    stack = app.stack
    stack_facts = _NO_STACK
    if stack is not None:
        # Keyed by the stack's fields as a plain tuple: hashed and compared without a call.
        key = (
            stack.language,
            stack.language_version,
            stack.frameworks,
            stack.middleware,
            stack.containerized,
            stack.stateless,
        )
        known = context.stacks.get(key)
        if known is None:
            known = context.stacks[key] = _stack_facts(stack)
        stack_facts = known
    inventory = context.inventory
    region = inventory.portfolio.region
    saas = None
    if app.type == "cots":
        saas = catalogue.saas_category(
            (app.name, app.vendor or "", app.description or "", *app.tags)
        )
    availability, licensing = app.availability, app.licensing
    external = context.external
    return {
        "app.id": app.id,
        "app.name": app.name,
        "app.type": app.type,
        "app.vendor": app.vendor,
        "app.owner": app.owner,
        "app.domain": app.domain,
        "app.criticality": app.criticality,
        "app.lifecycle": app.lifecycle,
        "app.users": app.users,
        "app.architecture": app.architecture,
        "app.compliance": app.compliance,
        "app.hardware": app.hardware,
        "app.data_classification": app.data_classification,
        "app.data_residency": app.data_residency,
        "app.tags": app.tags,
        "app.servers_count": len(app.servers),
        "app.databases_count": len(app.databases),
        "app.depends_on_count": len(app.depends_on),
        "app.dependents_count": context.dependents.get(app.id, 0),
        "app.latency_sensitive_count": context.latency_links.get(app.id, 0),
        "app.external_providers": tuple([d.app for d in app.depends_on if d.app in external])
        if external
        else (),
        "app.data_completeness": completeness,
        "app.has_decision": app.decision is not None and app.decision.strategy is not None,
        **stack_facts,
        "availability.rto_hours": availability.rto_hours if availability else None,
        "availability.rpo_hours": availability.rpo_hours if availability else None,
        "availability.sla": availability.sla if availability else None,
        "licensing.model": licensing.model if licensing else None,
        "licensing.cloud_portable": licensing.cloud_portable if licensing else None,
        "portfolio.region": region,
        "residency.satisfied": residency_ok(app.data_residency, region),
        "app.gpu_servers_count": sum(1 for s in app.servers if s in context.gpu_servers)
        if context.gpu_servers
        else 0,
        "saas.category": saas.id if saas else None,
        "saas.category_name": saas.name if saas else None,
        "saas.replacements": saas.replacements if saas else (),
    }


def _stack_facts(stack: Stack) -> dict[str, Any]:
    """The facts of a stack: a function of its value alone (the catalogue's answers to its
    language, version and middleware), so applications with equal stacks share them."""
    lang = catalogue.language(stack.language)
    lang_version = lang.version(stack.language_version) if lang else None
    # One entry per catalogue item, however many stack items name it (Slurm and Nextflow).
    known = list(
        {
            m.id: m
            for m in (catalogue.middleware(item) for item in stack.middleware + stack.frameworks)
            if m is not None
        }.values()
    )
    return {
        "stack.language": stack.language,
        "stack.language_version": stack.language_version,
        "stack.frameworks": stack.frameworks,
        "stack.middleware": stack.middleware,
        "stack.containerized": stack.containerized,
        "stack.stateless": stack.stateless,
        "runtime.language": lang.id if lang else None,
        "runtime.containerizable": lang.containerizable if lang else None,
        "runtime.end_of_support": lang_version.end_of_support if lang_version else None,
        "runtime.version": lang_version.version if lang_version else None,
        "middleware.known": tuple(m.name for m in known),
        "middleware.not_containerizable": tuple(m.name for m in known if m.containerizable == "no"),
        "middleware.partly_containerizable": tuple(
            m.name for m in known if m.containerizable == "partial"
        ),
    }


# A plain dict (never changed) rather than a read-only view: a dict merges in one step.
_NO_STACK: dict[str, Any] = {
    "stack.language": None,
    "stack.language_version": None,
    "stack.frameworks": (),
    "stack.middleware": (),
    "stack.containerized": None,
    "stack.stateless": None,
    "runtime.language": None,
    "runtime.containerizable": None,
    "runtime.end_of_support": None,
    "runtime.version": None,
    "middleware.known": (),
    "middleware.not_containerizable": (),
    "middleware.partly_containerizable": (),
}
