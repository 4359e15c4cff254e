"""Time generate.py's YAML emitter against the emitters migrator already depends on.

    python bench/bench_emit.py [--apps 10000] [--repeat 3]

The same documents (the synthetic estate's applications, servers and databases) are
written by generate.py's ``dump_yaml``, by yaml-rs (``yaml_rs.dumps``) and by PyYAML with
libyaml (``CSafeDumper``); each output is read back by both readers and compared with what
was written. Processor time, best of the repeats (the machine may be shared).
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from portfolio import bench_parser  # noqa: E402


def _plain(value: Any) -> Any:
    """The document as the other emitters take it: text, not generate.Quoted."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return str(value) if isinstance(value, str) else value


def _undated(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _undated(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_undated(item) for item in value]
    return value


def main() -> int:
    args = bench_parser(__doc__ or "", repeat=3).parse_args()
    gc.disable()  # millions of small acyclic containers, as in generate.generate
    estate = generate._Generator(args.apps, 42, 0)
    estate.run()
    documents = [
        {"applications": [app.record() for app in estate.apps]},
        {"servers": list(estate.servers)},
        {"databases": list(estate.databases)},
    ]
    plain = [_plain(document) for document in documents]
    emitters: dict[str, Callable[[Any], str]] = {
        "generate.dump_yaml": generate.dump_yaml,
        "yaml_rs.dumps": yaml_rs.dumps,
        "PyYAML CSafeDumper": lambda document: yaml.dump(
            document, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True
        ),
    }
    print(f"{args.apps} applications, best of {args.repeat} (processor time):")
    for name, emit in emitters.items():
        best, texts = float("inf"), []
        for _ in range(args.repeat):
            generate._quoted_cache.clear()
            started = time.process_time()
            texts = [emit(document) for document in plain]
            best = min(best, time.process_time() - started)
        size = sum(len(text.encode("utf-8")) for text in texts)
        exact = [yaml.load(text, Loader=yaml.CSafeLoader) for text in texts] == plain
        same = [yaml_rs.loads(text, parse_datetime=False) for text in texts] == _undated(plain)
        print(
            f"  {name:20} {best:6.2f} s  {size / 1e6:5.1f} MB  "
            f"PyYAML reads it back: {'yes' if exact else 'NO'}; "
            f"yaml-rs: {'yes' if same else 'NO'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
