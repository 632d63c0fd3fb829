"""Mode coverage of a Gaussian mixture: the VEEGAN / PacGAN yardstick.

A generated sample is *high quality* when it lies within `num_std`
standard deviations (Euclidean distance) of its nearest mode. A mode is
*covered* when at least one high-quality sample has it as nearest mode.
The KL divergence compares the histogram of the high-quality samples over
modes with the uniform distribution over modes: 0 when all modes are hit
equally, `log(K)` when every high-quality sample sits at a single mode.

Example:

```python
from keras_gans.datasets import mixtures
from keras_gans.metrics.mode_coverage import mixture_mode_coverage

samples = mixtures.sample_mixture("grid", 2500, seed=0)
mixture_mode_coverage(samples, "grid")
# {'modes_covered': 25, 'num_modes': 25, 'high_quality': 0.997..., 'kl': ...}
```

Reference:
    - [Srivastava et al., 2017](https://arxiv.org/abs/1705.07761) (VEEGAN)
    - [Lin et al., 2018](https://arxiv.org/abs/1712.04086) (PacGAN)
"""

import numpy as np

# Samples per chunk when computing distances, to bound memory at
# about _CHUNK * K * D float64 values.
_CHUNK = 16384


def _nearest_modes(samples, modes):
    """Index of and distance to each sample's nearest mode.

    Args:
        samples: float64 array of shape `(N, D)`.
        modes: float64 array of shape `(K, D)`.

    Returns:
        A tuple `(index, distance)` of arrays of shape `(N,)`: int64 and
        float64.
    """
    index = np.empty(len(samples), dtype="int64")
    distance = np.empty(len(samples), dtype="float64")
    for start in range(0, len(samples), _CHUNK):
        chunk = samples[start:start + _CHUNK]
        diff = chunk[:, None, :] - modes[None, :, :]
        dist = np.sqrt(np.sum(diff * diff, axis=-1))  # (n, K)
        nearest = np.argmin(dist, axis=1)
        index[start:start + len(chunk)] = nearest
        distance[start:start + len(chunk)] = dist[
            np.arange(len(chunk)), nearest
        ]
    return index, distance


def mode_coverage(samples, modes, std, num_std=3.0):
    """Counts covered modes, high-quality samples and the KL to uniform.

    Args:
        samples: Array-like of shape `(N, D)`, the generated points (N > 0).
        modes: Array-like of shape `(K, D)`, the true mode centres.
        std: Positive float, the standard deviation of each true Gaussian.
        num_std: Positive float; a sample is high quality when its distance
            to the nearest mode is at most `num_std * std`.

    Returns:
        A dict with:
        - `"modes_covered"`: int, modes holding at least one high-quality
          sample.
        - `"num_modes"`: int, K.
        - `"high_quality"`: float in [0, 1], the fraction of high-quality
          samples.
        - `"kl"`: float, `sum_k p_k * log(p_k * K)` over modes with
          `p_k > 0`, where `p` is the histogram over nearest modes of the
          high-quality samples; `float("inf")` when there are none.

    Raises:
        ValueError: If the shapes disagree, `samples` is empty, or `std` or
            `num_std` is not positive.

    Reference:
        - [Srivastava et al., 2017](https://arxiv.org/abs/1705.07761)
        - [Lin et al., 2018](https://arxiv.org/abs/1712.04086)
    """
    samples = np.asarray(samples, dtype="float64")
    modes = np.asarray(modes, dtype="float64")
    if modes.ndim != 2 or len(modes) == 0:
        raise ValueError(
            "`modes` must have shape (K, D) with K > 0. "
            f"Received: modes.shape={modes.shape}"
        )
    if samples.ndim != 2 or samples.shape[1] != modes.shape[1]:
        raise ValueError(
            f"`samples` must have shape (N, {modes.shape[1]}) to match "
            f"`modes`. Received: samples.shape={samples.shape}"
        )
    if len(samples) == 0:
        raise ValueError(
            "`samples` must hold at least one point. "
            f"Received: samples.shape={samples.shape}"
        )
    if not std > 0:
        raise ValueError(f"`std` must be positive. Received: std={std}")
    if not num_std > 0:
        raise ValueError(
            f"`num_std` must be positive. Received: num_std={num_std}"
        )

    num_modes = len(modes)
    index, distance = _nearest_modes(samples, modes)
    high_quality = distance <= num_std * std
    counts = np.bincount(index[high_quality], minlength=num_modes)
    total = int(counts.sum())
    if total == 0:
        kl = float("inf")
    else:
        p = counts[counts > 0] / total
        kl = float(np.sum(p * np.log(p * num_modes)))
    return {
        "modes_covered": int(np.count_nonzero(counts)),
        "num_modes": int(num_modes),
        "high_quality": float(np.mean(high_quality)),
        "kl": kl,
    }


def mixture_mode_coverage(samples, name, num_std=3.0):
    """`mode_coverage` against one of the embedded mixtures.

    Args:
        samples: Array-like of shape `(N, 2)`, the generated points.
        name: A name in `keras_gans.datasets.mixtures.MIXTURE_NAMES`.
        num_std: Positive float, the high-quality radius in standard
            deviations.

    Returns:
        The dict of `mode_coverage`.

    Raises:
        ValueError: If `name` is unknown or the samples are malformed.
    """
    # Imported here so that `mode_coverage` itself needs only numpy.
    from keras_gans.datasets import mixtures

    return mode_coverage(
        samples,
        mixtures.mixture_modes(name),
        mixtures.mixture_std(name),
        num_std=num_std,
    )
