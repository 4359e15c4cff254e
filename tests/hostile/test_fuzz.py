"""Generated hostile input for each reader: inventory YAML, rules files, workbooks, CSV.

The properties of the corpus, on input nobody wrote by hand: migrator exits 0, 1 or 2,
never with a traceback or an internal error; what it refuses is located; it writes nothing
but its output; and an import that succeeds writes an inventory that ``validate`` accepts.
In CI (MIGRATOR_CI) the examples are the same on every run (see tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from migrator.assess.conditions import OPERATORS
from migrator.assess.facts import FACTS
from migrator.cli import app
from migrator.inventory import schema
from tests.discovery.xlsx import HEADER as RVTOOLS_HEADER

LOCATED = re.compile(r"^\S+:\d+:\d+: (error|warning): ", re.MULTILINE)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SMALL = (
    "applications:\n"
    "  - {id: erp, name: ERP, servers: [s1], databases: [d1], depends_on: [crm]}\n"
    "  - {id: crm, name: CRM, criticality: high, compliance: [gxp]}\n"
    "servers:\n"
    "  - {id: s1, os: Microsoft Windows Server 2008 R2 (64-bit), cpu: 4, memory_gb: 16}\n"
    "databases:\n  - {id: d1, engine: oracle, version: '11.2', server: s1}\n"
)

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-3, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
    st.sampled_from(
        [
            "yes",
            "on",
            "~",
            "null",
            "1e400",
            ".nan",
            "today+99999999d",
            "0x1f",
            "2027-02-30",
            "9999-12-31",
            "<script>",
            "{{ 7*7 }}",
            "a\nb",
            "é",
            "",
        ]
    ),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=6,
)


def _run(args: list[str], root: Path, allowed: tuple[int, ...]) -> tuple[int, str]:
    """Run a command in ``root``; the properties every run keeps."""
    result = CliRunner().invoke(app, args, catch_exceptions=True)
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in allowed, output
    assert "Traceback" not in output and "internal error" not in output, output
    return result.exit_code, output


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _fresh(tmp_path: Path, monkeypatch: Any) -> Path:
    root = tmp_path / "case"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    monkeypatch.chdir(root)
    return root


@st.composite
def entity(draw: st.DrawFn, spec: schema.Spec, kind: str, number: int) -> dict[Any, Any]:
    keys = draw(st.lists(st.sampled_from(sorted(spec.fields)), max_size=6, unique=True))
    item: dict[Any, Any] = {"id": f"{kind}{number}"}
    if kind == "a":
        item["name"] = f"App {number}"
    for key in keys:
        item[key] = draw(VALUES)
    if draw(st.booleans()):
        item[draw(TEXT)] = draw(VALUES)
    return item


@st.composite
def inventories(draw: st.DrawFn) -> str:
    data: dict[Any, Any] = {
        "applications": [
            draw(entity(schema.APPLICATION, "a", i)) for i in range(draw(st.integers(1, 3)))
        ],
        "servers": [draw(entity(schema.SERVER, "s", i)) for i in range(draw(st.integers(0, 2)))],
    }
    if draw(st.booleans()):
        data["planning"] = {
            key: draw(VALUES)
            for key in draw(
                st.lists(st.sampled_from(sorted(schema.PLANNING.fields)), max_size=3, unique=True)
            )
        }
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if draw(st.booleans()):  # and some damage to the text itself
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + draw(st.text(st.sampled_from(list(":-[]{}&*!|>'\"#%@`, \n\tx9é")), max_size=4))
            + text[at:]
        )
    return text


@SETTINGS
@given(text=inventories())
def test_generated_inventories(text: str, tmp_path: Path, monkeypatch: Any) -> None:
    root = _fresh(tmp_path, monkeypatch)
    (root / "inv").mkdir()
    (root / "inv" / "a.yaml").write_text(text, encoding="utf-8")
    before = _snapshot(root)
    code, output = _run(["validate", "inv"], root, (0, 1))
    for line in output.splitlines():
        if ": error: " in line or ": warning: " in line:
            assert LOCATED.match(line) or line.startswith("inv: error: the inventory is empty"), (
                line
            )
    _run(["assess", "inv", "-f", "json"], root, (0,) if code == 0 else (2,))
    _run(["waves", "inv", "-f", "json"], root, (0, 2))  # 2: a wave pin that cannot be kept
    assert _snapshot(root) == before


CONDITION_LEAVES = st.fixed_dictionaries(
    {
        "attr": st.one_of(
            st.sampled_from(sorted({a for facts in FACTS.values() for a in facts})), TEXT
        ),
        "op": st.one_of(st.sampled_from(sorted(OPERATORS)), TEXT),
    },
    optional={
        "value": st.one_of(
            VALUES,
            st.sampled_from(
                ["^(a+)+$", "(?<=a)b", "(a)\\1", "[", "today+36500d", "today-1y", "a{2000}"]
            ),
        )
    },
)
CONDITIONS = st.recursive(
    CONDITION_LEAVES,
    lambda inner: st.one_of(
        inner.map(lambda c: {"not": c}),
        st.lists(inner, max_size=3).map(lambda cs: {"all": cs}),
        st.lists(inner, max_size=3).map(lambda cs: {"any": cs}),
    ),
    max_leaves=6,
)
RULES = st.lists(
    st.fixed_dictionaries(
        {"id": st.one_of(st.sampled_from(["os-end-of-support", "x-new", "gxp-validation"]), TEXT)},
        optional={
            "title": VALUES,
            "applies_to": st.sampled_from(["application", "server", "database", "x"]),
            "when": CONDITIONS,
            "severity": st.sampled_from(["blocker", "major", "minor", "info", "no"]),
            "points": VALUES,
            "message": st.one_of(TEXT, st.just("{app.id} {os.name} {x.y} {")),
            "enabled": VALUES,
        },
    ),
    max_size=4,
)


@SETTINGS
@given(rules=RULES)
def test_generated_rules_files(
    rules: list[dict[str, Any]], tmp_path: Path, monkeypatch: Any
) -> None:
    root = _fresh(tmp_path, monkeypatch)
    (root / "inv.yaml").write_text(SMALL)
    (root / "r.yaml").write_text(yaml.safe_dump({"rules": rules}, allow_unicode=True))
    before = _snapshot(root)
    code, output = _run(["assess", "inv.yaml", "--rules", "r.yaml", "-f", "json"], root, (0, 2))
    if code == 2:
        assert LOCATED.search(output), output
    _run(["rules", "--rules", "r.yaml"], root, (code,))
    assert _snapshot(root) == before


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(),
    st.floats(allow_nan=False),
    TEXT.filter(lambda t: not any(ord(c) < 32 and c not in "\t\n\r" for c in t)),
    st.sampled_from(["NaN", "inf", "1e400", "-4", "1,024", "poweredOn", "poweredOff", "true"]),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2999, 1, 1)),
)


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    header = list(RVTOOLS_HEADER) + draw(
        st.lists(
            st.sampled_from(
                [
                    "Template",
                    "DNS Name",
                    "Datacenter",
                    "Cluster",
                    "Host",
                    "Folder",
                    "Annotation",
                    "OS according to the VMware Tools",
                    "Provisioned MB",
                    "In Use MB",
                ]
            ),
            max_size=4,
            unique=True,
        )
    )
    if draw(st.booleans()):
        header.remove(draw(st.sampled_from(header)))
    rows = draw(
        st.lists(
            st.lists(CELLS, min_size=len(header), max_size=len(header)), min_size=1, max_size=5
        )
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "vInfo"
    sheet.append(header)
    try:
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
    except (ValueError, TypeError, OverflowError):
        assume(False)  # a value openpyxl itself cannot write
    return buffer.getvalue()


@SETTINGS
@given(data=workbooks())
def test_generated_workbooks(data: bytes, tmp_path: Path, monkeypatch: Any) -> None:
    root = _fresh(tmp_path, monkeypatch)
    (root / "export.xlsx").write_bytes(data)
    code, _ = _run(["import", "rvtools", "export.xlsx", "-o", "estate"], root, (0, 2))
    assert (root / "export.xlsx").read_bytes() == data
    assert sorted(p.name for p in root.iterdir()) == (
        ["estate", "export.xlsx"] if code == 0 else ["export.xlsx"]
    )
    if code == 0:  # what an import writes, validate accepts
        validated, output = _run(["validate", "estate"], root, (0, 1))
        assert validated == 0, output


CSV_TEXT = st.lists(
    st.sampled_from(
        [
            *'abc019,;"\n\r\t -.xé',
            "\x00",
            "NaN",
            "inf",
            "1e400",
            "Running",
            "vm-1,web01,",
            "x" * 1000,
        ]
    ),
    max_size=80,
).map("".join)
MC_HEADER = (
    "MachineId,MachineName,AllocatedProcessorCoreCount,MemoryGiB,TotalDiskAllocatedGiB,"
    "TotalDiskUsedGiB,HostingLocation,OsName,OsVersion,MachineStatus,IsPhysical,"
    "PrimaryIPAddress,Source\n"
)


@SETTINGS
@given(body=CSV_TEXT, with_header=st.booleans(), encoding=st.sampled_from(["utf-8", "cp1252"]))
# found by this test: a machine name of 2,000 characters became a key of discovered.yaml
# longer than YAML allows one written "key: value"
@example(body="," + "x" * 2000, with_header=True, encoding="utf-8")
# and an operating system "web01 -", which yaml-rs refused at the end of a flow mapping
@example(body="vm-1,web01,vm-1,web01,vm-1,web01,vm-1,web01,-", with_header=True, encoding="utf-8")
def test_generated_csv_exports(
    body: str, with_header: bool, encoding: str, tmp_path: Path, monkeypatch: Any
) -> None:
    root = _fresh(tmp_path, monkeypatch)
    data = ((MC_HEADER if with_header else "") + body).encode(encoding, errors="replace")
    (root / "vmInfo.csv").write_bytes(data)
    code, _ = _run(
        ["import", "csv", "vmInfo.csv", "-o", "estate", "--mapping", "migration-center"],
        root,
        (0, 2),
    )
    assert (root / "vmInfo.csv").read_bytes() == data
    if code == 0:
        validated, output = _run(["validate", "estate"], root, (0, 1))
        assert validated == 0, output
    else:
        assert not (root / "estate").exists()
