"""Policy breaches as people read them: lines for a terminal or CI, a Markdown section."""

from __future__ import annotations

from migrator.console import Output
from migrator.errors import CheckFailed
from migrator.policy.model import Breach, Policy


def lines(breaches: list[Breach]) -> list[str]:
    # as validate writes its diagnostics, which CI annotation tools read as they are
    return [f"{b.where}: error: policy {b.policy.id}: {b.message}" for b in breaches]


def markdown(breaches: list[Breach], skipped: list[Policy]) -> str:
    from migrator.render.templates import render  # here: lines for a terminal need no Jinja

    return render(
        "policy.md.j2",
        {"breaches": [b.to_json() for b in breaches], "skipped": [p.id for p in skipped]},
    )


def fail(breaches: list[Breach], skipped: list[Policy], output: Output, show: bool = True) -> None:
    """Print every breach (on standard output, like validate's diagnostics, unless the
    output is already a document); raise CheckFailed (exit 1) if there is any."""
    for policy in skipped:
        output.info(f"policy {policy.id}: not checked: it compares with a base (give --base)")
    if show:
        for line in lines(breaches):
            output.out.print(line, markup=False)
    if breaches:
        count = len(breaches)
        policies = len({b.policy.id for b in breaches})
        raise CheckFailed(
            f"{count} policy breach{'es' * (count != 1)} "
            f"({policies} polic{'ies' if policies != 1 else 'y'})"
        )
