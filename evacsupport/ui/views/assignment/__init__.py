"""Screens for connecting many households to venues at once: the bulk allocation dialog."""
