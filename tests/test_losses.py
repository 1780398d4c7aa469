"""Loss contracts and, for each MAL variant, where the gradients go."""

from __future__ import annotations

import pytest
import torch

from malenhance.model import MalNet
from malenhance.training.losses import (
    MultiResolutionSTFTLoss,
    SISDRLoss,
    Stage1Loss,
    lowpass,
    si_sdr,
)
from malenhance.training.mal import MALLoss
from tests.speech import mix, speech

TINY = {"channels": (8, 8, 8, 8), "rnn_hidden": 32}


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def pair():
    clean = torch.from_numpy(speech()[:16000])
    noisy = torch.from_numpy(mix(speech()[:16000], 0.0))
    return torch.stack([noisy, noisy * 0.5]), torch.stack([clean, clean * 0.5])


def _model(seed: int = 0) -> MalNet:
    torch.manual_seed(seed)
    return MalNet(**TINY)


def _grads(params) -> list[bool]:
    return [p.grad is not None and bool(p.grad.abs().sum() > 0) for p in params]


LOSSES = [
    SISDRLoss(),
    MultiResolutionSTFTLoss(),
    Stage1Loss(),
    MALLoss(_model(), "frozen"),
    MALLoss(_model(), "dynamic", "all"),
]


@pytest.mark.parametrize("loss", LOSSES, ids=lambda loss: type(loss).__name__)
def test_per_example_values_and_rank_check(loss, pair):
    noisy, clean = pair
    values = loss(noisy, clean)
    assert values.shape == (2,)
    assert torch.isfinite(values).all()
    with pytest.raises(ValueError, match="batch, samples"):
        loss(noisy[0], clean[0])
    with pytest.raises(ValueError, match="mismatch"):
        loss(noisy, clean[:, :-1])


def test_si_sdr_is_scale_invariant_and_orders_quality(pair):
    noisy, clean = pair
    est = clean + 0.1 * noisy
    assert torch.allclose(si_sdr(3 * est, clean), si_sdr(est, clean), atol=1e-4)
    assert (si_sdr(clean + 0.01 * noisy, clean) > si_sdr(noisy, clean)).all()


def test_stage1_loss_prefers_the_clean_signal(pair):
    noisy, clean = pair
    loss = Stage1Loss()
    assert (loss(clean, clean) < loss(noisy, clean)).all()
    terms = loss.terms(noisy, clean)
    assert set(terms) == {"magnitude", "complex", "si_sdr"}
    assert torch.allclose(loss.combine(terms), loss(noisy, clean))


def test_residual_term_counts_only_what_is_louder_than_the_target(pair):
    noisy, clean = pair
    stft = MultiResolutionSTFTLoss()
    # A quieter copy of the target leaves no residual; added noise does.
    assert torch.allclose(stft.terms(0.5 * clean, clean)["residual"], torch.zeros(2))
    assert (stft.terms(noisy, clean)["residual"] > 1e-3).all()
    terms = stft.terms(noisy, clean)
    assert (terms["residual"] <= terms["magnitude"] + 1e-7).all()


def test_residual_weight_adds_the_term_to_the_stage1_loss(pair):
    noisy, clean = pair
    plain, weighted = Stage1Loss(), Stage1Loss(residual_weight=2.0)
    terms = weighted.terms(noisy, clean)
    assert set(terms) == {"magnitude", "complex", "si_sdr", "residual"}
    assert torch.allclose(weighted(noisy, clean) - plain(noisy, clean), 2.0 * terms["residual"])
    # Over-suppression is not residual noise: the same loss for a quieter output.
    assert torch.allclose(weighted(0.5 * clean, clean), plain(0.5 * clean, clean))


