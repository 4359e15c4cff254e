"""The HTML report in a real headless Chromium: it renders without console errors or
network requests, its table sorts and filters, its diagram is there, and it looks right."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from tests.conftest import PHARMA, require_program

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(
        app, ["plan", str(PHARMA), "-o", str(target), "--as-of", "2026-11-29"]
    )
    assert result.exit_code == 0, result.output
    return target


def test_report_is_self_contained(report: Path) -> None:
    html = report.read_text()
    for needle in ("http://", "https://", "<link", 'src="'):
        for line in html.splitlines():
            if needle in line:
                # Only SVG namespaces and the Graphviz DTD mention addresses.
                assert "www.w3.org" in line, line
    assert html.count("<svg") >= 4  # diagram, two charts, timeline
    assert "<script>" in html and "<style>" in html


@pytest.fixture(scope="module")
def page(report: Path) -> Iterator[Any]:
    chromium = require_program("chromium", "headless browser for the HTML report")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        view = browser.new_page(viewport={"width": 1400, "height": 1000})
        events: list[str] = []
        view.on(
            "console",
            lambda m: (
                events.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        view.on("pageerror", lambda e: events.append(f"page error: {e}"))
        view.on(
            "request",
            lambda r: events.append(f"request: {r.url}") if not r.url.startswith("file:") else None,
        )
        view.goto(report.as_uri())
        view.wait_for_load_state("load")
        view.events = events
        yield view
        browser.close()


def test_renders_without_errors_or_requests(page: Any) -> None:
    assert page.events == []
    assert page.title() == "Migration plan: Brennholm Pharma Group"


def test_table_and_diagram_are_present(page: Any) -> None:
    assert page.locator("#apps tbody tr").count() == 67
    assert page.inner_text("#shown") == "67 of 67 applications"
    diagram = page.locator("#diagram svg")
    assert diagram.count() == 1
    assert page.locator("#diagram svg g.node").count() >= 70
    box = diagram.bounding_box()
    assert box is not None and box["width"] > 800 and box["height"] > 400
    assert page.locator("#chart-readiness rect").count() == 4
    assert page.locator("#timeline rect.wavebar").count() == 8


def test_filter_and_sort(page: Any) -> None:
    page.fill("#filter-text", "sap")
    assert page.inner_text("#shown") == "4 of 67 applications"
    page.fill("#filter-text", "")
    page.select_option("#filter-readiness", "not-ready")
    assert page.inner_text("#shown") == "11 of 67 applications"
    page.select_option("#filter-readiness", "")
    page.click("#apps th:nth-child(4)")  # score, ascending
    scores = [int(s) for s in page.locator("#apps tbody tr td:nth-child(4)").all_inner_texts()]
    assert scores == sorted(scores)
    page.click("#apps th:nth-child(4)")
    scores = [int(s) for s in page.locator("#apps tbody tr td:nth-child(4)").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)


def test_screenshot(page: Any, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    page.goto(page.url)  # back to the top
    page.screenshot(path=str(shot))
    width, height, pixels = _decode_png(shot.read_bytes())
    assert (width, height) == (1400, 1000)
    header = pixels[40 * width + 700]  # the blue header band
    assert header[2] > 150 and header[0] < 80, header
    assert len(set(pixels[::97])) > 50  # a real page, not a blank one


def _decode_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Just enough PNG reading for Chromium's 8-bit RGB(A) screenshots."""
    stream = io.BytesIO(data[8:])
    chunks: dict[bytes, bytes] = {}
    idat = b""
    while True:
        length, kind = struct.unpack(">I4s", stream.read(8))
        body = stream.read(length)
        stream.read(4)
        if kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        else:
            chunks[kind] = body
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and color in (2, 6)
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    pixels: list[tuple[int, int, int]] = []
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 255
        pixels.extend((line[i], line[i + 1], line[i + 2]) for i in range(0, stride, channels))
        previous = line
    return width, height, pixels
