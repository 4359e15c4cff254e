"""The knowledge base: OS strings as tools write them, database versions, SaaS categories."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from migrator.assess import catalogue

OS_CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "os_strings.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", OS_CASES, ids=[repr(c["os"]) for c in OS_CASES])
def test_os_string(case: dict[str, Any]) -> None:
    match = catalogue.recognise_os(case["os"])
    assert (match.entry.id if match else None) == case["id"]


def test_every_os_entry_is_sourced_and_dated_sensibly() -> None:
    entries = catalogue.os_entries()
    assert len({e.id for e in entries}) == len(entries)
    for entry in entries:
        assert entry.source, entry.id
        assert entry.compute_engine in ("image", "import", "none")
        if entry.end_of_support and entry.extended_until:
            assert entry.extended_until >= entry.end_of_support, entry.id
        if entry.cpu_arch in ("sparc", "power", "s390x", "itanium"):
            assert entry.compute_engine == "none", entry.id


def test_os_bits_from_the_string() -> None:
    match = catalogue.recognise_os("Microsoft Windows Server 2003 (32-bit)")
    assert match is not None and match.bits == 32
    match = catalogue.recognise_os("Red Hat Enterprise Linux 6 (64-bit)")
    assert match is not None and match.bits == 64
    match = catalogue.recognise_os("Red Hat Enterprise Linux 6")
    assert match is not None and match.bits is None


def test_windows_server_dates_follow_facts() -> None:
    # endoflife.date products/windows-server.md (2026-08-21): 2008 R2 extended support ends
    # 2020-01-14, ESU 2023-01-10.
    match = catalogue.recognise_os("Microsoft Windows Server 2008 R2 (64-bit)")
    assert match is not None
    assert match.entry.end_of_support == dt.date(2020, 1, 14)
    assert match.entry.extended_until == dt.date(2023, 1, 10)


@pytest.mark.parametrize(
    ("text", "end", "extended"),
    [
        ("Microsoft Windows 8 (64-bit)", "2016-01-12", None),  # 8, not 8.1's 2023-01-10
        ("Windows 8.1 Pro", "2023-01-10", None),
        ("Microsoft Windows XP Professional (32-bit)", "2014-04-08", None),
        ("SUSE Linux Enterprise 10 (64-bit)", "2013-07-31", "2016-07-30"),
        ("Debian GNU/Linux 5 (64-bit)", "2012-02-06", None),
        ("Rocky Linux 8 (64-bit)", "2029-05-31", None),
        ("AlmaLinux 8 (64-bit)", "2029-05-31", None),
        ("Rocky Linux 9 (64-bit)", "2032-05-31", None),
        ("AlmaLinux 9 (64-bit)", "2032-05-31", None),
        ("CentOS 4/5 or later (64-bit)", "2024-06-30", None),  # every CentOS Linux ended by then
        ("Red Hat Enterprise Linux 7 (64-bit)", "2024-06-30", "2029-05-31"),
    ],
)
def test_corrected_support_dates(text: str, end: str, extended: str | None) -> None:
    match = catalogue.recognise_os(text)
    assert match is not None
    assert match.entry.end_of_support == dt.date.fromisoformat(end)
    assert match.entry.extended_until == (dt.date.fromisoformat(extended) if extended else None)


@pytest.mark.parametrize(
    ("service", "accepted", "refused"),
    [
        ("Cloud SQL for PostgreSQL", ["9.6", "17", "18"], ["8.4"]),
        ("AlloyDB for PostgreSQL", ["14", "17", "18"], ["13", "12"]),
    ],
)
def test_managed_postgresql_versions(service: str, accepted: list[str], refused: list[str]) -> None:
    engine = catalogue.engine("postgresql")
    assert engine is not None
    target = next(t for t in engine.targets if t.service == service)
    assert all(target.accepts(v) for v in accepted)
    assert not any(target.accepts(v) for v in refused)


@pytest.mark.parametrize(
    ("engine", "version", "release"),
    [
        ("oracle", "19c", "19c"),
        ("oracle", "19.3", "19c"),
        ("oracle", "12.2.0.1", "12.2"),
        ("oracle", "11gR2", "11.2"),
        ("sqlserver", "2008 R2", "2008 R2"),
        ("sqlserver", "10.50.6000", "2008 R2"),
        ("sqlserver", "15.0", "2019"),
        ("mssql", "2019", "2019"),
        ("mysql", "5.7.44", "5.7"),
        ("postgres", "9.6", "9.6"),
        ("postgresql", "12.10", "12"),
    ],
)
def test_database_versions(engine: str, version: str, release: str) -> None:
    found = catalogue.engine(engine)
    assert found is not None
    recognised = found.version(version)
    assert recognised is not None and recognised.version == release


def test_db2_for_zos_is_its_own_engine() -> None:
    found = catalogue.engine("db2", "DB2 for z/OS")
    assert found is not None and found.id == "db2zos"
    found = catalogue.engine("db2", "Enterprise Server Edition")
    assert found is not None and found.id == "db2"


def test_cloud_sql_for_postgresql_takes_supported_versions() -> None:
    engine = catalogue.engine("postgresql")
    assert engine is not None
    cloud_sql = next(t for t in engine.targets if t.service == "Cloud SQL for PostgreSQL")
    assert cloud_sql.managed and cloud_sql.accepts("16") and not cloud_sql.accepts("8.4")


@pytest.mark.parametrize(
    ("texts", "category"),
    [
        (("Microsoft Exchange 2013", "Microsoft"), "mail"),
        (("HR and payroll", "Oracle", "PeopleSoft HCM 9.2"), "hr"),
        (("Laboratory Information Management System", "LabWare"), None),
    ],
)
def test_saas_categories(texts: tuple[str, ...], category: str | None) -> None:
    found = catalogue.saas_category(texts)
    assert (found.id if found else None) == category


def test_catalogue_files_carry_sources_and_dates() -> None:
    data = Path(catalogue.__file__).resolve().parent.parent / "data"
    for name in ("os.yaml", "databases.yaml", "runtimes.yaml", "saas.yaml", "regions.yaml"):
        text = (data / name).read_text(encoding="utf-8")
        assert re.search(r"^as_of: \d{4}-\d{2}-\d{2}$", text, re.MULTILINE), name
        assert "source" in text.lower(), name
