"""The knowledge base: operating systems, database engines, runtimes, SaaS and regions.

The facts live in YAML files shipped with the package (``migrator/data``), each entry with
its source and date; this module reads them once and answers questions about free text
as inventories and discovery tools write it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import yaml_rs

Containerizable = Literal["yes", "partial", "no"]


def _data(name: str) -> dict[str, Any]:
    text = (resources.files("migrator") / "data" / name).read_text(encoding="utf-8")
    loaded = yaml_rs.loads(text)
    assert isinstance(loaded, dict), name
    return loaded


def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _containerizable(value: Any) -> Containerizable:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "partial"


# -- operating systems -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OsEntry:
    id: str
    family: str
    vendor: str | None
    product: str
    version: str | None
    kind: str
    cpu_arch: str | None
    end_of_support: dt.date | None
    extended_until: dt.date | None
    compute_engine: Literal["image", "import", "none"]
    source: str
    patterns: tuple[re.Pattern[str], ...]

    @property
    def name(self) -> str:
        return f"{self.product} {self.version}" if self.version else self.product


@dataclass(frozen=True, slots=True)
class OsMatch:
    """A free-text OS string, recognised."""

    entry: OsEntry
    bits: int | None  # 32 or 64 when the string says so


_BITS_32 = re.compile(r"32-bit|\bx86\b(?![_-]?64)|\bi[3-6]86\b|\(32\b", re.IGNORECASE)
_BITS_64 = re.compile(r"64-bit|x86[_-]64|\bx64\b|\bamd64\b", re.IGNORECASE)


@functools.cache
def os_entries() -> tuple[OsEntry, ...]:
    entries = []
    for item in _data("os.yaml")["entries"]:
        entries.append(
            OsEntry(
                id=item["id"],
                family=item["family"],
                vendor=item.get("vendor"),
                product=item["product"],
                version=_text(item.get("version")),
                kind=item.get("kind") or "server",
                cpu_arch=item.get("cpu_arch"),
                end_of_support=_date(item.get("end_of_support")),
                extended_until=_date(item.get("extended_until")),
                compute_engine=item["compute_engine"],
                source=item["source"],
                patterns=tuple(_pattern(p) for p in item["match"]),
            )
        )
    return tuple(entries)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@functools.lru_cache(maxsize=4096)
def recognise_os(text: str) -> OsMatch | None:
    """The catalogue entry for an OS string: the first whose patterns match, in file order."""
    normal = " ".join(text.split())
    if not normal:
        return None
    bits = 64 if _BITS_64.search(normal) else 32 if _BITS_32.search(normal) else None
    for entry in os_entries():
        if any(p.search(normal) for p in entry.patterns):
            return OsMatch(entry, bits)
    return None


# -- releases (of database engines and languages) -----------------------------------------


@dataclass(frozen=True, slots=True)
class Release:
    """A version of a product, recognised in free text by its pattern."""

    version: str
    end_of_support: dt.date | None
    source: str
    pattern: re.Pattern[str]


def _releases(items: Any) -> tuple[Release, ...]:
    return tuple(
        Release(
            str(v["version"]),
            _date(v.get("end_of_support")),
            v.get("source") or "",
            _pattern(v["match"]),
        )
        for v in items or ()
    )


def _release(releases: tuple[Release, ...], text: str | None) -> Release | None:
    """The first release, in file order, whose pattern matches ``text``."""
    if not text:
        return None
    text = text.strip()
    return next((r for r in releases if r.pattern.search(text)), None)


@functools.lru_cache(maxsize=8192)
def _release_of(kind: str, product: str, text: str) -> Release | None:
    """The release of the catalogue's ``product`` (an engine or a language id) that ``text``
    names: a few version strings recur over thousands of databases and applications."""
    if kind == "engine":
        return _release(engines()[product].versions, text)
    return _release(_languages_by_id()[product].versions, text)


# -- database engines --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DbTarget:
    service: str
    strategy: str
    managed: bool
    versions: tuple[str, ...] | None  # None: any version
    max_size_gb: float | None
    migration: str | None
    notes: str | None
    source: str

    def accepts(self, version: str | None) -> bool:
        return self.versions is None or (version is not None and version in self.versions)


@dataclass(frozen=True, slots=True)
class Engine:
    id: str
    name: str
    kind: str
    versions: tuple[Release, ...]
    targets: tuple[DbTarget, ...]

    def version(self, text: str | None) -> Release | None:
        if not text:
            return None
        if engines().get(self.id) is not self:  # not the catalogue's own (a test's)
            return _release(self.versions, text)
        return _release_of("engine", self.id, text)


@functools.cache
def engines() -> dict[str, Engine]:
    """Engines by id and by every alias (lower case)."""
    found: dict[str, Engine] = {}
    for item in _data("databases.yaml")["engines"]:
        engine = Engine(
            id=item["id"],
            name=item["name"],
            kind=item.get("kind") or "other",
            versions=_releases(item.get("versions")),
            targets=tuple(
                DbTarget(
                    service=t["service"],
                    strategy=t["strategy"],
                    managed=bool(t.get("managed")),
                    versions=tuple(str(v) for v in t["versions"]) if "versions" in t else None,
                    max_size_gb=t.get("max_size_gb"),
                    migration=t.get("migration"),
                    notes=t.get("notes"),
                    source=t.get("source") or "",
                )
                for t in item.get("targets") or ()
            ),
        )
        for name in (item["id"], *(item.get("aliases") or ())):
            found[str(name).lower()] = engine
    return found


@functools.cache
def managed_services() -> tuple[str, ...]:
    """Every managed Google Cloud service a database may land on, as databases.yaml names it."""
    return tuple(sorted({t.service for e in engines().values() for t in e.targets if t.managed}))


_ZOS = re.compile(r"z/?os|\bmvs\b|mainframe", re.IGNORECASE)


def engine(text: str | None, edition: str | None = None) -> Engine | None:
    """The catalogue engine for an inventory's ``engine`` (and ``edition``: Db2 for z/OS is
    a different product from Db2 for Linux, Unix and Windows)."""
    if not text:
        return None
    key = text.strip().lower()
    found = engines().get(key) or engines().get(re.sub(r"[\s_]+", "-", key))
    if found is not None and found.id == "db2" and edition and _ZOS.search(edition):
        return engines().get("db2zos", found)
    return found


# -- runtimes and middleware -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Language:
    id: str
    name: str
    containerizable: Containerizable
    cloud_run: bool
    versions: tuple[Release, ...]
    pattern: re.Pattern[str]
    notes: str | None

    def version(self, text: str | None) -> Release | None:
        if not text:
            return None
        if _languages_by_id().get(self.id) is not self:  # not the catalogue's own
            return _release(self.versions, text)
        return _release_of("language", self.id, text)


@dataclass(frozen=True, slots=True)
class Middleware:
    id: str
    name: str
    containerizable: Containerizable
    strategy: str | None
    targets: tuple[str, ...]  # where its application tier lands, in order of preference
    landing: str | None  # the same in words
    tier: str  # "application", or "database" for what moves with the database
    pattern: re.Pattern[str]


@functools.cache
def _runtimes() -> tuple[tuple[Language, ...], tuple[Middleware, ...]]:
    data = _data("runtimes.yaml")
    languages = tuple(
        Language(
            id=item["id"],
            name=item["name"],
            containerizable=_containerizable(item.get("containerizable")),
            cloud_run=bool(item.get("cloud_run")),
            versions=_releases(item.get("versions")),
            pattern=_pattern(item["match"]),
            notes=item.get("notes"),
        )
        for item in data["languages"]
    )
    middleware = tuple(
        Middleware(
            id=item["id"],
            name=item["name"],
            containerizable=_containerizable(item.get("containerizable")),
            strategy=item.get("strategy"),
            targets=tuple(item.get("targets") or ()),
            landing=item.get("landing"),
            tier=item.get("tier") or "application",
            pattern=_pattern(item["match"]),
        )
        for item in data["middleware"]
    )
    return languages, middleware


@functools.cache
def _languages_by_id() -> dict[str, Language]:
    return {lang.id: lang for lang in _runtimes()[0]}


@functools.lru_cache(maxsize=1024)
def language(text: str | None) -> Language | None:
    if not text:
        return None
    return next((lang for lang in _runtimes()[0] if lang.pattern.search(text.strip())), None)


@functools.lru_cache(maxsize=4096)
def middleware(text: str) -> Middleware | None:
    return next((m for m in _runtimes()[1] if m.pattern.search(text.strip())), None)


# -- SaaS replacements -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaasCategory:
    id: str
    name: str
    replacements: tuple[str, ...]
    pattern: re.Pattern[str]  # the category's patterns as one alternation

    def matches(self, text: str) -> bool:
        return self.pattern.search(text) is not None


@functools.cache
def saas_categories() -> tuple[SaasCategory, ...]:
    return tuple(
        SaasCategory(
            id=item["id"],
            name=item["name"],
            replacements=tuple(item.get("replacements") or ()),
            pattern=_pattern("|".join(f"(?:{p})" for p in item["match"])),
        )
        for item in _data("saas.yaml")["categories"]
    )


def saas_category(texts: tuple[str, ...]) -> SaasCategory | None:
    """The first category, in file order, whose patterns match any of ``texts``."""
    categories = saas_categories()
    first = min((_first_saas_category(text) for text in texts if text), default=len(categories))
    return categories[first] if first < len(categories) else None


@functools.lru_cache(maxsize=65536)
def _first_saas_category(text: str) -> int:
    """The index of the first category matching ``text`` (one past the last when none).

    Vendors, descriptions and tags recur across a portfolio: each is searched once.
    """
    categories = saas_categories()
    return next((index for index, c in enumerate(categories) if c.matches(text)), len(categories))


# -- regions -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    location: str
    jurisdictions: frozenset[str]
    at: tuple[float, float] | None  # latitude, longitude: to rank distances only


@functools.cache
def regions() -> dict[str, Region]:
    return {
        name: Region(
            name,
            item["location"],
            frozenset(item["jurisdictions"]),
            (float(item["at"][0]), float(item["at"][1])) if item.get("at") else None,
        )
        for name, item in _data("regions.yaml")["regions"].items()
    }


@dataclass(frozen=True, slots=True)
class Service:
    """A Google Cloud service that only some regions offer."""

    name: str
    regions: frozenset[str] | None  # None: the list was not found
    confirmed: bool  # False: the list is what was found, not a list Google publishes
    source: str


@functools.cache
def services() -> dict[str, Service]:
    return {
        name: Service(
            name,
            frozenset(item["regions"]) if item.get("regions") else None,
            bool(item.get("confirmed")),
            str(item.get("source") or ""),
        )
        for name, item in _data("services.yaml")["services"].items()
    }
