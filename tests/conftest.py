"""Shared test set-up: the kit's fixtures (opt-in, as a plugin author would load them)."""

pytest_plugins = ["framework.testing"]
