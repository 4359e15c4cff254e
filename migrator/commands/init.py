"""``migrator init``: write a small, valid starter inventory whose comments teach the format."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from migrator import atomic
from migrator.commands import schema as schema_command
from migrator.console import Output
from migrator.errors import UsageError

SCHEMA_FILE = "inventory.schema.json"


def starter_files() -> dict[str, str]:
    """The starter inventory: file name → text."""
    folder = resources.files("migrator") / "data" / "starter"
    files = {
        item.name: item.read_text(encoding="utf-8")
        for item in folder.iterdir()
        if item.name.endswith(".yaml")
    }
    files[SCHEMA_FILE] = schema_command.schema_text()
    return dict(sorted(files.items()))


def run(directory: Path, output: Output, force: bool = False) -> int:
    files = starter_files()
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory}: exists and is not a directory")
    if directory.is_dir():
        clashes = sorted(name for name in files if (directory / name).exists())
        if clashes and not force:
            raise UsageError(
                f"{directory}: would overwrite {', '.join(clashes)}; use --force to replace them"
            )
        atomic.write_files({directory / name: text.encode("utf-8") for name, text in files.items()})
    else:
        _create(directory, files)
    output.success(f"wrote a starter inventory to {directory}/ ({', '.join(files)})")
    output.info(f"next: migrator validate {directory}")
    return 0


def _create(directory: Path, files: dict[str, str]) -> None:
    """Write into a temporary sibling, then rename: never a half-made directory."""
    parent = directory.parent
    if not parent.is_dir():
        raise UsageError(f"{directory}: parent directory {parent} does not exist")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=parent))
    except OSError as exc:
        raise UsageError(f"{directory}: cannot write: {exc.strerror or exc}") from None
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        tmp.chmod(0o755)
        tmp.rename(directory)
    except OSError as exc:
        raise UsageError(f"{directory}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            if tmp.exists():
                shutil.rmtree(tmp)
