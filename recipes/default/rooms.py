"""Simulated room impulse responses (pyroomacoustics: image sources + ray tracing)."""

from __future__ import annotations

import numpy as np


def _position(rng: np.random.Generator, dims: np.ndarray, margin: float = 0.4) -> np.ndarray:
    """A random point at least ``margin`` m from every wall, at 0.8-2.0 m height if possible."""
    pos = np.array([rng.uniform(margin, d - margin) for d in dims])
    pos[2] = rng.uniform(0.8, min(2.0, dims[2] - margin))
    return pos


def _truncate(rir: np.ndarray, rate: int, max_s: float, drop_db: float = 60.0) -> np.ndarray:
    """Cut the response where its remaining energy is ``drop_db`` below the total (or max_s)."""
    energy = np.cumsum(rir[::-1] ** 2)[::-1]
    below = np.flatnonzero(energy < energy[0] * 10 ** (-drop_db / 10))
    end = int(below[0]) if len(below) else len(rir)
    return rir[: min(end, int(max_s * rate))]


def simulate_rir(rng: np.random.Generator, rate: int = 16000, rt60_range=(0.1, 0.8),
                 max_s: float = 1.0) -> tuple[np.ndarray, dict]:
    """One RIR of a random shoebox room; returns ``(rir, info)`` with the room's parameters.

    The response starts 2.5 ms before its direct path and has a peak of 0.95.
    """
    import pyroomacoustics as pra

    # Ray tracing draws from pyroomacoustics' own generators: seed them from ``rng``.
    pra.random.seed(numpy=int(rng.integers(2**31)), libroom=int(rng.integers(2**31)))
    while True:
        rt60 = float(rng.uniform(*rt60_range))
        dims = np.array([rng.uniform(3, 10), rng.uniform(2.5, 8), rng.uniform(2.4, 4)])
        try:
            e_abs, _ = pra.inverse_sabine(rt60, dims)
        except ValueError:
            continue
        if 0.0 < e_abs < 1.0:
            break
    room = pra.ShoeBox(dims, fs=rate, materials=pra.Material(e_abs), max_order=3,
                       ray_tracing=True, air_absorption=True)
    room.set_ray_tracing(receiver_radius=0.5, n_rays=4000, energy_thres=1e-6)
    src = _position(rng, dims)
    mic = _position(rng, dims)
    while np.linalg.norm(src - mic) < 0.3:
        mic = _position(rng, dims)
    room.add_source(src.tolist())
    room.add_microphone(mic.tolist())
    room.compute_rir()
    rir = np.asarray(room.rir[0][0], dtype=np.float64)
    direct = int(np.argmax(np.abs(rir)))
    rir = rir[max(0, direct - int(0.0025 * rate)) :]
    rir = _truncate(rir, rate, max_s)
    rir = 0.95 * rir / (np.abs(rir).max() + 1e-12)
    info = {
        "rt60_target_s": round(rt60, 3),
        "room_m": [round(float(d), 2) for d in dims],
        "distance_m": round(float(np.linalg.norm(src - mic)), 2),
        "absorption": round(float(e_abs), 3),
    }
    return rir.astype(np.float32), info


def exponential_rir(rng: np.random.Generator, rate: int = 16000, rt60_range=(0.1, 0.8),
                    max_s: float = 1.0) -> tuple[np.ndarray, dict]:
    """A statistical RIR (direct path + exponentially decaying noise), no simulator needed.

    Used only when pyroomacoustics is unavailable (``--offline`` smoke builds).
    """
    rt60 = float(rng.uniform(*rt60_range))
    n = int(min(max_s, rt60 * 1.2) * rate)
    t = np.arange(n) / rate
    tail = rng.standard_normal(n) * np.exp(-6.91 * t / rt60)
    onset = int(0.0025 * rate)
    tail[: onset + int(0.002 * rate)] = 0.0
    rir = 0.3 * tail
    rir[onset] = 1.0
    rir = 0.95 * rir / np.abs(rir).max()
    return rir.astype(np.float32), {"rt60_target_s": round(rt60, 3), "model": "exponential"}
