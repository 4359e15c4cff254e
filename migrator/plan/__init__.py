"""The migration plan: everything the templates need, gathered from the earlier stages."""
