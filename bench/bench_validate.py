"""Time `migrator validate` on a synthetic portfolio against a bare parse of the same files.

Usage: ``python bench/bench_validate.py [--apps 10000] [--repeat 5] [--all-parsers]``.
Targets (issue 2): validate of 10,000 applications within 2 s, and within 3x the fastest
bare parse. The bare parse only reads and parses each file; validate also starts Python,
checks every value, resolves references and builds the model.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import bare_parsers, describe, run_cli, synthetic, timed, yaml_files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--all-parsers", action="store_true",
                        help="also time the slower parsers (PyYAML's C loader takes ~12 s)")
    args = parser.parse_args()

    root = synthetic(args.apps)
    files = yaml_files(root)
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"portfolio: {args.apps} applications, {len(files)} files, {size:.1f} MB")

    texts = [f.read_text(encoding="utf-8") for f in files]
    parsers = bare_parsers()
    if args.all_parsers:
        for name, parse in parsers.items():
            times = timed(lambda parse=parse: [parse(text) for text in texts], 1)
            print(f"bare parse ({name}): {describe(times)}")
    bare_name = next(iter(parsers))  # yaml-rs, migrator's own parser, is the fastest
    bare = parsers[bare_name]

    # This machine's speed drifts by tens of percent from one second to the next, so each
    # validate run is paired with a bare parse right before it; the ratio is per pair.
    validate_cli = run_cli("-q", "validate", str(root))
    pairs = []
    for _ in range(args.repeat):
        parse_time = timed(lambda: [bare(text) for text in texts], 1)[0]
        validate_time = timed(validate_cli, 1)[0]
        pairs.append((parse_time, validate_time))
    parse_times = [p for p, _ in pairs]
    validate_times = [v for _, v in pairs]
    ratios = sorted(v / p for p, v in pairs)
    print(f"bare parse ({bare_name}, in process): {describe(parse_times)}")
    print(f"migrator validate (a new process each time): {describe(validate_times)}")
    print(f"ratio validate / bare parse: median {statistics.median(ratios):.2f}, "
          f"best {ratios[0]:.2f}, worst {ratios[-1]:.2f} (target <= 3)")
    print(f"validate within 2 s: {'yes' if min(validate_times) <= 2 else 'NO'} "
          f"(best {min(validate_times):.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
