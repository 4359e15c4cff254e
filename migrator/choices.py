"""The closed sets of values a user picks from, on the command line and in the inventory.

Each set is defined once, here, as a ``Literal``: the core types its parameters with it
and the command line offers exactly its values (typer reads the ``Literal``). This module
imports nothing, so that the command line can build its help without loading the core.
"""

from __future__ import annotations

from typing import Literal

ValidateFormat = Literal["text", "json"]
AssessFileFormat = Literal["json", "csv", "markdown"]
AssessFormat = Literal["table", AssessFileFormat]  # the table is for the terminal
WavesFormat = Literal["table", "json"]
PlanFormat = Literal["markdown", "html"]
DiffFormat = Literal["text", "markdown", "json"]
CheckFormat = Literal["text", "json"]

Sizing = Literal["same-as-source", "moderate", "aggressive"]
DiskSizing = Literal["provisioned", "used"]
Order = Literal["providers-first", "consumers-first"]

ColorBy = Literal["strategy", "readiness"]
ClusterBy = Literal["wave", "domain", "group", "none"]
AggregateBy = Literal["auto", "group", "domain"]  # what --aggregate offers
Aggregate = Literal[AggregateBy, "none"]  # and what --no-aggregate adds

GroupBy = Literal["folder", "annotation", "prefix", "none"]
