"""Time `migrator validate` on a synthetic portfolio against a bare parse of the same files.

Usage: ``python bench/bench_validate.py [--apps 10000] [--repeat 5] [--all-parsers]``.
Targets (issue 2): validate of 10,000 applications within 2 s, and within 3x the fastest
bare parse. The bare parse only reads and parses each file; validate also starts Python,
checks every value, resolves references and builds the model.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import (
    bare_parsers,
    bench_parser,
    paired,
    ratio_lines,
    synthetic,
    yaml_files,
)


def main() -> int:
    parser = bench_parser(__doc__, repeat=5)
    parser.add_argument(
        "--all-parsers",
        action="store_true",
        help="also time the slower parsers (PyYAML's C loader takes ~12 s)",
    )
    args = parser.parse_args()

    root = synthetic(args.apps)
    files = yaml_files(root)
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"portfolio: {args.apps} applications, {len(files)} files, {size:.1f} MB")

    texts = [f.read_text(encoding="utf-8") for f in files]
    if args.all_parsers:
        for name, parse in bare_parsers().items():
            started = time.perf_counter()
            for text in texts:
                parse(text)
            print(f"bare parse ({name}): {time.perf_counter() - started:.3f} s")
    pairs, _ = paired(root, ["-q", "validate", str(root)], args.repeat)
    for line in ratio_lines("migrator validate", pairs):
        print(line)
    best = min(run for _, run in pairs)
    print(f"validate within 2 s: {'yes' if best <= 2 else 'NO'} (best {best:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
