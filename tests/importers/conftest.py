"""Importer tests use the service tests' fresh migrated database per test."""

from __future__ import annotations

from tests.services.conftest import db

__all__ = ["db"]
