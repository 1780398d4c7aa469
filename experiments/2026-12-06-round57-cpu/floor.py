"""`python floor.py FLOOR_DB -m malenhance train ...`: malenhance's CLI with the level steps'
local-SNR floor (``datasets.LEVEL_STEP_FLOOR_SNR_DB``) set to FLOOR_DB (round 57, RULE.md).
The DataLoader's workers are forked, so they see the patched constant.
"""

from __future__ import annotations

import runpy
import sys

from malenhance.training import datasets

if sys.argv[2] != "-m":
    raise SystemExit("usage: floor.py FLOOR_DB -m malenhance ARGS...")
datasets.LEVEL_STEP_FLOOR_SNR_DB = float(sys.argv[1])
sys.argv = [sys.argv[3], *sys.argv[4:]]
runpy.run_module("malenhance", run_name="__main__", alter_sys=True)
