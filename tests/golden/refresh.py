"""Rewrite the golden files from the current code: `python tests/golden/refresh.py`.

Run it when an output changes on purpose, then read the diff before committing it: the
golden files are the reviewed record of what migrator prints for the sample portfolio.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from tests.golden.outputs import GOLDEN  # noqa: E402


def main() -> int:
    for name, produce in GOLDEN.items():
        target = HERE / name
        text = produce()
        changed = not target.exists() or target.read_text(encoding="utf-8") != text
        target.write_text(text, encoding="utf-8")
        print(f"{'updated' if changed else 'unchanged'}: {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
