"""Write the tables of docs/ that come from the code: the inventory format, the facts rules
can test, their operators and the shipped rules.

    python tools/docs.py          # rewrite the generated blocks in docs/*.md
    python tools/docs.py --check  # exit 1 naming each block that disagrees with the code

A generated block sits between ``<!-- generated: NAME -->`` and ``<!-- end generated -->``;
everything around it is written by hand. tests/docs/test_docs.py runs the check, so a key
added to the schema without its documentation fails the suite.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml

from migrator.assess import effort
from migrator.assess.conditions import OPERATORS
from migrator.assess.facts import FACTS
from migrator.inventory import schema as s

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BLOCK = re.compile(r"(<!-- generated: ([\w-]+) -->\n)(.*?)(<!-- end generated -->)", re.S)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _values(spec: s.Spec) -> str:
    """What a value may be, in words."""
    if spec.kind == "enum":
        return " ".join(f"`{choice}`" for choice in spec.choices)
    if spec.kind == "open-enum":
        return "text; known: " + " ".join(f"`{choice}`" for choice in spec.choices)
    if spec.kind == "list":
        assert spec.items is not None
        inner = spec.items
        if inner.kind == "map":
            bare = f"; an item may be just its `{inner.shorthand}`" if inner.shorthand else ""
            return "list of maps (below)" + bare
        return "list of " + (
            "ids" if inner.kind == "id" else _values(inner) if inner.choices else inner.kind
        )
    if spec.kind == "map":
        return "map (below)" + (f", or a bare `{spec.shorthand}`" if spec.shorthand else "")
    bounds = []
    if spec.minimum is not None:
        bounds.append(f"≥ {spec.minimum:g}")
    if spec.maximum is not None:
        bounds.append(f"≤ {spec.maximum:,.0f}")
    kind = {"int": "integer", "id": "id (a slug)", "date": "date (YYYY-MM-DD)"}.get(
        spec.kind, spec.kind
    )
    return kind + (" " + ", ".join(bounds) if bounds else "")


def _default(spec: s.Spec, key: str, parent: s.Spec) -> str:
    """The model's default for the key, when it has one worth saying."""
    if spec.required:
        return "required"
    if parent.model is None:
        return ""
    fields = {f.name: f for f in dataclasses.fields(parent.model)}
    found = fields.get(spec.attr or key)
    if found is None or found.default is dataclasses.MISSING or found.default is None:
        return ""
    value = found.default
    if value == ():
        return "`[]`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def map_table(spec: s.Spec) -> str:
    rows = ["| key | values | default | meaning |", "|---|---|---|---|"]
    for key, child in spec.fields.items():
        rows.append(
            f"| `{key}` | {_cell(_values(child))} | {_default(child, key, spec)} "
            f"| {_cell(child.doc)} |"
        )
    return "\n".join(rows) + "\n"


def facts_table(subject: str) -> str:
    rows = ["| fact | meaning |", "|---|---|"]
    rows += [f"| `{name}` | {_cell(doc)} |" for name, doc in FACTS[subject].items()]  # type: ignore[index]
    return "\n".join(rows) + "\n"


def operators_line() -> str:
    takes = [f"`{op}`" for op, value in OPERATORS.items() if value]
    alone = [f"`{op}`" for op, value in OPERATORS.items() if not value]
    return f"With a `value`: {' '.join(takes)}.\nWithout one: {' '.join(alone)}.\n"


def rules_table() -> str:
    data = yaml.safe_load((ROOT / "migrator" / "data" / "rules.yaml").read_text("utf-8"))
    rows = [
        "| rule | applies to | severity | points | argues for | against |",
        "|---|---|---|---|---|---|",
    ]
    for rule in data["rules"]:
        strategies = rule.get("strategies") or {}
        rows.append(
            f"| `{rule['id']}`: {_cell(rule['title'])} | {rule['applies_to']} "
            f"| {rule['severity']} | {rule.get('points', 0)} "
            f"| {', '.join(strategies.get('for', ()))} | {', '.join(strategies.get('against', ()))} |"
        )
    return f"{len(data['rules'])} rules, rules version {data['rules_version']}.\n\n" + (
        "\n".join(rows) + "\n"
    )


