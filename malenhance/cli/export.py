"""`malenhance export`: the model as ONNX graphs for onnxruntime (no torch needed to run)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from malenhance.cli.app import app, err_console, fail

HELP = """Export a model as an ONNX graph that onnxruntime runs without torch.

`--kind streaming` (default): one 10 ms hop of 16 kHz samples in, one hop of enhanced samples out, with the model state as explicit inputs/outputs (`NAME` in, `NAME_out` out, zeros at the start). `--kind utterance`: a whole waveform `wav (batch, samples)` in, `enhanced` of the same shape out. `--kind both` writes the streaming graph to OUT and the utterance graph next to it as `<OUT stem>_utterance.onnx`.

```
malenhance export --onnx malnet.onnx
malenhance export --onnx malnet.onnx --model acme/my-model@v2 --kind both
```

Each graph is checked against the PyTorch model with onnxruntime (max abs difference <= 1e-4) unless `--no-verify`. See examples/onnx_stream.py for running it with numpy + onnxruntime only. Uses the onnx package (installed with malenhance).
"""  # noqa: E501

class Kind(str, Enum):
    """Which graphs to write (the library's kinds, or both)."""

    STREAMING = "streaming"
    UTTERANCE = "utterance"
    BOTH = "both"


@app.command(help=HELP, no_args_is_help=True)
def export(
    onnx_path: Annotated[
        Path,
        typer.Option("--onnx", metavar="OUT.onnx", show_default=False,
                     help="Where to write the ONNX graph."),
    ],
    model: Annotated[
        str,
        typer.Option("--model", "-m",
                     help="Bundled model name, a model directory, or a Hub repo "
                     "org/name[@revision]."),
    ] = "default",
    kind: Annotated[Kind, typer.Option(help="See above.")] = Kind.STREAMING,
    verify: Annotated[
        bool, typer.Option("--verify/--no-verify",
                           help="Compare onnxruntime's output with PyTorch's before moving "
                           "the file into place.")
    ] = True,
) -> None:
    from malenhance.errors import MalenhanceError
    from malenhance.export import export_onnx
    from malenhance.hub import load_model

    if onnx_path.is_dir():
        fail(f"{onnx_path}: is a directory; give a file name such as {onnx_path / 'model.onnx'}")
    targets = {"streaming": onnx_path} if kind != "utterance" else {}
    if kind != "streaming":
        utterance = onnx_path.with_name(f"{onnx_path.stem}_utterance.onnx")
        targets["utterance"] = onnx_path if kind == "utterance" else utterance
    try:
        net = load_model(model)
    except MalenhanceError as err:
        fail(str(err))
    for graph_kind, path in targets.items():
        try:
            diff = export_onnx(net, path, graph_kind, verify=verify)
        except MalenhanceError as err:
            fail(f"{path}: {err}", code=1)
        note = "" if diff is None else f"; onnxruntime vs PyTorch max abs diff {diff:.1e}"
        err_console.print(f"wrote {graph_kind} graph to {path}{note}", highlight=False)
