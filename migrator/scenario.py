"""What-if scenarios: a small overlay applied to an inventory before it is planned.

A scenario file changes the portfolio (its region, currency), the planning settings, the
decisions on applications (retire this one, pin that one to a wave) and the rules and
price files, without editing the inventory. It is checked like an inventory: every
mistake is reported with its ``file:line:col``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.diagnostics import Diagnostic, suggest
from migrator.errors import InvalidInputError
from migrator.inventory import schema
from migrator.inventory.load import located
from migrator.inventory.model import AppId, Decision, Inventory, Origin
from migrator.inventory.schema import Spec
from migrator.inventory.validate import INVALID, describe
from migrator.sidefiles import SideFile, user_file

_DECISION = Spec(
    "map",
    "A decision on one application, replacing the inventory's.",
    fields={"app": Spec("id", "Id of the application.", required=True), **schema.DECISION.fields},
)

SCENARIO = Spec(
    "map",
    "A what-if overlay on an inventory.",
    fields={
        "version": Spec("int", "Format version; 1."),
        "description": Spec("text", "What the scenario asks."),
        "portfolio": Spec(
            "map",
            "Portfolio settings to replace: name, region, currency, onprem.",
            fields=schema.PORTFOLIO.fields,
        ),
        "planning": Spec(
            "map", "Wave-planning settings to replace, key by key.", fields=schema.PLANNING.fields
        ),
        "decisions": Spec("list", "Decisions to set on applications.", items=_DECISION),
        "rules": Spec("text", "A rules file, relative to the scenario file."),
        "prices": Spec("text", "A price file, relative to the scenario file."),
    },
)


@dataclass(frozen=True)
class Scenario:
    """A checked scenario: the settings it replaces and the decisions it sets."""

    file: str
    description: str | None
    portfolio: Mapping[str, Any]  # model attribute → value, only those written
    planning: Mapping[str, Any]
    # (application id, the decision's keys it sets, where): kept keys of the inventory's
    # decision stay (a pin does not undo a decided strategy)
    decisions: tuple[tuple[AppId, Mapping[str, Any], Origin], ...]
    rules: Path | None
    prices: Path | None
    text: str = ""  # the file as read, to locate what apply() finds wrong

    def apply(self, inventory: Inventory) -> Inventory:
        """The inventory as the scenario sees it; an unknown application is an error."""
        problems = [
            Diagnostic(
                "error",
                self.file,
                ("decisions", index, "app"),
                f"no application '{app_id}' in the inventory"
                f"{suggest(app_id, list(inventory.apps_by_id))}",
            )
            for index, (app_id, _, _) in enumerate(self.decisions)
            if app_id not in inventory.apps_by_id
        ]
        problems += [
            Diagnostic(
                "error",
                self.file,
                ("planning", "shared_services", index),
                f"no application '{app_id}' in the inventory"
                f"{suggest(app_id, list(inventory.apps_by_id))}",
            )
            for index, app_id in enumerate(self.planning.get("shared_services", ()))
            if app_id not in inventory.apps_by_id
        ]
        if problems:
            raise InvalidInputError(
                f"{self.file}: the scenario has errors", located(problems, {self.file: self.text})
            )
        decided: dict[AppId, Decision] = {}
        for app_id, fields, origin in self.decisions:
            app = inventory.apps_by_id[app_id]
            before = decided.get(app_id) or app.decision or Decision()
            decided[app_id] = dataclasses.replace(before, **fields, origin=origin)
        applications = tuple(
            dataclasses.replace(app, decision=decided[app.id]) if app.id in decided else app
            for app in inventory.applications
        )
        return Inventory(
            portfolio=dataclasses.replace(inventory.portfolio, **self.portfolio),
            planning=dataclasses.replace(inventory.planning, **self.planning),
            applications=applications,
            servers=inventory.servers,
            databases=inventory.databases,
            files=inventory.files,
            # later stages locate a pin the scenario set in the scenario's own text
            texts={**inventory.texts, self.file: self.text},
        )


def load_scenario(path: Path) -> Scenario:
    """Read and check a scenario file. Raises ``InvalidInputError`` with located problems."""
    side = SideFile.parsed(user_file(path, "cannot use this scenario file"))
    source, data, checker = side.source, side.data, side.checker
    checked: dict[str, Any] = {}
    if side.is_yaml:
        if not isinstance(data, dict):
            checker.error(
                (), f"expected a mapping (portfolio, planning, decisions…), got {describe(data)}"
            )
        else:
            result = checker.check(SCENARIO, data, ())
            checked = result if result is not INVALID else {}
            if data.get("version") not in (None, 1):
                checker.error(("version",), "unsupported scenario format version; this reads 1")
    side.refuse_errors("the scenario has errors")
    decisions = []
    for index, item in enumerate(checked.get("decisions", ())):
        fields = {key: value for key, value in item.items() if key != "app"}
        origin = Origin(source.name, ("decisions", index))
        decisions.append((AppId(item["app"]), fields, origin))
    base = path.parent

    def side_file(key: str) -> Path | None:
        name = checked.get(key)
        return None if name is None else base / name

    return Scenario(
        file=source.name,
        description=checked.get("description"),
        portfolio=checked.get("portfolio", {}),
        planning=checked.get("planning", {}),
        decisions=tuple(decisions),
        rules=side_file("rules"),
        prices=side_file("prices"),
        text=source.text,
    )


def overlay(
    path: Path | None, inventory: Inventory, rules: Path | None, prices: Path | None
) -> tuple[Inventory, Path | None, Path | None]:
    """The inventory, rules file and price file with the scenario at ``path`` applied."""
    if path is None:
        return inventory, rules, prices
    scenario = load_scenario(path)
    return scenario.apply(inventory), scenario.rules or rules, scenario.prices or prices
