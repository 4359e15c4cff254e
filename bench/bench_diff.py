"""Time `migrator diff` of two synthetic inventories that differ in one file, beside two
`migrator assess` runs (one per side) measured in the same round.

Usage: ``python bench/bench_diff.py [--apps 10000] [--repeat 3]``.
Target (issue 16): the diff of two 10,000-application inventories that differ in one file
in about the time of two `assess` runs, or less. Each round runs the three commands one
after the other, because this machine's speed drifts from one minute to the next; the
ratio of each round is the fair figure, and processor time drifts less than elapsed time.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import AS_OF, bench_parser, measured, synthetic, yaml_files


def edited_copy(root: Path) -> Path:
    """The portfolio with one application of one file edited (a dependency made
    latency-sensitive and its criticality raised): links to every other file."""
    target = root.parent / f"{root.name}-one-file-edited"
    target.mkdir(exist_ok=True)
    files = yaml_files(root)
    changed = next(f for f in files if f.name.startswith("apps-"))
    for source in files:
        link = target / source.name
        if source != changed and not link.exists():
            link.symlink_to(source.resolve())
    text = changed.read_text(encoding="utf-8")
    edited = text.replace("criticality: low", "criticality: critical", 1).replace(
        "latency_sensitive: false", "latency_sensitive: true", 1
    )
    assert edited != text
    (target / changed.name).write_text(edited, encoding="utf-8")
    return target


def main() -> int:
    parser = bench_parser(__doc__, repeat=3)
    args = parser.parse_args()
    base = synthetic(args.apps)
    head = edited_copy(base)
    print(f"portfolio: {args.apps} applications; head differs in one file")
    python = [sys.executable, "-m", "migrator", "-q"]
    rounds = []
    for _ in range(args.repeat):
        assess_base = measured([*python, "assess", str(base), "--as-of", AS_OF])
        assess_head = measured([*python, "assess", str(head), "--as-of", AS_OF])
        diff = measured([*python, "diff", str(base), str(head), "--as-of", AS_OF, "-f", "json"])
        rounds.append((assess_base, assess_head, diff))
        print(
            f"  two assess runs {assess_base.elapsed + assess_head.elapsed:5.1f} s "
            f"({assess_base.cpu + assess_head.cpu:5.1f} s cpu), diff {diff.elapsed:5.1f} s "
            f"({diff.cpu:5.1f} s cpu, peak {diff.peak / 2**30:.2f} GiB)"
        )
    ratios = sorted(d.elapsed / (a.elapsed + b.elapsed) for a, b, d in rounds)
    cpu = sorted(d.cpu / (a.cpu + b.cpu) for a, b, d in rounds)
    print(
        f"ratio diff / two assess runs: median {statistics.median(ratios):.2f}, best "
        f"{ratios[0]:.2f} (elapsed); median {statistics.median(cpu):.2f}, best {cpu[0]:.2f} "
        f"(processor time); target about 1 or less"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
