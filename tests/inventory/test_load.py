"""Loading: merging files, keeping text as written, and refusing hostile or unusable input."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from migrator.errors import UsageError
from migrator.inventory.load import load, load_inventory
from migrator.inventory.model import Dependency
from migrator.inventory.source import MAX_INVENTORY_FILE_BYTES
from tests.conftest import WriteInventory


def lines(root: Path) -> list[str]:
    return [d.format() for d in load(root).diagnostics]


def test_directory_files_are_merged_in_path_order(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "b/servers.yaml": "servers:\n  - {id: s2}\n",
            "a.yaml": "applications:\n  - {id: app, name: App, servers: [s1, s2]}\n",
            "b/a.yml": "servers:\n  - {id: s1}\n",
            ".hidden/skip.yaml": "not: [valid\n",
            "notes.txt": "ignored",
        }
    )
    result = load(root)
    assert result.files == ("inv/a.yaml", "inv/b/a.yml", "inv/b/servers.yaml")
    assert result.inventory is not None
    assert [s.id for s in result.inventory.servers] == ["s1", "s2"]


def test_defaults_follow_the_spec(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {"a.yaml": "applications:\n  - {id: a, name: A, depends_on: [b]}\n  - {id: b, name: B}\n"}
    )
    inventory, _ = load_inventory(root)
    app = inventory.apps_by_id["a"]
    assert (app.type, app.criticality, app.lifecycle) == ("custom", "medium", "migrate")
    assert app.compliance == () and app.hardware == () and app.tags == ()
    assert app.depends_on[0] == Dependency(app="b", origin=app.depends_on[0].origin)
    assert app.depends_on[0].kind == "sync" and not app.depends_on[0].latency_sensitive
    planning = inventory.planning
    assert (planning.wave_weeks, planning.max_apps_per_wave, planning.order) == (
        4,
        10,
        "providers-first",
    )
    assert inventory.portfolio.name == "inv"


def test_text_is_kept_as_written(write_inventory: WriteInventory) -> None:
    """YAML would read these as numbers, booleans or dates; the inventory wants text."""
    root = write_inventory(
        {
            "a.yaml": """\
applications:
  - id: 2019
    name: 3.10
    data_residency: no
    stack: {language: java, language_version: 1.10}
    databases: [db]
    tags: [on, 2027-01-11, 007]
databases:
  - {id: db, engine: postgresql, version: 12.10, edition: true}
planning:
  start: 2027-01-11
