"""The test audio itself: the stored renderings that hosts without espeak-ng use (the lent
GPU machines) are what espeak-ng says here, sample for sample."""

import numpy as np
import pytest
import soundfile as sf

from tests import speech as test_speech


@pytest.mark.skipif(not test_speech.have_espeak(), reason="needs espeak-ng")
@pytest.mark.parametrize("text", test_speech.SENTENCES)
def test_stored_renderings_match_espeak(text):
    fresh, rate = test_speech._espeak.__wrapped__(text, "en-us", 160, 50)
    stored, stored_rate = sf.read(test_speech._rendered_path(text, "en-us", 160, 50),
                                  dtype="float32")
    assert stored_rate == rate and np.array_equal(stored, fresh)
