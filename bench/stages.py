"""Where the time of `migrator waves` or `migrator assess -f json` goes, stage by stage.

Usage: ``python bench/stages.py waves|assess DIR [--as-of DATE]``. Runs the command's
stages in this (new) process, as the command line runs them, and prints one JSON object:
the elapsed time of each stage in seconds (start-up is the import of the command line and
the command). Elapsed, not processor time: the assessment runs in two processes where
the command's would (migrator.assess.brief), and this process's processor time would
leave the child's out. The benchmarks run it in a fresh process beside their timings of
the command itself (``portfolio.stage_lines``); the sum is a little under the command's
time, which also writes its output and starts the interpreter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("command", choices=("waves", "assess"))
    parser.add_argument("root", type=Path, metavar="DIR", help="the inventory")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, metavar="DATE")
    args = parser.parse_args()
    command, root, as_of = args.command, args.root, args.as_of
    gc.disable()  # as the command line does (migrator.speed.cycle_collection_off)
    times: dict[str, float] = {}
    last = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal last
        now = time.perf_counter()
        times[stage] = round(now - last, 3)
        last = now

    import migrator.cli  # noqa: F401  (the start-up the command pays)
    from migrator.assess.brief import Halves, for_json, for_planning
    from migrator.assess.rules import load_rules
    from migrator.inventory.load import load_inventory

    if command == "waves":
        from migrator.waves import report
        from migrator.waves.schedule import schedule
    else:
        from migrator.assess.formats import ASSESSMENT_FORMATS, Assessed
        from migrator.commands.assess import _waves_beside as waves_beside
        from migrator.cost.compute import costs
    lap("start-up")
    inventory, _ = load_inventory(root)
    lap("loading")
    rules = load_rules(None, today=as_of)
    if command == "waves":
        planned = for_planning(inventory, rules, as_of)
        lap("assessment")
        plan = schedule(inventory, planned, today=as_of)
        lap("schedule")
        report.WAVES_FORMATS["json"].produce(plan)
        lap("JSON")
    else:
        worked = for_json(inventory, rules, as_of)
        lap("assessment")
        everyone = worked.everyone if isinstance(worked, Halves) else worked
        # As the command: a child works out the waves to cost while this one prices.
        with waves_beside(inventory, everyone, as_of, wanted=True) as waves_to_price:
            cost = costs(
                inventory, everyone, prices=None, sizing="moderate", disk_sizing="provisioned"
            )
            plan = waves_to_price()
        lap("cost and its waves")
        ASSESSMENT_FORMATS["json"].produce(Assessed(worked, cost, plan))
        lap("JSON")  # the cost's JSON included
    print(json.dumps(times))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
