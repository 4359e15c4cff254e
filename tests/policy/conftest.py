"""The diff tests' sample and edits, shared."""

from tests.diff.conftest import base_side, edited

__all__ = ["base_side", "edited"]
