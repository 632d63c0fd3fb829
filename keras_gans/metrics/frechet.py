"""Frechet distance between two sets of features (the "F" of FID).

Each set is summarized by the mean and covariance of its features, and the
Frechet (2-Wasserstein) distance between the two Gaussians with those
moments is

    ||mu1 - mu2||^2 + tr(sigma1) + tr(sigma2) - 2 tr((sigma1 sigma2)^(1/2))

With Inception pool features (see `keras_gans.metrics.inception`) this is
the Frechet Inception Distance. The estimate is biased: it depends on the
number of samples, so compare values computed from equally many samples.

Example:

```python
import numpy as np
from keras_gans.metrics.frechet import frechet_distance

rng = np.random.default_rng(0)
real = rng.normal(size=(2000, 16))
fake = rng.normal(0.5, 1.0, size=(2000, 16))
frechet_distance(real, fake)   # about 16 * 0.5**2 = 4, plus sampling noise
```

Reference:
    - [Heusel et al., 2017](https://arxiv.org/abs/1706.08500) (FID)
    - [Dowson and Landau, 1982](
      https://doi.org/10.1016/0047-259X(82)90077-X) (the distance)
"""

import numpy as np

from keras_gans.metrics._features import check_feature_pair

# Rows per chunk when accumulating the covariance, to bound the float64
# working copy at about _CHUNK * D values whatever N is.
_CHUNK = 8192


def _check_features(features, name):
    """`features` as an array of shape `(N, D)` with N >= 2."""
    features = np.asarray(features)
    if features.ndim != 2:
        raise ValueError(
            f"`{name}` must be a 2-D array of shape (num_samples, "
            f"feature_dim). Received: {name}.shape={features.shape}"
        )
    if len(features) < 2:
        raise ValueError(
            f"`{name}` needs at least 2 samples to estimate a covariance. "
            f"Received: {name}.shape={features.shape}"
        )
    return features


def feature_statistics(features):
    """Mean and covariance of a set of features.

    Args:
        features: Array-like of shape `(N, D)` with N >= 2.

    Returns:
        A tuple `(mu, sigma)`: float64 arrays of shapes `(D,)` and `(D, D)`;
        `sigma` is the unbiased covariance (divided by N - 1, like
        `numpy.cov`).

    Raises:
        ValueError: If `features` is not 2-D, has fewer than 2 rows, or
            holds NaN or infinite values.
    """
    features = _check_features(features, "features")
    n, dim = features.shape
    mu = np.zeros(dim, dtype="float64")
    for start in range(0, n, _CHUNK):
        mu += np.sum(features[start:start + _CHUNK], axis=0, dtype="float64")
    mu /= n
    if not np.all(np.isfinite(mu)):
        raise ValueError(
            "`features` holds NaN or infinite values (did the generator "
            "diverge?)."
        )
    # Centring before the product (rather than E[xx^T] - mu mu^T) avoids
    # cancellation when the mean is large compared with the spread.
    sigma = np.zeros((dim, dim), dtype="float64")
    for start in range(0, n, _CHUNK):
        centred = features[start:start + _CHUNK].astype("float64") - mu
        sigma += centred.T @ centred
    sigma /= n - 1
    return mu, sigma


def _psd_root(eigenvalues):
    """Square roots of a PSD matrix's eigenvalues, rounding noise as 0.

    A singular matrix (e.g. a covariance from fewer samples than
    dimensions) has eigenvalues that are 0 but come out of `eigh` as
    rounding noise of either sign, up to ~n * eps * the largest. The
    square root magnifies that noise (1e-16 -> 1e-8), enough to make
    FD(a, b) and FD(b, a) differ in the ninth digit; as numpy's
    `matrix_rank` does, eigenvalues below that tolerance count as 0.
    """
    largest = float(np.max(np.abs(eigenvalues), initial=0.0))
    tolerance = largest * len(eigenvalues) * np.finfo(eigenvalues.dtype).eps
    return np.sqrt(np.where(eigenvalues > tolerance, eigenvalues, 0.0))


