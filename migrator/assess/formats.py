"""The formats the assessment is written in: JSON, CSV and Markdown (the table is the
terminal's, in ``commands/assess.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from migrator import jsonout
from migrator.assess import report
from migrator.assess.model import Assessment
from migrator.choices import AssessFileFormat
from migrator.outputs import OutputFormat
from migrator.render.templates import render


@dataclass(frozen=True)
class Assessed:
    """What an assessment output shows: the assessment and, when estimated, its costs."""

    assessment: Assessment
    priced: dict[str, Any] | None = None


def _json(subject: Assessed) -> bytes:
    return jsonout.encode(report.to_json(subject.assessment, subject.priced))


def _csv(subject: Assessed) -> bytes:
    return _lines(report.to_csv(subject.assessment))


def _markdown(subject: Assessed) -> bytes:
    assessment = subject.assessment
    data = report.to_json(assessment, subject.priced)
    context = {**data, "as_of": assessment.as_of, "external": list(assessment.external)}
    return _lines(render("assess.md.j2", context))


def _lines(text: str) -> bytes:
    return (text if text.endswith("\n") else text + "\n").encode()


ASSESSMENT_FORMATS: dict[AssessFileFormat, OutputFormat[Assessed]] = {
    "json": OutputFormat("json", (".json",), _json),
    "csv": OutputFormat("csv", (".csv",), _csv),
    "markdown": OutputFormat("markdown", (".md", ".markdown"), _markdown),
}
