"""The safe writer: only regular files that are not inputs, and an interrupted write
leaves the old file (or none) and no temporary file."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator import atomic
from migrator.cli import app
from tests.conftest import PHARMA, ROOT
from tests.injection import hostile

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-29"]


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_a_symbolic_link_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("keep me\n")
    link = tmp_path / "plan.md"
    link.symlink_to(target)
    result = runner.invoke(app, ["plan", str(PHARMA), "-o", str(link), *AS_OF])
    assert result.exit_code == 2
    assert (
        f"{link}: is a symbolic link (to {target}): migrator does not write through "
        f"links" in result.stderr
    )
    assert link.is_symlink() and target.read_text() == "keep me\n"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    result = runner.invoke(app, ["schema", "-o", str(fifo)])
    assert result.exit_code == 2
    assert "is a FIFO, not a regular file: migrator writes only regular files" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_node_is_refused_and_kept(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:  # the system's null device, made here (root only): never a system path itself
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    result = runner.invoke(app, ["assess", str(PHARMA), "-f", "json", "-o", str(node)])
    assert result.exit_code == 2
    assert f"{node}: is a device, not a regular file" in result.stderr
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["graph", str(PHARMA), "-o", str(tmp_path / "d.dot")])
    assert result.exit_code == 0
    (tmp_path / "x.svg").mkdir()
    result = runner.invoke(app, ["graph", str(PHARMA), "-o", str(tmp_path / "x.svg")])
    assert result.exit_code == 2 and "is a directory, not a regular file" in result.stderr


def _copy_inventory(tmp_path: Path) -> Path:
    inventory = tmp_path / "inv"
    inventory.mkdir()
    for source in PHARMA.glob("*.yaml"):
        (inventory / source.name).write_bytes(source.read_bytes())
    return inventory


@pytest.mark.parametrize(
    "command",
    [
        ["assess", "{inv}", "-f", "json", "-o", "{inv}/clinical.yaml"],
        ["waves", "{inv}", "-o", "{inv}/quality.yaml"],
        ["plan", "{inv}", "-o", "{inv}/research.yaml", "--format", "markdown"],
        ["plan", "{inv}", "-o", "{inv}/research.md", "--json"],  # writes research.json too
        ["plan", "{one}", "-o", "{one}", "-f", "html"],  # a one-file inventory
    ],
)
def test_an_inventory_file_is_not_overwritten(tmp_path: Path, command: list[str]) -> None:
    inventory = _copy_inventory(tmp_path)
    (inventory / "research.json").symlink_to(inventory / "research.yaml")
    one = hostile.write(tmp_path)
    before = {p: p.read_bytes() for p in [*inventory.glob("*.yaml"), one]}
    result = runner.invoke(app, [part.format(inv=inventory, one=one) for part in command])
    assert result.exit_code == 2, result.output
    assert (
        "an input of this command: write the output somewhere else" in result.stderr
        or "is a symbolic link" in result.stderr
    )
    assert {p: p.read_bytes() for p in [*inventory.glob("*.yaml"), one]} == before
    assert not (inventory / "research.md").exists()


def test_other_inputs_are_not_overwritten(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules: []\n")
    prices = tmp_path / "prices.json"
    prices.write_text("{}\n")
    templates = tmp_path / "templates"
    (templates / "plan").mkdir(parents=True)
    (templates / "plan" / "risks.md.j2").write_text("## Risks\n")
    cases = [
        (
            ["assess", str(PHARMA), "-f", "json", "-o", str(rules), "--rules", str(rules)],
            "is the rules file, an input",
        ),
        (
            ["assess", str(PHARMA), "-f", "json", "-o", str(prices), "--prices", str(prices)],
            "is the price file, an input",
        ),
        (
            [
                "plan",
                str(PHARMA),
                "-o",
                str(templates / "plan" / "risks.md.j2"),
                "-f",
                "markdown",
                "--templates",
                str(templates),
            ],
            "is in the templates directory",
        ),
    ]
    for command, message in cases:
        result = runner.invoke(app, [*command, *AS_OF])
        assert result.exit_code == 2, result.output
        assert message in result.stderr, result.stderr
    assert rules.read_text() == "rules: []\n" and prices.read_text() == "{}\n"
    assert (templates / "plan" / "risks.md.j2").read_text() == "## Risks\n"


def test_a_plan_beside_the_inventory_is_fine(tmp_path: Path) -> None:
    inventory = _copy_inventory(tmp_path)
    for _ in range(2):  # and again over the first one
        result = runner.invoke(
            app, ["plan", str(inventory), "-o", str(inventory / "plan.md"), *AS_OF]
        )
        assert result.exit_code == 0, result.output
    assert _leftovers(inventory) == []


def _kill_during(monkeypatch: pytest.MonkeyPatch, name: str, signum: int) -> None:
    """Send ``signum`` to this process from inside ``os.<name>`` (after it ran)."""
    real = getattr(os, name)

    def killing(*args: object) -> object:
        result = real(*args)
        os.kill(os.getpid(), signum)
        return result

    monkeypatch.setattr(os, name, killing)


@pytest.mark.parametrize("during", ["open", "fsync", "chmod"])
def test_a_signal_during_the_write_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, during: str
) -> None:
    """SIGTERM while the temporary file is made (os.open), written (fsync) or about to be
    renamed (chmod): the old file stays, and no temporary file."""
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    previous = signal.getsignal(signal.SIGTERM)
    atomic.stop_cleanly_on_signals()
    try:
        _kill_during(monkeypatch, during, signal.SIGTERM)
        with pytest.raises(atomic.Terminated):
            atomic.write_text(target, "new\n")
    finally:
        monkeypatch.undo()
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    assert target.read_text() == "old\n"
    assert _leftovers(tmp_path) == []


def test_a_signal_ends_the_command_with_its_code(tmp_path: Path) -> None:
    """Through main(): exit 128 + 15, a short message, the old plan kept, nothing left."""
    target = tmp_path / "plan.md"
    target.write_text("old\n")
    script = (
        "import os, signal, sys\n"
        "real = os.fsync\n"
        "def fsync(fd):\n"
        "    real(fd); os.kill(os.getpid(), signal.SIGTERM)\n"
        "os.fsync = fsync\n"
        "from migrator.cli import main\n"
        f"sys.argv = ['migrator', 'plan', {str(PHARMA)!r}, '-o', {str(target)!r}]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 143, done.stderr
    assert done.stderr.strip() == "error: terminated"
    assert target.read_text() == "old\n" and _leftovers(tmp_path) == []


def _full_disk_at_the_second_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up as the second file written is flushed to it."""
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)


