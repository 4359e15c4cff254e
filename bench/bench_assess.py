"""Time `migrator assess` (JSON, with the cost estimate) against a bare parse of the files.

Usage: ``python bench/bench_assess.py [--apps 10000] [--repeat 3]``. Target (issue 3):
assess of 10,000 applications within 3x the bare parse. Each run is paired with a bare
parse right before it, because this machine's speed drifts from one second to the next.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import bare_parsers, describe, run_cli, synthetic, timed, yaml_files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = synthetic(args.apps)
    texts = [f.read_text(encoding="utf-8") for f in yaml_files(root)]
    bare = bare_parsers()["yaml-rs"]
    with tempfile.TemporaryDirectory() as out:
        command = run_cli("-q", "assess", str(root), "-f", "json", "-o",
                          str(Path(out) / "assessment.json"), "--as-of", "2026-11-29")
        pairs = [(timed(lambda: [bare(t) for t in texts], 1)[0], timed(command, 1)[0])
                 for _ in range(args.repeat)]
    ratios = sorted(a / p for p, a in pairs)
    print(f"portfolio: {args.apps} applications")
    print(f"bare parse (yaml-rs, in process): {describe([p for p, _ in pairs])}")
    print(f"migrator assess -f json (a new process each time): "
          f"{describe([a for _, a in pairs])}")
    print(f"ratio assess / bare parse: median {statistics.median(ratios):.2f} (target <= 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
