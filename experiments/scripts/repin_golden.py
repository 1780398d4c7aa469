"""Re-measure a bundled model's golden numbers and write them into tests/test_golden.py.

For a model that is being bundled (or trial-bundled for round 95's clause 0): the pins
move because the weights moved, nothing else.

    python experiments/scripts/repin_golden.py default
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

TESTS = Path("tests")


def load_golden_module():
    spec = importlib.util.spec_from_file_location("test_golden", TESTS / "test_golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    name = sys.argv[1]
    golden = load_golden_module()
    clean, noisy, enhanced = golden.enhance_golden(name)
    s = golden.golden_scores(clean, enhanced)
    levels = golden.speech_levels(clean, noisy, enhanced)
    scores_line = (f'    "{name}": {{"pesq_wb": {s["pesq_wb"]:.4f}, "estoi": {s["estoi"]:.4f}, '
                   f'"si_sdr": {s["si_sdr"]:.3f}}},')
    levels_line = (f'    "{name}": {{"vs_input": {levels["vs_input"]:.2f}, '
                   f'"vs_clean": {levels["vs_clean"]:.2f}}},')
    path = TESTS / "test_golden.py"
    text = path.read_text()
    key = re.escape(f'    "{name}": ')
    text, n_scores = re.subn(key + r'\{"pesq_wb".*\},', scores_line, text)
    text, n_levels = re.subn(key + r'\{"vs_input".*\},', levels_line, text)
    if (n_scores, n_levels) != (1, 1):
        sys.exit(f"{name}: no single pinned line to replace ({n_scores}, {n_levels})")
    path.write_text(text)
    print(scores_line.strip())
    print(levels_line.strip())


if __name__ == "__main__":
    main()
