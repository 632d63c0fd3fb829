"""Tests for keras_gans.metrics.precision_recall."""

import numpy as np
import pytest

from keras_gans.metrics.precision_recall import precision_recall


def _brute_force(real, fake, k):
    """The definition, with full float64 distance matrices."""
    real = np.asarray(real, dtype="float64")
    fake = np.asarray(fake, dtype="float64")

    def distances(x, y):
        return np.sqrt(np.sum((x[:, None, :] - y[None, :, :]) ** 2, -1))

    def radii(x):
        d = distances(x, x)
        # Drop each sample's distance to itself, keep the k-th smallest.
        others = d[~np.eye(len(x), dtype=bool)].reshape(len(x), -1)
        return np.sort(others, axis=1)[:, k - 1]

    cross = distances(fake, real)  # (M, N)
    precision = np.mean(np.any(cross <= radii(real)[None, :], axis=1))
    recall = np.mean(np.any(cross <= radii(fake)[:, None], axis=0))
    return precision, recall


@pytest.mark.parametrize("n_real,n_fake,dim,k,chunk_size", [
    (60, 45, 2, 3, 1000),
    (60, 45, 2, 3, 7),  # Chunks that do not divide either set.
    (40, 90, 10, 1, 16),
    (80, 30, 5, 5, 9),
])
def test_matches_brute_force(n_real, n_fake, dim, k, chunk_size):
    rng = np.random.default_rng(n_real + dim + k)
    real = rng.normal(size=(n_real, dim))
    # Shifted and wider: some fake samples fall outside the real manifold
    # and some real ones outside the fake manifold.
    fake = rng.normal(0.7, 1.4, size=(n_fake, dim))
    expected = _brute_force(real, fake, k)
    result = precision_recall(real, fake, k=k, chunk_size=chunk_size)
    assert set(result) == {"precision", "recall"}
    assert 0 < expected[0] < 1 and 0 < expected[1] < 1  # Not trivial.
    assert result["precision"] == pytest.approx(expected[0], abs=1e-12)
    assert result["recall"] == pytest.approx(expected[1], abs=1e-12)


def test_float32_and_offset_features():
    # Features far from the origin (as after ReLU pooling) with float32
    # inputs: the centring keeps the product form of distances accurate.
    rng = np.random.default_rng(1)
    real = rng.normal(1000.0, 1.0, size=(70, 6)).astype("float32")
    fake = rng.normal(1000.5, 1.2, size=(50, 6)).astype("float32")
    expected = _brute_force(real, fake, 3)
    result = precision_recall(real, fake, k=3, chunk_size=20)
    assert (result["precision"], result["recall"]) == pytest.approx(expected)


def test_identical_sets():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(300, 8))
    shuffled = real[rng.permutation(len(real))]
    assert precision_recall(real, shuffled) == {
        "precision": 1.0, "recall": 1.0}


def test_disjoint_sets():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(200, 4))
    fake = rng.normal(size=(200, 4)) + 100.0
    assert precision_recall(real, fake) == {"precision": 0.0, "recall": 0.0}


def test_collapsed_generator():
    # Every fake sample at one point inside the real cloud: realistic
    # (precision 1) but covering nothing else (recall 0).
    rng = np.random.default_rng(0)
    real = rng.normal(size=(500, 2))
    collapsed = np.full((500, 2), 0.1)
    result = precision_recall(real, collapsed)
    assert result["precision"] == 1.0
    assert result["recall"] < 0.01


def test_dropped_half():
    # Fake samples from one half of the real distribution only: precise,
    # but they recall about half of the real samples.
    rng = np.random.default_rng(0)
    real = rng.normal(size=(2000, 2))
    fake = rng.normal(size=(4000, 2))
    fake = fake[fake[:, 0] > 0][:1000]
    result = precision_recall(real, fake)
    assert result["precision"] > 0.95
    assert 0.4 < result["recall"] < 0.65


@pytest.mark.parametrize("real_shape,fake_shape,kwargs,match", [
    ((10,), (10, 2), {}, r"real_features.shape=\(10,\)"),
    ((10, 2), (10, 2, 1), {}, r"fake_features.shape=\(10, 2, 1\)"),
    ((10, 2), (10, 3), {}, "same feature dimension"),
    ((10, 2), (3, 2), {"k": 3}, "more than k=3 samples"),
    ((10, 2), (10, 2), {"k": 0}, "k=0"),
    ((10, 2), (10, 2), {"chunk_size": 0}, "chunk_size=0"),
])
def test_bad_inputs(real_shape, fake_shape, kwargs, match):
    with pytest.raises(ValueError, match=match):
        precision_recall(np.zeros(real_shape), np.zeros(fake_shape),
                         **kwargs)


# `int(k) != k` let whole floats and True (== 1) through.
@pytest.mark.parametrize("kwargs", [
    {"k": 2.0}, {"k": True}, {"chunk_size": 8.0}, {"chunk_size": True},
])
def test_float_and_bool_integers_are_refused(kwargs):
    (name, value), = kwargs.items()
    with pytest.raises(ValueError,
                       match=f"{name} must be a positive integer. "
                             f"Received: {name}={value!r}"):
        precision_recall(np.zeros((10, 2)), np.zeros((10, 2)), **kwargs)


def test_numpy_integers_are_accepted():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(20, 2)), rng.normal(size=(20, 2))
    assert precision_recall(real, fake, k=np.int64(3),
                            chunk_size=np.int32(7)) == precision_recall(
                                real, fake, k=3, chunk_size=7)
