"""The generator's noise z: its distribution, scale, truncation and stream.

Training draws z inside the compiled step (`tf_latent`, stateless and a
pure function of the seeds `update_seeds` gives); pictures, evaluation and
`--mode=sample` draw it in numpy (`latent`) from an int seed. Both read
the same two settings, so a generator is always fed the noise it was
trained on:

- `distribution`: "normal", N(0, scale**2) per coordinate (DCGAN's
  implementations, and this library's default with scale 1), or
  "uniform", U(-scale, scale) (Radford et al.'s paper: "Z ... from a
  uniform distribution"; scale 1).
- `scale`: the normal's standard deviation or the uniform's half-width
  (one course report samples z with std 0.432).

`truncation` is for sampling only (Brock et al. 2019, BigGAN, section
3.1): coordinates beyond `truncation` standard units (normal) or beyond
`truncation * scale` (uniform) are redrawn, trading variety for fidelity.
Training never truncates.
"""

import dataclasses
from typing import Optional

import numpy as np
import tensorflow as tf

from keras_gans import validation

DISTRIBUTIONS = ("normal", "uniform")
# Redraws of out-of-range coordinates before giving up (each round keeps
# at least the 4.6% of a standard normal within 0.05 of zero, so a tiny
# truncation still converges; 100 rounds leave ~1e-2 of them at 1e-3).
_MAX_REDRAWS = 100


def check(distribution, scale, truncation=None):
    """Validates the noise settings; returns (distribution, float scale,
    truncation or None)."""
    validation.check_choice("latent_distribution", distribution,
                            DISTRIBUTIONS)
    scale = validation.check_number("latent_scale", scale, low=0.0,
                                    low_open=True)
    if truncation is not None:
        truncation = validation.check_number("truncation", truncation,
                                             low=0.0, low_open=True)
    return distribution, float(scale), truncation


def describe(distribution="normal", scale=1.0):
    """A short human description, e.g. "standard normal", "uniform on
    [-1, 1]" (export metadata, reports)."""
    if distribution == "uniform":
        return f"uniform on [-{scale:g}, {scale:g}]"
    if scale == 1.0:
        return "standard normal"
    return f"normal with std {scale:g}"


def latent(seed, num, latent_dim, distribution="normal", scale=1.0,
           truncation=None):
    """z for sampling: float32 (num, latent_dim), a function of `seed`.

    With the defaults it is `np.random.default_rng(seed).standard_normal`,
    the stream every picture and evaluation of this library has used.

    Args:
        seed: int seed, or a `np.random.Generator` to draw from.
        num: rows.
        latent_dim: columns.
        distribution, scale: as in the module docstring.
        truncation: None, or the truncation threshold (> 0).

    Returns:
        float32 numpy array (num, latent_dim).
    """
    distribution, scale, truncation = check(distribution, scale, truncation)
    rng = seed if isinstance(seed, np.random.Generator) else (
        np.random.default_rng(seed))
    shape = (int(num), int(latent_dim))

    def draw(size):
        if distribution == "uniform":
            return rng.uniform(-1.0, 1.0, size)
        return rng.standard_normal(size)

    z = draw(shape)
    if truncation is not None:
        # In standard units: the uniform's unit is its half-width.
        for _ in range(_MAX_REDRAWS):
            outside = np.abs(z) > truncation
            if not outside.any():
                break
            z[outside] = draw(int(outside.sum()))
        z = np.clip(z, -truncation, truncation)
    return (z * scale).astype("float32")


@dataclasses.dataclass(frozen=True)
class LatentNoise:
    """How sampling draws z: what pictures, evaluations and samplers pass
    around instead of three loose settings.

    Attributes:
        distribution, scale: as the generator was trained with.
        truncation: None, or the sampling truncation threshold.
    """

    distribution: str = "normal"
    scale: float = 1.0
    truncation: Optional[float] = None

    def __post_init__(self):
        check(self.distribution, self.scale, self.truncation)

    def sample(self, seed, num, latent_dim):
        """float32 (num, latent_dim): `latent` with these settings."""
        return latent(seed, num, latent_dim, self.distribution, self.scale,
                      self.truncation)

    def describe(self):
        text = describe(self.distribution, self.scale)
        if self.truncation is not None:
            text += f", truncated at {self.truncation:g}"
        return text


STANDARD = LatentNoise()


def of_gan(gan, truncation=None):
    """The `LatentNoise` `gan` was trained with, truncated if asked."""
    return LatentNoise(getattr(gan, "latent_distribution", "normal"),
                       getattr(gan, "latent_scale", 1.0), truncation)


def tf_latent(shape, seed, distribution="normal", scale=1.0):
    """Training noise: a float32 tensor of `shape` from a stateless seed
    (2,) (`tf.random.stateless_normal` for "normal", as before)."""
    if distribution == "uniform":
        z = tf.random.stateless_uniform(shape, seed, minval=-1.0, maxval=1.0)
    else:
        z = tf.random.stateless_normal(shape, seed)
    return z if scale == 1.0 else z * scale


def update_seeds(seed, stream, iterations, num):
    """`num` fresh stateless seeds, (num, 2), for one network's update.

    The noise stream is a pure function of (seed, which network, that
    network's optimizer step, replica): the optimizer step counters are
    saved with every checkpoint, so a resumed run draws exactly the noise
    it would have drawn, and each replica draws its own (every replica
    holds the same variables, so the replica id is folded in).

    Args:
        seed: the GAN's int seed.
        stream: 0 for the discriminator's updates, 1 for the generator's.
        iterations: that network's optimizer `iterations` variable.
        num: seeds wanted.
    """
    seed = tf.constant([seed, stream], dtype="int64")
    seed = tf.random.experimental.stateless_fold_in(
        seed, tf.cast(iterations, "int64"))
    context = tf.distribute.get_replica_context()
    if context is not None:
        seed = tf.random.experimental.stateless_fold_in(
            seed, context.replica_id_in_sync_group)
    return tf.random.experimental.stateless_split(seed, num)
