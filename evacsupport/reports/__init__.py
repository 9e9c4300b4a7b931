"""PDF reports (reportlab), one module per report, reading through the services only."""
