"""Generate a synthetic, realistic legacy portfolio inventory (SPEC 1) for benchmarks and tests.

Usage: ``python bench/generate.py OUTDIR [--apps N] [--seed S]``, or import it and call
``generate(outdir, apps, seed)``. The shape follows a measured reference estate: 10,000
applications come with about 27,000 servers, 6,000 databases and 68,000 dependencies, about
15 MB of YAML in 13 files. The dependency graph has about 20 shared services with hundreds
of consumers each, a layered, mostly acyclic body and a few deliberate cycles, so that move
groups, wave ordering and diagrams meet the same structure as in a real estate.

Standard library only: the YAML is written as text, in block style, byte-for-byte the same
for the same arguments.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from random import Random
from typing import TypeAlias, Union

Yaml: TypeAlias = Union[str, int, float, bool, date, list["Yaml"], dict[str, "Yaml"]]


class Quoted(str):
    """A string always written double-quoted, even when a plain scalar would be valid."""

    __slots__ = ()


# YAML 1.1 (PyYAML) reads these plain words as booleans or null: `power_state: on` would
# become True, so they must be quoted.
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"})
# Conservative: a plain scalar starting with a letter and free of `:`, `#`, quotes, brackets
# and other indicators can never be read as anything but this string.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/()+,-]*")


def _scalar(value: Yaml) -> str:
    # bool before int: bool is a subclass of int.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        if (
            not isinstance(value, Quoted)
            and _PLAIN.fullmatch(value)
            and not value.endswith(" ")
            and value.lower() not in _RESERVED
        ):
            return value
        # A JSON string is a valid YAML double-quoted scalar.
        return json.dumps(value)
    raise TypeError(f"not a YAML scalar: {value!r}")


def _emit(value: Yaml, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list):
                if item:
                    out.append(f"{pad}{key}:\n")
                    _emit(item, indent + 2, out)
                else:
                    # Block style cannot express an empty collection.
                    out.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}\n")
            else:
                out.append(f"{pad}{key}: {_scalar(item)}\n")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list) and item:
                start = len(out)
                _emit(item, indent + 2, out)
                # The first line of a nested collection shares the line of its dash.
                out[start] = f"{pad}- {out[start][indent + 2 :]}"
            else:
                out.append(f"{pad}- {_scalar(item)}\n")
    else:
        out.append(f"{pad}{_scalar(value)}\n")


def dump_yaml(document: dict[str, Yaml], header: str = "") -> str:
    """Return ``document`` as block-style YAML text, after ``header`` comment lines."""
    out = [f"# {line}\n" if line else "#\n" for line in header.splitlines()]
    _emit(document, 0, out)
    return "".join(out)


# --- vocabulary ------------------------------------------------------------------------

# (domain, weight, nouns): the weights give the uneven file sizes of a real estate.
DOMAINS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("finance", 12, ("Ledger", "Treasury", "Invoice", "Payables", "Receivables", "Budget",
                     "Tax", "Expense", "Consolidation", "Billing", "Cash", "Fixed Asset")),
    ("hr", 7, ("Payroll", "Recruiting", "Talent", "Time Sheet", "Absence", "Benefits",
               "Learning", "Onboarding", "Org Chart", "Pension")),
    ("sales", 11, ("CRM", "Quote", "Order", "Pricing", "Commission", "Contract", "Forecast",
                   "Territory", "Partner", "Rebate")),
    ("marketing", 6, ("Campaign", "Content", "Web", "Loyalty", "Survey", "Brand", "Event",
                      "Newsletter", "Lead")),
    ("supply-chain", 12, ("Warehouse", "Transport", "Inventory", "Procurement", "Supplier",
                          "Demand", "Shipping", "Customs", "Yard", "Replenishment")),
    ("manufacturing", 14, ("MES", "Batch Record", "Maintenance", "Historian", "Recipe",
                           "Plant Schedule", "Label", "Weighing", "Line Control", "OEE")),
    ("research", 10, ("LIMS", "ELN", "Sample", "Assay", "Clinical Trial", "Compound Registry",
                      "Imaging", "Stability", "Genomics", "Protocol")),
    ("quality", 8, ("Deviation", "CAPA", "Document Control", "Audit", "Complaint",
                    "Validation", "Training Record", "Change Control", "Batch Release")),
    ("customer-service", 7, ("Ticket", "Call Center", "Field Service", "Knowledge Base",
                             "Returns", "Chat", "Warranty", "Case")),
    ("it", 13, ("Asset", "Backup", "Patch", "Identity Sync", "Log", "Service Desk",
                "License", "Build", "Inventory Scan", "Certificate", "Capacity")),
)
SUFFIXES = ("Portal", "Service", "Manager", "Hub", "Tracker", "Engine", "Gateway", "Reporting",
            "Console", "Workbench", "Archive", "Sync", "Scheduler", "System", "Suite", "Tool")

# (name, vendor, dependency kind, popularity): a consumer picks a shared service in
# proportion to its popularity, so the directory gets thousands of consumers and the PKI
# a few hundred.
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
EXTERNAL_NAMES = ("Bank Connectivity", "Tax Authority Portal", "Carrier Tracking API",
                  "Payment Provider", "Credit Rating Service", "Regulator Submission Gateway",
                  "Customs Declaration Service", "Supplier Portal", "Weather Data Feed",
                  "Exchange Rate Feed")
COTS_VENDORS = ("SAP", "Oracle", "Microsoft", "IBM", "OpenText", "Infor", "Siemens",
                "Dassault Systemes", "Veeva", "LabWare", "Thermo Fisher", "Hexagon", "AVEVA",
                "Sage", "UKG", "Manhattan Associates", "Blue Yonder", "Micro Focus", "Citrix",
                "Adobe", "Rockwell", "Honeywell", "Sparta Systems", "MasterControl")
SAAS_VENDORS = ("Salesforce", "ServiceNow", "Workday", "Coupa", "Veeva", "Microsoft", "Adobe",
                "Zendesk", "Concur", "DocuSign")
FIRST_NAMES = ("Anna", "Bruno", "Claire", "David", "Elena", "Farid", "Greta", "Hugo", "Ines",
               "Jan", "Katrin", "Luca", "Marie", "Nils", "Olga", "Pierre", "Rosa", "Sven",
               "Tanja", "Ugo", "Vera", "Willem", "Yann", "Zofia")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Muller", "Schmidt", "Rossi", "Jansen", "Peeters",
              "Novak", "Garcia", "Lefebvre", "Weber", "Fischer", "Moreau", "Bianchi", "Visser",
              "Kowalski", "Laurent", "Wagner", "Costa")
TAGS = ("legacy", "customer-facing", "internal-only", "batch-window", "eol-2027",
        "acquired", "outsourced", "ot-network", "critical-path", "pci-scope", "citrix",
        "audit-2026", "cost-review")
HARDWARE = ("usb-dongle", "gpu", "serial-port", "hsm", "fax", "tape", "smartcard")
DATACENTERS = ("par1", "fra1", "ams1", "dub1", "bru1")

# (os text as RVTools writes it, weight) per OS family.
OS_CHOICES: dict[str, tuple[tuple[str, int], ...]] = {
    "windows": (
        ("Microsoft Windows Server 2003 Standard (32-bit)", 3),
        ("Microsoft Windows Server 2008 R2 (64-bit)", 20),
        ("Microsoft Windows Server 2012 (64-bit)", 30),
        ("Microsoft Windows Server 2016 or later (64-bit)", 45),
    ),
    "linux": (
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
    "solaris": (("Oracle Solaris 10 (64-bit)", 7), ("Oracle Solaris 11 (64-bit)", 3)),
    "aix": (("IBM AIX 7.1", 6), ("IBM AIX 7.2", 4)),
    "zos": (("IBM z/OS 2.4", 1),),
}
# (language, versions, frameworks, middleware) per OS family.
STACKS: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]] = {
    "windows": (
        ("c#", ("4.5", "4.7.2", "4.8", "6.0"),
         ("asp.net", "asp.net-mvc", "wcf", "entity-framework"), ("iis", "msmq", "biztalk")),
        ("vb.net", ("3.5", "4.0"), ("asp.net", "winforms"), ("iis",)),
        ("java", ("1.6", "8", "11"), ("spring", "struts"), ("tomcat", "weblogic")),
        ("powerbuilder", ("12.5", "2019"), (), ("citrix",)),
        ("delphi", ("7", "10.4"), (), ("citrix",)),
    ),
    "linux": (
        ("java", ("1.6", "7", "8", "11", "17"),
         ("spring", "spring-boot", "struts", "hibernate", "jsf"),
         ("tomcat", "jboss", "weblogic", "websphere", "ibm-mq", "activemq")),
        ("python", ("2.7", "3.6", "3.9", "3.11"), ("django", "flask", "celery"),
         ("nginx", "rabbitmq")),
        ("php", ("5.6", "7.4", "8.1"), ("laravel", "symfony"), ("apache",)),
        ("javascript", ("12", "16", "18"), ("express", "angular", "react"), ("nginx", "kafka")),
        ("perl", ("5.16", "5.26"), (), ("apache",)),
        ("c++", ("98", "11", "17"), (), ("ibm-mq",)),
    ),
    "solaris": (
        ("c", ("89", "99"), (), ("tuxedo",)),
        ("java", ("1.5", "1.6"), ("struts",), ("weblogic",)),
    ),
    "aix": (("cobol", ("4.2", "6.3"), (), ("cics", "ibm-mq")), ("java", ("8",), (), ("websphere",))),
    "zos": (("cobol", ("4.2", "6.3"), (), ("cics", "ims", "ibm-mq")),),
}
# Database engines by the OS family of their host, with weights.
ENGINES: dict[str, tuple[tuple[str, int], ...]] = {
    "windows": (("sqlserver", 75), ("oracle", 15), ("mysql", 5), ("postgresql", 5)),
    "linux": (("oracle", 35), ("postgresql", 20), ("mysql", 17), ("mariadb", 7), ("db2", 5),
              ("mongodb", 8), ("redis", 8)),
    "solaris": (("oracle", 85), ("db2", 15)),
    "aix": (("db2", 60), ("oracle", 40)),
    "zos": (("db2", 1),),
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
ENGINE_EDITIONS: dict[str, tuple[tuple[str, int], ...]] = {
    "oracle": (("enterprise", 70), ("standard2", 30)),
    "sqlserver": (("enterprise", 35), ("standard", 55), ("express", 10)),
    "postgresql": (("community", 1),),
    "mysql": (("community", 80), ("enterprise", 20)),
    "mariadb": (("community", 1),),
    "db2": (("advanced", 50), ("standard", 50)),
    "mongodb": (("community", 60), ("enterprise", 40)),
    "redis": (("community", 80), ("enterprise", 20)),
}
# (feature, probability) per engine.
ENGINE_FEATURES: dict[str, tuple[tuple[str, float], ...]] = {
    "oracle": (("rac", 0.1), ("partitioning", 0.2), ("data-guard", 0.1),
               ("advanced-security", 0.05)),
    "sqlserver": (("linked-servers", 0.2), ("clr", 0.1), ("cdc", 0.05), ("ssis", 0.15),
                  ("always-on", 0.1)),
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
DEP_KINDS = (("sync", 45), ("async", 20), ("batch", 15), ("file", 12), ("database", 8))
STRATEGY_RATIONALE: dict[str, tuple[str, tuple[str, ...]]] = {
    "rehost": ("Lift and shift agreed with the vendor", ("Compute Engine",)),
    "replatform": ("Database moves to a managed service", ("Compute Engine", "Cloud SQL")),
    "refactor": ("Rewrite funded by the digital programme", ("Cloud Run",)),
    "repurchase": ("Replaced by the SaaS offering of the vendor", ()),
    "retire": ("Functions absorbed by the new ERP", ()),
    "retain": ("Plant floor system stays on premises", ()),
    "relocate": ("VMware estate moves as is", ("Google Cloud VMware Engine",)),
}


def _weighted(rng: Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


# --- model -----------------------------------------------------------------------------


@dataclass
class _App:
    index: int
    id: str
    domain: str
    type: str
    family: str  # OS family of its servers
    shared: bool  # one of the shared services
    head: dict[str, Yaml]  # the keys written before `servers`
    servers: list[str] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)
    # target id -> map form of the dependency, or None for the plain id form; a dict keeps
    # the order of generation and makes duplicate targets impossible.
    deps: dict[str, dict[str, Yaml] | None] = field(default_factory=dict)
    decision: dict[str, Yaml] | None = None
    tags: list[Yaml] = field(default_factory=list)
    in_cycle: bool = False

    def record(self) -> dict[str, Yaml]:
        rec = dict(self.head)
        if self.servers:
            rec["servers"] = list[Yaml](self.servers)
        if self.databases:
            rec["databases"] = list[Yaml](self.databases)
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
    def __init__(self, apps: int, seed: int) -> None:
        self.rng = Random(seed)
        self.n = apps
        self.width = max(5, len(str(apps)))
        self.apps: list[_App] = []
        self.servers: list[dict[str, Yaml]] = []
        self.server_owner: list[int] = []
        self.databases: list[dict[str, Yaml]] = []
        self.database_owner: list[int] = []
        self.n_shared = min(len(SHARED_SERVICES), max(3, apps // 20), apps)
        # Non-shared apps per domain, in index order: the pools dependencies are drawn from.
        self.pools: dict[str, list[int]] = {d: [] for d, _, _ in DOMAINS}
        self.nouns = {d: nouns for d, _, nouns in DOMAINS}
        self.names: dict[str, int] = {}
        self.shared_weights = [w for _, _, _, w in SHARED_SERVICES[: self.n_shared]]
        self._pool_pos: dict[int, int] = {}

    # -- applications --

    def _unique_name(self, base: str) -> str:
        count = self.names.get(base, 0) + 1
        self.names[base] = count
        return base if count == 1 else f"{base} {count}"

    def _app(self, i: int) -> _App:
        rng = self.rng
        app_id = f"app-{i + 1:0{self.width}d}"
        shared = i < self.n_shared
        if shared:
            name, vendor, _, _ = SHARED_SERVICES[i]
            domain, app_type, noun = "it", "cots", name
        else:
            domain = rng.choices([d for d, _, _ in DOMAINS], [w for _, w, _ in DOMAINS])[0]
            roll = rng.random()
            app_type = ("external" if roll < 0.01 else "saas" if roll < 0.06
                        else "cots" if roll < 0.45 else "custom")
            noun = rng.choice(self.nouns[domain])
            if app_type == "external":
                name, vendor = rng.choice(EXTERNAL_NAMES), ""
            elif app_type == "saas":
                vendor = rng.choice(SAAS_VENDORS)
                name = f"{vendor} {noun}"
            else:
                vendor = rng.choice(COTS_VENDORS) if app_type == "cots" else ""
                name = f"{noun} {rng.choice(SUFFIXES)}"
        name = self._unique_name(name)
        architecture = (
            "mainframe" if rng.random() < 0.01
            else _weighted(rng, (("monolith", 30), ("n-tier", 40), ("microservices", 8),
                                 ("batch", 11), ("desktop", 10)))
        )
        if architecture == "mainframe":
            family = "zos"
        else:
            family = _weighted(rng, (("windows", 450), ("linux", 527), ("solaris", 15),
                                     ("aix", 8)))
        head: dict[str, Yaml] = {"id": app_id, "name": name}
        if rng.random() < 0.9:
            head["description"] = (
                f"Enterprise-wide {name} service" if shared
                else f"Supports {domain.replace('-', ' ')} {noun.lower()} processes"
            )
        if rng.random() < 0.95:
            head["owner"] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        head["domain"] = domain
        head["type"] = app_type
        if vendor:
            head["vendor"] = vendor
        criticality = ("critical" if shared and rng.random() < 0.6 else
                       _weighted(rng, (("low", 20), ("medium", 45), ("high", 27),
                                       ("critical", 8))))
        head["criticality"] = criticality
        head["lifecycle"] = ("invest" if shared else
                             _weighted(rng, (("invest", 15), ("tolerate", 30), ("migrate", 50),
                                             ("eliminate", 5))))
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
            head["data_classification"] = _weighted(
                rng, (("public", 5), ("internal", 45), ("confidential", 40), ("restricted", 10)))
        if rng.random() < 0.1:
            head["data_residency"] = _weighted(rng, (("eu", 60), ("de", 20), ("fr", 15),
                                                     ("be", 5)))
        if rng.random() < 0.7:
            head["availability"] = self._availability(criticality)
        if hosted and rng.random() < 0.01:
            head["hardware"] = list[Yaml](rng.sample(HARDWARE, rng.choice((1, 1, 2))))
        if app_type in ("cots", "saas") and rng.random() < 0.7 or rng.random() < 0.08:
            model = ("subscription" if app_type == "saas" else
                     "open-source" if app_type == "custom" else
                     _weighted(rng, (("per-core", 35), ("per-socket", 10), ("per-user", 30),
                                     ("site", 15), ("subscription", 10))))
            head["licensing"] = {
                "model": model,
                "cloud_portable": model != "per-socket" and rng.random() < 0.75,
            }
        app = _App(i, app_id, domain, app_type, family, shared, head)
        if rng.random() < 0.6:
            app.tags = list[Yaml](rng.sample(TAGS, rng.choice((1, 1, 2, 3))))
        if not shared and app_type != "external" and rng.random() < 0.01:
            strategy = _weighted(rng, (("rehost", 25), ("replatform", 20), ("refactor", 10),
                                       ("repurchase", 15), ("retire", 15), ("retain", 10),
                                       ("relocate", 5)))
            rationale, targets = STRATEGY_RATIONALE[strategy]
            app.decision = {"strategy": strategy}
            if targets:
                app.decision["targets"] = list[Yaml](targets)
            app.decision["rationale"] = rationale
        return app

    def _stack(self, family: str, architecture: str) -> dict[str, Yaml]:
        rng = self.rng
        language, versions, frameworks, middleware = rng.choice(STACKS[family])
        stack: dict[str, Yaml] = {"language": language}
        if rng.random() < 0.85:
            stack["language_version"] = Quoted(rng.choice(versions))
        if frameworks and rng.random() < 0.7:
            stack["frameworks"] = self._some(frameworks)
        if middleware and rng.random() < 0.7:
            stack["middleware"] = self._some(middleware)
        micro = architecture == "microservices"
        stack["containerized"] = micro and rng.random() < 0.8 or rng.random() < 0.04
        stack["stateless"] = micro and rng.random() < 0.8 or rng.random() < 0.25
        return stack

    def _some(self, items: tuple[str, ...]) -> list[Yaml]:
        return list[Yaml](self.rng.sample(items, min(len(items), self.rng.choice((1, 1, 2)))))

    def _compliance(self, domain: str) -> list[Yaml]:
        rng = self.rng
        gxp = 0.35 if domain in ("research", "quality", "manufacturing") else 0.02
        sox = 0.4 if domain == "finance" else 0.05
        pci = 0.08 if domain in ("sales", "finance") else 0.005
        odds = (("gxp", gxp), ("gdpr", 0.3), ("sox", sox), ("pci-dss", pci),
                ("iso27001", 0.05), ("hipaa", 0.01))
        return [c for c, p in odds if rng.random() < p]

    def _availability(self, criticality: str) -> dict[str, Yaml]:
        rng = self.rng
        tier = ("low", "medium", "high", "critical").index(criticality)
        rto = rng.choice(((48, 72, 168), (8, 24, 48), (4, 8), (1, 2, 4))[tier])
        rpo = rng.choice([h for h in (0, 0.25, 1, 4, 24) if h <= rto])
        sla = rng.choice(((99.0, 99.5), (99.5, 99.9), (99.9, 99.95), (99.95, 99.99))[tier])
        return {"rto_hours": rto, "rpo_hours": rpo, "sla": sla}

    # -- servers and databases --

    def _server(self, app: _App, position: int, dc: str, os_text: str) -> str:
        rng = self.rng
        n = len(self.servers) + 1
        server_id = f"srv-{n:06d}"
        family = app.family
        env = "prod" if position == 0 else _weighted(
            rng, (("prod", 40), ("preprod", 15), ("test", 20), ("dev", 15), ("dr", 10)))
        if env == "dr":
            dc = DATACENTERS[(DATACENTERS.index(dc) + 1) % len(DATACENTERS)]
        if family == "solaris":
            arch, platform = "sparc", "physical"
        elif family == "aix":
            arch, platform = "power", "aix-lpar"
        elif family == "zos":
            arch, platform = "s390x", "mainframe"
        else:
            arch = "x86_64"
            platform = _weighted(rng, (("vmware", 85), ("hyperv", 4), ("kvm", 2),
                                       ("physical", 9)))
        letter = {"windows": "w", "linux": "l", "solaris": "s", "aix": "a", "zos": "z"}[family]
        cpu = rng.choice((1, 2, 2, 4, 4, 4, 8, 8, 16, 32))
        storage = rng.choice((40, 60, 80, 100, 150, 200, 300, 500, 1000, 2000))
        server: dict[str, Yaml] = {
            "id": server_id,
            "hostname": f"{dc}{letter}{env[0]}{n:06d}",
            "datacenter": dc,
        }
        if platform in ("vmware", "hyperv", "kvm"):
            server["cluster"] = f"{dc}-{platform}-cl{rng.randrange(1, 13):02d}"
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

    def _hosting(self, app: _App) -> None:
        rng = self.rng
        count = rng.choices((1, 2, 3, 4, 5), (17, 25, 27, 18, 13))[0]
        if app.shared:
            count = max(count, 3)
        main_os = _weighted(rng, OS_CHOICES[app.family])
        dc = _weighted(rng, (("par1", 40), ("fra1", 25), ("ams1", 15), ("dub1", 12),
                             ("bru1", 8)))
        for position in range(count):
            # Servers of one application mostly run the same OS release, not always.
            os_text = main_os if rng.random() < 0.8 else _weighted(rng, OS_CHOICES[app.family])
            app.servers.append(self._server(app, position, dc, os_text))
        ndb = rng.choices((0, 1, 2), (50, 36, 14))[0]
        for _ in range(ndb):
            app.databases.append(self._database(app))

    def _database(self, app: _App) -> str:
        rng = self.rng
        n = len(self.databases) + 1
        db_id = f"db-{n:0{self.width}d}"
        prod = [s for s in app.servers if self.servers[self._server_index(s)]["environment"]
                == "prod"]
        host = rng.choice(prod or app.servers)
        os_text = self.servers[self._server_index(host)]["os"]
        assert isinstance(os_text, str)
        family = ("windows" if os_text.startswith("Microsoft") else
                  "solaris" if "Solaris" in os_text else
                  "aix" if "AIX" in os_text else
                  "zos" if "z/OS" in os_text else "linux")
        engine = _weighted(rng, ENGINES[family])
        db: dict[str, Yaml] = {
            "id": db_id,
            "engine": engine,
            "version": Quoted(rng.choice(ENGINE_VERSIONS[engine])),
            "edition": _weighted(rng, ENGINE_EDITIONS[engine]),
            "size_gb": round(min(20000.0, rng.lognormvariate(3.5, 1.6)) + 1, 1),
            "server": host,
        }
        features = [f for f, p in ENGINE_FEATURES.get(engine, ()) if rng.random() < p]
        if features:
            db["features"] = list[Yaml](features)
        self.databases.append(db)
        self.database_owner.append(app.index)
        return db_id

    @staticmethod
    def _server_index(server_id: str) -> int:
        return int(server_id[4:]) - 1

    # -- dependencies --

    def _dep_extra(self, kind: str, target: _App, latency: bool) -> dict[str, Yaml]:
        rng = self.rng
        extra: dict[str, Yaml] = {"kind": kind}
        if latency:
            extra["latency_sensitive"] = True
        elif rng.random() < 0.15:
            extra["latency_sensitive"] = False
        if rng.random() < 0.5:
            noun = rng.choice(self.nouns[target.domain]).lower()
            extra["description"] = rng.choice(DEP_TEXT[kind]).format(n=noun)
        return extra

    def _add_dep(self, app: _App, target: _App, kind: str | None) -> None:
        rng = self.rng
        # ~1% of all dependencies are latency-sensitive; never towards a shared service,
        # which would pull hundreds of consumers into one move group.
        latency = not target.shared and rng.random() < 0.0135
        if latency or rng.random() < 0.2:
            if kind is None:
                kind = "sync" if latency else _weighted(rng, DEP_KINDS)
            app.deps[target.id] = self._dep_extra(kind, target, latency)
        else:
            app.deps[target.id] = None

    def _dependencies(self, app: _App) -> None:
        rng = self.rng
        i = app.index
        if app.type == "external":
            return
        if app.shared:
            # Shared services lean on the more basic ones (the directory, monitoring).
            lower = list(range(i))
            for j in rng.sample(lower, min(len(lower), rng.choice((1, 2, 3)))):
                self._add_dep(app, self.apps[j], SHARED_SERVICES[j][2])
            return
        saas = app.type == "saas"
        n_shared = rng.choices((0, 1, 2, 3, 4), (15, 35, 30, 15, 5))[0]
        if saas:
            n_shared = min(n_shared, 1)
        for j in rng.choices(range(self.n_shared), self.shared_weights, k=n_shared):
            if self.apps[j].id not in app.deps:
                self._add_dep(app, self.apps[j], SHARED_SERVICES[j][2])
        lo = self.n_shared
        if i <= lo:
            return
        wanted = round(rng.gammavariate(2.0, 2.75))
        if saas:
            wanted = min(wanted, 2)
        pool = self.pools[app.domain]
        for _ in range(wanted):
            for _attempt in range(4):
                roll = rng.random()
                if roll < 0.45 and pool:
                    # Recent apps of the same domain: builds layered chains.
                    back = min(int(rng.expovariate(1 / 100)), len(pool) - 1)
                    j = pool[len(pool) - 1 - back]
                elif roll < 0.75 and pool:
                    j = rng.choice(pool)
                else:
                    j = rng.randrange(lo, i)
                target = self.apps[j]
                if target.id not in app.deps:
                    self._add_dep(app, target, None)
                    break

    # -- post passes --

    def _nearby(self, app: _App, hosted_only: bool) -> _App | None:
        pool = self.pools[app.domain]
        pos = self._pool_pos[app.index]
        for _ in range(6):
            j = pool[min(len(pool) - 1, max(0, pos + self.rng.randint(-40, 40)))]
            other = self.apps[j]
            if other is not app and (other.servers or not hosted_only):
                return other
        return None

    def _share(self) -> None:
        rng = self.rng
        self._pool_pos = {j: p for pool in self.pools.values() for p, j in enumerate(pool)}
        # ~3% of the servers run two applications, ~2% of the databases serve two.
        candidates = [k for k, o in enumerate(self.server_owner) if not self.apps[o].shared]
        for k in sorted(rng.sample(candidates, min(len(candidates),
                                                   round(0.03 * len(self.servers))))):
            other = self._nearby(self.apps[self.server_owner[k]], hosted_only=True)
            server_id = self.servers[k]["id"]
            assert isinstance(server_id, str)
            if other is not None and server_id not in other.servers:
                other.servers.append(server_id)
        candidates = [k for k, o in enumerate(self.database_owner) if not self.apps[o].shared]
        for k in sorted(rng.sample(candidates, min(len(candidates),
                                                   round(0.02 * len(self.databases))))):
            other = self._nearby(self.apps[self.database_owner[k]], hosted_only=True)
            db_id = self.databases[k]["id"]
            assert isinstance(db_id, str)
            if other is not None and db_id not in other.databases:
                other.databases.append(db_id)

    def _cycles(self) -> None:
        rng = self.rng
        wanted = max(1, round(self.n * 0.005))
        domains = [d for d, _, _ in DOMAINS]
        weights = [w for _, w, _ in DOMAINS]
        made = 0
        for _ in range(wanted * 20):
            if made == wanted:
                break
            pool = self.pools[rng.choices(domains, weights)[0]]
            length = rng.choices((2, 3, 4), (50, 30, 20))[0]
            if len(pool) < length:
                continue
            anchor = rng.randrange(length - 1, len(pool))
            window = pool[max(0, anchor - 30) : anchor + 1]
            members = [self.apps[j] for j in rng.sample(window, min(length, len(window)))]
            if len(members) < 2 or any(
                m.in_cycle or m.type in ("external", "saas") or m.decision for m in members
            ):
                continue
            members.sort(key=lambda m: -m.index)
            for consumer, provider in zip(members, members[1:], strict=False):
                if provider.id not in consumer.deps:
                    self._add_dep(consumer, provider, None)
            # The one edge against the index order: a provider calling back its consumer.
            lowest, highest = members[-1], members[0]
            lowest.deps[highest.id] = self._dep_extra("async", highest, latency=False)
            for m in members:
                m.in_cycle = True
            made += 1

    # -- output --

    def run(self) -> None:
        for i in range(self.n):
            app = self._app(i)
            self.apps.append(app)
            if app.type not in ("saas", "external"):
                self._hosting(app)
            self._dependencies(app)
            if not app.shared:
                self.pools[app.domain].append(i)
        self._share()
        self._cycles()


HEADER = ("Synthetic portfolio written by bench/generate.py ({apps} applications, seed {seed}).\n"
          "Not real data: for benchmarks and tests of migrator.")


def generate(outdir: Path, apps: int = 10000, seed: int = 42) -> dict[str, int]:
    """Write a synthetic inventory of ``apps`` applications into ``outdir``; return counts.

    The counts are ``applications``, ``servers``, ``databases``, ``dependencies`` and
    ``bytes`` (of YAML written).
    """
    if apps < 1:
        raise ValueError("apps must be at least 1")
    gen = _Generator(apps, seed)
    gen.run()
    header = HEADER.format(apps=apps, seed=seed)
    files: dict[str, str] = {
        "portfolio.yaml": dump_yaml(
            {
                "version": 1,
                "portfolio": {
                    "name": f"Synthetic estate {apps} apps seed {seed}",
                    "region": "europe-west1",
                    "currency": "EUR",
                },
                "planning": {
                    "start": date(2027, 1, 11),
                    "wave_weeks": 4,
                    "max_apps_per_wave": max(10, apps // 25),
                    "freeze": [{"from": date(2027, 12, 18), "to": date(2028, 1, 4),
                                "reason": "year-end freeze"}],
                },
            },
            header,
        )
    }
    by_domain: dict[str, list[Yaml]] = {d: [] for d, _, _ in DOMAINS}
    for app in gen.apps:
        by_domain[app.domain].append(app.record())
    outdir.mkdir(parents=True, exist_ok=True)
    for domain, records in by_domain.items():
        name = f"apps-{domain}.yaml"
        if records:
            files[name] = dump_yaml({"applications": records}, header)
        else:
            # A small run leaves some domains empty: a file left by an earlier, larger run
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("outdir", type=Path, help="directory to write the YAML files into")
    parser.add_argument("--apps", type=int, default=10000, help="applications (default 10000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    args = parser.parse_args(argv)
    if args.apps < 1:
        parser.error("--apps must be at least 1")
    started = time.perf_counter()
    counts = generate(args.outdir, args.apps, args.seed)
    elapsed = time.perf_counter() - started
    print(
        f"{counts['applications']} applications, {counts['servers']} servers, "
        f"{counts['databases']} databases, {counts['dependencies']} dependencies: "
        f"{counts['bytes'] / 1e6:.1f} MB in {args.outdir} ({elapsed:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