def test_a_failure_writing_one_of_several_files_leaves_all_of_them_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "servers.yaml", tmp_path / "apps.yaml"
    first.write_text("old servers\n")
    second.write_text("old apps\n")
    _full_disk_at_the_second_file(monkeypatch)
    with pytest.raises(atomic.UsageError, match=f"{second}: cannot write: No space left"):
        atomic.write_files({first: b"new servers\n", second: b"new apps\n"})
    assert first.read_text() == "old servers\n" and second.read_text() == "old apps\n"
    assert _leftovers(tmp_path) == []
    monkeypatch.undo()
    atomic.write_files({first: b"new servers\n", second: b"new apps\n"})
    assert first.read_text() == "new servers\n" and second.read_text() == "new apps\n"
    assert _leftovers(tmp_path) == []


def test_an_import_that_cannot_write_every_file_writes_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "vinfo.csv"
    export.write_text(
        "VM,Powerstate,CPUs,Memory,Provisioned MiB,In Use MiB,OS according to the VMware Tools,Folder\n"
        "erp-app01,poweredOn,4,16384,102400,51200,Microsoft Windows Server 2016 (64-bit),erp\n"
        "crm-db01,poweredOn,8,32768,204800,102400,Red Hat Enterprise Linux 8 (64-bit),crm\n"
    )
    inventory = tmp_path / "inv"
    first = runner.invoke(app, ["import", "rvtools", str(export), "-o", str(inventory)])
    assert first.exit_code == 0, first.output
    before = {p.name: p.read_bytes() for p in inventory.iterdir()}
    assert len(before) >= 2
    export.write_text(
        export.read_text().replace("4,16384", "8,16384").replace("8,32768", "16,32768")
    )
    _full_disk_at_the_second_file(monkeypatch)
    result = runner.invoke(app, ["import", "rvtools", str(export), "-o", str(inventory)])
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.stderr
    assert {p.name: p.read_bytes() for p in inventory.iterdir()} == before
