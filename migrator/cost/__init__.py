"""Right-sizing and an offline cost estimate from a dated price catalogue."""
