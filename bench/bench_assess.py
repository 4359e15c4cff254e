"""Time `migrator assess` (JSON, with the cost estimate and its per-wave schedule) against a
bare parse of the files, at several wave caps, with its peak memory.

Usage: ``python bench/bench_assess.py [--apps 10000] [--repeat 3] [--caps 10,400]
[--no-stages]``; it also prints where the time goes, stage by stage (``bench/stages.py``).
Targets (issue 13): assess of 10,000 applications within 3x the bare parse at every cap;
of 100,000 applications (``--apps 100000 --repeat 1 --caps 400``) under 30 s and 4 GB.
Each run is paired with a bare parse right before it, because this machine's speed
drifts from one second to the next.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import (
    AS_OF,
    DAYS_PER_APP,
    bench_parser,
    paired_runs,
    ratio_lines,
    stage_lines,
    synthetic,
    with_caps,
)


def main() -> int:
    parser = bench_parser(__doc__, repeat=3)
    parser.add_argument("--caps", default="10,400", help="caps on applications a wave")
    parser.add_argument(
        "--days-per-app",
        type=int,
        default=DAYS_PER_APP,
        metavar="N",
        help=f"the effort cap: N person-days an application of the cap "
        f"(default {DAYS_PER_APP}; 0: none)",
    )
    parser.add_argument(
        "--no-stages",
        action="store_true",
        help="leave out where the time goes, stage by stage (bench/stages.py)",
    )
    args = parser.parse_args()
    base = synthetic(args.apps)
    print(f"portfolio: {args.apps} applications")
    for cap in (int(c) for c in args.caps.split(",")):
        days = cap * args.days_per_app or None
        root = with_caps(base, cap, days)
        pairs, _, cpu = paired_runs(
            root, ["-q", "assess", str(root), "-f", "json", "--as-of", AS_OF], args.repeat
        )
        print(f"\n== max_apps_per_wave {cap}, max_person_days_per_wave {days or 'none'}")
        for line in ratio_lines("migrator assess -f json", pairs, cpu):
            print(line)
        if not args.no_stages:
            print(*stage_lines("assess", root, args.repeat), sep="\n")
        print(
            f"best time {min(r for _, r in pairs):.1f} s, "
            f"{min(r for _, r, _, _ in cpu):.1f} s of processor time"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
