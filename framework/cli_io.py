"""CLI commands for bulk input and interchange: ``county case import``, ``county export``,
``county demo`` (issue: real input). Registered on :data:`framework.cli.cli` at import."""
