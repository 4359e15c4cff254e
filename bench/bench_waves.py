"""Quality and speed of the wave schedule on a synthetic portfolio, at several wave caps.

Usage: ``python bench/bench_waves.py [--apps 10000] [--repeat 3] [--caps 10,400]
[--back-edges N] [--no-stages]``. For each cap on applications (and an effort cap of 40
person-days an application beside it), prints the number of waves against the lower bound
(applications, servers and person-days over capacity, oversize groups alone, pins), the
largest move group and its split advice, the total weeks of hybrid links, the time of
`migrator waves` in a new process against a bare parse of the same files, and where that
time goes, stage by stage (``bench/stages.py``). Targets
(issue 13): waves ≤ 1.15 × lower bound; waves ≤ 3 × bare parse, at every cap.
``--back-edges`` uses the hub estate of ``generate.py --back-edges``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

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
        "--back-edges",
        type=int,
        default=0,
        metavar="N",
        help="the hub estate with N back-edges (default: the usual estate)",
    )
    parser.add_argument(
        "--no-stages",
        action="store_true",
        help="leave out where the time goes, stage by stage (bench/stages.py)",
    )
    args = parser.parse_args()
    base = synthetic(args.apps, back_edges=args.back_edges)
    print(
        f"portfolio: {args.apps} applications"
        + (f", hub estate with {args.back_edges} back-edges" if args.back_edges else "")
    )
    for cap in (int(c) for c in args.caps.split(",")):
        days = cap * args.days_per_app or None
        root = with_caps(base, cap, days)
        pairs, stdout, cpu = paired_runs(
            root, ["-q", "waves", str(root), "-f", "json", "--as-of", AS_OF], args.repeat
        )
        plan: dict[str, Any] = json.loads(stdout)
        summary = plan["summary"]
        waves, lower = summary["waves"], summary["lower_bound"]
        print(
            f"\n== max_apps_per_wave {cap}, max_person_days_per_wave "
            f"{days or 'none'}: {summary['applications']} applications migrate in "
            f"{summary['move_groups']} move groups"
        )
        print(f"waves: {waves}; lower bound {lower}; ratio {waves / lower:.3f} (target <= 1.15)")
        largest = max((len(g["applications"]) for g in plan["move_groups"]), default=0)
        print(
            f"largest move group: {largest} applications; hybrid links: "
            f"{summary.get('link_weeks', 'not counted')} link-weeks"
        )
        for advice in plan.get("split_advice", ()):
            print(
                f"split advice for {advice['move_group']}: bridge {len(advice['bridge'])} "
                f"dependencies, the largest group left {advice['largest_after']} "
                f"applications ({'fits' if advice['fits'] else 'does NOT fit'} a wave)"
            )
        for line in ratio_lines("migrator waves", pairs, cpu):
            print(line)
        if not args.no_stages:
            print(*stage_lines("waves", root, args.repeat), sep="\n")
    print(f"\nas of {dt.date.fromisoformat(AS_OF)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
