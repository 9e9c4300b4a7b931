"""evacsupport: case management for supporting secondary evacuees through community places."""

__version__ = "0.1.0"
