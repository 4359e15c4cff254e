"""Move groups and the wave schedule (SPEC 4)."""
