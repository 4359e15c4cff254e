"""Property: whatever is done to the sample inventory, migrator answers with located
diagnostics or success, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from migrator.cli import app
from migrator.inventory.load import load
from tests.conftest import PHARMA

FILES = sorted(p.name for p in PHARMA.glob("*.yaml"))
TEXTS = {name: (PHARMA / name).read_text(encoding="utf-8") for name in FILES}
DATA = {name: yaml.safe_load(text) for name, text in TEXTS.items()}
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
GARBAGE = st.text(
    alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`, \n\tx9é\\")), min_size=1, max_size=8
)


def _containers(node: Any, found: list[Any]) -> list[Any]:
    if isinstance(node, dict | list):
        found.append(node)
        for child in node.values() if isinstance(node, dict) else node:
            _containers(child, found)
    return found


@st.composite
def mutated_files(draw: st.DrawFn) -> dict[str, str]:
    name = draw(st.sampled_from(FILES))
    files = dict(TEXTS)
    kind = draw(st.sampled_from(["delete", "retype", "rename", "garble", "truncate"]))
    if kind in ("garble", "truncate"):
        text = files[name]
        at = draw(st.integers(0, len(text)))
        files[name] = text[:at] + (draw(GARBAGE) + text[at:] if kind == "garble" else "")
        return files
    data = yaml.safe_load(TEXTS[name])  # a fresh copy to mutate
    containers = [c for c in _containers(data, []) if c]
    target = draw(st.sampled_from(containers))
    key = draw(
        st.sampled_from(
            list(target.keys()) if isinstance(target, dict) else list(range(len(target)))
        )
    )
    if kind == "delete":
        del target[key]
    elif kind == "retype":
        target[key] = draw(ODD_VALUES)
    elif isinstance(target, dict):
        target[draw(st.text(min_size=1, max_size=10))] = target.pop(key)
    else:
        target[key] = draw(ODD_VALUES)
    files[name] = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return files


def test_the_sample_is_valid_to_start_with() -> None:
    result = load(PHARMA)
    assert result.inventory is not None, [d.format() for d in result.diagnostics]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=mutated_files())
def test_mutations_never_crash(files: dict[str, str], tmp_path: Path) -> None:
    root = tmp_path / "inv"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    result = load(root)
    for diag in result.diagnostics:
        located = diag.line > 0 and diag.col > 0
        whole_inventory = diag.file == str(root) and (
            "empty" in diag.message or "not checked until" in diag.message
        )
        assert located or whole_inventory, diag.format()
    assert (result.inventory is None) == (result.errors > 0)
    cli = CliRunner().invoke(app, ["validate", str(root)])
    assert cli.exit_code == (1 if result.errors else 0), cli.output
    assert "Traceback" not in cli.output
