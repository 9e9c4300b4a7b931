"""Backups in the window: automatic ones, the restore dialog, and start-up recovery."""
