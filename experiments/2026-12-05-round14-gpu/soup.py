"""A weight average of model folders that share a starting point (a "model soup").

    python experiments/2026-12-05-round14-gpu/soup.py OUT runs/r14/fe-more runs/r14/frozen-more ...
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from safetensors.torch import load_file, save_file


def main() -> None:
    out, folders = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
    configs = {json.dumps(json.loads((f / "config.json").read_text()), sort_keys=True)
               for f in folders}
    if len(configs) != 1:
        raise SystemExit("the models differ in architecture; they cannot be averaged")
    weights = [load_file(str(f / "model.safetensors")) for f in folders]
    soup = {name: sum(w[name].double() for w in weights).div(len(weights)).to(tensor.dtype)
            for name, tensor in weights[0].items()}
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(folders[0] / "config.json", out / "config.json")
    save_file(soup, str(out / "model.safetensors"))
    (out / "README.md").write_text(
        "# Weight average\n\nEvery weight the mean of these models' weights:\n\n"
        + "".join(f"- `{f}`\n" for f in folders))
    print(f"{out}: mean of {len(folders)} models")


if __name__ == "__main__":
    main()
