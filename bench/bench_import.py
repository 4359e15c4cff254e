"""Time `migrator import rvtools` on the shared exports, first import and re-import.

Usage: ``python bench/bench_import.py``. Target (issue 7): the 3,500-row export imports
in seconds.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import describe, run_cli, timed

DATA = next(
    (
        p
        for p in (
            Path(__file__).resolve().parents[2] / "shared" / "data" / "rvtools",
            Path("/work/shared/data/rvtools"),
        )
        if p.is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data" / "rvtools",
)


def main() -> int:
    for name in ("rvtools-minimal-3503vms.xlsx", "rvtools-3-sample-133vms.xlsx"):
        export = DATA / name
        if not export.exists():
            print(f"{export}: not found, skipped")
            continue
        with tempfile.TemporaryDirectory() as out:
            target = str(Path(out) / "estate")
            first = timed(run_cli("-q", "import", "rvtools", str(export), "-o", target), 1)
            again = timed(run_cli("-q", "import", "rvtools", str(export), "-o", target), 3)
            print(f"{name}: first import {describe(first)}; re-import {describe(again)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
