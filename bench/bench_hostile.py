"""Time migrator on hostile input whose size the user controls (issue 14, items 9, 11, 13).

Usage: ``python bench/bench_hostile.py [--repeat 1]``. Each case runs in a fresh process:
- 500 unknown dependencies among 1,999 applications with similar ids ("did you mean");
- a 5 MB file of 200,000 servers with 400,000 errors and 200,000 warnings, printed;
- a 2 MB xlsx whose sheet inflates to 2 GiB (a zip bomb), refused;
- a 20,000-row Migration Center CSV: first import, then a re-import changing every row.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import describe, run_cli, timed

MC_HEADER = (
    "MachineId,MachineName,PrimaryIPAddress,PrimaryMACAddress,PublicIPAddress,"
    "IpAddressListSemiColonDelimited,TotalDiskAllocatedGiB,TotalDiskUsedGiB,"
    "MachineTypeLabel,AllocatedProcessorCoreCount,MemoryGiB,HostingLocation,OsType,"
    "OsName,OsVersion,MachineStatus,ProvisioningState,CreateDate,IsPhysical,Source"
)


def unknown_references(root: Path) -> Path:
    lines = ["applications:"]
    rng = random.Random(1)
    for i in range(1999):
        dep = (
            f", depends_on: [corporate-application-servicx-{rng.randrange(10**5):05d}]"
            if i < 500
            else ""
        )
        lines.append(f"  - {{id: corporate-application-service-{i:05d}, name: A{i}{dep}}}")
    (root / "refs").mkdir()
    (root / "refs" / "apps.yaml").write_text("\n".join(lines) + "\n")
    return root / "refs"


def many_diagnostics(root: Path) -> Path:
    lines = ["servers:"] + [f"  - {{id: S{i}, cpu: -1}}" for i in range(200_000)]
    (root / "diags").mkdir()
    (root / "diags" / "servers.yaml").write_text("\n".join(lines) + "\n")
    return root / "diags"


def zip_bomb(root: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "vInfo"
    book.active.append(["VM", "Powerstate", "CPUs", "Memory", "Provisioned MiB"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(buffer)
    target = root / "bomb.xlsx"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                head, tail = text.split("<sheetData>", 1)
                with archive.open(info.filename, "w", force_zip64=True) as part:
                    part.write((head + "<sheetData>").encode())
                    block = b" " * (1 << 24)
                    for _ in range(128):  # 2 GiB of spaces
                        part.write(block)
                    part.write(tail.encode())
                continue
            archive.writestr(info.filename, body)
    return target


def csv_export(root: Path, name: str, status: str) -> Path:
    rng = random.Random(2)
    rows = [MC_HEADER]
    for i in range(20_000):
        rows.append(
            f"vm-{i:06d},app{i % 900:03d}-node{i:05d},10.0.{i // 256 % 256}.{i % 256},,,,"
            f"{rng.randint(20, 2000)},{rng.randint(1, 20)},,{rng.choice([1, 2, 4, 8])},"
            f"{rng.choice([2, 4, 8, 16])},dc-{i % 3},Linux,Ubuntu,22.04,{status},"
            f"Provisioned,2021-03-04,false,VMware vCenter"
        )
    path = root / name
    path.write_text("\n".join(rows) + "\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        refs = unknown_references(root)
        print(
            f"500 unknown references among 1,999 applications: "
            f"{describe(timed(run_cli('validate', str(refs), expect=1), args.repeat))}"
        )
        diags = many_diagnostics(root)
        size = (diags / "servers.yaml").stat().st_size / 1e6
        print(
            f"200,000 servers, 600,000 diagnostics ({size:.1f} MB): "
            f"{describe(timed(run_cli('validate', str(diags), expect=1), args.repeat))}"
        )
        bomb = zip_bomb(root)
        refused = run_cli("import", "rvtools", str(bomb), "-o", str(root / "b"), expect=2)
        print(
            f"xlsx zip bomb ({bomb.stat().st_size / 1e6:.1f} MB, 2 GiB inflated): "
            f"{describe(timed(refused, args.repeat))}"
        )
        first = csv_export(root, "vmInfo.csv", "Running")
        second = csv_export(root, "vmInfo2.csv", "Stopped")
        times = []
        again = []
        for n in range(args.repeat):
            out = str(root / f"estate{n}")
            times += timed(
                run_cli(
                    "-q", "import", "csv", str(first), "-o", out, "--mapping", "migration-center"
                ),
                1,
            )
            again += timed(
                run_cli(
                    "-q", "import", "csv", str(second), "-o", out, "--mapping", "migration-center"
                ),
                1,
            )
        print(
            f"20,000-row CSV: first import {describe(times)}; re-import changing every row "
            f"{describe(again)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
