"""From observed connections to application dependencies, with the evidence behind each.

Each end of a connection is resolved to a server of the inventory by its name (the server's
id, hostname or short hostname, or the VM name discovery recorded), else by its address
(``ip_addresses``); each server to the one application that lists it. A connection from a
server of A to a server of B is evidence that A depends on B (A is the consumer, B the
provider); connections are summed per pair of applications with the ports, processes and
time slots seen. What cannot be a dependency is counted by reason, never guessed: the
collector's own traffic, loopback and link-local addresses, connections to ephemeral
ports (the reply side of a connection, or a client's random port), addresses outside the
inventory, servers in no application or in several, and traffic inside one application.
"""

from __future__ import annotations

import functools
import ipaddress
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from migrator.discovery.connections import Connection
from migrator.discovery.estate import Estate
from migrator.inventory.model import AppId, ServerId

# The first port of the range Linux (32768-60999) and IANA (49152-65535) leave to clients
# (the well-known service ports below excepted, such as DB2 on 50000):
# a "destination" there is almost always the reply half of a connection, or a random port.
EPHEMERAL_FROM = 32768
# Well-known service ports → the inventory's dependency kinds. Ports not listed are "sync".
KIND_BY_PORT: dict[int, str] = {
    **dict.fromkeys((1433, 1434, 1521, 1522, 3306, 5432, 50000, 27017, 6379, 9042), "database"),
    **dict.fromkeys((445, 139, 2049, 111, 20, 21, 873, 990), "file"),
    **dict.fromkeys((5671, 5672, 9092, 1414, 61616, 4222, 1883, 8883), "async"),
}
# When a pair talks on ports of several kinds as often, the strongest coupling names it.
KIND_RANK = {"database": 0, "file": 1, "async": 2, "sync": 3}
APPLIANCE, LOOPBACK, LINK_LOCAL, NONE = range(4)  # reasons an address is no end, by rank
TAGGED = {LOOPBACK: "loopback", LINK_LOCAL: "link-local"}
LISTED = 10  # items of an evidence list written out; the rest are counted
REASONS = {
    "appliance": "the collector's own traffic (appliance)",
    "loopback": "loopback address",
    "link-local": "link-local address",
    "ephemeral": f"ephemeral destination port ({EPHEMERAL_FROM} and above)",
    "unknown-source": "source not in the inventory",
    "unknown-private": "destination not in the inventory (private address)",
    "unknown-public": "destination outside the estate (public address)",
    "same-server": "within one server",
    "no-application": "server in no application",
    "several-applications": "server in several applications",
    "same-application": "within one application",
}


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from an export's text: zone (``fe80::1%3``) and brackets dropped."""
    text = text.strip().strip("[]").split("%", 1)[0]
    if not text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@functools.lru_cache(maxsize=65536)
def public_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    return ip is not None and ip.is_global


def kind_of(ports: Counter[int]) -> str:
    by_kind: Counter[str] = Counter()
    for port, count in ports.items():
        by_kind[KIND_BY_PORT.get(port, "sync")] += count
    return min(by_kind, key=lambda kind: (-by_kind[kind], KIND_RANK[kind]))


@dataclass
class Evidence:
    """What was seen between two applications."""

    connections: int = 0
    ports: Counter[int] = field(default_factory=Counter)
    processes: set[str] = field(default_factory=set)  # on the consumer's side
    provider_processes: set[str] = field(default_factory=set)
    time_slots: set[str] = field(default_factory=set)
    servers: Counter[tuple[ServerId, ServerId]] = field(default_factory=Counter)  # → connections

    @property
    def kind(self) -> str:
        return kind_of(self.ports)

    def record(self, source: str) -> dict[str, Any]:
        """The ``x-discovered`` block: what the import saw, in a stable order, each list at
        most ``LISTED`` long (the busiest server pairs first) with the count beside it."""
        out: dict[str, Any] = {"source": source, "connections": self.connections}
        out["ports"] = sorted(self.ports)
        pairs = sorted(self.servers.items(), key=lambda item: (-item[1], item[0]))
        _listed(out, "servers", [f"{a} -> {b}" for (a, b), _ in pairs])
        _listed(out, "processes", sorted(self.processes))
        _listed(out, "provider_processes", sorted(self.provider_processes))
        _listed(out, "time_slots", sorted(self.time_slots))
        return out


def _listed(out: dict[str, Any], key: str, items: list[str]) -> None:
    if not items:
        return
    out[key] = items[:LISTED]
    if len(items) > LISTED:
        out[f"{key}_seen"] = len(items)


@dataclass
class Resolved:
    rows: int = 0
    used: int = 0  # rows that became evidence of a dependency
    skipped: Counter[str] = field(default_factory=Counter)  # reason → rows
    examples: dict[str, Counter[str]] = field(default_factory=dict)  # reason → what, rows
    pairs: dict[tuple[AppId, AppId], Evidence] = field(default_factory=dict)  # (consumer, provider)

    def skip(self, reason: str, what: str = "") -> None:
        self.skipped[reason] += 1
        if what:
            self.examples.setdefault(reason, Counter())[what] += 1


