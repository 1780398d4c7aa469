"""The model card section a training run adds to the README of the model it exports."""

from __future__ import annotations

from malenhance.training.config import PauseFill, TrainConfig


def model_card(config: TrainConfig, stage: int, best: dict | None, step: int) -> str:
    """The "Training" section of an exported model's README (stage 1, or stages 1 and 2)."""
    mal, loss = config.mal, config.loss
    lines = ["## Training", "", "Trained with `malenhance train`.", "",
             f"- stage 1 (conventional loss): {config.stage1_steps} steps"]
    if stage == 2:
        lines.append(f"- stage 2 (Model as Loss, variant `{mal.variant.value}`, layers "
                     f"`{mal.layers.value}`, weight {mal.weight}): "
                     f"{config.stage2_steps} steps")
    if stage == 2 and loss.loss_network.value != "none":
        where = ("" if loss.loss_network_max_snr is None
                 else f", on inputs at or below {loss.loss_network_max_snr} dB SNR")
        lines.append(f"- stage 2 deep-feature loss: `{loss.loss_network.value}` features, "
                     f"weight {loss.loss_network_weight}{where}")
    if loss.residual_weight:
        lines.append(f"- residual-noise term weight {loss.residual_weight}")
    if loss.oversuppression_weight:
        lines.append(f"- over-suppression term weight {loss.oversuppression_weight}")
    if config.examples.clean_prob:
        lines.append(f"- share of clean (noise-free) training inputs {config.examples.clean_prob}")
    if config.examples.pause_prob:
        examples = config.examples
        lines.append(f"- share of inputs whose speech pauses for 0.8-2 s {examples.pause_prob} "
                     f"(filled with {PauseFill(examples.pause_fill).value}, faded out over "
                     f"{examples.pause_fade_ms:g} ms)")
    if config.examples.level_steps_prob:
        lines.append("- share of inputs with speech at stepped levels (up to 35 dB apart) "
                     f"{config.examples.level_steps_prob}")
    if loss.speech_distortion_weight:
        lines.append(f"- speech-distortion term weight {loss.speech_distortion_weight}")
    if loss.teacher:
        lines.append(f"- distilled from `{loss.teacher}` (its output a second target, "
                     f"weight {loss.teacher_weight})")
    if config.init:
        lines.append(f"- initialised from `{config.init}`")
    if config.optim.ema_decay:
        lines.append(f"- weights: exponential moving average, decay {config.optim.ema_decay}"
                     " per step")
    lr = f"lr {config.optim.lr}" if config.stage1_steps else ""
    if stage == 2:
        stage2_lr = f"stage-2 lr {config.optim.stage_lr(2)}"
        lr = f"{lr}, {stage2_lr}" if lr else stage2_lr
    lines.append(f"- batch {config.batch_size} x {config.examples.segment_seconds} s, "
                 f"{lr}, seed {config.seed}; exported weights of step {step}")
    if best and "metrics" in best:
        metrics = ", ".join(f"{k} {v:.3f}" for k, v in best["metrics"].items())
        lines.append(f"- validation: {metrics}")
    return "\n".join(lines) + "\n"
