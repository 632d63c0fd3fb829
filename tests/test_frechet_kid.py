"""Tests for keras_gans.metrics.frechet and keras_gans.metrics.kid."""

import itertools
import math

import numpy as np
import pytest

from keras_gans.metrics import frechet
from keras_gans.metrics.frechet import feature_statistics
from keras_gans.metrics.frechet import frechet_distance
from keras_gans.metrics.frechet import frechet_distance_from_statistics
from keras_gans.metrics.kid import kernel_inception_distance


@pytest.fixture(scope="module")
def reference_features():
    """The fixed features the reference values were computed on (with
    TF-GAN 2.1.0's `eval` module's Frechet distance and KID, checked
    against NumPy formulas)."""
    rs = np.random.RandomState(0)
    a1 = rs.randn(200, 8).astype(np.float32)
    a2 = (rs.randn(200, 8) * 1.3 + 0.5).astype(np.float32)
    return a1, a2


# Frechet distance.


def test_frechet_reference_values(reference_features):
    a1, a2 = reference_features
    assert frechet_distance(a1, a2) == pytest.approx(2.5337212, rel=1e-6)
    assert frechet_distance(a2, a1) == pytest.approx(2.5337212, rel=1e-6)
    assert frechet_distance(a1, a1) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("dim,n", [(1, 30), (3, 50), (6, 20), (16, 400)])
def test_frechet_matches_scipy_sqrtm(dim, n):
    linalg = pytest.importorskip("scipy.linalg")
    rng = np.random.default_rng(dim)
    # Correlated features with different scales, as real features are.
    a = rng.normal(size=(n, dim)) @ rng.normal(size=(dim, dim))
    b = rng.normal(0.3, 1.5, size=(n, dim)) @ rng.normal(size=(dim, dim))
    mu1, mu2 = a.mean(0), b.mean(0)
    s1 = np.atleast_2d(np.cov(a, rowvar=False))
    s2 = np.atleast_2d(np.cov(b, rowvar=False))
    covmean = linalg.sqrtm(s1 @ s2).real
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2 * covmean)
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-7)


def test_frechet_of_a_translation_is_the_squared_shift():
    # Equal covariances: only the squared distance of the means remains.
    rng = np.random.default_rng(0)
    a = rng.normal(size=(500, 5)) @ rng.normal(size=(5, 5))
    shift = np.array([1.0, -2.0, 0.5, 0.0, 3.0])
    assert frechet_distance(a, a + shift) == pytest.approx(
        np.sum(shift ** 2), rel=1e-9)


def test_frechet_grows_with_added_noise():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(2000, 8))
    noise = rng.normal(size=features.shape)
    distances = [frechet_distance(features, features + std * noise)
                 for std in (0.0, 0.1, 0.3, 1.0, 3.0)]
    assert distances[0] == pytest.approx(0.0, abs=1e-9)
    assert np.all(np.diff(distances) > 0), distances


def test_frechet_singular_covariances():
    # Fewer samples than dimensions: both covariances are singular, which
    # is where a general matrix square root can fail; the result must be
    # finite, symmetric and 0 for identical sets.
    rng = np.random.default_rng(0)
    a = rng.normal(size=(10, 32))
    b = rng.normal(size=(10, 32)) + 1.0
    d_ab, d_ba = frechet_distance(a, b), frechet_distance(b, a)
    assert math.isfinite(d_ab) and d_ab > 0
    assert d_ab == pytest.approx(d_ba, rel=1e-9)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)


def test_feature_statistics(monkeypatch):
    rng = np.random.default_rng(0)
    features = rng.normal(5.0, 2.0, size=(103, 4)).astype("float32")
    expected_mu = features.astype("float64").mean(0)
    expected_sigma = np.cov(features.astype("float64"), rowvar=False)
    # Small chunks, not dividing N, exercise the accumulation.
    for chunk in (8192, 10):
        monkeypatch.setattr(frechet, "_CHUNK", chunk)
        mu, sigma = feature_statistics(features)
        assert mu.dtype == sigma.dtype == np.float64
        assert mu.shape == (4,) and sigma.shape == (4, 4)
        np.testing.assert_allclose(mu, expected_mu, rtol=1e-12)
        np.testing.assert_allclose(sigma, expected_sigma, rtol=1e-10)


