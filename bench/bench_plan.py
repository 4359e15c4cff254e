"""Time `migrator plan` (Markdown and HTML) and `migrator graph` on a synthetic portfolio.

Usage: ``python bench/bench_plan.py [--apps 10000] [--repeat 2]``. Targets (issues 5, 6):
the plan of 10,000 applications renders in under 10 s, and so does the diagram.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import AS_OF, bench_parser, describe, run_cli, synthetic, timed


def main() -> int:
    parser = bench_parser(__doc__, repeat=2)
    args = parser.parse_args()
    root = synthetic(args.apps)
    with tempfile.TemporaryDirectory() as out:
        for name, target in (
            ("plan, Markdown", "plan.md"),
            ("plan, HTML report", "report.html"),
            ("graph, SVG", "deps.svg"),
            ("graph, Mermaid", "deps.mmd"),
        ):
            command = "plan" if target.startswith(("plan", "report")) else "graph"
            times = timed(
                run_cli("-q", command, str(root), "-o", str(Path(out) / target), "--as-of", AS_OF),
                args.repeat,
            )
            size = (Path(out) / target).stat().st_size / 1e6
            verdict = "yes" if min(times) < 10 else "NO"
            print(f"{name:20} {describe(times)}; {size:.1f} MB; under 10 s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
