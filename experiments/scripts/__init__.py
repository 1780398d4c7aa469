"""One-off analysis scripts of the training rounds (not part of the recipe or the package)."""
