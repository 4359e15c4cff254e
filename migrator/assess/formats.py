"""The formats the assessment is written in: JSON, CSV and Markdown (the table is the
terminal's, in ``commands/assess.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from migrator import jsonout, speed
from migrator.assess import report
from migrator.assess.model import Assessment
from migrator.choices import AssessFileFormat
from migrator.cost.estimate import CostEstimate, NotPriced
from migrator.outputs import OutputFormat

if TYPE_CHECKING:
    from migrator.assess.brief import Halves
    from migrator.waves.model import Schedule


@dataclass(frozen=True)
class Assessed:
    """What an assessment output shows: the assessment and, when estimated, its cost
    (by wave, given the schedule)."""

    assessment: Assessment | Halves  # Halves: worked out by two processes, for JSON only
    cost: CostEstimate | NotPriced | None = None
    waves: Schedule | None = None


def _json(subject: Assessed) -> bytes:
    data = report.to_json(subject.assessment, subject.cost, subject.waves)
    # The command line leaves the data for the operating system to reclaim: freeing the
    # JSON's data of 10,000 applications object by object took 0.08 s.
    speed.keep_alive(data)
    return jsonout.encode(data)


def _csv(subject: Assessed) -> bytes:
    if not isinstance(subject.assessment, Assessment):
        raise TypeError("CSV rows are written from a whole assessment, not from Halves")
    return _lines(report.to_csv(subject.assessment))


def _markdown(subject: Assessed) -> bytes:
    whole = subject.assessment
    assessment = whole if isinstance(whole, Assessment) else whole.first
    data = report.to_json(whole, subject.cost, subject.waves)
    speed.keep_alive(data)  # as for the JSON
    context = {**data, "as_of": assessment.as_of, "external": list(assessment.external)}
    from migrator.render.templates import render  # here: JSON and CSV need no Jinja

    return _lines(render("assess.md.j2", context))


def _lines(text: str) -> bytes:
    return (text if text.endswith("\n") else text + "\n").encode()


ASSESSMENT_FORMATS: dict[AssessFileFormat, OutputFormat[Assessed]] = {
    "json": OutputFormat("json", (".json",), _json),
    "csv": OutputFormat("csv", (".csv",), _csv),
    "markdown": OutputFormat("markdown", (".md", ".markdown"), _markdown),
}
