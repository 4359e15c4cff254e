"""The documentation agrees with the code, stands on its own, and its links lead somewhere."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path

from migrator.assess import assessment, strategy
from migrator.inventory import validate
from tests.conftest import ROOT

# tools/ is not a package: the generator is loaded from its file
_SPEC = importlib.util.spec_from_file_location("docs_tables", ROOT / "tools" / "docs.py")
assert _SPEC is not None and _SPEC.loader is not None
generator = importlib.util.module_from_spec(_SPEC)
sys.modules["docs_tables"] = generator
_SPEC.loader.exec_module(generator)

DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "CHANGELOG.md", *DOCS.glob("*.md")]


def test_generated_tables_agree_with_the_code() -> None:
    assert generator.run(check=True) == [], "run: python tools/docs.py"


def test_every_map_of_the_inventory_format_has_its_table() -> None:
    assert {id(spec) for spec in generator.MAP_BLOCKS.values()} == generator.every_map()
    written = "".join(page.read_text(encoding="utf-8") for page in DOCS.glob("*.md"))
    for name in generator.BLOCKS:
        assert f"<!-- generated: {name} -->" in written, f"no block {name} in docs/"


def test_a_stale_table_is_found(tmp_path: Path) -> None:
    text = "<!-- generated: inventory-gpu -->\n| old |\n<!-- end generated -->\n"
    fresh, changed = generator.render(text)
    assert changed == ["inventory-gpu"]
    assert "`count`" in fresh and generator.render(fresh)[1] == []


def test_the_plan_page_names_everything_a_template_sees() -> None:
    from migrator.assess.rules import load_rules
    from migrator.inventory.load import load
    from migrator.plan.document import prepare
    from tests.conftest import PHARMA

    inventory = load(PHARMA).inventory
    assert inventory is not None
    rules = load_rules(today=dt.date(2026, 11, 29))
    context = prepare(inventory, rules, dt.date(2026, 11, 29)).context()
    page = (DOCS / "plan.md").read_text(encoding="utf-8").split("## What a template sees")[1]
    listed = {
        name
        for row in page.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`(\w+)`", row.split(" | ")[0])
    }
    assert set(context) <= listed


def test_the_prose_names_the_thresholds_the_code_uses() -> None:
    inventory = (DOCS / "inventory.md").read_text(encoding="utf-8")
    assert validate.SLUG.pattern.removesuffix(r"\Z") in inventory
    decisions = (DOCS / "strategy.md").read_text(encoding="utf-8")
    assert f"from a score of {assessment.READY_SCORE}" in decisions
    assert f"< {assessment.UNKNOWN_BELOW}" in decisions
    assert f"at least {strategy.RELOCATE_MIN_SERVERS} servers" in decisions
    assert f"a score below {strategy.RELOCATE_MAX_SCORE}" in decisions
    # one row per step of the tree, as the module's docstring numbers them
    steps = re.findall(r"^ ?(\d+)\. ", strategy.__doc__ or "", re.M)
    rows = re.findall(r"^\| (\d+) \|", decisions, re.M)
    assert rows == steps


# Documents users do not have: the product contract and the compiled facts this project
# was built from. Nothing shipped may point at them; cite the public source instead.
# (../shared/data, where the tests find the real discovery exports, is test data, not a document)
OUTSIDE = re.compile(r"\bSPEC\b|SPEC\.md|FACTS\.md|\bFACTS \d|\bin FACTS\b|\.\./shared(?!/data)")
# migrator.assess.facts.FACTS is a name in the code, not a citation
CODE_NAME = re.compile(r"\bFACTS\b(?=[\[.:,)]|$)|import .*\bFACTS\b")


def _shipped() -> list[Path]:
    files = [*PAGES, *(ROOT / "templates").rglob("*"), *(ROOT / "migrator").rglob("*")]
    files += [*(ROOT / "bench").rglob("*.py"), *(ROOT / "tools").rglob("*.py")]
    files += [path for path in (ROOT / "tests").rglob("*") if path.suffix in (".py", ".yaml")]
    # cli.py's help text is being rewritten apart; this file names the pattern it looks for
    skip = {ROOT / "migrator" / "cli.py", Path(__file__)}
    return [path for path in files if path.is_file() and path not in skip]


def test_no_document_points_outside_the_repository() -> None:
    found = []
    for path in _shipped():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(CODE_NAME.sub("", line)):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert found == []


def test_links_lead_to_files_of_the_repository() -> None:
    broken = []
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == []


# files that migrator (an import) or generate.py writes, named in the docs as examples
WRITTEN = {"servers.yaml", "discovered.yaml", "portfolio.yaml"}  # files imports write


def test_the_modules_and_files_named_exist() -> None:
    # a module renamed or moved leaves its old name in the docs: this finds it
    names = {path.name for path in ROOT.rglob("*") if ".venv" not in path.parts}
    missing = []
    for page in PAGES:
        for named in re.findall(
            r"`((?:[\w.-]+/)*[\w.-]+\.(?:py|yaml|j2))`", page.read_text("utf-8")
        ):
            found = (
                any(
                    (base / named).exists()
                    for base in (ROOT, ROOT / "migrator", ROOT / "templates")
                )
                if "/" in named
                else named in names or named in WRITTEN
            )
            if not found:
                missing.append(f"{page.relative_to(ROOT)}: {named}")
    assert missing == []


def test_the_readme_keeps_the_pitch_the_quick_start_and_the_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"```sh\n(.*?)\n```", quick, re.S) == [
        "python3 -m venv .venv && .venv/bin/pip install . && "
        ".venv/bin/migrator plan inventories/pharma -o plan.md",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest",
    ]
    assert "| `migrator validate PATH` |" in readme
    assert len(readme) < 8000, "the README links to docs/ rather than growing"
