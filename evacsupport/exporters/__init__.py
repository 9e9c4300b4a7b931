"""Spreadsheet exports (CSV for Excel, XLSX) reading through the database, never the widgets."""

from evacsupport.exporters.tables import (
    ExportResult,
    export_households,
    export_meals,
    export_members,
)
from evacsupport.exporters.writers import FORMATS

__all__ = ["FORMATS", "ExportResult", "export_households", "export_meals", "export_members"]
