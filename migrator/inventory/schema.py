"""The inventory format (docs/inventory.md) as data: one tree that drives validation and JSON Schema."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from migrator.choices import Order
from migrator.inventory import model as m

Kind = Literal[
    "text", "int", "number", "bool", "date", "enum", "open-enum", "id", "list", "map", "any"
]


@dataclass(frozen=True, eq=False)  # compared by identity: specs are singletons
class Spec:
    """What one value of the inventory may be."""

    kind: Kind
    doc: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()  # enum: the only values; open-enum: the known ones
    minimum: float | None = None
    maximum: float | None = None
    items: Spec | None = None
    fields: dict[str, Spec] = field(default_factory=dict)
    model: type | None = None  # a map becomes an instance of this frozen dataclass
    attr: str | None = None  # the model's attribute, when it differs from the key
    shorthand: str | None = None  # a map that may be written as a bare text: the key it fills
    located: bool = False  # the model records where it was written (``origin``)
    extensions: bool = False  # the model keeps its ``x-`` keys (``extensions``)


# Upper bounds far beyond any real machine, so that a slip of the keyboard (a 400-digit
# cpu, memory_gb: 1e308) is an error rather than an infinite cost. Numbers without a
# bound of their own stop at MAX_NUMBER.
CPUS = 100_000  # vCPUs of one server
MEMORY_GB = 1_000_000  # 1 PB
STORAGE_GB = 1_000_000_000  # 1 EB
USERS = 10_000_000_000  # more than people on earth
HOURS = 1_000_000  # about 114 years
MAX_WAVE_WEEKS = 52  # a wave longer than a year is no wave

SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")  # an id
# Dates a plan can mean: wide enough for any real start, freeze or support date, and far
# enough inside Python's calendar (years 1 to 9999) that the dates computed from them
# (waves, "today+365d") never overflow it.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)
# A number with no maximum of its own still has this one: beyond it, sums and products
# of the estate's numbers would lose whole units or overflow (a 400-digit cpu count).
MAX_NUMBER = 1e15


def bounds(spec: Spec) -> tuple[float, float]:
    """The least and the greatest number ``spec`` allows."""
    low = spec.minimum if spec.minimum is not None else -MAX_NUMBER
    high = spec.maximum if spec.maximum is not None else MAX_NUMBER
    return low, high


def _enum(literal: Any, doc: str = "", required: bool = False) -> Spec:
    return Spec("enum", doc, required=required, choices=get_args(literal))


def _text(doc: str = "", required: bool = False) -> Spec:
    return Spec("text", doc, required=required)


def _texts(doc: str = "") -> Spec:
    return Spec("list", doc, items=Spec("text"))


def _number(doc: str = "", maximum: float | None = None) -> Spec:
    return Spec("number", doc, minimum=0, maximum=maximum)


def _ids(doc: str) -> Spec:
    return Spec("list", doc, items=Spec("id"))


STACK = Spec(
    "map",
    "Technology stack.",
    model=m.Stack,
    fields={
        "language": _text("Main programming language, e.g. java, csharp, cobol, vb6."),
        "language_version": _text('Language or runtime version, as text ("1.8", "4.8").'),
        "frameworks": _texts("Frameworks, e.g. spring, struts, .net-framework."),
        "middleware": _texts("Middleware, e.g. weblogic, websphere, iis, tomcat."),
        "containerized": Spec("bool", "Already runs in containers."),
        "stateless": Spec("bool", "Keeps no state on its servers (sessions, files)."),
    },
)

AVAILABILITY = Spec(
    "map",
    "Availability objectives.",
    model=m.Availability,
    fields={
        "rto_hours": _number("Recovery time objective, hours.", maximum=HOURS),
        "rpo_hours": _number("Recovery point objective, hours.", maximum=HOURS),
        "sla": _number("Service level, percent.", maximum=100),
    },
)

LICENSING = Spec(
    "map",
    "Software licensing.",
    model=m.Licensing,
    fields={
        "model": _enum(m.LicensingModel, "How the software is licensed."),
        "cloud_portable": Spec("bool", "The licence may be used on Google Cloud."),
    },
)

DECISION = Spec(
    "map",
    "Manual override of the assessment; it always wins.",
    model=m.Decision,
    located=True,
    fields={
        "strategy": _enum(m.Strategy, "The 7R strategy decided."),
        "targets": _texts("Google Cloud services it lands on."),
        "wave": Spec("int", "Pins the application's move group to this wave.", minimum=1),
        "rationale": _text("Why it was decided."),
    },
)

DEPENDENCY = Spec(
    "map",
    "An application this one calls or reads (the provider).",
    model=m.Dependency,
    shorthand="app",
    located=True,
    fields={
        "app": Spec("id", "Id of the provider application.", required=True),
        "kind": _enum(m.DependencyKind, "How the two talk."),
        "latency_sensitive": Spec("bool", "Must stay close: the two move together."),
        "description": _text("What flows between them."),
        "bridge": Spec(
            "bool",
            "May cross waves over the hybrid link (true), or never (false); "
            "without it, planning.bridge decides by kind.",
        ),
    },
)

APPLICATION = Spec(
    "map",
    "An application of the portfolio.",
    model=m.Application,
    located=True,
    extensions=True,
    fields={
        "id": Spec("id", "Unique id (a slug).", required=True),
        "name": _text("Display name.", required=True),
        "description": _text(),
        "owner": _text("Owning team or person."),
        "domain": _text("Business domain, e.g. research."),
        "type": _enum(m.AppType, "external: outside the portfolio, never migrated."),
        "vendor": _text("Vendor of a COTS or SaaS product."),
        "criticality": _enum(m.Criticality),
        "lifecycle": _enum(m.Lifecycle, "Gartner TIME."),
        "users": Spec("int", "Number of users.", minimum=0, maximum=USERS),
        "architecture": _enum(m.Architecture),
        "stack": STACK,
        "compliance": Spec(
            "list", "Regulations that apply.", items=Spec("open-enum", choices=m.KNOWN_COMPLIANCE)
        ),
        "data_classification": _enum(m.DataClassification),
        "data_residency": _text("Region constraint on the data, e.g. eu, de, ch."),
        "availability": AVAILABILITY,
        "hardware": Spec(
            "list", "Special hardware it needs.", items=Spec("open-enum", choices=m.KNOWN_HARDWARE)
        ),
        "licensing": LICENSING,
        "servers": _ids("Ids of the servers it runs on."),
        "databases": _ids("Ids of the databases it uses."),
        "depends_on": Spec("list", "Applications it calls or reads.", items=DEPENDENCY),
        "decision": DECISION,
        "tags": _texts(),
    },
)

UTILIZATION = Spec(
    "map",
    "Measured peak use.",
    model=m.Utilization,
    fields={
        "cpu_p95": _number("95th percentile CPU use, percent.", maximum=100),
        "memory_p95": _number("95th percentile memory use, percent.", maximum=100),
    },
)

GPUS = Spec(
    "map",
    "The GPUs the server carries (an addition to the format's version 1).",
    model=m.Gpus,
    fields={
        "count": Spec("int", "How many GPUs.", minimum=1, maximum=16),
        "model": _text("GPU model as written, e.g. NVIDIA V100, Tesla T4, A100 80GB, L4."),
    },
)

SERVER = Spec(
    "map",
    "A server (virtual or physical).",
    model=m.Server,
    located=True,
    extensions=True,
    fields={
        "id": Spec("id", "Unique id (a slug).", required=True),
        "hostname": _text(),
        "datacenter": _text(),
        "cluster": _text(),
        "os": _text("Operating system as discovery tools write it."),
        "environment": _enum(m.Environment),
        "cpu": _number("Virtual CPUs.", maximum=CPUS),
        "memory_gb": _number("Memory, GB.", maximum=MEMORY_GB),
        "storage_gb": _number("Provisioned storage, GB.", maximum=STORAGE_GB),
        "storage_used_gb": _number("Used storage, GB.", maximum=STORAGE_GB),
        "cpu_arch": _enum(m.CpuArch),
        "platform": _enum(m.Platform),
        "utilization": UTILIZATION,
        "power_state": _enum(m.PowerState),
        "ip_addresses": _texts(
            "Its IPv4/IPv6 addresses (filled by imports; used to resolve discovered connections)."
        ),
        "gpu": GPUS,
    },
)

DATABASE = Spec(
    "map",
    "A database.",
    model=m.Database,
    located=True,
    extensions=True,
    fields={
        "id": Spec("id", "Unique id (a slug).", required=True),
        "engine": Spec("open-enum", "Database engine.", choices=m.KNOWN_ENGINES),
        "version": _text('Engine version, as text ("19c", "12.2", "2012").'),
        "edition": _text(),
        "size_gb": _number("Data size, GB.", maximum=STORAGE_GB),
        "server": Spec("id", "Id of the server it runs on."),
        "features": Spec(
            "list", "Engine features in use.", items=Spec("open-enum", choices=m.KNOWN_DB_FEATURES)
        ),
    },
)

ONPREM = Spec(
    "map",
    "What the data centres cost today, per month (for a side-by-side estimate).",
    model=m.OnPremCosts,
    fields={
        "per_server_month": _number("Cost of a server per month (hardware, hosting, support)."),
        "per_vcpu_month": _number("Cost of a vCPU per month (virtualisation, licences)."),
        "per_storage_gb_month": _number("Cost of a GB of storage per month."),
        "fixed_month": _number("Fixed monthly cost the move removes (a data-centre contract)."),
    },
)

PORTFOLIO = Spec(
    "map",
    "The portfolio as a whole.",
    model=m.Portfolio,
    located=True,
    fields={
        "name": _text(),
        "region": _text("Default Google Cloud target region, e.g. europe-west1."),
        "currency": _text("Currency for costs, e.g. EUR."),
        "onprem": ONPREM,
    },
)

FREEZE = Spec(
    "map",
    "A period in which no wave runs.",
    model=m.Freeze,
    fields={
        "from": Spec("date", "First day of the freeze.", required=True, attr="start"),
        "to": Spec("date", "Last day of the freeze.", required=True, attr="end"),
        "reason": _text(),
    },
)

PLANNING = Spec(
    "map",
    "Wave-planning settings (docs/waves.md).",
    model=m.Planning,
    located=True,
    fields={
        "start": Spec("date", "Start of the first wave."),
        "wave_weeks": Spec("int", "Length of a wave in weeks.", minimum=1, maximum=MAX_WAVE_WEEKS),
        "max_apps_per_wave": Spec("int", "Most applications in one wave.", minimum=1),
        "max_servers_per_wave": Spec("int", "Most servers in one wave.", minimum=1),
        "max_person_days_per_wave": Spec(
            "int", "Most effort (person-days) in one wave: what the team can do.", minimum=1
        ),
        "bridge": Spec(
            "list",
            "Dependency kinds that may cross waves in either direction, "
            "over the hybrid link (e.g. [async, batch, file]).",
            items=_enum(m.DependencyKind),
        ),
        "shared_services": _ids(
            "Applications extended to the cloud rather than moved first "
            "(a directory, DNS, monitoring): their consumers may go before "
            "them."
        ),
        "order": _enum(Order, "Which end of a dependency moves first."),
        "freeze": Spec("list", "Periods in which no wave runs.", items=FREEZE),
    },
)

TOP = Spec(
    "map",
    "A migrator inventory (format version 1).",
    fields={
        "version": Spec("int", "Format version; 1."),
        "portfolio": PORTFOLIO,
        "planning": PLANNING,
        "applications": Spec("list", "Applications.", items=APPLICATION),
        "servers": Spec("list", "Servers.", items=SERVER),
        "databases": Spec("list", "Databases.", items=DATABASE),
    },
)
