"""Rendering text outputs from Jinja templates (plans, Markdown reports)."""
