"""Where things are: the map with place names, and picking a point on it."""
