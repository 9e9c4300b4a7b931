"""Importer tests use the service tests' fresh migrated database per test."""

from __future__ import annotations

from tests.services.conftest import _migrated_template, db

__all__ = ["_migrated_template", "db"]
