"""The inventory: reading YAML files, validating them, and the typed model they become."""
