"""The typed, immutable model of an inventory (docs/inventory.md), with its defaults."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NewType, get_args

from migrator.choices import Order
from migrator.diagnostics import KeyPath
from migrator.speed import fast_init

AppId = NewType("AppId", str)
ServerId = NewType("ServerId", str)
DatabaseId = NewType("DatabaseId", str)

AppType = Literal["custom", "cots", "saas", "external"]
Criticality = Literal["low", "medium", "high", "critical"]
Lifecycle = Literal["invest", "tolerate", "migrate", "eliminate"]
Architecture = Literal["monolith", "n-tier", "microservices", "batch", "desktop", "mainframe"]
DataClassification = Literal["public", "internal", "confidential", "restricted"]
LicensingModel = Literal[
    "per-core", "per-socket", "per-user", "subscription", "open-source", "site"
]
DependencyKind = Literal["sync", "async", "batch", "file", "database"]
Strategy = Literal["rehost", "replatform", "refactor", "repurchase", "retire", "retain", "relocate"]
Environment = Literal["prod", "preprod", "test", "dev", "dr"]
CpuArch = Literal["x86_64", "arm64", "sparc", "power", "s390x", "itanium"]
Platform = Literal["vmware", "hyperv", "kvm", "physical", "mainframe", "aix-lpar"]
PowerState = Literal["on", "off"]

STRATEGIES: tuple[Strategy, ...] = get_args(Strategy)
DEPENDENCY_KINDS: tuple[DependencyKind, ...] = get_args(DependencyKind)

# Open vocabularies: the format lists these values as examples, so others are accepted;
# a value close to a known one gets a "did you mean" warning.
KNOWN_COMPLIANCE = ("gxp", "gdpr", "hipaa", "sox", "pci-dss", "iso27001", "soc2", "nis2", "dora")
KNOWN_HARDWARE = (
    "usb-dongle",
    "gpu",
    "serial-port",
    "hsm",
    "fax",
    "tape",
    "smartcard",
    "parallel-port",
    "license-server",
    "modem",
    "scanner",
    "printer",
)
KNOWN_ENGINES = (
    "oracle",
    "sqlserver",
    "postgresql",
    "mysql",
    "mariadb",
    "db2",
    "sybase",
    "informix",
    "mongodb",
    "redis",
    "cassandra",
    "elasticsearch",
    "couchbase",
    "memcached",
    "neo4j",
    "ingres",
    "progress",
    "access",
    "hana",
    "maxdb",
    # spellings CMDBs use, which the assessment's catalogue knows
    "mssql",
    "postgres",
    "pgsql",
    "oracle-db",
    "sql-server",
    "db2zos",
    "ase",
)
KNOWN_DB_FEATURES = (
    "rac",
    "partitioning",
    "linked-servers",
    "clr",
    "cdc",
    "data-guard",
    "always-on",
    "replication",
    "sharding",
    "tde",
    "spatial",
    "full-text",
    "ssis",
    "ssrs",
    "ssas",
    "goldengate",
    "advanced-security",
)

_EMPTY: Mapping[str, object] = MappingProxyType({})


@fast_init
@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entity was written: its file and key path, for diagnostics of later stages."""

    file: str
    path: KeyPath


NOWHERE = Origin("", ())


@fast_init
@dataclass(frozen=True, slots=True)
class Stack:
    language: str | None = None
    language_version: str | None = None
    frameworks: tuple[str, ...] = ()
    middleware: tuple[str, ...] = ()
    containerized: bool | None = None
    stateless: bool | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class Availability:
    rto_hours: float | None = None
    rpo_hours: float | None = None
    sla: float | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class Licensing:
    model: LicensingModel | None = None
    cloud_portable: bool | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class Decision:
    """A manual override of the assessment: it always wins over the rules."""

    strategy: Strategy | None = None
    targets: tuple[str, ...] = ()
    wave: int | None = None
    rationale: str | None = None
    origin: Origin = NOWHERE


@fast_init
@dataclass(frozen=True, slots=True)
class Dependency:
    """``A depends_on B``: A (the consumer) calls or reads B (the provider)."""

    app: AppId
    kind: DependencyKind = "sync"
    latency_sensitive: bool = False
    description: str | None = None
    bridge: bool | None = None  # may cross waves over the hybrid link; None: by its kind
    origin: Origin = NOWHERE


