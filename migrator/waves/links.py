"""Hybrid links: dependencies whose two ends are apart, on premises and in the cloud, and
for how long (docs/waves.md).

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

import itertools
from collections.abc import Mapping, Sequence

from migrator.assess.model import Planned
from migrator.inventory.model import AppId, Inventory
from migrator.waves.model import HybridLink, Wave


def hybrid_links(
    inventory: Inventory,
    results: Mapping[AppId, Planned],
    wave_of: Mapping[AppId, int],
    waves: Sequence[Wave],
) -> tuple[list[HybridLink], list[str]]:
    staying_reason: dict[AppId, str] = {}
    found: list[tuple[int, AppId, AppId, int | None, int | None, str, str]] = []
    retired: dict[AppId, list[AppId]] = {}  # retired provider → its migrating consumers
    known = inventory.apps_by_id
    for app in inventory.applications:
        consumer = app.id
        cw = wave_of.get(consumer)
        for dep in app.depends_on:
            provider = dep.app
            pw = wave_of.get(provider)
            if cw is not None and pw is not None:
                if cw != pw:
                    found.append(
                        (min(cw, pw), consumer, provider, cw, pw, "different waves", dep.kind)
                    )
                continue
            if (cw is None and pw is None) or provider not in known:
                continue  # both stay where they are
            staying = provider if pw is None else consumer
            reason = staying_reason.get(staying)
            if reason is None:
                reason = staying_reason[staying] = _why_staying(inventory, results, staying)
            if reason == "retired":
                if cw is not None:  # the provider retires: the link lasts until it does
                    retired.setdefault(provider, []).append(consumer)
                    found.append((cw, consumer, provider, cw, None, reason, dep.kind))
                continue
            found.append((cw or pw or 0, consumer, provider, cw, pw, reason, dep.kind))
    switched_off = {gone: max(wave_of[c] for c in consumers) for gone, consumers in retired.items()}
    # Weeks from the Monday the first end's wave starts to the Friday the last one's ends.
    starts = [w.start.toordinal() for w in waves]
    ends = [w.end.toordinal() for w in waves]
    # Sorted by wave first, by a bucket for each wave: sorting 50,000 tuples whole took
    # twice as long (60 ms), much of it comparing their waves.
    by_wave: list[list[tuple[int, AppId, AppId, int | None, int | None, str, str]]] = [
        [] for _ in range(len(waves) + 1)
    ]
    for entry in found:
        by_wave[entry[0]].append(entry)
    links = []
    for first, consumer, provider, cw, pw, reason, kind in itertools.chain.from_iterable(
        sorted(bucket) for bucket in by_wave
    ):
        if reason == "different waves" or reason == "retired":
            last = switched_off[provider] if reason == "retired" else max(cw or 0, pw or 0)
            weeks = -(-(ends[last - 1] - starts[first - 1] + 1) // 7)
            links.append(HybridLink(consumer, provider, cw, pw, False, reason, kind, last, weeks))
        else:
            links.append(HybridLink(consumer, provider, cw, pw, True, reason, kind))
    warnings = []
    for gone, consumers in sorted(retired.items()):
        shown = ", ".join(consumers[:5]) + (
            f" and {len(consumers) - 5} more" if len(consumers) > 5 else ""
        )
        warnings.append(
            f"{gone} is retired, but {len(consumers)} migrating "
            f"application(s) depend on it ({shown}): replace or remove those "
            f"dependencies before it goes (after wave {switched_off[gone]}, "
            f"when the last of them has moved)"
        )
    return links, warnings


def _why_staying(inventory: Inventory, results: Mapping[AppId, Planned], app_id: AppId) -> str:
    app = inventory.apps_by_id[app_id]
    if app.type == "external":
        return "external"
    result = results.get(app_id)
    if result is not None and result.strategy == "retire":
        return "retired"  # a SaaS being given up too: the link goes with it
    return "saas" if app.type == "saas" else "retained"
