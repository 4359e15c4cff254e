"""Move groups and the wave schedule (docs/waves.md)."""
