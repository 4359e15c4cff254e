"""The sample's report looked at in headless Chromium, at a desktop and a phone width:
no horizontal overflow, a header band across the page, readable text, a diagram that
zooms, pans and links to the applications, and no console error.

Set MIGRATOR_SCREENSHOTS=DIR to keep the screenshots for a person to look at (the top of
the report, report-1400.png and report-400.png; its diagram whole, diagram-1400.png and
diagram-400.png, and zoomed in, diagram-zoomed-1400.png); .ci/run keeps them in
.ci/screenshots. Otherwise they go to a temporary directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from tests.conftest import PHARMA, require_program
from tests.plan.test_report_html import CHROMIUM_ARGS, _decode_png

WIDTHS = (1400, 400)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("screens") / "report.html"
    result = CliRunner().invoke(
        app, ["plan", str(PHARMA), "-o", str(target), "--as-of", "2026-11-29"]
    )
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("MIGRATOR_SCREENSHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        return Path(where)
    return tmp_path_factory.mktemp("shots")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = require_program("chromium", "headless browser for the HTML report")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open(browser: Any, report: Path, width: int) -> tuple[Any, list[str]]:
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
        device_scale_factor=1,
    )
    page = context.new_page()
    events: list[str] = []
    page.on("console", lambda m: events.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: events.append(str(e)))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    return page, events


@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_fits_its_width(browser: Any, report: Path, shots: Path, width: int) -> None:
    page, events = _open(browser, report, width)
    geometry = page.evaluate(
        """() => {
          const rect = (s) => document.querySelector(s).getBoundingClientRect();
          const box = document.getElementById('apps-box');
          const cards = [...document.querySelectorAll('#summary .card')]
            .map((c) => c.getBoundingClientRect());
          return {
            scroll: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
            header: rect('header').width,
            table: box.scrollWidth, tableBox: box.clientWidth,
            cardsRight: Math.max(...cards.map((c) => c.right)),
            cardRows: new Set(cards.map((c) => Math.round(c.top))).size,
            font: parseFloat(getComputedStyle(document.querySelector('#apps td')).fontSize),
            body: parseFloat(getComputedStyle(document.body).fontSize),
          };
        }"""
    )
    # A phone would zoom out to fit anything wider than the viewport, text and all.
    assert geometry["scroll"] <= geometry["viewport"] == width, geometry
    assert geometry["header"] == width  # the band goes across the whole page
    assert geometry["cardsRight"] <= width
    assert geometry["body"] >= 14 and geometry["font"] >= 14
    if width < 600:
        # The applications table keeps its columns and scrolls inside its own box.
        assert geometry["table"] > geometry["tableBox"], geometry
        assert geometry["cardRows"] >= 3  # the cards stack
    else:
        assert geometry["cardRows"] == 1
    shot = shots / f"report-{width}.png"
    page.screenshot(path=str(shot), full_page=False)
    png_width, _, pixels = _decode_png(shot.read_bytes())
    assert png_width == width
    right = pixels[20 * width + width - 5]  # the header's blue, at the right edge too
    assert right[2] > 150 and right[0] < 80, right
    assert events == []
    page.context.close()


def test_the_timeline_has_month_ticks_and_the_freeze(browser: Any, report: Path) -> None:
    page, _ = _open(browser, report, 1400)
    ticks = page.locator("#timeline text.axis").all_text_contents()
    assert ticks[0] == "Feb 2027" and "Mar" in ticks and len(ticks) >= 8
    assert page.locator("#timeline rect.freeze").count() == 1
    assert "Swissmedic" in page.inner_text(".freeze-list")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_diagram_zooms_pans_and_links(
    browser: Any, report: Path, shots: Path, width: int
) -> None:
    page, events = _open(browser, report, width)
    box = page.locator("#diagram-box")
    box.scroll_into_view_if_needed()
    svg = page.locator("#diagram-box > svg")
    assert svg.count() == 1 and page.locator("#diagram-box g.node").count() >= 70

    def view_box() -> list[float]:
        return [float(v) for v in (svg.get_attribute("viewBox") or "").split()]

    full = view_box()
    box.screenshot(path=str(shots / f"diagram-{width}.png"))
    page.click("#diagram-box button[data-zoom=in]")
    page.click("#diagram-box button[data-zoom=in]")
    zoomed = view_box()
    assert zoomed[2] == pytest.approx(full[2] / 2.25, rel=0.01)
    assert float(box.get_attribute("data-zoom") or 0) > 2
    if width >= 600:
        box.screenshot(path=str(shots / f"diagram-zoomed-{width}.png"))
        bounds = box.bounding_box()
        assert bounds is not None
        x, y = bounds["x"] + bounds["width"] / 2, bounds["y"] + bounds["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x - 200, y - 100, steps=5)
        page.mouse.up()
        panned = view_box()
        assert panned[0] > zoomed[0] and panned[1] > zoomed[1]
        assert panned[2] == zoomed[2]  # a drag pans, it does not zoom
    page.click("#diagram-box button[data-zoom=fit]")
    assert view_box() == full
    # A click on an application opens its section.
    page.locator("#diagram-box g.node[id='node-lims'] polygon").first.click(force=True)
    assert page.evaluate("location.hash") == "#app-lims"
    assert page.locator("details#app-lims").get_attribute("open") is not None
    assert events == []
    page.context.close()


def test_printing_opens_every_section_and_hides_the_controls(browser: Any, report: Path) -> None:
    page, events = _open(browser, report, 1400)
    page.emulate_media(media="print")
    assert page.locator("nav").is_visible() is False
    assert page.locator(".filters").is_visible() is False
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 10
    every_open = "[...document.querySelectorAll('details')].every((d) => d.open)"
    assert not page.evaluate(every_open)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(every_open)
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert not page.evaluate(every_open)
    assert events == []
    page.context.close()


def test_a_large_estate_pages_its_table_and_leaves_out_the_details(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate

    from migrator.plan import html

    generate(tmp_path / "estate", 560, 7, 0)
    monkeypatch.setattr(html, "DETAILS_MAX", 300)
    target = tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["plan", str(tmp_path / "estate"), "-o", str(target), "--as-of", "2026-11-29"]
    )
    assert result.exit_code == 0, result.output
    page, events = _open(browser, target, 1400)
    assert page.locator("#apps tbody tr").count() == 500
    shown = page.inner_text("#shown")
    total = int(shown.split()[0])
    assert 500 < total <= 560  # the external applications are not assessed
    assert shown == f"{total} of {total} applications, the first 500 shown"
    page.click("#apps-more")
    assert page.locator("#apps tbody tr").count() == total
    assert page.is_hidden("#apps-more")
    assert page.locator("details.app").count() == 0
    assert "--wave N" in page.inner_text("#details")
    assert page.locator("#apps tbody a").count() == 0  # no section to link to
    assert events == []
    page.context.close()