# The knowledge files beside the rules, what each holds, and the lists counted as entries.
KNOWLEDGE: dict[str, tuple[str, tuple[str, ...]]] = {
    "os.yaml": ("operating systems: product, version, support dates, Compute Engine", ("entries",)),
    "databases.yaml": (
        "database engines and versions, support dates, landing options",
        ("engines",),
    ),
    "runtimes.yaml": (
        "languages and their versions; middleware and where it lands",
        ("languages", "middleware"),
    ),
    "saas.yaml": ("kinds of packaged software that SaaS replaces", ("categories",)),
    "regions.yaml": ("Google Cloud regions, their towns and residency codes", ("regions",)),
    "services.yaml": ("where services not in every region are offered", ("services",)),
    "machines.yaml": (
        "Compute Engine machine types and GPU types per region",
        ("machine_types", "accelerators"),
    ),
    "compute.yaml": (
        "custom machine shapes; GPU machine types and GPU successors",
        ("custom", "gpus", "gpu_machines"),
    ),
    "prices.yaml": ("Compute Engine, disk and licence prices, discounts", ("regions", "licences")),
}


def knowledge_table() -> str:
    rows = ["| file | holds | entries | as of |", "|---|---|---|---|"]
    for name, (holds, lists) in KNOWLEDGE.items():
        data = yaml.safe_load((ROOT / "migrator" / "data" / name).read_text("utf-8"))
        count = " + ".join(f"{len(data[key])} {key.replace('_', ' ')}" for key in lists)
        rows.append(f"| `{name}` | {holds} | {count} | {data['as_of']} |")
    return "\n".join(rows) + "\n"


def effort_table() -> str:
    rows = ["| strategy | base | per server | per database |", "|---|---|---|---|"]
    for strategy, base in effort.BASE.items():
        rows.append(
            f"| {strategy} | {base:g} | {effort.PER_SERVER[strategy]:g} "
            f"| {effort.PER_DATABASE[strategy]:g} |"
        )
    return "\n".join(rows) + "\n"


def _maps(spec: s.Spec) -> Iterable[tuple[str, s.Spec]]:
    for key, child in spec.fields.items():
        target = child.items if child.kind == "list" else child
        if target is not None and target.kind == "map":
            yield key, target


# Every map of the inventory format has its table: tests/docs/test_docs.py holds this
# list to the schema, so a new map needs a block here and in docs/inventory.md.
MAP_BLOCKS: dict[str, s.Spec] = {
    "inventory-top": s.TOP,
    "inventory-portfolio": s.PORTFOLIO,
    "inventory-onprem": s.ONPREM,
    "inventory-planning": s.PLANNING,
    "inventory-freeze": s.FREEZE,
    "inventory-application": s.APPLICATION,
    "inventory-stack": s.STACK,
    "inventory-availability": s.AVAILABILITY,
    "inventory-licensing": s.LICENSING,
    "inventory-dependency": s.DEPENDENCY,
    "inventory-decision": s.DECISION,
    "inventory-server": s.SERVER,
    "inventory-utilization": s.UTILIZATION,
    "inventory-gpu": s.GPUS,
    "inventory-database": s.DATABASE,
}

BLOCKS: dict[str, Callable[[], str]] = {
    **{name: functools.partial(map_table, spec) for name, spec in MAP_BLOCKS.items()},
    "facts-application": lambda: facts_table("application"),
    "facts-server": lambda: facts_table("server"),
    "facts-database": lambda: facts_table("database"),
    "operators": operators_line,
    "rules": rules_table,
    "knowledge": knowledge_table,
    "effort": effort_table,
}


def every_map() -> set[int]:
    """The identity of every map of the schema, to check that each has its table."""
    seen: set[int] = set()
    todo = [s.TOP]
    while todo:
        spec = todo.pop()
        if id(spec) not in seen:
            seen.add(id(spec))
            todo.extend(child for _, child in _maps(spec))
    return seen


def render(text: str) -> tuple[str, list[str]]:
    """The text with every generated block rewritten, and the names of those that changed."""
    changed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in BLOCKS:
            raise SystemExit(f"unknown generated block '{name}' (known: {', '.join(BLOCKS)})")
        fresh = BLOCKS[name]()
        if fresh != match.group(3):
            changed.append(name)
        return match.group(1) + fresh + match.group(4)

    return BLOCK.sub(replace, text), changed


def run(check: bool) -> list[str]:
    """Rewrite (or only compare) every doc; the stale blocks, as ``file: block``."""
    stale: list[str] = []
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        fresh, changed = render(text)
        stale += [f"{path.relative_to(ROOT)}: {name}" for name in changed]
        if changed and not check:
            path.write_text(fresh, encoding="utf-8")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")
    args = parser.parse_args(argv)
    stale = run(args.check)
    for name in stale:
        print(f"{name}: {'out of date' if args.check else 'rewritten'}")
    if args.check and stale:
        print("run: python tools/docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
