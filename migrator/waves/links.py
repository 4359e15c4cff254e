"""Hybrid links: dependencies whose two ends are apart, on premises and in the cloud, and
for how long (SPEC 4).

A link between two migrating applications in different waves opens when the first of its
ends starts moving (the Monday its wave starts) and can go once the second has moved (the
Friday its wave ends). A dependency on an application being retired lasts until that
application is switched off, which is at the end of the wave of its last migrating
consumer: before then something still calls it. A link to or from an application that
stays (retained, external, SaaS) is permanent. Weeks are counted from that Monday to that
Friday, rounded up to whole weeks; a freeze in between counts, since the link is kept
through it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from migrator.assess.model import AppAssessment
from migrator.inventory.model import Inventory
from migrator.waves.model import HybridLink, Wave


def hybrid_links(inventory: Inventory, results: Mapping[str, AppAssessment],
                 wave_of: Mapping[str, int], waves: Sequence[Wave]
                 ) -> tuple[list[HybridLink], list[str]]:
    staying_reason: dict[str, str] = {}
    temporary: list[tuple[str, str, int | None, int | None, str, str]] = []
    permanent: list[HybridLink] = []
    retired: dict[str, list[str]] = {}  # retired provider → its migrating consumers
    for app in inventory.applications:
        for dep in app.depends_on:
            consumer, provider = str(app.id), str(dep.app)
            if provider not in inventory.apps_by_id:
                continue
            cw, pw = wave_of.get(consumer), wave_of.get(provider)
            if cw is not None and pw is not None:
                if cw != pw:
                    temporary.append((consumer, provider, cw, pw, "different waves", dep.kind))
                continue
            if cw is None and pw is None:
                continue  # both stay where they are
            staying = provider if pw is None else consumer
            reason = staying_reason.get(staying)
            if reason is None:
                reason = staying_reason[staying] = _why_staying(inventory, results, staying)
            if reason == "retired":
                if staying == provider:
                    retired.setdefault(provider, []).append(consumer)
                    temporary.append((consumer, provider, cw, None, reason, dep.kind))
                continue
            permanent.append(HybridLink(consumer, provider, cw, pw, True, reason, dep.kind))
    switched_off = {gone: max(wave_of[c] for c in consumers)
                    for gone, consumers in retired.items()}
    links = permanent
    for consumer, provider, cw, pw, reason, kind in temporary:
        first = min(w for w in (cw, pw) if w is not None)
        last = max(cw or 0, pw or 0) if reason != "retired" else switched_off[provider]
        links.append(HybridLink(consumer, provider, cw, pw, False, reason, kind, last,
                                _weeks(waves[first - 1], waves[last - 1])))
    links.sort(key=_link_order)
    warnings = []
    for gone, consumers in sorted(retired.items()):
        shown = ", ".join(consumers[:5]) + (f" and {len(consumers) - 5} more"
                                            if len(consumers) > 5 else "")
        warnings.append(f"{gone} is retired, but {len(consumers)} migrating "
                        f"application(s) depend on it ({shown}): replace or remove those "
                        f"dependencies before it goes (after wave {switched_off[gone]}, "
                        f"when the last of them has moved)")
    return links, warnings


def _weeks(first: Wave, last: Wave) -> int:
    return math.ceil(((last.end - first.start).days + 1) / 7)


def _link_order(link: HybridLink) -> tuple[int, str, str]:
    """The wave in which a link is first needed, then its ends."""
    waves = [w for w in (link.consumer_wave, link.provider_wave) if w is not None]
    return min(waves), link.consumer, link.provider


def _why_staying(inventory: Inventory, results: Mapping[str, AppAssessment], app_id: str
                 ) -> str:
    app = inventory.apps_by_id[app_id]
    if app.type == "external":
        return "external"
    result = results.get(app_id)
    if result is not None and result.strategy == "retire":
        return "retired"  # a SaaS being given up too: the link goes with it
    return "saas" if app.type == "saas" else "retained"