def test_oversuppression_term_counts_only_what_is_quieter_than_the_target(pair):
    noisy, clean = pair
    stft = MultiResolutionSTFTLoss()
    # Speech taken away (a quieter copy) is over-suppression; a louder copy is not.
    quiet = stft.terms(0.5 * clean, clean)
    assert (quiet["oversuppression"] > 1e-3).all()
    assert torch.allclose(stft.terms(2.0 * clean, clean)["oversuppression"], torch.zeros(2))
    # The magnitude error splits exactly into what is too loud and what is too quiet.
    terms = stft.terms(noisy, clean)
    assert torch.allclose(terms["residual"] + terms["oversuppression"], terms["magnitude"],
                          rtol=1e-5, atol=1e-8)


def test_oversuppression_weight_adds_the_term_to_the_stage1_loss(pair):
    noisy, clean = pair
    plain, weighted = Stage1Loss(), Stage1Loss(oversuppression_weight=3.0)
    terms = weighted.terms(0.5 * clean, clean)
    assert set(terms) == {"magnitude", "complex", "si_sdr", "oversuppression"}
    assert torch.allclose(weighted(0.5 * clean, clean) - plain(0.5 * clean, clean),
                          3.0 * terms["oversuppression"])
    # Residual noise is not over-suppression: no extra loss for an output louder than clean.
    assert torch.allclose(weighted(2.0 * clean, clean), plain(2.0 * clean, clean))


def test_band_limit_ignores_the_empty_upper_band(pair):
    _, clean = pair
    narrow = lowpass(clean, torch.tensor([4000.0, 4000.0]), 16000)
    full = torch.tensor([8000.0, 8000.0])
    limit = torch.tensor([4000.0, 4000.0])
    stft = MultiResolutionSTFTLoss()
    # An output with extra content above 4 kHz costs (next to) nothing against a 4 kHz
    # target (only window leakage at the band edge), but it does when the example is full band.
    assert (stft(clean, narrow, limit) < 0.1 * stft(clean, narrow, full)).all()
    assert (SISDRLoss()(clean, narrow, limit) < -40).all()
    assert torch.equal(lowpass(clean, full, 16000), clean)


@pytest.mark.parametrize("variant", ["frozen", "frozen-fe", "dynamic"])
@pytest.mark.parametrize("layers", ["bottleneck", "all"])
def test_mal_is_exactly_zero_for_identical_inputs(variant, layers, pair):
    _, clean = pair
    loss = MALLoss(_model(), variant, layers)
    assert torch.equal(loss(clean, clean), torch.zeros(2))
    assert torch.equal(loss(clean, clean, torch.tensor([4000.0, 8000.0])), torch.zeros(2))


def test_mal_grows_with_the_difference(pair):
    noisy, clean = pair
    loss = MALLoss(_model(), "frozen", "all")
    assert (loss(clean + 0.01 * (noisy - clean), clean) < loss(noisy, clean)).all()


def test_frozen_fe_encoder_receives_no_gradient(pair):
    noisy, clean = pair
    model = _model()
    loss = MALLoss(model, "frozen-fe", "all")
    encoder = model.encoder_parameters()
    assert not any(p.requires_grad for p in encoder)
    total = (Stage1Loss()(model(noisy), clean) + loss(model(noisy), clean)).mean()
    total.backward()
    assert all(p.grad is None for p in encoder)
    encoder_ids = {id(p) for p in encoder}
    decoder = [p for p in model.parameters() if id(p) not in encoder_ids]
    assert all(_grads(decoder)), "every decoder parameter should train"


