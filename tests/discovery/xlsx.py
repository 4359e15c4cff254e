"""Small RVTools-like workbooks made in the test, and hostile variants of them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

import openpyxl

HEADER = ("VM", "Powerstate", "CPUs", "Memory", "Provisioned MiB", "In Use MiB", "VM ID")
ROW = ("web01", "poweredOn", 2, 4096, 40960, 10240, "vm-101")
SHEET = "xl/worksheets/sheet1.xml"


def workbook(
    rows: Sequence[Sequence[Any]] = (ROW,), header: Sequence[str] = HEADER, title: str = "vInfo"
) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(SHEET).decode()


def replaced(data: bytes, member: str, content: str | bytes) -> bytes:
    """The workbook with one part's content replaced (written as given)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = content if info.filename == member else source.read(info.filename)
            archive.writestr(info.filename, body)
    return out.getvalue()


def with_cell(value: str, kind: str = "n") -> bytes:
    """The one-row workbook whose CPUs cell (C2) holds ``value`` as written in the XML."""
    data = workbook()
    xml = sheet_xml(data).replace(
        '<c r="C2" t="n"><v>2</v></c>', f'<c r="C2" t="{kind}"><v>{value}</v></c>'
    )
    return replaced(data, SHEET, xml)


def with_doctype(doctype: str, entity: str) -> bytes:
    """The workbook whose sheet declares ``doctype`` and names ``&entity;`` in A2."""
    data = workbook()
    xml = sheet_xml(data).replace("<t>web01</t>", f"<t>&{entity};</t>")
    return replaced(data, SHEET, f'<?xml version="1.0"?>{doctype}{xml}')


ENTITY_BOMB = (
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>"
)
EXTERNAL_ENTITY = '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def zip_bomb(megabytes: int = 16) -> bytes:
    """A workbook whose sheet inflates to ``megabytes`` of spaces from a few hundred KiB."""
    data = workbook()
    xml = sheet_xml(data).replace("<sheetData>", "<sheetData>" + " " * (megabytes << 20))
    return replaced(data, SHEET, xml)
