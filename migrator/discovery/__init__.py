"""Discovery import: servers from RVTools and CSV exports, written into inventory YAML."""
