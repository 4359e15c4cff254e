"""The dynamic order behind the split advice (``split._DynamicOrder``), against a plain
computation: after every dependency kept or refused, the blocks are exactly the cycles
of what was kept, the order stays topological, the edges name live blocks only, and a
refusal is right (keeping the dependency would have joined more applications than
allowed).

A reorder that moved blocks below one that precedes them once made later searches miss
cycles, and the advice claimed groups of 49 applications that were 490."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from migrator.waves.fill import Caps
from migrator.waves.split import _DynamicOrder


def _components(count: int, edges: set[tuple[int, int]]) -> list[frozenset[int]]:
    """The strongly connected components, by reachability (small graphs only)."""
    succ: dict[int, set[int]] = {v: set() for v in range(count)}
    for a, b in edges:
        succ[a].add(b)
    reach = []
    for v in range(count):
        seen, stack = {v}, [v]
        while stack:
            for w in succ[stack.pop()]:
                if w not in seen:
                    seen.add(w)
                    stack.append(w)
        reach.append(seen)
    return [frozenset(w for w in reach[v] if v in reach[w]) for v in range(count)]


_Case = tuple[list[int], list[int], int, list[tuple[int, int]], list[tuple[int, int, bool]]]


@st.composite
def _cases(draw: st.DrawFn) -> _Case:
    count = draw(st.integers(2, 24))
    order = list(draw(st.permutations(range(count))))
    apps = draw(st.lists(st.integers(1, 3), min_size=count, max_size=count))
    cap = draw(st.integers(3, 3 * count))
    atom = st.integers(0, count - 1)
    # The dependencies along the order, kept from the start (as the advice keeps them).
    along = draw(st.lists(st.tuples(atom, atom).filter(lambda p: order[p[0]] < order[p[1]])))
    tries = draw(st.lists(st.tuples(atom, atom, st.booleans()).filter(lambda t: t[0] != t[1])))
    return order, apps, cap, along, tries


@settings(max_examples=400, deadline=None)
@given(_cases())
# The edge 4 → 0 closes the cycle 0 → 1 → 4 → 0; 3 is ahead of it (0 → 3) and 2 precedes 3
# (2 → 3) but is in neither search: 3 must stay above 2.
@example(([0, 1, 2, 3, 4], [1] * 5, 5, [(0, 1), (1, 4), (0, 3), (2, 3)], [(4, 0, False)]))
def test_the_order_follows_what_is_kept(case: _Case) -> None:
    place, apps, cap, along, tries = case
    count = len(place)
    dag = _DynamicOrder(place, [[n, 0, 0] for n in apps], Caps(cap, None, None))
    for a, b in along:
        dag.add(a, b)
    kept: set[tuple[int, int]] = set(along)
    for a, b, both in tries:
        wanted = {(a, b), (b, a)} if both else {(a, b)}
        joined = _components(count, kept | wanted)
        too_big = any(sum(apps[v] for v in c) > cap for c in joined)
        assert dag.keep(a, b, both) is not too_big, (a, b, both)
        if not too_big:
            kept |= wanted
        components = _components(count, kept)
        for v in range(count):
            members = {w for w in range(count) if dag.block_of[w] == dag.block_of[v]}
            assert members == components[v]
        for u, v in kept:
            bu, bv = dag.block_of[u], dag.block_of[v]
            assert bu == bv or dag.place[bu] < dag.place[bv], (u, v)
        # Edges name live blocks only (the searches read them without block_of).
        live = set(dag.block_of)
        for v in range(count):
            named = dag.succ[v] | dag.pred[v]
            assert named <= live - {v} if v in live else not named, v
        # The linked order holds every block once, by growing label.
        listed, block = [], dag.first
        while block != -1:
            listed.append(block)
            block = dag.after[block]
        assert sorted(listed) == sorted(set(dag.block_of))
        assert [dag.place[b] for b in listed] == sorted(dag.place[b] for b in listed)
