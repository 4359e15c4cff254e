"""Running the rules: facts per subject, findings per application, messages with evidence.

How the work is shared, and why it is safe. An application's findings are its own rules'
and those of its servers and databases. What fires for a server or a database depends on
that subject alone (its facts), never on the application that uses it: it is worked out
once and kept by the subject's id. The rules that read only ``os.*`` facts are tested once
per OS string, as every ``os.*`` fact is a function of that string alone. Each application
then makes one finding per rule that fired, naming every subject the rule found, and lists
them in an order fixed once for the rule set (worst first). What is kept is immutable and
bounded by the inventory (one entry per server, database and distinct OS string), and
lives only as long as the evaluator, one assessment.
"""

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
Ranked = tuple[int, Rule]  # a rule and its place in the order findings are listed in
Hit = tuple[Rule, Subject, Facts]  # a rule that fired, its subject, the subject's facts
Hits = tuple[tuple[int, Hit], ...]  # what fired for a subject, each with its rule's place


class _Batch:
    """The rules about one kind of subject, tested together by one compiled function."""

    def __init__(self, rules: Sequence[Rule], rank: Mapping[str, int]) -> None:
        self.rules = tuple(rules)
        self.ranked: tuple[Ranked, ...] = tuple((rank[r.id], r) for r in self.rules)
        self._test = batch_test([rule.when.tree for rule in self.rules])

    def fired(self, facts: Facts) -> list[Ranked]:
        ranked = self.ranked
        return [ranked[index] for index in self._test(facts)]


class _Memo:
    """Rule outcomes for rules that read only the OS, by OS string.

    Thousands of servers share a few dozen OS strings: a rule that reads only ``os.*``
    facts is evaluated once per distinct string, not once per server.
    """

    def __init__(self, rules: Sequence[Rule], rank: Mapping[str, int]) -> None:
        os_rules = [r for r in rules if r.reads and all(name.startswith("os.") for name in r.reads)]
        self.os_rules = _Batch(os_rules, rank)
        self.other_rules = _Batch([r for r in rules if r not in os_rules], rank)
        self.by_os: dict[object, list[Ranked]] = {}

    def fired(self, facts: Facts) -> list[Ranked]:
        key = facts.get("os.text")
        os_fired = self.by_os.get(key)
        if os_fired is None:
            os_fired = self.by_os[key] = self.os_rules.fired(facts)
        return [*os_fired, *self.other_rules.fired(facts)]


class Evaluator:
    """Evaluates rules over an inventory, each server and database once however shared."""

    def __init__(self, rules: RuleSet, context: Context) -> None:
        self.context = context
        self._rank = {r.id: place for place, r in enumerate(sorted(rules.rules, key=_order))}
        rank = self._rank
        # Rules about where the application lands (``landing.*`` facts) can only be tested
        # once its strategy and targets are chosen: they run after, on their own.
        app_rules = [r for r in rules.for_subject("application") if not _lands(r)]
        landing_rules = [r for r in rules.for_subject("application") if _lands(r)]
        self._app_rules = _Batch(app_rules, rank)
        self._saas_rules = _Batch([r for r in app_rules if r.category in SAAS_CATEGORIES], rank)
        self._landing_rules = _Batch(landing_rules, rank)
        self._server_memo = _Memo(rules.for_subject("server"), rank)
        self._database_memo = _Memo(rules.for_subject("database"), rank)
        self._servers: dict[str, Hits] = {}
        self._databases: dict[str, Hits] = {}
        self._database_facts: dict[str, Facts] = {}

    def findings(self, app: Application, facts: Facts) -> tuple[Finding, ...]:
        """Every rule that fires for ``app`` (given its facts) or its servers and databases,
        one finding per rule naming every subject it found, worst first."""
        inventory = self.context.inventory
        subject = Subject("application", app.id)
        # Nothing of a SaaS application moves: only what concerns its records and its
        # place among the others (operations, data) applies, and none of its servers'.
        saas = app.type == "saas"
        batch = self._saas_rules if saas else self._app_rules
        found: dict[int, Hit] = {
            place: (rule, subject, facts) for place, rule in batch.fired(facts)
        }
        if saas:
            return _findings(found, None)
        # A rule counts once per application: its first subject's hit stands for it, with
        # every other subject it found listed (``more``, made only when a rule finds two).
        more: dict[int, list[Subject]] | None = None
        servers, databases = inventory.servers_by_id, inventory.databases_by_id
        subjects: list[Hits] = [
            self._server(server)
            for server in (servers.get(server_id) for server_id in app.servers)
            if server is not None
        ]
        subjects += [
            self._database(database)
            for database in (databases.get(db_id) for db_id in app.databases)
            if database is not None
        ]
        for hits in subjects:
            for place, hit in hits:
                first = found.get(place)
                if first is None:
                    found[place] = hit
                elif more is None:
                    more = {place: [first[1], hit[1]]}
                elif place in more:
                    more[place].append(hit[1])
                else:
                    more[place] = [first[1], hit[1]]
        return _findings(found, more)

    def landing_findings(
        self, app: Application, facts: Facts, findings: tuple[Finding, ...]
    ) -> tuple[Finding, ...]:
        """``findings`` with those of the rules about the application's landing added."""
        if not self._landing_rules.rules or app.type == "saas":
            return findings
        fired = self._landing_rules.fired(facts)
        if not fired:
            return findings
        subject = Subject("application", app.id)
        rank = self._rank
        added = _findings({place: (rule, subject, facts) for place, rule in fired}, None)
        return tuple(sorted((*findings, *added), key=lambda f: rank[f.rule]))

    def database_facts(self, database: Database) -> Facts:
        facts = self._database_facts.get(database.id)
        if facts is None:
            facts = self._database_facts[database.id] = database_facts(database)
        return facts

    def _server(self, server: Server) -> Hits:
        found = self._servers.get(server.id)
        if found is None:
            facts = server_facts(server)
            subject = Subject("server", server.id)
            found = self._servers[server.id] = tuple(
                [(place, (rule, subject, facts)) for place, rule in self._server_memo.fired(facts)]
            )
        return found

    def _database(self, database: Database) -> Hits:
        found = self._databases.get(database.id)
        if found is None:
            facts = self.database_facts(database)
            subject = Subject("database", database.id)
            found = self._databases[database.id] = tuple(
                [
                    (place, (rule, subject, facts))
                    for place, rule in self._database_memo.fired(facts)
                ]
            )
        return found


def _lands(rule: Rule) -> bool:
    return any(name.startswith("landing.") for name in rule.reads)


def _order(rule: Rule) -> tuple[int, int, str]:
    return _SEVERITY_ORDER[rule.severity], -rule.points, rule.id


def _findings(found: dict[int, Hit], more: dict[int, list[Subject]] | None) -> tuple[Finding, ...]:
    """One finding per rule that fired, in the rule set's order (the message is written when
    it is read: waves never read it)."""
    findings = []
    for place in sorted(found):
        rule, subject, facts = found[place]
        others = more.get(place) if more else None
        findings.append(
            Finding(
                rule.id,
                rule.title,
                rule.category,
                rule.severity,
                rule.points,
                subject,
                (subject,) if others is None else tuple(dict.fromkeys(others)),
                rule.message,
                facts,
            )
        )
    return tuple(findings)
