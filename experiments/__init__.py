"""History of the default model: one folder per training round, logs, one-off analysis scripts."""