def test_frechet_from_statistics_equals_from_features(reference_features):
    a1, a2 = reference_features
    stats = feature_statistics(a1) + feature_statistics(a2)
    assert frechet_distance_from_statistics(*stats) == pytest.approx(
        frechet_distance(a1, a2), rel=1e-12)


@pytest.mark.parametrize("a,b,match", [
    (np.zeros(10), np.zeros((10, 3)), r"features_a.shape=\(10,\)"),
    (np.zeros((10, 3)), np.zeros((10, 3, 1)), r"features_b.shape="),
    (np.zeros((10, 3)), np.zeros((10, 4)), "same feature dimension"),
    (np.zeros((1, 3)), np.zeros((10, 3)), "at least 2 samples"),
    (np.full((10, 3), np.nan), np.zeros((10, 3)), "NaN"),
])
def test_frechet_bad_inputs(a, b, match):
    with pytest.raises(ValueError, match=match):
        frechet_distance(a, b)


def test_frechet_from_statistics_bad_shapes():
    mu, sigma = np.zeros(3), np.eye(3)
    with pytest.raises(ValueError, match=r"sigma2.shape=\(2, 2\)"):
        frechet_distance_from_statistics(mu, sigma, mu, np.eye(2))
    with pytest.raises(ValueError, match=r"mu2.shape=\(4,\)"):
        frechet_distance_from_statistics(mu, sigma, np.zeros(4), sigma)


# Kernel Inception Distance.


def _mmd2_by_pairs(a, b):
    """The unbiased MMD^2 written as explicit sums over sample pairs."""
    dim = a.shape[1]

    def k(x, y):
        return (np.dot(x, y) / dim + 1.0) ** 3

    m, n = len(a), len(b)
    k_aa = sum(k(a[i], a[j]) for i, j in itertools.permutations(range(m), 2))
    k_bb = sum(k(b[i], b[j]) for i, j in itertools.permutations(range(n), 2))
    k_ab = sum(k(x, y) for x in a for y in b)
    return (k_aa / (m * (m - 1)) + k_bb / (n * (n - 1))
            - 2 * k_ab / (m * n))


@pytest.mark.parametrize("subset_size", [200, 1000])
def test_kid_reference_one_block(reference_features, subset_size):
    a1, a2 = reference_features
    result = kernel_inception_distance(a1, a2, subset_size=subset_size)
    assert set(result) == {"kid", "kid_std"}
    assert result["kid"] == pytest.approx(1.2657623, rel=1e-6)
    assert math.isnan(result["kid_std"])  # No spread from a single block.


def test_kid_reference_blocks_of_50(reference_features):
    # TF-GAN's second number is the standard error of the mean over the
    # 4 blocks, sqrt(var(ddof=1) / 4), not their standard deviation.
    a1, a2 = reference_features
    result = kernel_inception_distance(a1, a2, subset_size=50)
    assert result["kid"] == pytest.approx(1.2609260, rel=1e-6)
    assert result["kid_std"] == pytest.approx(0.1769416, rel=1e-5)


def test_kid_uneven_blocks_follow_tf_gan_split():
    # 3 blocks: 23 = 7 + 8 + 8 rows of a, 17 = 5 + 6 + 6 rows of b (TF-GAN
    # puts the larger blocks last).
    rng = np.random.default_rng(0)
    a = rng.normal(size=(23, 3))
    b = rng.normal(0.5, 1.0, size=(17, 3))
    estimates = [
        _mmd2_by_pairs(a[0:7], b[0:5]),
        _mmd2_by_pairs(a[7:15], b[5:11]),
        _mmd2_by_pairs(a[15:23], b[11:17]),
    ]
    result = kernel_inception_distance(a, b, subset_size=8)
    assert result["kid"] == pytest.approx(np.mean(estimates), rel=1e-10)
    assert result["kid_std"] == pytest.approx(
        np.std(estimates, ddof=1) / math.sqrt(3), rel=1e-10)