@fast_init
@dataclass(frozen=True, slots=True)
class Application:
    id: AppId
    name: str
    description: str | None = None
    owner: str | None = None
    domain: str | None = None
    type: AppType = "custom"
    vendor: str | None = None
    criticality: Criticality = "medium"
    lifecycle: Lifecycle = "migrate"
    users: int | None = None
    architecture: Architecture | None = None
    stack: Stack | None = None
    compliance: tuple[str, ...] = ()
    data_classification: DataClassification | None = None
    data_residency: str | None = None
    availability: Availability | None = None
    hardware: tuple[str, ...] = ()
    licensing: Licensing | None = None
    servers: tuple[ServerId, ...] = ()
    databases: tuple[DatabaseId, ...] = ()
    depends_on: tuple[Dependency, ...] = ()
    decision: Decision | None = None
    tags: tuple[str, ...] = ()
    given: frozenset[str] = frozenset()  # the keys written, to tell a default from a value
    extensions: Mapping[str, object] = field(default_factory=lambda: _EMPTY)
    origin: Origin = NOWHERE


@fast_init
@dataclass(frozen=True, slots=True)
class Utilization:
    cpu_p95: float | None = None
    memory_p95: float | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class Gpus:
    """The GPUs a server carries: an addition to the format's servers, for sizing GPU machine types."""

    count: int = 1
    model: str | None = None  # as written, e.g. "NVIDIA V100", "Tesla T4", "A100 80GB"


@fast_init
@dataclass(frozen=True, slots=True)
class Server:
    id: ServerId
    hostname: str | None = None
    datacenter: str | None = None
    cluster: str | None = None
    os: str | None = None
    environment: Environment | None = None
    cpu: float | None = None
    memory_gb: float | None = None
    storage_gb: float | None = None
    storage_used_gb: float | None = None
    cpu_arch: CpuArch = "x86_64"
    platform: Platform | None = None
    utilization: Utilization | None = None
    power_state: PowerState | None = None
    ip_addresses: tuple[str, ...] = ()
    gpu: Gpus | None = None
    given: frozenset[str] = frozenset()  # the keys written, to tell a default from a value
    extensions: Mapping[str, object] = field(default_factory=lambda: _EMPTY)
    origin: Origin = NOWHERE


@fast_init
@dataclass(frozen=True, slots=True)
class Database:
    id: DatabaseId
    engine: str | None = None
    version: str | None = None
    edition: str | None = None
    size_gb: float | None = None
    server: ServerId | None = None
    features: tuple[str, ...] = ()
    given: frozenset[str] = frozenset()  # the keys written, to tell a default from a value
    extensions: Mapping[str, object] = field(default_factory=lambda: _EMPTY)
    origin: Origin = NOWHERE


@dataclass(frozen=True, slots=True)
class OnPremCosts:
    """What the data centres cost today, per month, for a side-by-side estimate."""

    per_server_month: float | None = None
    per_vcpu_month: float | None = None
    per_storage_gb_month: float | None = None
    fixed_month: float | None = None


@dataclass(frozen=True, slots=True)
class Portfolio:
    name: str | None = None
    region: str | None = None
    currency: str | None = None
    onprem: OnPremCosts | None = None
    origin: Origin = NOWHERE


@dataclass(frozen=True, slots=True)
class Freeze:
    """A period in which no wave runs (year-end close, an inspection, a plant shutdown)."""

    start: dt.date
    end: dt.date
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Planning:
    start: dt.date | None = None
    wave_weeks: int = 4
    max_apps_per_wave: int = 10
    max_servers_per_wave: int | None = None
    max_person_days_per_wave: int | None = None
    # Dependency kinds that may cross waves either way, served over the hybrid link.
    bridge: tuple[DependencyKind, ...] = ()
    # Applications extended to the cloud rather than moved first: consumers may go before.
    shared_services: tuple[AppId, ...] = ()
    order: Order = "providers-first"
    freeze: tuple[Freeze, ...] = ()
    origin: Origin = NOWHERE

    def bridged(self, dependency: Dependency) -> bool:
        """Whether a dependency may cross waves (rule 7 of docs/waves.md): its own ``bridge`` key if
        written, else whether its kind is in ``bridge``."""
        if dependency.bridge is not None:
            return dependency.bridge
        return dependency.kind in self.bridge


@dataclass(frozen=True, slots=True)
class Inventory:
    """A whole, validated inventory: what every later stage reads."""

    portfolio: Portfolio
    planning: Planning
    applications: tuple[Application, ...]
    servers: tuple[Server, ...]
    databases: tuple[Database, ...]
    files: tuple[str, ...] = ()
    # The text of each file (by name): later stages locate their problems in it.
    texts: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    apps_by_id: Mapping[AppId, Application] = field(init=False, repr=False, compare=False)
    servers_by_id: Mapping[ServerId, Server] = field(init=False, repr=False, compare=False)
    databases_by_id: Mapping[DatabaseId, Database] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen, so the indexes are set once here; ids are unique in a valid inventory.
        object.__setattr__(self, "apps_by_id", {a.id: a for a in self.applications})
        object.__setattr__(self, "servers_by_id", {s.id: s for s in self.servers})
        object.__setattr__(self, "databases_by_id", {d.id: d for d in self.databases})
