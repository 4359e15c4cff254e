"""Running the rules: facts per subject, findings per application, messages with evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from migrator.assess.conditions import batch_test
from migrator.assess.facts import Context, database_facts, server_facts
from migrator.assess.model import Finding, Subject
from migrator.assess.rules import Rule, RuleSet
from migrator.inventory.model import Application, Database, Server

SAAS_CATEGORIES = frozenset({"operations", "data"})
# Findings are listed worst first; within a severity, by points, then by rule id.
_SEVERITY_ORDER = {"blocker": 0, "major": 1, "minor": 2, "info": 3}

Facts = Mapping[str, Any]
Hit = tuple[Rule, Subject, Facts]  # a rule that fired, its subject, the subject's facts


class _Batch:
    """The rules about one kind of subject, tested together by one compiled function."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._test = batch_test([rule.when.tree for rule in self.rules])

    def fired(self, facts: Facts) -> list[Rule]:
        rules = self.rules
        return [rules[index] for index in self._test(facts)]


class _Memo:
    """Rule outcomes for rules that read only the OS, by OS string.

    Thousands of servers share a few dozen OS strings: a rule that reads only ``os.*``
    facts is evaluated once per distinct string, not once per server.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        os_rules = [r for r in rules if r.reads and all(name.startswith("os.") for name in r.reads)]
        self.os_rules = _Batch(os_rules)
        self.other_rules = _Batch([r for r in rules if r not in os_rules])
        self.by_os: dict[object, list[Rule]] = {}

    def fired(self, facts: Facts) -> list[Rule]:
        key = facts.get("os.text")
        os_fired = self.by_os.get(key)
        if os_fired is None:
            os_fired = self.by_os[key] = self.os_rules.fired(facts)
        return [*os_fired, *self.other_rules.fired(facts)]


class Evaluator:
    """Evaluates rules over an inventory, each server and database once however shared."""

    def __init__(self, rules: RuleSet, context: Context) -> None:
        self.context = context
        # Rules about where the application lands (``landing.*`` facts) can only be tested
        # once its strategy and targets are chosen: they run after, on their own.
        app_rules = [r for r in rules.for_subject("application") if not _lands(r)]
        landing_rules = [r for r in rules.for_subject("application") if _lands(r)]
        self._app_rules = _Batch(app_rules)
        self._saas_rules = _Batch([r for r in app_rules if r.category in SAAS_CATEGORIES])
        self._landing_rules = _Batch(landing_rules)
        self._server_memo = _Memo(rules.for_subject("server"))
        self._database_memo = _Memo(rules.for_subject("database"))
        self._servers: dict[str, list[Hit]] = {}
        self._databases: dict[str, list[Hit]] = {}
        self._database_facts: dict[str, Facts] = {}

    def findings(self, app: Application, facts: Facts) -> tuple[Finding, ...]:
        """Every rule that fires for ``app`` (given its facts) or its servers and databases."""
        inventory = self.context.inventory
        subject = Subject("application", app.id)
        # Nothing of a SaaS application moves: only what concerns its records and its
        # place among the others (operations, data) applies, and none of its servers'.
        rules = self._saas_rules if app.type == "saas" else self._app_rules
        hits: list[Hit] = [(rule, subject, facts) for rule in rules.fired(facts)]
        if app.type == "saas":
            return _aggregate(hits)
        for server_id in app.servers:
            server = inventory.servers_by_id.get(server_id)
            if server is not None:
                hits.extend(self._server(server))
        for db_id in app.databases:
            database = inventory.databases_by_id.get(db_id)
            if database is not None:
                hits.extend(self._database(database))
        return _aggregate(hits)

    def landing_findings(
        self, app: Application, facts: Facts, findings: tuple[Finding, ...]
    ) -> tuple[Finding, ...]:
        """``findings`` with those of the rules about the application's landing added."""
        if not self._landing_rules.rules or app.type == "saas":
            return findings
        subject = Subject("application", app.id)
        hits: list[Hit] = [(rule, subject, facts) for rule in self._landing_rules.fired(facts)]
        if not hits:
            return findings
        return tuple(sorted((*findings, *_aggregate(hits)), key=_rank))

    def database_facts(self, database: Database) -> Facts:
        facts = self._database_facts.get(database.id)
        if facts is None:
            facts = self._database_facts[database.id] = database_facts(database)
        return facts

    def _server(self, server: Server) -> list[Hit]:
        found = self._servers.get(server.id)
        if found is None:
            facts = server_facts(server)
            subject = Subject("server", server.id)
            found = [(rule, subject, facts) for rule in self._server_memo.fired(facts)]
            self._servers[server.id] = found
        return found

    def _database(self, database: Database) -> list[Hit]:
        found = self._databases.get(database.id)
        if found is None:
            facts = self.database_facts(database)
            subject = Subject("database", database.id)
            found = [(rule, subject, facts) for rule in self._database_memo.fired(facts)]
            self._databases[database.id] = found
        return found


def _lands(rule: Rule) -> bool:
    return any(name.startswith("landing.") for name in rule.reads)


def _rank(finding: Finding) -> tuple[int, int, str]:
    return _SEVERITY_ORDER[finding.severity], -finding.points, finding.rule


def _aggregate(hits: Sequence[Hit]) -> tuple[Finding, ...]:
    """One finding per rule: a rule counts once per application, naming all it found."""
    # Most rules find one subject: a rule's first hit is kept, and a list of its subjects
    # made only when a second one comes.
    first: dict[str, Hit] = {}
    more: dict[str, list[Subject]] = {}
    for hit in hits:
        rule_id = hit[0].id
        found = first.get(rule_id)
        if found is None:
            first[rule_id] = hit
        elif rule_id in more:
            more[rule_id].append(hit[1])
        else:
            more[rule_id] = [found[1], hit[1]]
    findings = []
    for rule_id, (rule, subject, facts) in first.items():
        subjects: tuple[Subject, ...] = (
            tuple(dict.fromkeys(more[rule_id])) if rule_id in more else (subject,)
        )
        # The message is written when it is read (JSON, the plan): waves never read it.
        findings.append(
            Finding(
                rule.id,
                rule.title,
                rule.category,
                rule.severity,
                rule.points,
                subject,
                subjects,
                rule.message,
                facts,
            )
        )
    findings.sort(key=_rank)
    return tuple(findings)