"""
        }
    )
    inventory, _ = load_inventory(root)
    app = inventory.applications[0]
    assert app.id == "2019" and app.name == "3.10"
    assert app.data_residency == "no"
    assert app.stack is not None and app.stack.language_version == "1.10"
    assert app.tags == ("on", "2027-01-11", "007")
    assert inventory.databases[0].version == "12.10"
    assert inventory.databases[0].edition == "true"
    assert inventory.planning.start == dt.date(2027, 1, 11)


def test_extensions_are_kept(write_inventory: WriteInventory) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a, name: A, x-cost: 12}\n"})
    inventory, _ = load_inventory(root)
    assert dict(inventory.applications[0].extensions) == {"x-cost": 12}


def test_origins_point_back_into_the_files(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {"a.yaml": "applications:\n  - {id: a, name: A}\n  - {id: b, name: B}\n"}
    )
    inventory, _ = load_inventory(root)
    assert inventory.applications[1].origin.file == "inv/a.yaml"
    assert inventory.applications[1].origin.path == ("applications", 1)


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or directory"):
        load(tmp_path / "nope")


def test_directory_without_yaml_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("hello")
    with pytest.raises(UsageError, match=r"no YAML files \(\*\.yaml, \*\.yml\)"):
        load(tmp_path)


def test_invalid_inventory_raises_with_its_diagnostics(write_inventory: WriteInventory) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a}\n"})
    with pytest.raises(UsageError) as raised:
        load_inventory(root)
    assert "1 error(s)" in str(raised.value)
    assert [d.format() for d in raised.value.diagnostics] == [  # type: ignore[attr-defined]
        "inv/a.yaml:2:5: error: applications[0]: missing required key 'name'"
    ]


def test_non_utf8_file_is_located(write_inventory: WriteInventory) -> None:
    root = write_inventory({})
    (root / "a.yaml").write_bytes(b"applications:\n  - id: caf\xe9\n")
    assert lines(root) == [
        "inv/a.yaml:2:12: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    ]


def test_utf8_bom_is_accepted(write_inventory: WriteInventory) -> None:
    root = write_inventory({})
    (root / "a.yaml").write_bytes("\ufeffapplications:\n  - {id: a, name: Café}\n".encode())
    assert lines(root) == []


def test_binary_file_is_refused(write_inventory: WriteInventory) -> None:
    root = write_inventory({})
    (root / "a.yaml").write_bytes(b"applications:\x00\x01\x02")
    assert lines(root) == ["inv/a.yaml:1:14: error: binary file (contains a NUL byte), not YAML"]


def test_huge_file_is_refused_without_reading_it(write_inventory: WriteInventory) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a, name: A}\n"})
    with (root / "dump.yaml").open("wb") as handle:  # sparse: 200 MB without writing them
        handle.truncate(200 * 1024 * 1024)
    started = time.perf_counter()
    assert lines(root) == [
        "inv/dump.yaml: error: file is too large (200.0 MiB); the limit is 128.0 MiB per "
        "file and 256.0 MiB per inventory",
        "inv: warning: references between applications, servers and databases (and unused "
        "ones) are not checked until inv/dump.yaml can be read",
    ]
    assert time.perf_counter() - started < 5
    assert MAX_INVENTORY_FILE_BYTES < 200 * 1024 * 1024


def test_a_file_as_large_as_a_100k_vm_import_loads(write_inventory: WriteInventory) -> None:
    # An import of 100,000 VMs writes about 50 MB of servers; the padding is a comment, so
    # that the test checks the limit rather than the speed of the parser.
    root = write_inventory({"apps.yaml": "applications:\n  - {id: a, name: A, servers: [s]}\n"})
    with (root / "servers.yaml").open("w") as handle:
        handle.write("servers:\n  - {id: s}\n")
        line = "# " + "x" * 1000 + "\n"
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    assert (root / "servers.yaml").stat().st_size > 48 * 1024 * 1024
    assert lines(root) == []


def test_a_refused_file_comes_first_and_references_into_it_are_not_errors(
    write_inventory: WriteInventory,
) -> None:
    apps = "".join(f"  - {{id: app-{n}, name: App {n}, servers: [srv-{n}]}}\n" for n in range(50))
    root = write_inventory(
        {"apps.yaml": "applications:\n" + apps, "servers.yaml": "servers:\n  - {id: srv-0\n"}
    )  # broken YAML
    found = lines(root)
    assert found[0].startswith("inv/servers.yaml:")
    assert " error: " in found[0]
    assert found[1:] == [
        "inv: warning: references between applications, servers and "
        "databases (and unused ones) are not checked until inv/servers.yaml "
        "can be read"
    ]
    assert not any("unknown server" in line for line in found)


def test_alias_bomb_is_refused(write_inventory: WriteInventory) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    root = write_inventory({"bomb.yaml": "\n".join(levels) + "\n"})
    started = time.perf_counter()
    assert lines(root) == [
        "inv/bomb.yaml:1:1: error: too many alias expansions (a YAML alias "
        "bomb?); refusing to expand them"
    ]
    assert time.perf_counter() - started < 5


def test_small_aliases_are_fine(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "a.yaml": "applications:\n"
            "  - {id: a, name: A, tags: &t [lab, gxp]}\n"
            "  - {id: b, name: B, tags: *t}\n"
        }
    )
    inventory, _ = load_inventory(root)
    assert inventory.applications[1].tags == ("lab", "gxp")


def test_dangling_symlink_is_reported(write_inventory: WriteInventory) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a, name: A}\n"})
    os.symlink("missing-target.yaml", root / "b.yaml")
    assert lines(root) == [
        "inv/b.yaml: error: cannot read: No such file or directory",
        "inv: warning: references between applications, servers and databases "
        "(and unused ones) are not checked until inv/b.yaml can be read",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_not_read(write_inventory: WriteInventory) -> None:
    root = write_inventory({"a.yaml": "applications:\n  - {id: a, name: A}\n"})
    os.mkfifo(root / "pipe.yaml")
    assert lines(root) == [
        "inv/pipe.yaml: error: cannot read: not a regular file",
        "inv: warning: references between applications, servers and databases "
        "(and unused ones) are not checked until inv/pipe.yaml can be read",
    ]


def test_unreadable_file_is_reported(
    write_inventory: WriteInventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_inventory(
        {"a.yaml": "applications:\n  - {id: a, name: A}\n", "b.yaml": "servers: []\n"}
    )
    opened = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        # As root every file is readable: the refusal is simulated, as the OS says it.
        if self.name == "b.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    assert lines(root) == [
        "inv/b.yaml: error: cannot read: Permission denied",
        "inv: warning: references between applications, servers and databases "
        "(and unused ones) are not checked until inv/b.yaml can be read",
    ]


def test_a_single_file_inventory(write_inventory: WriteInventory) -> None:
    root = write_inventory({"one.yml": "applications:\n  - {id: a, name: A}\n"})
    result = load(root / "one.yml")
    assert result.inventory is not None and result.files == ("inv/one.yml",)


def test_top_level_list_with_document_marker_is_one_document(
    write_inventory: WriteInventory,
) -> None:
    root = write_inventory({"a.yaml": "# comment\n---\n- a\n- b\n"})
    assert lines(root) == [
        "inv/a.yaml:3:1: error: expected a mapping of sections (version, "
        "portfolio, planning, applications, servers, databases), got a list"
    ]


def test_every_error_is_reported_at_once(write_inventory: WriteInventory) -> None:
    root = write_inventory(
        {
            "a.yaml": "applications:\n  - {id: a, name: A, criticality: hi}\n",
            "b.yaml": "servers:\n  - {id: s, cpu: -1}\n",
            "c.yaml": "databases: [oops\n",
        }
    )
    # c.yaml first: until it loads, whether the server is used cannot be told.
    assert [line.split(": ")[0] for line in lines(root)] == [
        "inv/c.yaml:1:12",
        "inv",
        "inv/a.yaml:2:35",
        "inv/b.yaml:2:18",
    ]