def test_kid_is_unbiased_near_zero_for_one_distribution():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(2000, 16))
    b = rng.normal(size=(2000, 16))
    same = kernel_inception_distance(a, b, subset_size=200)
    shifted = kernel_inception_distance(a, b + 0.3, subset_size=200)
    # Within sampling noise of 0 (either sign), far below a real shift.
    assert abs(same["kid"]) < 3 * same["kid_std"]
    assert abs(same["kid"]) < 0.05 * shifted["kid"]
    assert shifted["kid"] > 10 * shifted["kid_std"]


def test_kid_random_subsets_deterministic_under_seed(reference_features):
    a1, a2 = reference_features
    first = kernel_inception_distance(a1, a2, 50, num_subsets=20, seed=3)
    again = kernel_inception_distance(a1, a2, 50, num_subsets=20, seed=3)
    other = kernel_inception_distance(a1, a2, 50, num_subsets=20, seed=4)
    assert first == again
    assert first["kid"] != other["kid"]
    # Random subsets of 50 estimate the same quantity as blocks of 50.
    assert first["kid"] == pytest.approx(1.2657623, abs=3 * first["kid_std"])


def test_kid_random_subsets_of_everything(reference_features):
    # Subsets capped at the set size hold every sample: each estimate is
    # the one-block value, so their standard deviation is 0.
    a1, a2 = reference_features
    result = kernel_inception_distance(a1, a2, 1000, num_subsets=3)
    assert result["kid"] == pytest.approx(1.2657623, rel=1e-6)
    assert result["kid_std"] == pytest.approx(0.0, abs=1e-9)


def test_kid_random_subsets_spread_is_std_over_subsets():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(30, 2))
    b = rng.normal(size=(30, 2)) + 1.0
    result = kernel_inception_distance(a, b, 10, num_subsets=4, seed=7)
    draw = np.random.default_rng(7)
    estimates = []
    for _ in range(4):
        index_a = draw.choice(30, 10, replace=False)
        index_b = draw.choice(30, 10, replace=False)
        estimates.append(_mmd2_by_pairs(a[index_a], b[index_b]))
    assert result["kid"] == pytest.approx(np.mean(estimates), rel=1e-10)
    assert result["kid_std"] == pytest.approx(np.std(estimates), rel=1e-10)


@pytest.mark.parametrize("a_shape,b_shape,kwargs,match", [
    ((10, 3), (10, 4), {}, "same feature dimension"),
    ((10,), (10, 3), {}, r"features_a.shape=\(10,\)"),
    ((10, 3), (10, 3), {"subset_size": 1}, "subset_size=1"),
    ((10, 3), (10, 3), {"subset_size": 2.5}, "subset_size=2.5"),
    # 100 samples of b make 10 blocks of 10; a has 3 samples for them.
    ((3, 3), (100, 3), {"subset_size": 10}, "fewer than 2 samples"),
    ((10, 3), (10, 3), {"num_subsets": 0}, "num_subsets=0"),
    # Whole floats and True used to pass `int(x) != x`.
    ((10, 3), (10, 3), {"subset_size": 4.0},
     r"subset_size must be an integer >= 2 \(the unbiased estimator needs "
     r"pairs\). Received: subset_size=4.0"),
    ((10, 3), (10, 3), {"subset_size": 5, "num_subsets": True},
     "num_subsets must be a positive integer .*Received: num_subsets=True"),
    ((10, 3), (10, 3), {"subset_size": 5, "num_subsets": 3.0},
     "Received: num_subsets=3.0"),
    ((1, 3), (10, 3), {"num_subsets": 5}, "at least 2 samples"),
])
def test_kid_bad_inputs(a_shape, b_shape, kwargs, match):
    with pytest.raises(ValueError, match=match):
        kernel_inception_distance(np.zeros(a_shape), np.zeros(b_shape),
                                  **kwargs)
