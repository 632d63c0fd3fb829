"""Embedded 2-D Gaussian mixtures: the mode-collapse benchmarks.

Two mixtures, generated on the fly from a seed (no files):

- `"ring"`: 8 Gaussians evenly spaced on the unit circle, at angles
  `2 * pi * k / 8` for `k = 0, ..., 7`, standard deviation 0.01.
- `"grid"`: 25 Gaussians at `(i, j)` for `i, j` in `{-4, -2, 0, 2, 4}`,
  standard deviation 0.05.

These are the settings of the PacGAN reproduction code; VEEGAN introduced
the benchmark. Pair them with `keras_gans.metrics.mode_coverage`.

Example:

```python
from keras_gans.datasets import mixtures

ds = mixtures.mixture_dataset("ring", batch_size=256, seed=0)
batch = next(iter(ds))  # float32, shape (256, 2)
points = mixtures.sample_mixture("grid", 2500, seed=1)  # (2500, 2)
```

Reference:
    - [Srivastava et al., 2017](https://arxiv.org/abs/1705.07761) (VEEGAN)
    - [Lin et al., 2018](https://arxiv.org/abs/1712.04086) (PacGAN)
"""

import numpy as np
import tensorflow as tf

from keras_gans import validation

MIXTURE_NAMES = ("ring", "grid")

_RING_NUM_MODES = 8
_RING_RADIUS = 1.0
_RING_STD = 0.01
_GRID_VALUES = (-4.0, -2.0, 0.0, 2.0, 4.0)
_GRID_STD = 0.05


def _check_name(name):
    validation.check_choice("name", name, MIXTURE_NAMES)


def mixture_modes(name):
    """Returns the centres of a mixture's Gaussians.

    Args:
        name: One of `MIXTURE_NAMES`.

    Returns:
        A float32 `np.ndarray` of shape `(K, 2)`: K = 8 for `"ring"` (ordered
        by angle, starting at `(1, 0)`), K = 25 for `"grid"` (row-major in
        `(i, j)`).

    Raises:
        ValueError: If `name` is not a known mixture.
    """
    _check_name(name)
    if name == "ring":
        # k / K for k < K: the end point 2 * pi would stack onto angle 0.
        angles = 2.0 * np.pi * np.arange(_RING_NUM_MODES) / _RING_NUM_MODES
        modes = _RING_RADIUS * np.stack([np.cos(angles), np.sin(angles)], 1)
    else:
        i, j = np.meshgrid(_GRID_VALUES, _GRID_VALUES, indexing="ij")
        modes = np.stack([i.ravel(), j.ravel()], axis=1)
    return modes.astype("float32")


def mixture_std(name):
    """Returns the standard deviation of each Gaussian of a mixture.

    Args:
        name: One of `MIXTURE_NAMES`.

    Returns:
        A Python float: 0.01 for `"ring"`, 0.05 for `"grid"`.

    Raises:
        ValueError: If `name` is not a known mixture.
    """
    _check_name(name)
    return _RING_STD if name == "ring" else _GRID_STD


def sample_mixture(name, num_samples, seed=0):
    """Draws points from a mixture with numpy, deterministically.

    Each point picks a mode uniformly at random and adds isotropic Gaussian
    noise of standard deviation `mixture_std(name)`.

    Args:
        name: One of `MIXTURE_NAMES`.
        num_samples: Non-negative int, the number of points.
        seed: Int seed of `np.random.default_rng`; the same seed gives the
            same points.

    Returns:
        A float32 `np.ndarray` of shape `(num_samples, 2)`.

    Raises:
        ValueError: If `name` is unknown or `num_samples` is negative.
    """
    modes = mixture_modes(name)
    num_samples = validation.check_int("num_samples", num_samples, minimum=0)
    rng = np.random.default_rng(seed)
    index = rng.integers(len(modes), size=num_samples)
    noise = rng.normal(size=(num_samples, 2)) * mixture_std(name)
    return (modes[index] + noise).astype("float32")


def mixture_dataset(name, batch_size, seed=0):
    """An infinite, seeded `tf.data.Dataset` of mixture batches.

    Batch `b` is drawn with stateless random ops keyed on `(seed, b)`, so the
    stream is the same on every iteration and every run, costs one small
    vectorised op per batch, and can be computed in parallel.

    Args:
        name: One of `MIXTURE_NAMES`.
        batch_size: Positive int, the number of points per batch.
        seed: Int seed; the same seed gives the same stream.

    Returns:
        A `tf.data.Dataset` that never ends, yielding float32 tensors of
        shape `(batch_size, 2)`.

    Raises:
        ValueError: If `name` is unknown or `batch_size` is not positive.
    """
    modes = tf.constant(mixture_modes(name))
    std = mixture_std(name)
    batch_size = validation.check_int("batch_size", batch_size)
    num_modes = int(modes.shape[0])
    seed = tf.constant(int(seed), dtype="int64")

    def make_batch(index):
        key = tf.stack([seed, tf.cast(index, "int64")])
        mode_key, noise_key = tf.unstack(
            tf.random.experimental.stateless_split(key, num=2)
        )
        choice = tf.random.stateless_uniform(
            [batch_size], seed=mode_key, minval=0, maxval=num_modes,
            dtype="int32",
        )
        noise = tf.random.stateless_normal(
            [batch_size, 2], seed=noise_key, stddev=std, dtype="float32"
        )
        return tf.gather(modes, choice) + noise

    dataset = tf.data.Dataset.counter().map(
        make_batch,
        num_parallel_calls=tf.data.AUTOTUNE,
        deterministic=True,
    )
    return dataset.prefetch(tf.data.AUTOTUNE)