def _sqrt_psd(matrix):
    """Square root of a symmetric positive semi-definite matrix (its
    eigenvalues within rounding of 0 taken as 0, see `_psd_root`)."""
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    return (eigenvectors * _psd_root(eigenvalues)) @ eigenvectors.T


def _trace_sqrt_product(sigma1, sigma2):
    """`tr((sigma1 sigma2)^(1/2))` for symmetric PSD `sigma1`, `sigma2`.

    `sigma1 sigma2` is not symmetric, but it has the same eigenvalues as
    the symmetric PSD matrix `s sigma2 s` with `s = sigma1^(1/2)` (for
    square matrices AB and BA share their eigenvalues). The trace of the
    square root is the sum of the square roots of those eigenvalues, which
    `eigh` finds stably. This avoids `scipy.linalg.sqrtm`, whose Schur
    iteration can return a complex result or NaN for nearly singular
    covariances.
    """
    s = _sqrt_psd(sigma1)
    product = s @ sigma2 @ s
    product = (product + product.T) / 2  # Exactly symmetric for `eigh`.
    return float(np.sum(_psd_root(np.linalg.eigvalsh(product))))


def frechet_distance_from_statistics(mu1, sigma1, mu2, sigma2):
    """Frechet distance between two Gaussians given their moments.

    Args:
        mu1: Array-like of shape `(D,)`, the first mean.
        sigma1: Array-like of shape `(D, D)`, the first covariance
            (symmetric positive semi-definite).
        mu2: Array-like of shape `(D,)`, the second mean.
        sigma2: Array-like of shape `(D, D)`, the second covariance.

    Returns:
        A non-negative float. Rounding can make the exact formula slightly
        negative for two equal distributions; such values are returned as 0.

    Raises:
        ValueError: If the shapes disagree or a value is not finite.
    """
    mu1 = np.asarray(mu1, dtype="float64")
    mu2 = np.asarray(mu2, dtype="float64")
    sigma1 = np.asarray(sigma1, dtype="float64")
    sigma2 = np.asarray(sigma2, dtype="float64")
    if mu1.ndim != 1:
        raise ValueError(
            f"`mu1` must have shape (D,). Received: mu1.shape={mu1.shape}"
        )
    dim = mu1.shape[0]
    for name, value, shape in (("mu2", mu2, (dim,)),
                               ("sigma1", sigma1, (dim, dim)),
                               ("sigma2", sigma2, (dim, dim))):
        if value.shape != shape:
            raise ValueError(
                f"`{name}` must have shape {shape} to match "
                f"mu1.shape={mu1.shape}. Received: {name}.shape="
                f"{value.shape}"
            )
        if not np.all(np.isfinite(value)):
            raise ValueError(f"`{name}` holds NaN or infinite values.")
    if not np.all(np.isfinite(mu1)):
        raise ValueError("`mu1` holds NaN or infinite values.")
    diff = mu1 - mu2
    distance = (
        diff @ diff
        + np.trace(sigma1)
        + np.trace(sigma2)
        - 2.0 * _trace_sqrt_product(sigma1, sigma2)
    )
    return max(float(distance), 0.0)


def frechet_distance(features_a, features_b):
    """Frechet distance between the Gaussian fits of two feature sets.

    Args:
        features_a: Array-like of shape `(N, D)`, N >= 2, e.g. Inception
            features of real images.
        features_b: Array-like of shape `(M, D)`, M >= 2, e.g. of generated
            images.

    Returns:
        A non-negative float (0 for identical sets up to rounding).

    Raises:
        ValueError: If an input is not 2-D, has fewer than 2 samples, the
            feature dimensions differ, or a value is not finite.
    """
    features_a, features_b = check_feature_pair(features_a, features_b)
    features_a = _check_features(features_a, "features_a")
    features_b = _check_features(features_b, "features_b")
    mu1, sigma1 = feature_statistics(features_a)
    mu2, sigma2 = feature_statistics(features_b)
    return frechet_distance_from_statistics(mu1, sigma1, mu2, sigma2)
