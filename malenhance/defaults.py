"""Defaults shared by the library and the command line, importable without numpy or torch."""

#: Seconds per processing block. 4 s is as fast as 10 s (measured 2026-12-01) and keeps the
#: peak memory of a long file about 75 MB lower; the output does not depend on it.
DEFAULT_BLOCK_SECONDS = 4.0

#: Files per model call in a corpus run on a GPU (``enhance --batch-files``): a batch of 64
#: blocks costs the GPU little more than one (the GRU's time steps dominate), and the CPUs
#: have enough to read and write meanwhile.
DEFAULT_BATCH_FILES = 64

#: ``MalNet`` init arguments without weights of their own (the level-normalised input): a
#: trained model can take other values of them (``MalNet.with_settings``, ``train --init``).
LEVEL_NORM_SETTINGS = ("level_norm_s", "level_norm_dbfs", "level_norm_max_db")
