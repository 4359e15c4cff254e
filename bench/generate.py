"""Generate a synthetic legacy portfolio inventory (docs/inventory.md) for benchmarks and tests.

Usage: ``python bench/generate.py OUTDIR [--apps N] [--seed S]``, or load this file and call
``generate(outdir, apps, seed)``. The shape follows a measured reference estate: 10,000
applications come with about 27,000 servers, 6,000 databases and 68,000 dependencies, about
15 MB of YAML in 13 files. The dependency graph has about 20 shared services with hundreds
of consumers each, a layered, mostly acyclic body and a few deliberate cycles, so that move
groups, wave ordering and diagrams meet the structure of a real estate.

Standard library only: the YAML is written as text, in block style, byte-for-byte the same
for the same arguments, by the small emitter below rather than by a YAML library migrator
already depends on. ``bench/bench_emit.py`` measures the three on the 10,000-application
estate (processor time, a shared 2-core machine, 2026-12-01):

    this emitter         1.0 s  15.2 MB
    yaml_rs.dumps        0.6 s  17.1 MB  (sequences indented under their key)
    PyYAML CSafeDumper   8.8 s  15.2 MB

PyYAML's is nine times slower, and would make generating a 100,000-application estate
take minutes. yaml-rs's is faster, but writes text that looks like a date or a number
(``2027-01-11``, ``1_000``) without quotes, so that both readers read it back as a date or
a number (tests/bench/test_generate.py shows it), and its layout would change every file
the benchmarks' figures were measured on. Emitting is a ninth of generating (about 9 s
for 10,000 applications): the 0.4 s it would save is not worth either. This emitter quotes
every value that YAML 1.1 or 1.2 would read as anything but its text.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import itertools
import json
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from random import Random
from typing import Generic, TypeAlias, TypeVar

Yaml: TypeAlias = str | int | float | bool | date | list["Yaml"] | dict[str, "Yaml"]
T = TypeVar("T")


# --- YAML output -----------------------------------------------------------------------


class Quoted(str):
    """A string always written double-quoted, even where a plain scalar would be valid."""

    __slots__ = ()


# YAML 1.1 (PyYAML) reads these plain words as booleans or null: `power_state: on` would
# become True.
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})
# Conservative on purpose: starting with a letter and free of `:`, `#`, quotes, brackets
# and other indicators, such a plain scalar can only be read back as this very string.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/()+,-]*")
# Strings recur over and over (an id once per reference, an OS name thousands of times):
# whether one needs quotes is decided once.
_quoted_cache: dict[str, str] = {}


def _quote(text: str) -> str:
    done = _quoted_cache.get(text)
    if done is None:
        plain = (
            _PLAIN.fullmatch(text) is not None
            and not text.endswith(" ")
            and text.lower() not in _RESERVED
        )
        done = text if plain else _double_quoted(text)
        if len(_quoted_cache) < 1_000_000:
            _quoted_cache[text] = done
    return done


# A JSON string is also a valid YAML double-quoted scalar, except that YAML writes a
# character beyond the BMP as \UXXXXXXXX, not as JSON's pair of surrogates (which PyYAML
# would read as two characters). An escaped backslash before it is skipped whole.
_ASTRAL = re.compile(r"(\\\\)|\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _astral(found: re.Match[str]) -> str:
    if found.group(1):
        return found.group(1)
    high, low = int(found.group(2), 16), int(found.group(3), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"


def _double_quoted(text: str) -> str:
    escaped = json.dumps(text)
    return _ASTRAL.sub(_astral, escaped) if "\\ud" in escaped else escaped


def _scalar(value: Yaml) -> str:
    if type(value) is str:
        return _quote(value)
    # bool before int: bool is a subclass of int.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):  # Quoted
        return _double_quoted(str(value))
    raise TypeError(f"not a YAML scalar: {value!r}")


def _emit(value: dict[str, Yaml] | list[Yaml], indent: int, out: list[str]) -> None:
    # Sequences are not indented under their key (PyYAML's own style): at 10,000
    # applications, two more spaces per line would be 1.5 MB that nobody reads.
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if type(item) is str:
                out.append(f"{pad}{key}: {_quote(item)}\n")
            elif isinstance(item, dict | list):
                if not item:
                    # Block style cannot express an empty collection.
                    out.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}\n")
                else:
                    out.append(f"{pad}{key}:\n")
                    _emit(item, indent + 2 if isinstance(item, dict) else indent, out)
            else:
                out.append(f"{pad}{key}: {_scalar(item)}\n")
        return
    for item in value:
        if isinstance(item, dict | list) and not item:
            out.append(f"{pad}- {'{}' if isinstance(item, dict) else '[]'}\n")
        elif isinstance(item, dict | list):
            start = len(out)
            _emit(item, indent + 2, out)
            # The first line of a nested collection shares the line of its dash.
            out[start] = f"{pad}- {out[start][indent + 2 :]}"
        else:
            out.append(f"{pad}- {_scalar(item)}\n")


def dump_yaml(document: dict[str, Yaml], header: str = "") -> str:
    """Return ``document`` as block-style YAML text, after ``header`` as comment lines.

    Values are quoted wherever YAML 1.1 or 1.2 would read them as anything but the text
    they are; keys are written as they are (the inventory's keys are plain identifiers).
    """
    out = [f"# {line}\n" for line in header.splitlines()]
    _emit(document, 0, out)
    return "".join(out)


# --- vocabulary ------------------------------------------------------------------------


class _Pick(Generic[T]):
    """A weighted choice; unlike random.choices it sums the weights once, not per call."""

    __slots__ = ("_cum", "_total", "_values")

    def __init__(self, *pairs: tuple[T, float]) -> None:
        self._values = tuple(value for value, _ in pairs)
        self._cum = list(itertools.accumulate(weight for _, weight in pairs))
        self._total = self._cum[-1]

    def __call__(self, rng: Random) -> T:
        k = bisect.bisect(self._cum, rng.random() * self._total)
        return self._values[min(k, len(self._values) - 1)]


# (domain, weight, nouns): the weights give the uneven file sizes of a real estate.
DOMAINS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    (
        "finance",
        12,
        (
            "Ledger",
            "Treasury",
            "Invoice",
            "Payables",
            "Receivables",
            "Budget",
            "Tax",
            "Expense",
            "Consolidation",
            "Billing",
            "Cash",
            "Fixed Asset",
        ),
    ),
    (
        "hr",
        7,
        (
            "Payroll",
            "Recruiting",
            "Talent",
            "Time Sheet",
            "Absence",
            "Benefits",
            "Learning",
            "Onboarding",
            "Org Chart",
            "Pension",
        ),
    ),
    (
        "sales",
        11,
        (
            "CRM",
            "Quote",
            "Order",
            "Pricing",
            "Commission",
            "Contract",
            "Forecast",
            "Territory",
            "Partner",
            "Rebate",
        ),
    ),
    (
        "marketing",
        6,
        ("Campaign", "Content", "Web", "Loyalty", "Survey", "Brand", "Event", "Newsletter", "Lead"),
    ),
    (
        "supply-chain",
        12,
        (
            "Warehouse",
            "Transport",
            "Inventory",
            "Procurement",
            "Supplier",
            "Demand",
            "Shipping",
            "Customs",
            "Yard",
            "Replenishment",
        ),
    ),
    (
        "manufacturing",
        14,
        (
            "MES",
            "Batch Record",
            "Maintenance",
            "Historian",
            "Recipe",
            "Plant Schedule",
            "Label",
            "Weighing",
            "Line Control",
            "OEE",
        ),
    ),
    (
        "research",
        10,
        (
            "LIMS",
            "ELN",
            "Sample",
            "Assay",
            "Clinical Trial",
            "Compound Registry",
            "Imaging",
            "Stability",
            "Genomics",
            "Protocol",
        ),
    ),
    (
        "quality",
        8,
        (
            "Deviation",
            "CAPA",
            "Document Control",
            "Audit",
            "Complaint",
            "Validation",
            "Training Record",
            "Change Control",
            "Batch Release",
        ),
    ),
    (
        "customer-service",
        7,
        (
            "Ticket",
            "Call Center",
            "Field Service",
            "Knowledge Base",
            "Returns",
            "Chat",
            "Warranty",
            "Case",
        ),
    ),
    (
        "it",
        13,
        (
            "Asset",
            "Backup",
            "Patch",
            "Identity Sync",
            "Log",
            "Service Desk",
            "License",
            "Build",
            "Inventory Scan",
            "Certificate",
            "Capacity",
        ),
    ),
)
DOMAIN_NAMES = tuple(d for d, _, _ in DOMAINS)
NOUNS = {d: nouns for d, _, nouns in DOMAINS}
PICK_DOMAIN = _Pick(*((d, w) for d, w, _ in DOMAINS))
SUFFIXES = (
    "Portal",
    "Service",
    "Manager",
    "Hub",
    "Tracker",
    "Engine",
    "Gateway",
    "Reporting",
    "Console",
    "Workbench",
    "Archive",
    "Sync",
    "Scheduler",
    "System",
    "Suite",
    "Tool",
)

# (name, vendor, dependency kind, popularity): consumers pick a shared service in
# proportion to its popularity, so the directory gets thousands of them and the PKI a few
# hundred.
SHARED_SERVICES: tuple[tuple[str, str, str, int], ...] = (
    ("Active Directory", "Microsoft", "sync", 30),
    ("Enterprise Service Bus", "TIBCO", "async", 15),
    ("SAP ERP", "SAP", "sync", 12),
    ("Managed File Transfer", "Axway", "file", 10),
    ("Monitoring", "Zabbix", "async", 14),
    ("Central Logging", "Splunk", "async", 10),
    ("Single Sign-On", "Ping Identity", "sync", 12),
    ("Enterprise Data Warehouse", "Teradata", "batch", 8),
    ("Mail Relay", "Microsoft", "async", 6),
    ("Print Server", "Microsoft", "sync", 4),
    ("API Gateway", "Broadcom", "sync", 8),
    ("Master Data Management", "Informatica", "batch", 6),
    ("Document Management", "OpenText", "sync", 5),
    ("Job Scheduler", "BMC", "batch", 7),
    ("PKI Certificate Authority", "Microsoft", "sync", 3),
    ("Backup Service", "Commvault", "batch", 6),
    ("Reporting Platform", "SAP", "database", 5),
    ("Workflow Engine", "Pega", "async", 3),
    ("DNS and IPAM", "Infoblox", "sync", 4),
    ("Secrets Vault", "CyberArk", "sync", 4),
)
EXTERNAL_NAMES = (
    "Bank Connectivity",
    "Tax Authority Portal",
    "Carrier Tracking API",
    "Payment Provider",
    "Credit Rating Service",
    "Regulator Submission Gateway",
    "Customs Declaration Service",
    "Supplier Portal",
    "Weather Data Feed",
    "Exchange Rate Feed",
)
COTS_VENDORS = (
    "SAP",
    "Oracle",
    "Microsoft",
    "IBM",
    "OpenText",
    "Infor",
    "Siemens",
    "Dassault Systemes",
    "Veeva",
    "LabWare",
    "Thermo Fisher",
    "Hexagon",
    "AVEVA",
    "Sage",
    "UKG",
    "Manhattan Associates",
    "Blue Yonder",
    "Micro Focus",
    "Citrix",
    "Adobe",
    "Rockwell",
    "Honeywell",
    "Sparta Systems",
    "MasterControl",
)
SAAS_VENDORS = (
    "Salesforce",
    "ServiceNow",
    "Workday",
    "Coupa",
    "Veeva",
    "Microsoft",
    "Adobe",
    "Zendesk",
    "Concur",
    "DocuSign",
)
FIRST_NAMES = (
    "Anna",
    "Bruno",
    "Claire",
    "David",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jan",
    "Katrin",
    "Luca",
    "Marie",
    "Nils",
    "Olga",
    "Pierre",
    "Rosa",
    "Sven",
    "Tanja",
    "Ugo",
    "Vera",
    "Willem",
    "Yann",
    "Zofia",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Muller",
    "Schmidt",
    "Rossi",
    "Jansen",
    "Peeters",
    "Novak",
    "Garcia",
    "Lefebvre",
    "Weber",
    "Fischer",
    "Moreau",
    "Bianchi",
    "Visser",
    "Kowalski",
    "Laurent",
    "Wagner",
    "Costa",
)
TAGS = (
    "legacy",
    "customer-facing",
    "internal-only",
    "batch-window",
    "eol-2027",
    "acquired",
    "outsourced",
    "ot-network",
    "critical-path",
    "pci-scope",
    "citrix",
    "audit-2026",
    "cost-review",
)
HARDWARE = ("usb-dongle", "gpu", "serial-port", "hsm", "fax", "tape", "smartcard")
DATACENTERS = ("par1", "fra1", "ams1", "dub1", "bru1")
PICK_DATACENTER = _Pick(("par1", 40), ("fra1", 25), ("ams1", 15), ("dub1", 12), ("bru1", 8))

PICK_ARCHITECTURE = _Pick(
    ("monolith", 30),
    ("n-tier", 40),
    ("microservices", 8),
    ("batch", 11),
    ("desktop", 10),
    ("mainframe", 1),
)
# Mainframe applications run on z/OS, whatever this pick says.
PICK_FAMILY = _Pick(("windows", 450), ("linux", 527), ("solaris", 15), ("aix", 8))
PICK_CRITICALITY = _Pick(("low", 20), ("medium", 45), ("high", 27), ("critical", 8))
PICK_LIFECYCLE = _Pick(("invest", 15), ("tolerate", 30), ("migrate", 50), ("eliminate", 5))
PICK_CLASSIFICATION = _Pick(
    ("public", 5), ("internal", 45), ("confidential", 40), ("restricted", 10)
)
PICK_RESIDENCY = _Pick(("eu", 60), ("de", 20), ("fr", 15), ("be", 5))
PICK_LICENSE = _Pick(
    ("per-core", 35), ("per-socket", 10), ("per-user", 30), ("site", 15), ("subscription", 10)
)
PICK_STRATEGY = _Pick(
    ("rehost", 25),
    ("replatform", 20),
    ("refactor", 10),
    ("repurchase", 15),
    ("retire", 15),
    ("retain", 10),
    ("relocate", 5),
)
PICK_ENVIRONMENT = _Pick(("prod", 40), ("preprod", 15), ("test", 20), ("dev", 15), ("dr", 10))
PICK_PLATFORM = _Pick(("vmware", 85), ("hyperv", 4), ("kvm", 2), ("physical", 9))
# 1-5 servers, about 2.85 per hosted application: 2.7 over all, SaaS and external included.
PICK_SERVER_COUNT = _Pick((1, 17), (2, 25), (3, 27), (4, 18), (5, 13))
PICK_DATABASE_COUNT = _Pick((0, 50), (1, 36), (2, 14))
PICK_SHARED_DEPS = _Pick((0, 15), (1, 35), (2, 30), (3, 15), (4, 5))
# Back ends (0) to front ends (5); most dependencies go down one tier or more.
PICK_TIER = _Pick((0, 15), (1, 20), (2, 25), (3, 20), (4, 12), (5, 8))
TIERS = 6
PICK_CYCLE_LENGTH = _Pick((2, 50), (3, 30), (4, 20))
PICK_DEP_KIND = _Pick(("sync", 45), ("async", 20), ("batch", 15), ("file", 12), ("database", 8))

# OS text as RVTools writes it, per OS family.
PICK_OS: dict[str, _Pick[str]] = {
    "windows": _Pick(
        ("Microsoft Windows Server 2003 Standard (32-bit)", 3),
        ("Microsoft Windows Server 2008 R2 (64-bit)", 20),
        ("Microsoft Windows Server 2012 (64-bit)", 30),
        ("Microsoft Windows Server 2016 or later (64-bit)", 45),
    ),
    "linux": _Pick(
        ("Red Hat Enterprise Linux 5 (64-bit)", 2),
        ("Red Hat Enterprise Linux 6 (64-bit)", 14),
        ("Red Hat Enterprise Linux 7 (64-bit)", 30),
        ("Red Hat Enterprise Linux 8 (64-bit)", 18),
        ("SUSE Linux Enterprise 12 (64-bit)", 8),
        ("SUSE Linux Enterprise 15 (64-bit)", 4),
        ("CentOS 7 (64-bit)", 12),
        ("Oracle Linux 7 (64-bit)", 5),
        ("Ubuntu Linux (64-bit)", 8),
        ("Debian GNU/Linux 10 (64-bit)", 2),
        ("Other 3.x or later Linux (64-bit)", 2),
    ),
    "solaris": _Pick(("Oracle Solaris 10 (64-bit)", 7), ("Oracle Solaris 11 (64-bit)", 3)),
    "aix": _Pick(("IBM AIX 7.1", 6), ("IBM AIX 7.2", 4)),
    "zos": _Pick(("IBM z/OS 2.4", 1)),
}
# (cpu_arch, platform) forced by an OS family; None: x86_64 on a picked platform.
FAMILY_HARDWARE: dict[str, tuple[str, str] | None] = {
    "windows": None,
    "linux": None,
    "solaris": ("sparc", "physical"),
    "aix": ("power", "aix-lpar"),
    "zos": ("s390x", "mainframe"),
}
# (language, versions, frameworks, middleware) per OS family.
STACKS: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]] = {
    "windows": (
        (
            "c#",
            ("4.5", "4.7.2", "4.8", "6.0"),
            ("asp.net", "asp.net-mvc", "wcf", "entity-framework"),
            ("iis", "msmq", "biztalk"),
        ),
        ("vb.net", ("3.5", "4.0"), ("asp.net", "winforms"), ("iis",)),
        ("java", ("1.6", "8", "11"), ("spring", "struts"), ("tomcat", "weblogic")),
        ("powerbuilder", ("12.5", "2019"), (), ("citrix",)),
        ("delphi", ("7", "10.4"), (), ("citrix",)),
    ),
    "linux": (
        (
            "java",
            ("1.6", "7", "8", "11", "17"),
            ("spring", "spring-boot", "struts", "hibernate", "jsf"),
            ("tomcat", "jboss", "weblogic", "websphere", "ibm-mq", "activemq"),
        ),
        (
            "python",
            ("2.7", "3.6", "3.9", "3.11"),
            ("django", "flask", "celery"),
            ("nginx", "rabbitmq"),
        ),
        ("php", ("5.6", "7.4", "8.1"), ("laravel", "symfony"), ("apache",)),
        ("javascript", ("12", "16", "18"), ("express", "angular", "react"), ("nginx", "kafka")),
        ("perl", ("5.16", "5.26"), (), ("apache",)),
        ("c++", ("98", "11", "17"), (), ("ibm-mq",)),
    ),
    "solaris": (
        ("c", ("89", "99"), (), ("tuxedo",)),
        ("java", ("1.5", "1.6"), ("struts",), ("weblogic",)),
    ),
    "aix": (
        ("cobol", ("4.2", "6.3"), (), ("cics", "ibm-mq")),
        ("java", ("8",), (), ("websphere",)),
    ),
    "zos": (("cobol", ("4.2", "6.3"), (), ("cics", "ims", "ibm-mq")),),
}
# Database engines by the OS family of their host.
PICK_ENGINE: dict[str, _Pick[str]] = {
    "windows": _Pick(("sqlserver", 75), ("oracle", 15), ("mysql", 5), ("postgresql", 5)),
    "linux": _Pick(
        ("oracle", 35),
        ("postgresql", 20),
        ("mysql", 17),
        ("mariadb", 7),
        ("db2", 5),
        ("mongodb", 8),
        ("redis", 8),
    ),
    "solaris": _Pick(("oracle", 85), ("db2", 15)),
    "aix": _Pick(("db2", 60), ("oracle", 40)),
    "zos": _Pick(("db2", 1)),
}
ENGINE_VERSIONS: dict[str, tuple[str, ...]] = {
    "oracle": ("10.2.0.5", "11.2.0.4", "12.1.0.2", "12.2.0.1", "18c", "19c"),
    "sqlserver": ("2008 R2", "2012", "2014", "2016", "2017", "2019"),
    "postgresql": ("9.4", "9.6", "10", "11", "12", "13", "14"),
    "mysql": ("5.5", "5.6", "5.7", "8.0"),
    "mariadb": ("10.1", "10.3", "10.5", "10.6"),
    "db2": ("9.7", "10.5", "11.1", "11.5"),
    "mongodb": ("3.4", "3.6", "4.0", "4.4", "5.0"),
    "redis": ("3.2", "4.0", "5.0", "6.2"),
}
PICK_EDITION: dict[str, _Pick[str]] = {
    "oracle": _Pick(("enterprise", 70), ("standard2", 30)),
    "sqlserver": _Pick(("enterprise", 35), ("standard", 55), ("express", 10)),
    "postgresql": _Pick(("community", 1)),
    "mysql": _Pick(("community", 80), ("enterprise", 20)),
    "mariadb": _Pick(("community", 1)),
    "db2": _Pick(("advanced", 50), ("standard", 50)),
    "mongodb": _Pick(("community", 60), ("enterprise", 40)),
    "redis": _Pick(("community", 80), ("enterprise", 20)),
}
# (feature, probability) per engine.
ENGINE_FEATURES: dict[str, tuple[tuple[str, float], ...]] = {
    "oracle": (
        ("rac", 0.1),
        ("partitioning", 0.2),
        ("data-guard", 0.1),
        ("advanced-security", 0.05),
    ),
    "sqlserver": (
        ("linked-servers", 0.2),
        ("clr", 0.1),
        ("cdc", 0.05),
        ("ssis", 0.15),
        ("always-on", 0.1),
    ),
    "postgresql": (("spatial", 0.05), ("replication", 0.1)),
    "mysql": (("replication", 0.15),),
    "db2": (("partitioning", 0.1),),
    "mongodb": (("sharding", 0.1), ("replication", 0.3)),
}
DEP_TEXT: dict[str, tuple[str, ...]] = {
    "sync": ("REST lookup of {n} data", "SOAP calls for {n} records", "reads {n} status online"),
    "async": ("{n} events over a queue", "publishes {n} updates", "{n} notifications"),
    "batch": ("nightly {n} extract", "weekly {n} reconciliation", "monthly {n} load"),
    "file": ("daily CSV export of {n} data", "SFTP drop of {n} files", "{n} XML files"),
    "database": ("reads {n} tables directly", "database link to {n} schema"),
}
STRATEGY_RATIONALE: dict[str, tuple[str, tuple[str, ...]]] = {
    "rehost": ("Lift and shift agreed with the vendor", ("Compute Engine",)),
    "replatform": ("Database moves to a managed service", ("Compute Engine", "Cloud SQL")),
    "refactor": ("Rewrite funded by the digital programme", ("Cloud Run",)),
    "repurchase": ("Replaced by the SaaS offering of the vendor", ()),
    "retire": ("Functions absorbed by the new ERP", ()),
    "retain": ("Plant floor system stays on premises", ()),
    "relocate": ("VMware estate moves as is", ("Google Cloud VMware Engine",)),
}


# --- model -----------------------------------------------------------------------------


@dataclass
class _App:
    index: int
    id: str
    domain: str
    type: str
    family: str  # OS family of its servers
    shared: bool  # one of the shared services
    tier: int  # layer of the dependency graph: back ends 0, front ends at the top
    head: dict[str, Yaml]  # the keys written before `servers`
    servers: list[Yaml] = field(default_factory=list)
    databases: list[Yaml] = field(default_factory=list)
    # target id -> extra keys of the map form, or None for a plain id; a dict keeps the
    # order of generation and makes duplicate targets impossible.
    deps: dict[str, dict[str, Yaml] | None] = field(default_factory=dict)
    decision: dict[str, Yaml] | None = None
    tags: list[Yaml] = field(default_factory=list)
    in_cycle: bool = False

    def record(self) -> dict[str, Yaml]:
        rec = dict(self.head)
        if self.servers:
            rec["servers"] = self.servers
        if self.databases:
            rec["databases"] = self.databases
        if self.deps:
            rec["depends_on"] = [
                target if extra is None else {"app": target, **extra}
                for target, extra in self.deps.items()
            ]
        if self.decision is not None:
            rec["decision"] = self.decision
        if self.tags:
            rec["tags"] = self.tags
        return rec


class _Generator:
    def __init__(self, apps: int, seed: int, back_edges: int = 0) -> None:
        self.rng = Random(seed)
        self.n = apps
        self.back_edges = back_edges
        self.width = max(5, len(str(apps)))
        self.apps: list[_App] = []
        self.servers: list[dict[str, Yaml]] = []
        self.server_owner: list[int] = []
        self.databases: list[dict[str, Yaml]] = []
        self.database_owner: list[int] = []
        self.n_shared = min(len(SHARED_SERVICES), max(3, apps // 20), apps)
        self.pick_shared = _Pick(*((j, SHARED_SERVICES[j][3]) for j in range(self.n_shared)))
        # Ordinary (non-shared) applications per domain, in index order: dependencies are
        # drawn from these, cycles and shared servers are made within them.
        self.pools: dict[str, list[int]] = {d: [] for d in DOMAIN_NAMES}
        self.pool_pos: dict[int, int] = {}
        self.tier_pools: dict[tuple[str, int], list[int]] = {
            (d, t): [] for d in DOMAIN_NAMES for t in range(TIERS)
        }
        self.tier_all: list[list[int]] = [[] for _ in range(TIERS)]
        self.names: dict[str, int] = {}

    def run(self) -> None:
        for i in range(self.n):
            app = self._app(i)
            self.apps.append(app)
            if app.type not in ("saas", "external"):
                self._hosting(app)
            self._dependencies(app)
            if not app.shared:
                self.pool_pos[i] = len(self.pools[app.domain])
                self.pools[app.domain].append(i)
                self.tier_pools[app.domain, app.tier].append(i)
                self.tier_all[app.tier].append(i)
        self._share()
        self._cycles()
        if self.back_edges:
            self._back_edges()

    # -- applications --

    def _unique_name(self, base: str) -> str:
        count = self.names.get(base, 0) + 1
        self.names[base] = count
        return base if count == 1 else f"{base} {count}"

    def _app(self, i: int) -> _App:
        rng = self.rng
        app_id = f"app-{i + 1:0{self.width}d}"
        shared = i < self.n_shared
        vendor = ""
        if shared:
            name, vendor, _, _ = SHARED_SERVICES[i]
            domain, app_type = "it", "cots"
            description = f"Enterprise-wide {name} service"
        else:
            domain = PICK_DOMAIN(rng)
            roll = rng.random()
            app_type = (
                "external"
                if roll < 0.01
                else "saas"
                if roll < 0.06
                else "cots"
                if roll < 0.45
                else "custom"
            )
            noun = rng.choice(NOUNS[domain])
            if app_type == "external":
                name = rng.choice(EXTERNAL_NAMES)
            elif app_type == "saas":
                vendor = rng.choice(SAAS_VENDORS)
                name = f"{vendor} {noun}"
            else:
                if app_type == "cots":
                    vendor = rng.choice(COTS_VENDORS)
                name = f"{noun} {rng.choice(SUFFIXES)}"
            description = f"Supports {domain.replace('-', ' ')} {noun.lower()} processes"
        name = self._unique_name(name)
        architecture = PICK_ARCHITECTURE(rng)
        family = "zos" if architecture == "mainframe" else PICK_FAMILY(rng)
        head: dict[str, Yaml] = {"id": app_id, "name": name}
        # Real inventories have gaps: optional keys are left out now and then.
        if rng.random() < 0.9:
            head["description"] = description
        if rng.random() < 0.95:
            head["owner"] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        head["domain"] = domain
        head["type"] = app_type
        if vendor:
            head["vendor"] = vendor
        criticality = "critical" if shared else PICK_CRITICALITY(rng)
        head["criticality"] = criticality
        head["lifecycle"] = "invest" if shared else PICK_LIFECYCLE(rng)
        if rng.random() < 0.8:
            head["users"] = int(rng.lognormvariate(5, 1.5)) + 1
        hosted = app_type not in ("saas", "external")
        if hosted and rng.random() < 0.9:
            head["architecture"] = architecture
        if hosted and rng.random() < 0.85:
            head["stack"] = self._stack(family, architecture)
        compliance = self._compliance(domain)
        if compliance:
            head["compliance"] = compliance
        if rng.random() < 0.8:
            head["data_classification"] = PICK_CLASSIFICATION(rng)
        if rng.random() < 0.1:
            head["data_residency"] = PICK_RESIDENCY(rng)
        if rng.random() < 0.6:
            head["availability"] = self._availability(criticality)
        if hosted and rng.random() < 0.01:
            head["hardware"] = self._some(HARDWARE)
        if (app_type in ("cots", "saas") and rng.random() < 0.6) or rng.random() < 0.05:
            model = (
                "subscription"
                if app_type == "saas"
                else "open-source"
                if app_type == "custom"
                else PICK_LICENSE(rng)
            )
            head["licensing"] = {
                "model": model,
                "cloud_portable": model != "per-socket" and rng.random() < 0.75,
            }
        tier = 0 if shared else PICK_TIER(rng)
        app = _App(i, app_id, domain, app_type, family, shared, tier, head)
        if rng.random() < 0.5:
            app.tags = self._some(TAGS)
        # No `wave` pins: a random pin could contradict the dependency order (rule 5 of docs/waves.md).
        if not shared and app_type != "external" and rng.random() < 0.01:
            strategy = PICK_STRATEGY(rng)
            rationale, targets = STRATEGY_RATIONALE[strategy]
            app.decision = {"strategy": strategy}
            if targets:
                app.decision["targets"] = list[Yaml](targets)
            app.decision["rationale"] = rationale
        return app

    def _some(self, items: tuple[str, ...]) -> list[Yaml]:
        k = min(len(items), self.rng.choice((1, 1, 1, 2, 2, 3)))
        return list[Yaml](self.rng.sample(items, k))

    def _stack(self, family: str, architecture: str) -> dict[str, Yaml]:
        rng = self.rng
        language, versions, frameworks, middleware = rng.choice(STACKS[family])
        stack: dict[str, Yaml] = {"language": language}
        if rng.random() < 0.85:
            stack["language_version"] = Quoted(rng.choice(versions))
        if frameworks and rng.random() < 0.6:
            stack["frameworks"] = self._some(frameworks)
        if middleware and rng.random() < 0.6:
            stack["middleware"] = self._some(middleware)
        micro = architecture == "microservices"
        if micro or rng.random() < 0.5:
            stack["containerized"] = (micro and rng.random() < 0.8) or rng.random() < 0.04
            stack["stateless"] = (micro and rng.random() < 0.8) or rng.random() < 0.25
        return stack

    def _compliance(self, domain: str) -> list[Yaml]:
        rng = self.rng
        gxp = 0.35 if domain in ("research", "quality", "manufacturing") else 0.02
        sox = 0.4 if domain == "finance" else 0.05
        pci = 0.08 if domain in ("sales", "finance") else 0.005
        odds = (
            ("gxp", gxp),
            ("gdpr", 0.3),
            ("sox", sox),
            ("pci-dss", pci),
            ("iso27001", 0.05),
            ("hipaa", 0.01),
        )
        return [c for c, p in odds if rng.random() < p]

    def _availability(self, criticality: str) -> dict[str, Yaml]:
        rng = self.rng
        tier = ("low", "medium", "high", "critical").index(criticality)
        rto = rng.choice(((48, 72, 168), (8, 24, 48), (4, 8), (1, 2, 4))[tier])
        rpo = rng.choice([h for h in (0, 0.25, 1, 4, 24) if h <= rto])
        sla = rng.choice(((99.0, 99.5), (99.5, 99.9), (99.9, 99.95), (99.95, 99.99))[tier])
        return {"rto_hours": rto, "rpo_hours": rpo, "sla": sla}

    # -- servers and databases --

    def _hosting(self, app: _App) -> None:
        rng = self.rng
        count = max(3, PICK_SERVER_COUNT(rng)) if app.shared else PICK_SERVER_COUNT(rng)
        pick_os = PICK_OS[app.family]
        main_os = pick_os(rng)
        dc = PICK_DATACENTER(rng)
        prod: list[str] = []
        for position in range(count):
            # The servers of one application mostly run one OS release, not always.
            os_text = main_os if rng.random() < 0.8 else pick_os(rng)
            env = "prod" if position == 0 else PICK_ENVIRONMENT(rng)
            server_id = self._server(app, env, dc, os_text)
            app.servers.append(server_id)
            if env == "prod":
                prod.append(server_id)
        for _ in range(PICK_DATABASE_COUNT(rng)):
            app.databases.append(self._database(app, rng.choice(prod)))

    def _server(self, app: _App, env: str, dc: str, os_text: str) -> str:
        rng = self.rng
        n = len(self.servers) + 1
        server_id = f"srv-{n:0{self.width}d}"
        if env == "dr":
            # A recovery site is no use in the datacenter it stands in for.
            dc = DATACENTERS[(DATACENTERS.index(dc) + 1) % len(DATACENTERS)]
        forced = FAMILY_HARDWARE[app.family]
        arch, platform = forced if forced else ("x86_64", PICK_PLATFORM(rng))
        cpu = rng.choice((1, 2, 2, 4, 4, 4, 8, 8, 16, 32))
        storage = rng.choice((40, 60, 80, 100, 150, 200, 300, 500, 1000, 2000))
        server: dict[str, Yaml] = {
            "id": server_id,
            "hostname": f"{dc}{app.family[0]}{env[0]}{n:0{self.width}d}",
            "datacenter": dc,
        }
        if platform in ("vmware", "hyperv", "kvm"):
            server["cluster"] = f"{dc}-cl{rng.randrange(1, 13):02d}"
        server["os"] = os_text
        server["environment"] = env
        server["cpu"] = cpu
        server["memory_gb"] = cpu * rng.choice((2, 4, 4, 8))
        server["storage_gb"] = storage
        server["storage_used_gb"] = round(storage * rng.uniform(0.1, 0.95), 1)
        server["cpu_arch"] = arch
        server["platform"] = platform
        if rng.random() < 0.6:
            server["utilization"] = {
                "cpu_p95": round(min(100.0, rng.lognormvariate(3.0, 0.7)), 1),
                "memory_p95": round(rng.uniform(20, 98), 1),
            }
        server["power_state"] = "off" if rng.random() < 0.03 else "on"
        self.servers.append(server)
        self.server_owner.append(app.index)
        return server_id

    def _database(self, app: _App, host: str) -> str:
        rng = self.rng
        db_id = f"db-{len(self.databases) + 1:0{self.width}d}"
        engine = PICK_ENGINE[app.family](rng)
        db: dict[str, Yaml] = {
            "id": db_id,
            "engine": engine,
            "version": Quoted(rng.choice(ENGINE_VERSIONS[engine])),
            "edition": PICK_EDITION[engine](rng),
            "size_gb": round(min(20000.0, rng.lognormvariate(3.5, 1.6)) + 1, 1),
            "server": host,
        }
        features = [f for f, p in ENGINE_FEATURES.get(engine, ()) if rng.random() < p]
        if features:
            db["features"] = list[Yaml](features)
        self.databases.append(db)
        self.database_owner.append(app.index)
        return db_id

    # -- dependencies --

    def _dep_extra(self, kind: str, target: _App, latency: bool) -> dict[str, Yaml]:
        rng = self.rng
        extra: dict[str, Yaml] = {"kind": kind}
        if latency:
            extra["latency_sensitive"] = True
        elif rng.random() < 0.1:
            extra["latency_sensitive"] = False
        if rng.random() < 0.4:
            noun = rng.choice(NOUNS[target.domain]).lower()
            extra["description"] = rng.choice(DEP_TEXT[kind]).format(n=noun)
        return extra

    def _add_dep(self, app: _App, target: _App, kind: str | None) -> None:
        rng = self.rng
        # About 1% of all dependencies are latency-sensitive, never towards a shared
        # service: that would pull hundreds of consumers into one move group.
        latency = not target.shared and rng.random() < 0.0135
        if self.back_edges and target.tier != app.tier:
            latency = False  # the hub estate: ties only within a tier (see _back_edges)
        if latency or rng.random() < 0.15:
            if kind is None:
                kind = "sync" if latency else PICK_DEP_KIND(rng)
            app.deps[target.id] = self._dep_extra(kind, target, latency)
        else:
            app.deps[target.id] = None

    def _dependencies(self, app: _App) -> None:
        rng = self.rng
        i = app.index
        if app.type == "external":
            return
        if app.shared:
            # Shared services lean on the more basic ones before them (the directory first).
            for j in rng.sample(range(i), min(i, rng.choice((1, 2, 3)))):
                self._add_dep(app, self.apps[j], SHARED_SERVICES[j][2])
            return
        saas = app.type == "saas"
        n_shared = PICK_SHARED_DEPS(rng)
        for _ in range(min(n_shared, 1) if saas else n_shared):
            j = self.pick_shared(rng)
            if self.apps[j].id not in app.deps:
                self._add_dep(app, self.apps[j], SHARED_SERVICES[j][2])
        # Only towards lower-numbered applications, and mostly down the tiers: the body of
        # the graph is a DAG whose depth stays near that of a real estate (a few tens), where
        # random picks among all lower-numbered applications would chain a hundred deep.
        wanted = round(rng.gammavariate(2.0, 3.3))
        if app.tier == 0:
            # Back ends mostly call only shared services.
            wanted = min(wanted, 1) if rng.random() < 0.3 else 0
        elif saas:
            wanted = min(wanted, 2)
        for _ in range(wanted):
            for _attempt in range(4):
                k = self._provider(app)
                if k is not None and self.apps[k].id not in app.deps:
                    self._add_dep(app, self.apps[k], None)
                    break

    def _provider(self, app: _App) -> int | None:
        """A provider for ``app``: lower-numbered, usually in a lower tier and its domain."""
        rng = self.rng
        roll = rng.random()
        tier = app.tier
        if tier > 0 and roll >= 0.06:
            tier = tier - 1 if roll < 0.65 else rng.randrange(tier)
        pool = self.tier_pools[app.domain, tier]
        roll = rng.random()
        if roll < 0.45 and pool:
            # Recent applications of the same domain: projects build on their neighbours.
            return pool[len(pool) - 1 - min(int(rng.expovariate(0.01)), len(pool) - 1)]
        if roll < 0.75 and pool:
            return rng.choice(pool)
        everyone = self.tier_all[tier]
        return rng.choice(everyone) if everyone else None

    # -- post passes --

    def _nearby(self, app: _App) -> _App | None:
        """A hosted application of the same domain, close in number to ``app`` (and of
        its tier, in the hub estate)."""
        pool = self.tier_pools[app.domain, app.tier] if self.back_edges else self.pools[app.domain]
        pos = pool.index(app.index) if self.back_edges else self.pool_pos[app.index]
        for _ in range(6):
            other = self.apps[pool[min(len(pool) - 1, max(0, pos + self.rng.randint(-40, 40)))]]
            if other is not app and other.servers:
                return other
        return None

    def _share(self) -> None:
        """Let ~3% of the servers run two applications and ~2% of the databases serve two."""
        rng = self.rng
        for owners, records, share, is_servers in (
            (self.server_owner, self.servers, 0.03, True),
            (self.database_owner, self.databases, 0.02, False),
        ):
            # Shared services stay out: a server shared with the directory would drag it
            # into the move group of an ordinary application.
            candidates = [k for k, o in enumerate(owners) if not self.apps[o].shared]
            count = min(len(candidates), round(share * len(records)))
            for k in sorted(rng.sample(candidates, count)):
                other = self._nearby(self.apps[owners[k]])
                if other is None:
                    continue
                listed = other.servers if is_servers else other.databases
                if records[k]["id"] not in listed:
                    listed.append(records[k]["id"])

    def _cycles(self) -> None:
        """Close dependency cycles of 2-4 applications: one per 200 applications, at least one."""
        rng = self.rng
        wanted = max(1, round(self.n * 0.005))
        made = 0
        for _ in range(wanted * 20):
            if made == wanted:
                break
            pool = self.pools[PICK_DOMAIN(rng)]
            length = PICK_CYCLE_LENGTH(rng)
            if len(pool) < length:
                continue
            anchor = rng.randrange(length - 1, len(pool))
            window = pool[max(0, anchor - 30) : anchor + 1]
            members = [self.apps[j] for j in rng.sample(window, length)]
            # Members must migrate for the cycle to become a move group.
            if any(m.in_cycle or m.type in ("external", "saas") or m.decision for m in members):
                continue
            members.sort(key=lambda m: -m.index)
            for consumer, provider in itertools.pairwise(members):
                if provider.id not in consumer.deps:
                    self._add_dep(consumer, provider, None)
            # The one edge against the numbering: the lowest calls back the highest. Only an
            # earlier cycle could have made it already, and cycles share no member.
            lowest, highest = members[-1], members[0]
            lowest.deps[highest.id] = self._dep_extra("async", highest, latency=False)
            for m in members:
                m.in_cycle = True
            made += 1

    def _back_edges(self) -> None:
        """Dependencies from shared services back into their consumers (monitoring polling
        an application, the bus or the scheduler calling it): each closes a cycle through
        the hub and everything its target depends on, which joins thousands of
        applications into one move group. In this estate servers are shared and
        dependencies latency-sensitive only within a tier, so that the hubs and their
        back-edges alone make the large group: the few dependencies to bridge are known."""
        rng = self.rng
        hubs = [app for app in self.apps[: self.n_shared] if not app.decision]
        fronts = [
            app
            for app in self.apps[self.n_shared :]
            if app.tier >= 3 and app.type in ("custom", "cots") and not app.decision
        ]
        made = 0
        for _ in range(self.back_edges * 20):
            if made == self.back_edges or not hubs or not fronts:
                break
            hub = rng.choice(hubs)
            target = rng.choice(fronts)
            if target.id in hub.deps:
                continue
            kind = SHARED_SERVICES[hub.index][2]
            hub.deps[target.id] = self._dep_extra(kind, target, latency=False)
            made += 1


# --- entry points ----------------------------------------------------------------------

HEADER = (
    "Synthetic portfolio written by bench/generate.py ({apps} applications, seed {seed}).\n"
    "Not real data: for benchmarks and tests of migrator."
)


def generate(
    outdir: Path, apps: int = 10000, seed: int = 42, back_edges: int = 0
) -> dict[str, int]:
    """Write a synthetic inventory of ``apps`` applications into ``outdir``; return counts.

    ``back_edges`` adds that many dependencies from shared services back into their
    consumers: hubs and back-edges that join thousands of applications into one move
    group, as in estates where monitoring or the service bus calls the applications.
    The counts are ``applications``, ``servers``, ``databases``, ``dependencies`` and
    ``bytes`` (of YAML written). Existing files of the same names are overwritten.
    """
    if apps < 1:
        raise ValueError("apps must be at least 1")
    # Millions of small, acyclic containers: the cyclic collector would rescan them over
    # and over (a quarter of the run time at 10,000 applications) and free nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(outdir, apps, seed, back_edges)
    finally:
        if collecting:
            gc.enable()


def _generate(outdir: Path, apps: int, seed: int, back_edges: int) -> dict[str, int]:
    gen = _Generator(apps, seed, back_edges)
    gen.run()
    header = HEADER.format(apps=apps, seed=seed)
    files: dict[str, str] = {
        "portfolio.yaml": dump_yaml(
            {
                "version": 1,
                "portfolio": {
                    "name": f"Synthetic estate of {apps} applications",
                    "region": "europe-west1",
                    "currency": "EUR",
                },
                "planning": {
                    "start": date(2027, 1, 11),
                    "wave_weeks": 4,
                    "max_apps_per_wave": max(10, apps // 25),
                    "freeze": [
                        {
                            "from": date(2027, 12, 18),
                            "to": date(2028, 1, 4),
                            "reason": "year-end freeze",
                        }
                    ],
                },
            },
            header,
        )
    }
    by_domain: dict[str, list[Yaml]] = {d: [] for d in DOMAIN_NAMES}
    for app in gen.apps:
        by_domain[app.domain].append(app.record())
    outdir.mkdir(parents=True, exist_ok=True)
    for domain, records in by_domain.items():
        name = f"apps-{domain}.yaml"
        if records:
            files[name] = dump_yaml({"applications": records}, header)
        else:
            # A small run can leave a domain empty; the file of an earlier, larger run
            # would otherwise be merged into this inventory.
            (outdir / name).unlink(missing_ok=True)
    files["servers.yaml"] = dump_yaml({"servers": list[Yaml](gen.servers)}, header)
    files["databases.yaml"] = dump_yaml({"databases": list[Yaml](gen.databases)}, header)
    written = 0
    for name, text in files.items():
        data = text.encode("utf-8")
        (outdir / name).write_bytes(data)
        written += len(data)
    return {
        "applications": len(gen.apps),
        "servers": len(gen.servers),
        "databases": len(gen.databases),
        "dependencies": sum(len(app.deps) for app in gen.apps),
        "bytes": written,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic portfolio inventory for migrator benchmarks and tests."
    )
    parser.add_argument("outdir", type=Path, help="directory to write the YAML files into")
    parser.add_argument(
        "--apps", type=int, default=10000, help="number of applications (default 10000)"
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--back-edges",
        type=int,
        default=0,
        metavar="N",
        help="add N dependencies from shared services back into their consumers (default 0)",
    )
    args = parser.parse_args(argv)
    if args.apps < 1:
        parser.error("--apps must be at least 1")
    started = time.perf_counter()
    counts = generate(args.outdir, args.apps, args.seed, args.back_edges)
    elapsed = time.perf_counter() - started
    print(
        f"{counts['applications']} applications, {counts['servers']} servers, "
        f"{counts['databases']} databases, {counts['dependencies']} dependencies: "
        f"{counts['bytes'] / 1e6:.1f} MB in {args.outdir} ({elapsed:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
