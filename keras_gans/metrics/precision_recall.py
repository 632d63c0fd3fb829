"""Improved precision and recall of generated samples (k-NN manifolds).

Each feature set approximates its data manifold by a union of balls: one
around every sample, reaching to its k-th nearest neighbour in the same
set. *Precision* is the fraction of generated samples inside the real
manifold (fidelity: are the samples realistic?); *recall* is the fraction
of real samples inside the generated manifold (diversity: is every part of
the data produced?). A mode-collapsed generator keeps a high precision but
loses recall; FID mixes the two into one number.

Pairwise distances are computed in row chunks with matrix products, so
10,000 x 10,000 samples need about `chunk_size * 10,000` floats of memory
at a time, never the whole distance matrix.

Example:

```python
import numpy as np
from keras_gans.metrics.precision_recall import precision_recall

rng = np.random.default_rng(0)
real = rng.normal(size=(2000, 16))
fake = rng.normal(size=(2000, 16))  # Same distribution, other samples.
precision_recall(real, fake)       # {'precision': 0.77..., 'recall': 0.80...}
collapsed = np.zeros((2000, 16))    # Every sample at the centre.
precision_recall(real, collapsed)  # {'precision': 1.0, 'recall': 0.0}
```

Reference:
    - [Kynkaanniemi et al., 2019](https://arxiv.org/abs/1904.06991)
"""

import numpy as np

from keras_gans import validation
from keras_gans.metrics._features import check_feature_pair

# Dtype of the distance computations (see `precision_recall`).
_DTYPE = "float32"


def _squared_norms(x):
    return np.einsum("ij,ij->i", x, x)


def _kth_neighbour_sq_radii(x, norms, k, chunk_size):
    """Squared distance from each row of `x` to its k-th nearest other row.

    Args:
        x: float64 array of shape `(N, D)`.
        norms: `_squared_norms(x)`, shape `(N,)`.
        k: Integer in [1, N).
        chunk_size: Rows of the distance matrix computed at a time.

    Returns:
        float64 array of shape `(N,)`.
    """
    radii = np.empty(len(x), dtype=x.dtype)
    for start in range(0, len(x), chunk_size):
        rows = slice(start, start + chunk_size)
        d2 = x[rows] @ x.T
        d2 *= -2.0
        d2 += norms[rows, None]
        d2 += norms[None, :]
        # A sample is not its own neighbour: put it below every distance so
        # that position k of the partition is the k-th *other* sample. (A
        # duplicate of the sample still counts, at distance 0.)
        index = np.arange(len(d2))
        d2[index, start + index] = -np.inf
        radii[rows] = np.partition(d2, k, axis=1)[:, k]
    # The product form ||a||^2 - 2 a.b + ||b||^2 can round below 0.
    return np.maximum(radii, 0.0)


def precision_recall(real_features, fake_features, k=3, chunk_size=1000):
    """Improved precision and recall of `fake_features` against real ones.

    A sample's ball has as radius the distance to its k-th nearest
    neighbour in its own set (not counting itself). A point is inside a
    manifold when it lies in at least one ball of it, boundary included.

    Args:
        real_features: Array-like of shape `(N, D)`, features of real
            samples (e.g. Inception or VGG features), N > k.
        fake_features: Array-like of shape `(M, D)`, features of generated
            samples, M > k.
        k: Positive integer, the neighbour defining the radii (the paper
            uses 3).
        chunk_size: Positive integer, rows of each distance matrix computed
            at a time; memory grows as `chunk_size * max(N, M)`.

    Returns:
        A dict with floats in [0, 1]:
        - `"precision"`: fraction of fake samples within the real manifold.
        - `"recall"`: fraction of real samples within the fake manifold.

    Raises:
        ValueError: If an input is not 2-D, the feature dimensions differ,
            `k` is not in [1, min(N, M)), or `chunk_size` < 1.
    """
    real, fake = check_feature_pair(
        real_features, fake_features, ("real_features", "fake_features"))
    k = validation.check_int("k", k)
    if k >= min(len(real), len(fake)):
        raise ValueError(
            f"Each set needs more than k={k} samples (a sample's k-th "
            "nearest neighbour is another sample of its set). Received: "
            f"real_features.shape={real.shape}, "
            f"fake_features.shape={fake.shape}"
        )
    chunk_size = validation.check_int("chunk_size", chunk_size)

    # The product form of the squared distance loses about eps * ||a||^2
    # to cancellation. Distances do not change under a common translation,
    # so centring both sets on the real mean keeps the norms, and the loss,
    # of the order of the distances themselves: then float32 (relative
    # error ~1e-7) is accurate enough and about twice as fast as float64.
    centre = np.mean(real, axis=0, dtype="float64")
    real = real.astype(_DTYPE) - centre.astype(_DTYPE)
    fake = fake.astype(_DTYPE) - centre.astype(_DTYPE)
    real_norms = _squared_norms(real)
    fake_norms = _squared_norms(fake)
    real_radii = _kth_neighbour_sq_radii(real, real_norms, k, chunk_size)
    fake_radii = _kth_neighbour_sq_radii(fake, fake_norms, k, chunk_size)

    # With G = fake . real^T, fake i is in real ball j when
    #   |f_i|^2 - 2 G_ij + |r_j|^2 <= radius_j
    #   <=> -2 G_ij + (|r_j|^2 - radius_j) <= -|f_i|^2
    # and real j is in fake ball i when
    #   -2 G_ij + (|f_i|^2 - radius_i) <= -|r_j|^2,
    # so one product per chunk answers both questions.
    real_offset = real_norms - real_radii
    fake_offset = fake_norms - fake_radii
    fake_inside = np.empty(len(fake), dtype=bool)
    real_inside = np.zeros(len(real), dtype=bool)
    for start in range(0, len(fake), chunk_size):
        rows = slice(start, start + chunk_size)
        g2 = fake[rows] @ real.T
        g2 *= -2.0
        fake_inside[rows] = (
            np.min(g2 + real_offset[None, :], axis=1) <= -fake_norms[rows]
        )
        g2 += fake_offset[rows, None]
        real_inside |= np.min(g2, axis=0) <= -real_norms
    return {
        "precision": float(np.mean(fake_inside)),
        "recall": float(np.mean(real_inside)),
    }
