"""Data recipes for malenhance models (not part of the installed package)."""
