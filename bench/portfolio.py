"""Shared by the benchmarks: the synthetic portfolio, generated once per size and seed."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
AS_OF = "2026-11-29"  # every benchmark assesses as of the same day


def bench_parser(doc: str, repeat: int) -> argparse.ArgumentParser:
    """The options every benchmark takes: the portfolio's size, and how many runs."""
    parser = argparse.ArgumentParser(description=" ".join(doc.split("\n\n")[0].split()))
    parser.add_argument("--apps", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser


def synthetic(apps: int, seed: int = 42, back_edges: int = 0) -> Path:
    """The directory of a synthetic portfolio of ``apps`` applications (cached in bench/out);
    with ``back_edges``, the hub estate of ``generate.py --back-edges``."""
    target = OUT / (f"portfolio-{apps}-{seed}" + (f"-hubs{back_edges}" if back_edges else ""))
    if not (target / "portfolio.yaml").exists():
        if str(HERE) not in sys.path:
            sys.path.insert(0, str(HERE))
        from generate import generate

        target.mkdir(parents=True, exist_ok=True)
        print(f"generating {apps} applications into {target} ...", file=sys.stderr)
        generate(target, apps, seed, back_edges)
    return target


# The effort cap the wave benchmarks set beside each cap on applications: 40 person-days
# an application, a little above the synthetic estate's mean (36), so that both bind.
DAYS_PER_APP = 40


def with_caps(root: Path, apps: int, days: int | None) -> Path:
    """A copy of the portfolio at ``root`` whose planning holds ``apps`` applications and
    ``days`` person-days a wave: links to its files, and its own portfolio.yaml."""
    target = root.parent / (f"{root.name}-cap{apps}" + ("" if days is None else f"-{days}pd"))
    target.mkdir(exist_ok=True)
    for source in yaml_files(root):
        link = target / source.name
        if source.name != "portfolio.yaml" and not link.exists():
            link.symlink_to(source.resolve())
    text = (root / "portfolio.yaml").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.strip().startswith("max_apps_per_wave:"):
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(f"{indent}max_apps_per_wave: {apps}")
            if days is not None:
                lines.append(f"{indent}max_person_days_per_wave: {days}")
        else:
            lines.append(line)
    (target / "portfolio.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def run_cli(*args: str, expect: int = 0) -> Callable[[], object]:
    """A function that runs ``migrator ARGS`` in a fresh process, as a user would."""
    command = [sys.executable, "-m", "migrator", *args]

    def action() -> None:
        done = subprocess.run(
            command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        if done.returncode != expect:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")

    return action


def describe(times: list[float]) -> str:
    return f"min {min(times):.3f} s, median {statistics.median(times):.3f} s"


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml"))


def bare_parsers() -> dict[str, Callable[[str], object]]:
    """Every YAML parser installed here, each as text → data."""
    parsers: dict[str, Callable[[str], object]] = {}
    try:
        import yaml_rs

        parsers["yaml-rs"] = yaml_rs.loads
    except ImportError:
        pass
    try:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        parsers[f"PyYAML {loader.__name__}"] = lambda text: yaml.load(text, Loader=loader)
    except ImportError:
        pass
    return parsers


def paired(root: Path, args: Sequence[str], repeat: int) -> tuple[list[tuple[float, float]], str]:
    """(bare parse, `migrator ARGS`) times, each run right after a parse of the same files;
    and the last run's standard output.

    This machine's speed drifts by tens of percent from one second to the next: pairing
    the two measurements keeps their ratio honest.
    """
    pairs, stdout, _ = paired_runs(root, args, repeat)
    return pairs, stdout


Cpu = tuple[float, float, int, int]  # parse's and run's processor time, run's two peaks
Run = tuple[list[tuple[float, float]], str, list[Cpu]]


def paired_runs(root: Path, args: Sequence[str], repeat: int) -> Run:
    """As ``paired``, and for each run (bare parse, `migrator ARGS`) in processor time
    (user and system) with the command's peak memory: on a machine shared with others,
    elapsed times drift with their load, processor times much less."""
    texts = [f.read_text(encoding="utf-8") for f in yaml_files(root)]
    bare = bare_parsers()["yaml-rs"]
    command = [sys.executable, "-m", "migrator", *args]
    pairs: list[tuple[float, float]] = []
    cpu: list[Cpu] = []
    stdout = ""
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        for text in texts:
            bare(text)
        parse_time = time.perf_counter() - started
        parse_cpu = time.process_time() - cpu_started
        run = measured(command)
        pairs.append((parse_time, run.elapsed))
        cpu.append((parse_cpu, run.cpu, run.peak, run.together))
        stdout = run.stdout
    return pairs, stdout, cpu


@dataclass(frozen=True)
class Measured:
    elapsed: float  # seconds
    cpu: float  # seconds of processor time, user and system, its children's included
    peak: int  # bytes of memory at most, of the largest of its processes
    together: int  # bytes at most of it and its children at once (0: not known here)
    stdout: str


SAMPLE_EVERY = 0.25  # seconds between two samples of the memory of a command's processes


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found


def _proportional(pid: int) -> int:
    """The process's proportional set size in bytes: each page it shares with another
    (a forked child's, until either writes it) counted half. 0 once it has ended."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _sample_together(pid: int, done: threading.Event, peak: list[int]) -> None:
    """The most memory ``pid`` and its children held at once (sampled: Linux only)."""
    while not done.wait(SAMPLE_EVERY):
        held = _proportional(pid) + sum(_proportional(c) for c in _children(pid))
        peak[0] = max(peak[0], held)


def measured(command: Sequence[str]) -> Measured:
    """Run ``command``: its time, its processor time, its peak memory (of its largest
    process, and sampled, of all its processes at once), its output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        together = [0]
        done = threading.Event()
        sampler = None
        if sys.platform.startswith("linux"):
            sampler = threading.Thread(
                target=_sample_together, args=(process.pid, done, together), daemon=True
            )
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        done.set()
        if sampler is not None:
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(
                f"{' '.join(command)} exited {process.returncode}:\n"
                f"{err.read().decode(errors='replace')}"
            )
        # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
        peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        return Measured(
            elapsed, usage.ru_utime + usage.ru_stime, peak, together[0], out.read().decode()
        )


def ratio_lines(
    name: str, pairs: list[tuple[float, float]], cpu: list[Cpu] | None = None
) -> list[str]:
    ratios = sorted(run / parse for parse, run in pairs)
    lines = [
        f"bare parse (yaml-rs, in process): {describe([p for p, _ in pairs])}",
        f"{name} (a new process each time): {describe([r for _, r in pairs])}",
        f"ratio {name.split()[1]} / bare parse: median {statistics.median(ratios):.2f}, "
        f"best {ratios[0]:.2f}, worst {ratios[-1]:.2f} (target <= 3)",
    ]
    if cpu:
        cpu_ratios = sorted(run / parse for parse, run, _, _ in cpu)
        together = max(t for *_, t in cpu)
        lines.append(
            f"in processor time: bare parse {describe([p for p, _, _, _ in cpu])}, "
            f"{name.split()[1]} {describe([r for _, r, _, _ in cpu])}; ratio median "
            f"{statistics.median(cpu_ratios):.2f}, best {cpu_ratios[0]:.2f}; peak "
            f"memory {max(m for _, _, m, _ in cpu) / 2**30:.2f} GiB (its largest process)"
            + (
                f", {together / 2**30:.2f} GiB of its processes at once (proportional sets, "
                f"sampled every {SAMPLE_EVERY} s)"
                if together
                else ""
            )
        )
    return lines


def stage_lines(command: str, root: Path, repeat: int) -> list[str]:
    """Where ``migrator COMMAND`` spends its time (``stages.py``, elapsed, a fresh process
    each run; the best of ``repeat`` runs for each stage), each stage also as a ratio to a
    bare parse of the same files timed just before it."""
    texts = [f.read_text(encoding="utf-8") for f in yaml_files(root)]
    bare = bare_parsers()["yaml-rs"]
    script = [sys.executable, str(HERE / "stages.py"), command, str(root), "--as-of", AS_OF]
    best: dict[str, float] = {}
    parse_best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            bare(text)
        parse_best = min(parse_best, time.perf_counter() - started)
        done = subprocess.run(script, check=True, capture_output=True, text=True)
        for stage, seconds in json.loads(done.stdout.splitlines()[-1]).items():
            best[stage] = min(best.get(stage, seconds), seconds)
    shown = ", ".join(
        f"{stage} {seconds:.2f} s ({seconds / parse_best:.1f} ×)" for stage, seconds in best.items()
    )
    return [
        f"where the time goes (elapsed, best of {repeat}; × a bare parse of "
        f"{parse_best:.2f} s): {shown}; in all {sum(best.values()):.2f} s "
        f"({sum(best.values()) / parse_best:.1f} ×)"
    ]
