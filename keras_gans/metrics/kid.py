"""Kernel Inception Distance: an unbiased MMD^2 between two feature sets.

KID is the squared maximum mean discrepancy with the polynomial kernel
`k(x, y) = (x.y / D + 1)^3` on D-dimensional (Inception) features:

    E[k(a, a')] + E[k(b, b')] - 2 E[k(a, b)]

estimated without bias (the diagonal terms `k(a, a)` are left out), so
unlike FID its expectation does not depend on the number of samples, and
it can be slightly negative when the two distributions are equal. The
estimator assumes two independent samples: passing the same array twice
gives a clearly negative value (the cross term then holds every
`k(a, a)`), not 0. Kernel matrices are quadratic in the number of
samples, so the estimate averages over subsets of `subset_size` samples
of each set. Two conventions:

- `num_subsets=None`: disjoint blocks covering every sample, as TF-GAN's
  `kernel_classifier_distance_and_std_from_activations`. `"kid_std"` is
  then TF-GAN's second output, the *standard error* of the mean over
  blocks, `std(block estimates, ddof=1) / sqrt(num_blocks)`.
- `num_subsets=S`: S random subsets drawn without replacement, as in
  Binkowski et al.'s code and torch-fidelity. `"kid_std"` is then the
  *standard deviation* of the S subset estimates (`ddof=0`, as
  torch-fidelity's `np.std`), the spread of one subset's estimate.

Example:

```python
import numpy as np
from keras_gans.metrics.kid import kernel_inception_distance

rng = np.random.default_rng(0)
real = rng.normal(size=(2000, 16))
fake = rng.normal(0.5, 1.0, size=(2000, 16))
kernel_inception_distance(real, fake, subset_size=500)
# {'kid': 1.03..., 'kid_std': 0.037...}   (4 blocks)
kernel_inception_distance(real, fake, subset_size=500, num_subsets=100)
```

Reference:
    - [Binkowski et al., 2018](https://arxiv.org/abs/1801.01401)
    - [Zaremba et al., 2013](https://arxiv.org/abs/1307.1954) (the block
      estimator)
"""

import math

import numpy as np

from keras_gans import validation
from keras_gans.metrics._features import check_feature_pair


def _mmd2_unbiased(a, b):
    """Unbiased MMD^2 of two sample sets under the KID kernel.

    Args:
        a: float64 array of shape `(m, D)`, m >= 2.
        b: float64 array of shape `(n, D)`, n >= 2.

    Returns:
        A float.
    """
    dim = a.shape[1]
    m, n = len(a), len(b)

    def kernel_sum(x, y, drop_diagonal):
        k = x @ y.T
        k /= dim
        k += 1.0
        k **= 3
        total = k.sum()
        if drop_diagonal:
            total -= np.trace(k)
        return total

    return float(
        kernel_sum(a, a, True) / (m * (m - 1))
        + kernel_sum(b, b, True) / (n * (n - 1))
        - 2.0 * kernel_sum(a, b, False) / (m * n)
    )


def _block_bounds(n, num_blocks):
    """Start and end of `num_blocks` consecutive blocks covering `n` rows.

    The blocks have sizes `n // num_blocks` and, for the last
    `n % num_blocks` of them, one more: TF-GAN's split, so that the block
    estimates (and hence the result) match it exactly.
    """
    small = n // num_blocks
    num_large = n - small * num_blocks
    sizes = [small] * (num_blocks - num_large) + [small + 1] * num_large
    ends = np.cumsum(sizes)
    return list(zip(ends - sizes, ends))


def kernel_inception_distance(
    features_a, features_b, subset_size=1000, num_subsets=None, seed=0
):
    """KID between two feature sets, with its uncertainty.

    Args:
        features_a: Array-like of shape `(N, D)`, e.g. Inception features
            of real images.
        features_b: Array-like of shape `(M, D)`, e.g. of generated images.
        subset_size: Integer >= 2. With `num_subsets=None`, the largest
            block size: the sets are cut into
            `ceil(max(N, M) / subset_size)` disjoint blocks of nearly equal
            sizes, in their given order (shuffle sorted data first). With
            `num_subsets`, the size of each random subset, capped at
            `min(N, M)`.
        num_subsets: None for disjoint blocks (TF-GAN's estimator), or a
            positive integer: the number of random subsets (each drawn
            without replacement, independently of the others).
        seed: Seed of the `numpy.random.Generator` drawing random subsets;
            unused for blocks.

    Returns:
        A dict with:
        - `"kid"`: float, the mean of the per-block (per-subset) unbiased
          MMD^2 estimates.
        - `"kid_std"`: float. For blocks: the standard error of that mean,
          `std(estimates, ddof=1) / sqrt(num_blocks)`, as TF-GAN reports
          (NaN for a single block). For random subsets: the standard
          deviation of the estimates (`ddof=0`, as torch-fidelity).

    Raises:
        ValueError: If an input is not 2-D, the feature dimensions differ,
            `subset_size` < 2, `num_subsets` < 1, or a block would hold
            fewer than 2 samples of a set.
    """
    features_a, features_b = check_feature_pair(features_a, features_b)
    subset_size = validation.check_int(
        "subset_size", subset_size, minimum=2,
        what="(the unbiased estimator needs pairs)")
    n_a, n_b = len(features_a), len(features_b)

    if num_subsets is None:
        num_blocks = math.ceil(max(n_a, n_b) / subset_size)
        if min(n_a, n_b) < 2 * max(num_blocks, 1):
            raise ValueError(
                f"Cutting the sets into {num_blocks} blocks of at most "
                f"subset_size={subset_size} samples leaves fewer than 2 "
                "samples of a set in a block; use a larger `subset_size` "
                "or more samples. Received: "
                f"features_a.shape={features_a.shape}, "
                f"features_b.shape={features_b.shape}"
            )
        estimates = np.array([
            _mmd2_unbiased(
                features_a[a0:a1].astype("float64"),
                features_b[b0:b1].astype("float64"),
            )
            for (a0, a1), (b0, b1) in zip(_block_bounds(n_a, num_blocks),
                                          _block_bounds(n_b, num_blocks))
        ])
        mean = float(np.mean(estimates))
        if num_blocks < 2:
            std = float("nan")
        else:
            std = float(np.std(estimates, ddof=1) / math.sqrt(num_blocks))
        return {"kid": mean, "kid_std": std}

    num_subsets = validation.check_int("num_subsets", num_subsets,
                                       what="(or None: disjoint blocks)")
    size = min(subset_size, n_a, n_b)
    if size < 2:
        raise ValueError(
            "Each set needs at least 2 samples. Received: "
            f"features_a.shape={features_a.shape}, "
            f"features_b.shape={features_b.shape}"
        )
    rng = np.random.default_rng(seed)
    estimates = np.empty(num_subsets)
    for i in range(num_subsets):
        index_a = rng.choice(n_a, size, replace=False)
        index_b = rng.choice(n_b, size, replace=False)
        estimates[i] = _mmd2_unbiased(
            features_a[index_a].astype("float64"),
            features_b[index_b].astype("float64"),
        )
    return {"kid": float(np.mean(estimates)),
            "kid_std": float(np.std(estimates))}
