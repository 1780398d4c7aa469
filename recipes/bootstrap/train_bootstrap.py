"""Bootstrap loop that made the first bundled model (before `malenhance train` existed).

Usage: python recipes/bootstrap/train_bootstrap.py SECONDS OUT_DIR  (CPU, 1 thread).
"""

import random
import sys
import time

import numpy as np
import torch

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
from malenhance.hub import save_model_dir
from malenhance.model import MalNet
from tests.speech import speech

torch.set_num_threads(1)
torch.manual_seed(0)
random.seed(0)
rng = np.random.default_rng(0)
texts = [
    "the weather today is cloudy with a chance of rain in the evening",
    "please remember to bring your notebook and a pen to the meeting",
    "one two three four five six seven eight nine ten",
    "she walked slowly along the beach collecting small white stones",
    "our engineers are building a tool to clean up noisy speech recordings",
    "would you like a cup of coffee or tea before we begin",
    "the train to the city leaves at half past seven every morning",
    "music and laughter filled the old house late into the night",
]
voices = ["en-us", "en", "en-gb-x-rp", "en-us+f3", "en+m3", "en-us+f2", "de", "fr", "es", "en+m7"]
clean = []
for t in texts:
    for v in voices:
        clean.append(speech(t, 16000, v, random.randint(130, 190), random.randint(30, 70)))
print("clips", len(clean), sum(map(len, clean)) / 16000 / 60, "min")


def noise(n):
    kind = rng.integers(5)
    w = rng.standard_normal(n)
    if kind < 3:
        S = np.fft.rfft(w)
        f = np.fft.rfftfreq(n, 1 / 16000)
        S /= np.maximum(f, 30) ** (kind * 0.5)
        w = np.fft.irfft(S, n)
    elif kind == 3:
        f0 = rng.uniform(40, 120)
        t = np.arange(n) / 16000
        w = (
            sum(
                rng.uniform(0.2, 1) * np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6))
                for k in range(1, 8)
            )
            + 0.1 * w
        )
    else:
        w = sum(
            np.roll(
                clean[rng.integers(len(clean))][:n]
                if len(clean[0]) >= n
                else np.resize(clean[rng.integers(len(clean))], n),
                rng.integers(n),
            )
            for _ in range(4)
        )
        w = np.resize(w, n)
    return (w / (w.std() + 1e-9)).astype(np.float32)


def batch(bs=8, L=32000):
    xs, ys = [], []
    for _ in range(bs):
        c = clean[rng.integers(len(clean))]
        c = np.resize(c, L) if len(c) < L else c[(s := rng.integers(len(c) - L + 1)) : s + L]
        c = c * 10 ** (rng.uniform(-35, -15) / 20) / (np.sqrt(np.mean(c**2)) + 1e-9)
        nz = noise(L)
        snr = rng.uniform(-5, 20)
        nz = nz * np.sqrt(np.mean(c**2) / 10 ** (snr / 10))
        xs.append(c + nz)
        ys.append(c)
    return torch.tensor(np.stack(xs)), torch.tensor(np.stack(ys))


m = MalNet()
opt = torch.optim.AdamW(m.parameters(), 1e-3)


def loss_fn(e, c):
    total = 0
    for nf in (256, 512, 1024):
        w = torch.hann_window(nf)
        E = torch.stft(e, nf, nf // 4, window=w, return_complex=True)
        C = torch.stft(c, nf, nf // 4, window=w, return_complex=True)
        Ec = E.abs().add(1e-8).pow(0.3)
        Cc = C.abs().add(1e-8).pow(0.3)
        total = (
            total
            + (Ec - Cc).square().mean()
            + 0.3
            * (Ec * torch.exp(1j * E.angle()) - Cc * torch.exp(1j * C.angle()))
            .abs()
            .square()
            .mean()
        )
    return total


t0 = time.time()
step = 0
budget = float(sys.argv[1]) if len(sys.argv) > 1 else 600
while time.time() - t0 < budget:
    x, y = batch()
    e = m(x)
    loss = loss_fn(e, y)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(m.parameters(), 5)
    opt.step()
    step += 1
    if step % 50 == 0:
        print(step, round(time.time() - t0), loss.item(), flush=True)
save_model_dir(m.eval(), sys.argv[2] if len(sys.argv) > 2 else "bootstrap_model")
print("saved after", step, "steps")
