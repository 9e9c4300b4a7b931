"""Storage: SQLAlchemy models, the engine and session factory, and Alembic migrations."""

from evacsupport.db.engine import Database

__all__ = ["Database"]
