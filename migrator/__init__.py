"""migrator: plan the migration of a legacy application portfolio to Google Cloud."""

__version__ = "0.1.0"
