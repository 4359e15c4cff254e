"""The HTML report of an inventory full of hostile names, opened in headless Chromium:
no script of theirs runs, no javascript: link, no console error; the report's own script
runs, and its policy would stop one that got past the escaping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from tests.conftest import require_program
from tests.injection import hostile
from tests.plan.test_report_html import CHROMIUM_ARGS

# Listens for policy violations before any of the page's own code runs.
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"""

FINDINGS = """() => {
    const links = [], handlers = [];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            const value = attr.value.trim().toLowerCase();
            if (attr.name.startsWith('on')) handlers.push(el.tagName + ' ' + attr.name);
            if (/(^|:)(href|src|action|formaction|data)$/.test(attr.name)
                && value.startsWith('javascript:')) links.push(el.tagName + ' ' + attr.name);
        }
    }
    // Hover over and click everything a name could have put a handler on.
    for (const el of document.querySelectorAll('body *')) {
        el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    }
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    return {links, handlers, pwned: window.__pwned === undefined ? null : window.__pwned,
            violations: window.__violations,
            scripts: document.querySelectorAll('script:not([type])').length,
            data: document.querySelectorAll('script[type="application/json"]').length,
            shown: document.getElementById('shown').textContent,
            text: document.body.textContent};
}"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("browser")
    target = where / "report.html"
    result = CliRunner().invoke(
        app,
        [
            "plan",
            str(hostile.write(where)),
            "-o",
            str(target),
            "--title",
            hostile.SCRIPT + hostile.ATTRIBUTE,
        ],
    )
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = require_program("chromium", "headless browser for the HTML report")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open(browser: Any, page_file: Path) -> tuple[Any, list[str]]:
    page = browser.new_page()
    events: list[str] = []
    page.on(
        "console",
        lambda m: (
            events.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: events.append(f"page error: {e}"))
    page.on(
        "request",
        lambda r: events.append(f"request: {r.url}") if not r.url.startswith("file:") else None,
    )
    page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
    page.add_init_script(WATCH)
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    return page, events


def test_no_hostile_script_runs(browser: Any, report: Path) -> None:
    page, events = _open(browser, report)
    found = page.evaluate(FINDINGS)
    assert found["pwned"] is None
    assert found["links"] == [] and found["handlers"] == []
    # One script, the report's own; one block of data (the table's), which never runs.
    assert found["scripts"] == 1 and found["data"] == 1 and found["violations"] == []
    assert events == []
    # The report's own script ran (the policy lets it, by its hash), and the names are
    # there as text.
    assert found["shown"] == f"{len(hostile.ALL)} of {len(hostile.ALL)} applications"
    for name in (hostile.SCRIPT, hostile.IMG, hostile.SVG_ONLOAD, hostile.DOT_HTML):
        assert name in found["text"], name
    assert page.title() == hostile.SCRIPT + hostile.ATTRIBUTE
    page.fill("#filter-text", "onerror")
    assert page.inner_text("#shown") != found["shown"]
    page.close()


def test_the_policy_stops_a_script_that_got_through(
    browser: Any, report: Path, tmp_path: Path
) -> None:
    """Were escaping to fail, the policy is the second line: a script pasted into the
    page does not run, and the browser reports the violation."""
    html = report.read_text(encoding="utf-8")
    pasted = tmp_path / "pasted.html"
    pasted.write_text(
        html.replace(
            "<main>",
            '<main><script>window.__pwned = 7</script><img src=x onerror="window.__pwned = 8">',
            1,
        ),
        encoding="utf-8",
    )
    page, _ = _open(browser, pasted)
    found = page.evaluate(FINDINGS)
    assert found["pwned"] is None
    assert any(v.startswith("script-src") for v in found["violations"]), found["violations"]
    assert found["shown"].endswith("applications")  # the report's own script still ran
    page.close()
