"""Checks and build helpers for the guide. Every rule lives here once; tests, pre-commit and make call it."""
