"""Time `migrator assess` (JSON, with the cost estimate) against a bare parse of the files.

Usage: ``python bench/bench_assess.py [--apps 10000] [--repeat 3]``. Target (issue 3):
assess of 10,000 applications within 3x the bare parse. Each run is paired with a bare
parse right before it, because this machine's speed drifts from one second to the next.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import AS_OF, bench_parser, paired, ratio_lines, synthetic


def main() -> int:
    parser = bench_parser(__doc__, repeat=3)
    args = parser.parse_args()
    root = synthetic(args.apps)
    pairs, _ = paired(root, ["-q", "assess", str(root), "-f", "json", "--as-of", AS_OF],
                      args.repeat)
    print(f"portfolio: {args.apps} applications")
    for line in ratio_lines("migrator assess -f json", pairs):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
