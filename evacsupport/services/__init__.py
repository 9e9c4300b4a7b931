"""Plain-Python services: validation and rules over the database. Nothing here imports Qt."""
