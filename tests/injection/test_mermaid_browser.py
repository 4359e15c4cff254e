"""The hostile plan's Mermaid renders in Mermaid itself (headless Chromium): it parses,
the names are labels, and nothing in them runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from migrator.cli import app
from tests.graph.test_mermaid_renders import mermaid_page
from tests.injection import hostile


@pytest.fixture(scope="module")
def diagrams(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    where = tmp_path_factory.mktemp("mermaid")
    inventory = hostile.write(where)
    plan = where / "plan.md"
    result = CliRunner().invoke(app, ["plan", str(inventory), "-o", str(plan)])
    assert result.exit_code == 0, result.output
    graph = where / "graph.mmd"
    result = CliRunner().invoke(app, ["graph", str(inventory), "-o", str(graph)])
    assert result.exit_code == 0, result.output
    blocks = re.findall(r"```mermaid\n(.*?)```", plan.read_text(encoding="utf-8"), re.S)
    return [*blocks, graph.read_text(encoding="utf-8")]


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with mermaid_page() as view:
        yield view


@pytest.mark.parametrize("index", range(3))
def test_hostile_mermaid_renders_as_text(page: Any, diagrams: list[str], index: int) -> None:
    result = page.evaluate(
        """async (src) => {
        mermaid.initialize({startOnLoad: false, securityLevel: 'loose'});
        try {
            const {svg} = await mermaid.render('d' + Math.floor(Math.random() * 1e9), src);
            document.getElementById('out').innerHTML = svg;
            const out = document.getElementById('out');
            return {ok: true, text: out.textContent,
                    scripts: out.querySelectorAll('script, img, a, foreignObject a').length,
                    pwned: window.__pwned === undefined ? null : window.__pwned};
        } catch (e) { return {ok: false, error: e.message}; }
    }""",
        diagrams[index],
    )
    assert result["ok"], result.get("error")
    assert result["scripts"] == 0 and result["pwned"] is None
    assert page.errors == []
    if index != 1:  # the flowcharts: every name is a label, shown as written
        assert hostile.SCRIPT in result["text"]
        assert hostile.DOT_HTML in result["text"]
