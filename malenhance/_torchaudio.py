"""``torchaudio.functional``, imported only after the torch/torchaudio pair is checked.

A mismatched pair fails inside ``import torchaudio`` with an obscure "undefined symbol";
checking here, not at ``import malenhance``, spares the commands that never load torch.
"""

from malenhance._compat import check_torch_pair

check_torch_pair()

import torchaudio.functional as functional  # noqa: E402

__all__ = ["functional"]
