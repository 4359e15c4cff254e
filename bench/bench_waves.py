"""Quality and speed of the wave schedule on a synthetic portfolio.

Usage: ``python bench/bench_waves.py [--apps 10000] [--repeat 3]``. Prints the number of
waves against a lower bound (the larger of applications ÷ capacity, with oversize groups
alone, and the longest chain of move groups when each step needed a wave of its own),
the time of `migrator waves` in a new process against a bare parse of the same files,
and both ratios. Targets (issue 4): waves ≤ 1.15 × lower bound; waves ≤ 3 × bare parse.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import AS_OF, bench_parser, paired, ratio_lines, synthetic


def main() -> int:
    parser = bench_parser(__doc__, repeat=3)
    args = parser.parse_args()
    root = synthetic(args.apps)
    pairs, stdout = paired(root, ["-q", "waves", str(root), "-f", "json", "--as-of", AS_OF],
                           args.repeat)
    plan: dict[str, Any] = json.loads(stdout)
    summary = plan["summary"]
    waves, lower = summary["waves"], summary["lower_bound"]
    chain = _longest_chain(root)
    print(f"portfolio: {args.apps} applications; {summary['applications']} migrate in "
          f"{summary['move_groups']} move groups")
    print(f"waves: {waves}; lower bound {lower} (applications and servers over capacity, "
          f"oversize groups alone, pins); ratio {waves / lower:.3f} (target <= 1.15)")
    print(f"longest chain of move groups: {chain} (not a bound: SPEC 4 lets a provider move "
          f"in its consumer's wave)")
    for line in ratio_lines("migrator waves", pairs):
        print(line)
    print(f"as of {dt.date.fromisoformat(AS_OF)}")
    return 0


def _longest_chain(root: Path) -> int:
    """Groups on the longest provider → consumer path of the move-group graph."""
    import networkx as nx

    from migrator.assess.assessment import assess
    from migrator.inventory.load import load_inventory
    from migrator.waves.groups import move_groups
    from migrator.waves.schedule import migrating

    inventory, _ = load_inventory(root)
    assessment = assess(inventory, as_of=dt.date.fromisoformat(AS_OF))
    graph = move_groups(inventory, [a.app.id for a in assessment.applications if migrating(a)])
    return int(nx.dag_longest_path_length(graph.dag)) + 1


if __name__ == "__main__":
    raise SystemExit(main())
