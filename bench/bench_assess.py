"""Time `migrator assess` (JSON, with the cost estimate and its per-wave schedule) against a
bare parse of the files, at several wave caps, with its peak memory.

Usage: ``python bench/bench_assess.py [--apps 10000] [--repeat 3] [--caps 10,400]``.
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
    measured,
    ratio_lines,
    synthetic,
    timed,
    with_caps,
    yaml_files,
)


def main() -> int:
    parser = bench_parser(__doc__, repeat=3)
    parser.add_argument("--caps", default="10,400", help="caps on applications a wave")
    args = parser.parse_args()
    base = synthetic(args.apps)
    print(f"portfolio: {args.apps} applications")
    import yaml_rs

    texts = [f.read_text(encoding="utf-8") for f in yaml_files(base)]
    for cap in (int(c) for c in args.caps.split(",")):
        root = with_caps(base, cap, cap * DAYS_PER_APP)
        command = [sys.executable, "-m", "migrator", "-q", "assess", str(root), "-f", "json",
                   "--as-of", AS_OF]
        pairs: list[tuple[float, float]] = []
        peaks: list[int] = []
        for _ in range(args.repeat):
            parse_time = timed(lambda: [yaml_rs.loads(text) for text in texts], 1)[0]
            run_time, _, peak = measured(command)
            pairs.append((parse_time, run_time))
            peaks.append(peak)
        print(f"\n== max_apps_per_wave {cap}, max_person_days_per_wave {cap * DAYS_PER_APP}")
        for line in ratio_lines("migrator assess -f json", pairs):
            print(line)
        print(f"peak memory: {max(peaks) / 2**30:.2f} GiB; best time "
              f"{min(r for _, r in pairs):.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