class _Index:
    """Servers of the inventory by name and by address; applications by server."""

    def __init__(self, estate: Estate) -> None:
        # The ids the inventory's YAML gives its servers and applications enter here.
        self.by_name: dict[str, ServerId] = {}
        self.by_address: dict[Any, ServerId] = {}
        for entity in estate.servers:
            if not entity.id:
                continue
            server = ServerId(entity.id)
            data = entity.data
            known = data.get("x-discovery")
            vm = known.get("vm") if isinstance(known, dict) else None
            hostname = data.get("hostname")
            names = [server, vm, hostname]
            if isinstance(hostname, str):
                names.append(hostname.split(".", 1)[0])
            for name in names:
                if isinstance(name, str) and name:
                    self.by_name.setdefault(name.lower(), server)
            addresses = data.get("ip_addresses")
            for text in addresses if isinstance(addresses, list) else ():
                found = parse_address(str(text))
                if found is not None:
                    self.by_address.setdefault(found, server)
        self.apps: dict[ServerId, list[AppId]] = {}
        for entity in estate.applications:
            listed = entity.data.get("servers")
            if not entity.id or not isinstance(listed, list):
                continue
            app_id = AppId(entity.id)
            for server in dict.fromkeys(ServerId(str(s)) for s in listed):
                self.apps.setdefault(server, []).append(app_id)

    def server(self, name: str, ip: Any) -> ServerId | None:
        if name:
            found = self.by_name.get(name.lower()) or self.by_name.get(
                name.lower().split(".", 1)[0]
            )
            if found:
                return found
        return self.by_address.get(ip) if ip is not None else None


def resolve(
    connections: Iterable[Connection], estate: Estate, appliances: Iterable[str]
) -> Resolved:
    rows = list(connections)
    index = _Index(estate)
    # An export names a few thousand addresses in 100,000 rows: each is parsed once.
    parsed: dict[str, Any] = {}

    def address(text: str) -> Any:
        found = parsed.get(text, parsed)
        if found is parsed:
            found = parsed[text] = parse_address(text)
        return found

    appliance_names = {a.lower() for a in appliances}
    # The appliance's addresses, from the rows where it is named: its traffic is often
    # reported again with the name left empty.
    appliance_ips = {
        ip
        for c in rows
        for name, text in ((c.source_name, c.source_ip), (c.destination_name, c.destination_ip))
        if name and name.lower() in appliance_names and (ip := address(text)) is not None
    }
    tags: dict[str, int] = {}

    def tag(text: str) -> int:
        """The rank of the reason an address is no dependency's end (NONE if it may be)."""
        found = tags.get(text)
        if found is None:
            ip = address(text)
            found = tags[text] = (
                NONE
                if ip is None
                else APPLIANCE
                if ip in appliance_ips
                else LOOPBACK
                if ip.is_loopback
                else LINK_LOCAL
                if ip.is_link_local
                else NONE
            )
        return found

    ends: dict[tuple[str, str], ServerId | None] = {}

    def server(name: str, text: str) -> ServerId | None:
        key = (name, text)
        if key not in ends:
            ends[key] = index.server(name, address(text))
        return ends[key]

    result = Resolved(rows=len(rows))
    for c in rows:
        worst = min(tag(c.source_ip), tag(c.destination_ip))
        if worst == APPLIANCE or (
            appliance_names
            and (
                c.source_name.lower() in appliance_names
                or c.destination_name.lower() in appliance_names
            )
        ):
            result.skip("appliance")
        elif worst != NONE:
            result.skip(TAGGED[worst])
        elif c.port >= EPHEMERAL_FROM and c.port not in KIND_BY_PORT:
            result.skip("ephemeral")
        else:
            _pair(c, server, address, index, result)
    return result


def _pair(
    c: Connection,
    server: Callable[[str, str], ServerId | None],
    address: Callable[[str], Any],
    index: _Index,
    out: Resolved,
) -> None:
    source = server(c.source_name, c.source_ip)
    if source is None:
        out.skip("unknown-source", c.source_name or c.source_ip)
        return
    destination = server(c.destination_name, c.destination_ip)
    if destination is None:
        public = public_address(address(c.destination_ip))
        out.skip(
            "unknown-public" if public else "unknown-private",
            c.destination_name or c.destination_ip,
        )
        return
    if source == destination:
        out.skip("same-server")
        return
    consumers, providers = index.apps.get(source, []), index.apps.get(destination, [])
    for end, apps in ((source, consumers), (destination, providers)):
        if not apps:
            out.skip("no-application", end)
            return
        if len(apps) > 1:
            out.skip("several-applications", end)
            return
    consumer, provider = consumers[0], providers[0]
    if consumer == provider:
        out.skip("same-application")
        return
    evidence = out.pairs.get((consumer, provider))
    if evidence is None:
        evidence = out.pairs[(consumer, provider)] = Evidence()
    evidence.connections += c.connections
    evidence.ports[c.port] += c.connections
    evidence.servers[(source, destination)] += c.connections
    if c.source_process:
        evidence.processes.add(c.source_process)
    if c.destination_process:
        evidence.provider_processes.add(c.destination_process)
    if c.time_slot:
        evidence.time_slots.add(c.time_slot)
    out.used += 1
