"""The Mermaid the plan embeds renders in Mermaid itself (in headless Chromium)."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_program
from tests.golden.refresh import HERE as GOLDEN


def _mermaid_js() -> Path:
    """mermaid.min.js: $MIGRATOR_MERMAID_JS, which .ci/run fetches from the npm registry."""
    found = os.environ.get("MIGRATOR_MERMAID_JS")
    if found and Path(found).is_file():
        return Path(found)
    if os.environ.get("MIGRATOR_CI"):
        pytest.fail("MIGRATOR_MERMAID_JS is not set: .ci/run should have fetched Mermaid")
    pytest.skip(
        "Mermaid's JavaScript is not here (.ci/run fetches it; set "
        "MIGRATOR_MERMAID_JS to a mermaid.min.js)"
    )


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with mermaid_page() as view:
        yield view


@contextlib.contextmanager
def mermaid_page() -> Iterator[Any]:
    """A blank page with Mermaid loaded; its ``errors`` are the page's uncaught errors."""
    script = _mermaid_js()
    chromium = require_program("chromium", "headless browser to render Mermaid")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        view = browser.new_page()
        errors: list[str] = []
        view.on("pageerror", lambda e: errors.append(str(e)))
        view.set_content("<html><body><div id='out'></div></body></html>")
        view.add_script_tag(path=str(script))
        view.errors = errors
        yield view
        browser.close()


def _diagrams() -> list[str]:
    plan = (GOLDEN / "pharma-plan.md").read_text(encoding="utf-8")
    return [
        *re.findall(r"```mermaid\n(.*?)```", plan, re.S),
        (GOLDEN / "pharma-graph.mmd").read_text(encoding="utf-8"),
    ]


@pytest.mark.parametrize("index", range(3))
def test_mermaid_renders_with_default_limits(page: Any, index: int) -> None:
    source = _diagrams()[index]
    result = page.evaluate(
        """async (src) => {
        mermaid.initialize({startOnLoad: false});
        try {
            const {svg} = await mermaid.render('d' + Math.floor(Math.random() * 1e9), src);
            return 'ok ' + svg.length;
        } catch (e) { return 'error ' + e.message; }
    }""",
        source,
    )
    assert result.startswith("ok "), result
    assert int(result.split()[1]) > 1000


def test_wave_clusters_render_as_columns_in_order(page: Any) -> None:
    """Mermaid's own layout of the wave view: wave 1 on the left, each wave's column ending
    before the next one's starts, what stays after the last; a link from a later wave to
    an earlier one (written from the earlier) keeps only its arrowhead at the provider."""
    source = (GOLDEN / "pharma-graph.mmd").read_text(encoding="utf-8")
    result = page.evaluate(
        """async (src) => {
        mermaid.initialize({startOnLoad: false});
        const {svg} = await mermaid.render('waves', src);
        const out = document.getElementById('out');
        out.innerHTML = svg;
        const clusters = [...out.querySelectorAll('g.cluster')].map(g => {
            const box = g.getBoundingClientRect();
            return [g.textContent.trim(), box.left, box.right];
        });
        const links = [...out.querySelectorAll('path.flowchart-link')].map(p => [
            p.getAttribute('marker-start') !== null,
            getComputedStyle(p).markerEnd !== 'none',
        ]);
        return {clusters, links};
    }""",
        source,
    )
    columns = {label.split(" (")[0]: (left, right) for label, left, right in result["clusters"]}
    waves = sorted((k for k in columns if k.startswith("Wave ")), key=lambda k: int(k.split()[1]))
    assert len(waves) >= 5
    order = [*waves, "not migrating"]
    for before, after in itertools.pairwise(order):
        assert columns[before][1] <= columns[after][0], (before, after, columns)
    reversed_links = sum(1 for line in source.splitlines() if re.match(r"^  \w+ <", line))
    assert reversed_links > 0
    assert len(result["links"]) == len(re.findall(r"^  \w+ <?(?:-->|-\.->|==>)", source, re.M))
    # each link has one arrowhead: at its start when written from the provider, else at its end
    assert sorted(tuple(link) for link in result["links"]) == sorted(
        [(True, False)] * reversed_links + [(False, True)] * (len(result["links"]) - reversed_links)
    )
