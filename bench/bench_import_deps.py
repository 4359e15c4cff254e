"""Time `migrator import dependencies` on 100,000 connection rows, first import and again.

Usage: ``python bench/bench_import_deps.py [--rows 100000] [--servers 2000] [--repeat 3]``.
Target (issue 17): 100,000 rows import in seconds. The inventory has ``--servers`` servers
with addresses, five to an application; the export is Azure Migrate's layout, a third of
its rows noise as real exports have (the appliance's own traffic, public addresses,
ephemeral ports), its destination names mostly empty (resolved by address). Beside each
run, a bare read of the same file with the csv module, in this process, for a ratio that
load on a shared machine moves less than the seconds.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import bench_parser, measured

HEADER = (
    "Time slot,Source server name,Source IP,Source application,Source process,"
    "Destination server name,Destination IP,Destination application,Destination process,"
    "Destination port"
)
PORTS = (1433, 443, 80, 445, 5432, 8080, 1521, 3306, 5672, 2049)


def inventory(root: Path, servers: int) -> None:
    lines = ["servers:"]
    for n in range(servers):
        lines += [f"  - id: srv{n:05d}", f"    ip_addresses: [10.{n // 250}.{n % 250}.10]"]
    (root / "servers.yaml").write_text("\n".join(lines) + "\n")
    lines = ["applications:"]
    for app in range(servers // 5):
        members = ", ".join(f"srv{n:05d}" for n in range(app * 5, app * 5 + 5))
        lines += [f"  - id: app{app:04d}", f"    name: App {app}", f"    servers: [{members}]"]
    (root / "applications.yaml").write_text("\n".join(lines) + "\n")


def export(path: Path, rows: int, servers: int, seed: int = 17) -> None:
    rng = random.Random(seed)

    def ip(n: int) -> str:
        return f"10.{n // 250}.{n % 250}.10"

    # each application talks to a few others, as estates do
    partners = {a: rng.sample(range(servers // 5), 4) for a in range(servers // 5)}
    out = [HEADER]
    for _ in range(rows):
        slot = rng.choice(("12/15/2024 12:00-18:00", "12/18/2024 18:00-0:00"))
        source = rng.randrange(servers)
        kind = rng.random()
        if kind < 0.15:
            out.append(
                f"{slot},MicrosoftAzureMigration,10.250.0.5,,DraService.exe,,{ip(source)},,,443"
            )
            continue
        if kind < 0.25:
            target_ip, port = f"52.{rng.randrange(256)}.{rng.randrange(256)}.7", 443
        elif kind < 0.33:
            target_ip, port = ip(rng.randrange(servers)), rng.randrange(49152, 65536)
        else:
            app = rng.choice(partners[source // 5])
            target_ip, port = ip(app * 5 + rng.randrange(5)), rng.choice(PORTS)
        out.append(
            f"{slot},srv{source:05d},{ip(source)},,java.exe,,{target_ip},,Unknown process,{port}"
        )
    path.write_text("\n".join(out) + "\n")


def bare_read(path: Path) -> float:
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        for _ in csv.reader(handle):
            pass
    return time.perf_counter() - start


def main() -> int:
    parser = bench_parser(__doc__, repeat=3)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--servers", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "estate"
        root.mkdir()
        inventory(root, args.servers)
        connections = Path(tmp) / "connections.csv"
        export(connections, args.rows, args.servers)
        size = connections.stat().st_size / 1e6
        print(f"export: {args.rows:,} rows ({size:.1f} MB), {args.servers:,} servers")
        bare = min(bare_read(connections) for _ in range(args.repeat))
        command = [sys.executable, "-m", "migrator", "-q", "import", "dependencies"]
        command += [str(connections), "-o", str(root)]
        print(f"bare csv read (in process): {bare:.3f} s")
        for label, runs in (("first import", 1), ("re-import (nothing to change)", args.repeat)):
            done = [measured(command) for _ in range(runs)]
            best = min(done, key=lambda m: m.cpu)
            print(
                f"{label}: {min(m.elapsed for m in done):.2f} s elapsed, "
                f"{best.cpu:.2f} s processor ({best.cpu / bare:.0f}x the bare read), "
                f"peak {best.peak / 2**20:.0f} MiB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