def test_frozen_loss_network_never_changes_while_the_model_trains(pair):
    noisy, clean = pair
    model = _model()
    loss = MALLoss(model, "frozen", "bottleneck")
    before = {k: v.clone() for k, v in loss.loss_network.state_dict().items()}
    model_before = [p.detach().clone() for p in model.parameters()]
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    for _ in range(3):
        optimizer.zero_grad()
        (Stage1Loss()(model(noisy), clean) + 10 * loss(model(noisy), clean)).mean().backward()
        optimizer.step()
    assert not any(p.requires_grad for p in loss.loss_network.parameters())
    assert loss.loss_network.training  # cuDNN's RNN backward refuses eval mode
    assert all(torch.equal(v, loss.loss_network.state_dict()[k]) for k, v in before.items())
    # The whole model trains, its encoder included.
    assert all(_grads(model.encoder_parameters()))
    assert all(not torch.equal(a, b) for a, b in zip(model_before, model.parameters(),
                                                     strict=True))
    # The loss network is a copy, not the live encoder, and is saved with the loss.
    assert any(k.startswith("loss_network.") for k in loss.state_dict())


def test_dynamic_clean_branch_carries_no_gradient(pair):
    noisy, clean = pair
    model = _model()
    loss = MALLoss(model, "dynamic", "all")
    target = clean.clone().requires_grad_(True)
    est = model(noisy)
    loss(est, target).mean().backward()
    assert target.grad is None
    # The live encoder is trained through the enhanced branch.
    assert all(_grads(model.encoder_parameters()))


def test_dynamic_gradient_equals_detached_target_features(pair):
    """Gradients equal those of a hand-written loss whose clean features are constants."""
    noisy, clean = pair
    model = _model()
    loss = MALLoss(model, "dynamic", "bottleneck")
    loss(model(noisy), clean).sum().backward()
    by_mal = [p.grad.clone() for p in model.encoder_parameters()]
    model.zero_grad()
    reference = model.encode(clean)[-1].detach().flatten(1)
    enhanced = model.encode(model(noisy))[-1].flatten(1)
    manual = ((enhanced - reference).abs().mean(1) / (reference.abs().mean(1) + 1e-8)).sum()
    manual.backward()
    for a, p in zip(by_mal, model.encoder_parameters(), strict=True):
        assert torch.allclose(a, p.grad, atol=1e-6)


def test_unknown_variant_and_layers_are_rejected():
    with pytest.raises(ValueError, match="variant"):
        MALLoss(_model(), "thawed")
    with pytest.raises(ValueError, match="layers"):
        MALLoss(_model(), "frozen", "middle")


@pytest.mark.parametrize("variant", ["frozen", "dynamic"])
def test_fused_encoding_gives_the_same_loss_and_gradients(variant, pair):
    noisy, clean = pair
    results = []
    for fused in (False, True):
        model = _model()
        loss = MALLoss(model, variant, "all", fused=fused)
        est = model(noisy)
        value = loss(est, clean)
        value.sum().backward()
        grads = [p.grad for p in model.parameters()]
        results.append((value.detach(), grads))
        assert loss(clean, clean).abs().max() < 1e-6
    (plain, plain_grads), (fused_value, fused_grads) = results
    assert torch.allclose(plain, fused_value, atol=1e-6)
    for a, b in zip(plain_grads, fused_grads, strict=True):
        assert torch.allclose(a, b, atol=1e-6)


@pytest.mark.parametrize("variant", ["frozen", "frozen-fe", "dynamic"])
def test_chunked_mal_keeps_the_contract(variant, pair):
    noisy, clean = pair
    model = _model()
    loss = MALLoss(model, variant, "all", chunk_samples=3000)  # 16000 = 5 chunks + 1000
    assert torch.equal(loss(clean, clean), torch.zeros(2))
    value = loss(model(noisy), clean)
    assert value.shape == (2,) and (value > 0).all()
    value.sum().backward()
    encoder_grads = _grads(model.encoder_parameters())
    assert any(encoder_grads) == (variant != "frozen-fe")
    network_grads = [p.grad is None for p in loss.loss_network.encoder_parameters()]
    assert all(network_grads) == (variant != "dynamic")
    # Chunks only change the context each feature sees, not the scale of the loss.
    whole = MALLoss(_model(), variant, "all")(noisy, clean)
    assert torch.allclose(whole, loss(noisy, clean), rtol=0.3)
