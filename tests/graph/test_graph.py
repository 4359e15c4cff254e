"""`migrator graph`: DOT, Mermaid and SVG of the sample, without Graphviz, focus and scale."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.assess.assessment import assess
from migrator.cli import app
from migrator.graph import render as rendering
from migrator.graph.view import MAX_NODES, Selection, build
from migrator.inventory.load import load_inventory
from migrator.inventory.model import Application, Dependency, Inventory, Planning, Portfolio
from migrator.waves.schedule import schedule
from tests.conftest import PHARMA, require_program

runner = CliRunner()
AS_OF = dt.date(2026, 11, 29)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def pharma() -> tuple[Inventory, object]:
    inventory, _ = load_inventory(PHARMA)
    return inventory, assess(inventory, as_of=AS_OF)


def test_svg_without_graphviz_has_one_node_per_application(tmp_path: Path) -> None:
    target = tmp_path / "deps.svg"
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no 'dot' on it
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "migrator",
            "graph",
            str(PHARMA),
            "-o",
            str(target),
            "--as-of",
            "2026-11-29",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "laid out by Graphviz in WebAssembly" in done.stderr
    root = ET.parse(target).getroot()  # well-formed XML
    assert root.tag == f"{SVG}svg"
    ids = [g.get("id") for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    apps = [i for i in ids if i and i.startswith("node-")]
    inventory, _ = load_inventory(PHARMA)
    assert sorted(apps) == sorted(f"node-{a.id}" for a in inventory.applications)
    titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in root.iter(f"{SVG}a")]
    assert any(t and t.startswith("LabWare LIMS: score ") for t in titles)  # tooltips


@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_raster_without_graphviz_says_how_to_install(
    suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rendering, "dot_program", lambda: None)
    target = tmp_path / f"deps{suffix}"
    result = runner.invoke(app, ["graph", str(PHARMA), "-o", str(target)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"{suffix[1:].upper()} needs Graphviz's 'dot' program" in lines[0]
    assert "install Graphviz" in lines[0]
    assert not target.exists()


def test_png_with_graphviz(tmp_path: Path) -> None:
    require_program("dot", "Graphviz, for PNG and PDF diagrams")
    target = tmp_path / "deps.png"
    assert runner.invoke(app, ["graph", str(PHARMA), "-o", str(target)]).exit_code == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_suffix(tmp_path: Path) -> None:
    result = runner.invoke(app, ["graph", str(PHARMA), "-o", str(tmp_path / "deps.jpg")])
    assert result.exit_code == 2
    assert "unknown diagram format '.jpg'" in result.stderr


def test_dot_and_mermaid_files(tmp_path: Path) -> None:
    for suffix, start in ((".dot", "digraph migrator {"), (".mmd", "flowchart LR")):
        target = tmp_path / f"deps{suffix}"
        result = runner.invoke(app, ["graph", str(PHARMA), "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.read_text().startswith(start)


def test_dot_to_stdout() -> None:
    result = runner.invoke(app, ["graph", str(PHARMA), "--color-by", "readiness"])
    assert result.exit_code == 0
    assert result.stdout.startswith("digraph migrator {")
    assert "colour: readiness" in result.stdout


def test_mermaid_uses_strategy_colours_and_wave_clusters() -> None:
    text = (Path(__file__).parent.parent / "golden" / "pharma-graph.mmd").read_text()
    assert 'subgraph c0["Wave 1 (from 2027-01-11, 4 applications)"]' in text
    assert "classDef c_rehost fill:#4e79a7" in text
    assert "==>" in text  # latency-sensitive links are thick


def test_wave_clusters_are_laid_out_in_wave_order(tmp_path: Path) -> None:
    target = tmp_path / "waves.svg"
    result = runner.invoke(
        app,
        ["graph", str(PHARMA), "--cluster-by", "wave", "-o", str(target), "--as-of", "2026-11-29"],
    )
    assert result.exit_code == 0, result.output
    root = ET.parse(target).getroot()
    left: dict[str, float] = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "cluster":
            continue
        text = next(group.iter(f"{SVG}text"))
        label = "".join(text.itertext())
        shape = next(e for e in group.iter() if e.tag in (f"{SVG}polygon", f"{SVG}path"))
        numbers = [
            float(v)
            for v in re.findall(r"-?\d+(?:\.\d+)?", shape.get("points") or shape.get("d") or "")
        ]
        left[label] = min(numbers[0::2])
    waves = sorted((k for k in left if k.startswith("Wave ")), key=lambda k: int(k.split()[1]))
    assert len(waves) >= 5
    xs = [left[w] for w in waves]
    assert xs == sorted(xs), list(zip(waves, xs, strict=True))  # wave 1 first, left to right
    assert left["not migrating"] > xs[-1]  # apart, after the last wave
    mermaid = runner.invoke(
        app,
        [
            "graph",
            str(PHARMA),
            "--cluster-by",
            "wave",
            "-o",
            str(tmp_path / "waves.mmd"),
            "--as-of",
            "2026-11-29",
        ],
    )
    assert mermaid.exit_code == 0
    check_mermaid_sequence((tmp_path / "waves.mmd").read_text(), clusters=len(waves) + 1)


_LINK = re.compile(r"^  (\w+) (<?)(-->|-\.->|==>)(?:\|\d+\|)? (\w+)$")


def check_mermaid_sequence(text: str, clusters: int) -> None:
    """The Mermaid of a wave view keeps its clusters in order: every node of a cluster links
    to the anchor after it, the anchor before it links to every one of them, and a link
    from a later cluster to an earlier one is written from the earlier, with its arrowhead
    at the start only (its number in a linkStyle that takes the end's off)."""
    cluster_of: dict[str, int] = {}
    current = -1
    links: list[tuple[str, bool, str, str]] = []
    unmarked: set[int] = set()
    for line in text.splitlines():
        if line.startswith("  subgraph c"):
            current = int(line.split()[1].split("[")[0][1:])
        elif line == "  end":
            current = -1
        elif current >= 0:
            cluster_of[line.split("[")[0].split("(")[0].split(">")[0].strip()] = current
        elif line.startswith("  linkStyle "):
            assert line.endswith(" marker-end:none"), line
            unmarked |= {int(n) for n in line.split()[1].split(",")}
        elif " ~~~ " in line:  # from each on the left to each on the right (Mermaid's &)
            left, right = (side.strip().split(" & ") for side in line.split(" ~~~ "))
            links += [(s, False, "~~~", t) for s in left for t in right]
        elif (link := _LINK.match(line)) is not None:
            source, back, arrow, target = link.groups()
            links.append((source, bool(back), arrow, target))
        else:
            assert not any(a in line for a in ("-->", "-.->", "==>")), line
    assert len(set(cluster_of.values())) == clusters
    invisible = {(s, t) for s, _, arrow, t in links if arrow == "~~~"}
    expected = set()
    for node, index in cluster_of.items():
        if index > 0:
            expected.add((f"a{index}", node))
        if index < clusters - 1:
            expected.add((node, f"a{index + 1}"))
    assert invisible == expected
    assert [n for n, (_, back, _, _) in enumerate(links) if back] == sorted(unmarked)
    crossing = 0
    for source, back, arrow, target in links:
        if arrow == "~~~":
            continue
        # written from the earlier cluster, whichever end the arrow points at
        assert cluster_of[source] <= cluster_of[target], (source, target)
        crossing += cluster_of[source] < cluster_of[target]
        if back:
            assert cluster_of[source] < cluster_of[target]
    assert crossing and unmarked  # the sample has links across waves both ways


def test_focus_and_depth(pharma: tuple[Inventory, object]) -> None:
    inventory, result = pharma
    view = build(
        inventory,
        result,
        lambda: schedule(inventory, result),  # type: ignore[arg-type]
        selection=Selection(focus="lims", depth=1),
    )
    shown = {n.id for n in view.nodes}
    lims = inventory.apps_by_id["lims"]
    neighbours = {d.app for d in lims.depends_on} | {
        a.id for a in inventory.applications if any(d.app == "lims" for d in a.depends_on)
    }
    assert shown == {"lims"} | neighbours
    deeper = build(
        inventory,
        result,
        lambda: schedule(inventory, result),  # type: ignore[arg-type]
        selection=Selection(focus="lims", depth=2),
    )
    assert shown < {n.id for n in deeper.nodes}
    alone = build(
        inventory,
        result,
        lambda: schedule(inventory, result),  # type: ignore[arg-type]
        selection=Selection(focus="lims", depth=0),
    )
    assert [n.id for n in alone.nodes] == ["lims"]


def test_wave_and_domain_filters() -> None:
    result = runner.invoke(
        app, ["graph", str(PHARMA), "--wave", "1", "--as-of", "2026-11-29", "-o", "/dev/stdout"]
    )
    assert result.exit_code == 2  # /dev/stdout has no known suffix
    wave = runner.invoke(app, ["graph", str(PHARMA), "--wave", "1", "--as-of", "2026-11-29"])
    assert wave.exit_code == 0
    assert "Brand microsites" in wave.stdout and "LabWare LIMS" not in wave.stdout
    domain = runner.invoke(app, ["graph", str(PHARMA), "--domain", "research"])
    assert domain.exit_code == 0 and "LabWare LIMS" not in domain.stdout
    missing = runner.invoke(app, ["graph", str(PHARMA), "--domain", "nowhere"])
    assert missing.exit_code == 2 and "no application in domain 'nowhere'" in missing.stderr
    unknown = runner.invoke(app, ["graph", str(PHARMA), "--focus", "limz"])
    assert unknown.exit_code == 2 and "did you mean 'lims'" in unknown.stderr
    too_far = runner.invoke(app, ["graph", str(PHARMA), "--wave", "99"])
    assert too_far.exit_code == 2 and "there is no wave 99" in too_far.stderr


def _chain(n: int) -> Inventory:
    apps = tuple(
        Application(
            id=f"a{i:04d}",
            name=f"A{i}",
            domain=f"d{i % 7}",
            depends_on=(Dependency(app=f"a{i - 1:04d}"),) if i else (),
        )
        for i in range(n)
    )
    return Inventory(Portfolio(name="big"), Planning(max_apps_per_wave=50), apps, (), ())


def test_large_graphs_are_aggregated() -> None:
    inventory = _chain(MAX_NODES + 50)
    result = assess(inventory, as_of=AS_OF)
    view = build(inventory, result, lambda: schedule(inventory, result))
    assert view.aggregated == "group" or view.aggregated == "domain"
    assert len(view.nodes) <= MAX_NODES + 1
    assert sum(n.count for n in view.nodes if n.id != "hidden-links") == MAX_NODES + 50
    full = build(inventory, result, lambda: schedule(inventory, result), aggregate="none")
    assert full.aggregated is None and len(full.nodes) == MAX_NODES + 50
    by_domain = build(inventory, result, lambda: schedule(inventory, result), aggregate="domain")
    assert sorted(n.label for n in by_domain.nodes if n.count > 1)[0].startswith("domain d0 (")
    total = sum(e.count for e in by_domain.edges)
    assert total <= MAX_NODES + 49  # each dependency counted once, inside links dropped


@pytest.mark.parametrize("suffix", [".svg", ".dot", ".mmd"])
def test_cluster_by_group_schedules_the_groups(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"groups{suffix}"
    result = runner.invoke(
        app,
        ["graph", str(PHARMA), "--cluster-by", "group", "-o", str(target), "--as-of", "2026-11-29"],
    )
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert "LabWare LIMS" in text


def test_wave_with_neighbours_draws_every_link_touching_it(
    pharma: tuple[Inventory, object],
) -> None:
    inventory, result = pharma
    plan = schedule(inventory, result)  # type: ignore[arg-type]
    members = set(plan.waves[2].applications)
    view = build(
        inventory,
        result,  # type: ignore[arg-type]
        lambda: plan,
        cluster_by="wave",
        selection=Selection(wave=3, neighbours=True),
    )
    shown = {n.id for n in view.nodes}
    touching = {
        (a.id, d.app)
        for a in inventory.applications
        for d in a.depends_on
        if a.id in members or d.app in members
    }
    assert members < shown
    assert touching <= {(e.source, e.target) for e in view.edges}
    assert all(e.source in members or e.target in members for e in view.edges)


def test_wave_clusters_come_in_order_in_the_dot_and_edges_run_with_them() -> None:
    result = runner.invoke(
        app, ["graph", str(PHARMA), "--cluster-by", "wave", "--as-of", "2026-11-29"]
    )
    assert result.exit_code == 0, result.output
    source = result.stdout
    labels = re.findall(r'label="(Wave \d+|not migrating)[^"]*"', source)
    numbers = [int(label.split()[1]) for label in labels if label.startswith("Wave")]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 5
    assert labels[-1] == "not migrating"
    assert 'label="Wave 1 (from 2027-01-11, 4 applications)"' in source
    cluster_of: dict[str, int] = {}
    for index, body in enumerate(re.split(r"subgraph cluster_", source)[1:]):
        for name in re.findall(r"^\t\t(n\d+) \[", body, re.M):
            cluster_of[name] = index
    layout = re.findall(r"^\t(n\d+) -> (n\d+) \[([^\]]*)\]", source, re.M)
    across = [(a, b, attrs) for a, b, attrs in layout if cluster_of.get(a) != cluster_of.get(b)]
    assert len(across) > 50
    # Every link across waves is laid out from the earlier wave to the later one; those
    # whose consumer moves later keep their arrow pointing back at the provider.
    assert all(cluster_of[a] < cluster_of[b] for a, b, _ in across)
    backwards = [attrs for _, _, attrs in across if "dir=back" in attrs]
    assert 0 < len(backwards) < len(across)


def test_aggregated_nodes_say_what_they_hold(pharma: tuple[Inventory, object]) -> None:
    inventory, result = pharma
    plan = schedule(inventory, result)  # type: ignore[arg-type]
    view = build(inventory, result, lambda: plan, aggregate="group")  # type: ignore[arg-type]
    labels = {n.id: n.label for n in view.nodes}
    sap = next(g for g in plan.groups if set(g.applications) == {"sap-bw", "sap-erp"})
    assert labels[sap.id] == "SAP (2 applications)"
    cycle = next(g for g in plan.groups if "cycle" in g.reasons)
    assert labels[cycle.id].endswith("and 2 more (3 applications)")
    assert not any(re.fullmatch(r"mg-\d+ \(\d+\)", label) for label in labels.values())
    grouped = build(
        inventory,
        result,  # type: ignore[arg-type]
        lambda: plan,
        cluster_by="group",
    )
    assert any(
        label == "SAP: moved together (latency-sensitive links)" for _, label, _ in grouped.clusters
    )


def _dense(root: Path, count: int) -> Path:
    """An inventory of ``count`` applications, each depending on every one before it:
    count × (count - 1) / 2 dependencies, no cycle, a wave each at 1 a wave."""
    lines = ["version: 1", "planning:", "  max_apps_per_wave: 1", "applications:"]
    for i in range(count):
        lines += [f"  - id: a{i:02d}", f"    name: A{i}"]
        lines += ["    depends_on:", *(f"      - app: a{j:02d}" for j in range(i))] if i else []
    (root / "dense.yaml").write_text("\n".join(lines) + "\n")
    return root


def _mermaid(root: Path, cluster: str, target: Path) -> str:
    """``graph --cluster-by CLUSTER -o TARGET``: what it says on standard error, its lines
    joined as rich wraps them."""
    result = runner.invoke(
        app,
        ["graph", str(root), "--cluster-by", cluster, "-o", str(target), "--as-of", "2026-11-29"],
    )
    assert result.exit_code == 0, result.output
    return " ".join(result.stderr.split())


def _links(text: str) -> int:
    drawn = 0
    for line in text.splitlines():
        if " ~~~ " in line:  # from each on the left to each on the right
            left, right = line.split(" ~~~ ")
            drawn += len(left.split(" & ")) * len(right.split(" & "))
        elif re.match(r"^  \w+ <?(-->|-\.->|==>)(\|\d+\|)? ", line):
            drawn += 1
    return drawn


def test_a_mermaid_file_over_mermaids_limit_is_said_so(tmp_path: Path) -> None:
    root = _dense(tmp_path, 24)  # 276 dependencies, and 46 invisible links between 24 waves
    for cluster, links in (("wave", 276 + 46), ("domain", 276)):
        target = tmp_path / f"{cluster}.mmd"
        said = _mermaid(root, cluster, target)
        assert _links(target.read_text()) == links
        assert "warning" not in said  # 500 links at most
    _dense(tmp_path, 32)  # 496 dependencies: they fit, but not with the invisible links
    said = _mermaid(root, "wave", tmp_path / "x.mmd")
    assert "x.mmd has 558 links (62 of them invisible, keeping the waves in order)" in said
    assert "Mermaid draws at most 500" in said
    assert "warning" not in _mermaid(root, "domain", tmp_path / "x.mmd")


@pytest.mark.parametrize("empty", [0, 1, 3])
def test_an_empty_wave_cluster_gets_no_anchor(empty: int) -> None:
    from migrator.graph import mermaid
    from migrator.graph.view import Edge, Node, View

    members: list[tuple[str, ...]] = [("a0",), ("a1", "a2"), ("a3",)]
    members.insert(empty, ())
    nodes = tuple(Node(f"a{i}", f"A{i}", "custom", "rehost", "") for i in range(4))
    edges = (Edge("a2", "a0", "sync"), Edge("a3", "a1", "async", 2), Edge("a0", "a3", "sync"))
    clusters = tuple((f"w{i}", f"W{i}", m) for i, m in enumerate(members))
    view = View("t", nodes, edges, clusters, "strategy", None, 4, True)
    text = mermaid.to_mermaid(view)
    invisible = [line for line in text.splitlines() if " ~~~ " in line]
    assert len(invisible) == 4  # two anchors, between the three clusters that have members
    assert all(side.strip() for line in invisible for side in line.split(" ~~~ "))
    assert _links(text) == mermaid.links(view) == 3 + (1 + 2) + (2 + 1)
    # the six invisible links come first; then the two links from a later wave, reversed
    assert "  n0 <--> n2\n" in text and "  n1 <-.->|2| n3\n" in text and "  n0 --> n3\n" in text
    assert "  linkStyle 6,7 marker-end:none" in text
