"""How long the HTML report of a synthetic portfolio takes to open in headless Chromium.

Usage: ``python bench/bench_report.py [--apps 10000] [--repeat 3]``. Target (issue 18):
the report of 10,000 applications opens in under 3 s with its diagram usable. "Open" is
from navigation to the page's load event, after which the table's and the diagram's
scripts have run; then a zoom on the diagram is timed as well. Needs Chromium and the
playwright package (both used by the test suite).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import AS_OF, bench_parser, describe, run_cli, synthetic, timed

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main() -> int:
    parser = bench_parser(__doc__, repeat=3)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("no chromium on PATH")
    from playwright.sync_api import sync_playwright

    root = synthetic(args.apps)
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "report.html"
        written = timed(run_cli("-q", "plan", str(root), "-o", str(report), "--as-of", AS_OF), 1)
        size = report.stat().st_size / 1e6
        print(f"plan to HTML           {describe(written)}; {size:.1f} MB")
        opened: list[float] = []
        zoomed: list[float] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            for _ in range(args.repeat):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                started = time.perf_counter()
                page.goto(report.as_uri(), wait_until="load", timeout=120_000)
                opened.append(time.perf_counter() - started)
                nodes = page.locator("#diagram-box g.node").count()
                started = time.perf_counter()
                page.click("#diagram-box button[data-zoom=in]")
                page.evaluate("document.getElementById('diagram-box').dataset.zoom")
                zoomed.append(time.perf_counter() - started)
                page.close()
            browser.close()
        verdict = "yes" if min(opened) < 3 else "NO"
        print(f"open in Chromium       {describe(opened)}; under 3 s: {verdict}")
        print(f"zoom the diagram       {describe(zoomed)}; {nodes} nodes drawn")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
