"""Plan-level policy gates: declarative rules that a whole plan must keep."""
