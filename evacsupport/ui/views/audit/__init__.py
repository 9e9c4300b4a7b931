"""The audit trail section (administrators only)."""
