"""'Did you mean' at a bounded cost, and many diagnostics printed as plain lines."""

from __future__ import annotations

import difflib
import io

import pytest
from rich.console import Console

from migrator.console import Output
from migrator.diagnostics import Diagnostic, Suggestions
from migrator.inventory.load import load
from tests.conftest import WriteInventory


def _count_comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many candidates difflib compares a word with (one set_seq1 call each)."""
    calls = [0]
    original = difflib.SequenceMatcher.set_seq1

    def counted(self: difflib.SequenceMatcher[str], a: str) -> None:
        calls[0] += 1
        original(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counted)
    return calls


def test_unknown_references_do_not_compare_with_every_id(
    write_inventory: WriteInventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["applications:"]
    for i in range(1999):
        lines.append(
            f"  - {{id: corporate-application-service-{i:05d}, name: A{i}"
            + (f", depends_on: [corporate-application-servicx-{i * 7:05d}]}}" if i < 500 else "}")
        )
    root = write_inventory({"apps.yaml": "\n".join(lines) + "\n"})
    calls = _count_comparisons(monkeypatch)
    result = load(root)
    assert result.errors == 500
    # (one more a word: the matcher starts with an empty one) against 500 x 2,000 before
    assert calls[0] <= 500 * (Suggestions.SHORTLIST + 1)
    first = result.diagnostics[0].message
    assert first == (
        "unknown application 'corporate-application-servicx-00000' (did you mean "
        "'corporate-application-service-00000'?)"
    )


def test_suggestions_find_a_typo_among_many_similar_ids() -> None:
    ids = [f"lims-app-{i:04d}" for i in range(5000)] + ["payroll-db-01"]
    suggestions = Suggestions(ids, cutoff=0.75)
    assert suggestions("lims-app-1234x") == " (did you mean 'lims-app-1234'?)"
    assert suggestions("payrol-db-01") == " (did you mean 'payroll-db-01'?)"
    assert suggestions("zzzzzzzz") == ""


def test_many_diagnostics_are_written_as_plain_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    output = Output(out=Console(file=stream, soft_wrap=True, highlight=False))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rich lays out each line: too slow for 400,000 of them")

    monkeypatch.setattr(Console, "print", refuse)
    diags = [
        Diagnostic(
            "error", "inv/a.yaml", ("servers", i, "cpu"), "must be at least 0", line=i + 2, col=9
        )
        for i in range(1000)
    ]
    output.diagnostics(diags)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1000
    assert lines[0] == "inv/a.yaml:2:9: error: servers[0].cpu: must be at least 0"
