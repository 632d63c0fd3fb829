"""Tests for keras_gans.datasets.mixtures."""

import numpy as np
import pytest

from keras_gans.datasets import mixtures


def _nearest_distance(points, modes):
    diff = points[:, None, :] - modes[None, :, :]
    return np.sqrt((diff**2).sum(-1)).min(axis=1)


def test_ring_modes_distinct_on_unit_circle():
    modes = mixtures.mixture_modes("ring")
    assert modes.shape == (8, 2) and modes.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(modes, axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(modes[0], [1.0, 0.0], atol=1e-6)
    # No two modes stacked: neighbours are 2 sin(pi / 8) apart.
    pairwise = np.linalg.norm(modes[:, None] - modes[None], axis=-1)
    off_diagonal = pairwise[~np.eye(8, dtype=bool)]
    assert off_diagonal.min() == pytest.approx(2 * np.sin(np.pi / 8), 1e-5)
    assert mixtures.mixture_std("ring") == 0.01


def test_grid_modes():
    modes = mixtures.mixture_modes("grid")
    assert modes.shape == (25, 2) and modes.dtype == np.float32
    assert len({tuple(m) for m in modes.tolist()}) == 25
    values = [-4.0, -2.0, 0.0, 2.0, 4.0]
    assert sorted(set(modes[:, 0].tolist())) == values
    assert sorted(set(modes[:, 1].tolist())) == values
    assert mixtures.mixture_std("grid") == 0.05


@pytest.mark.parametrize("name", mixtures.MIXTURE_NAMES)
def test_sample_mixture_statistics_and_determinism(name):
    samples = mixtures.sample_mixture(name, 2000, seed=3)
    assert samples.shape == (2000, 2) and samples.dtype == np.float32
    modes = mixtures.mixture_modes(name)
    std = mixtures.mixture_std(name)
    distance = _nearest_distance(samples, modes)
    # The 2-D radius exceeds 5 std with probability exp(-12.5) ~ 4e-6.
    assert distance.max() < 5 * std
    assert 0.8 * std < np.sqrt((distance**2).mean() / 2) < 1.2 * std
    np.testing.assert_array_equal(
        samples, mixtures.sample_mixture(name, 2000, seed=3)
    )
    assert not np.array_equal(
        samples, mixtures.sample_mixture(name, 2000, seed=4)
    )


@pytest.mark.parametrize("name", mixtures.MIXTURE_NAMES)
def test_dataset_batches(name):
    batches = list(mixtures.mixture_dataset(name, 64, seed=1).take(3))
    again = list(mixtures.mixture_dataset(name, 64, seed=1).take(3))
    other = list(mixtures.mixture_dataset(name, 64, seed=2).take(1))
    for batch in batches:
        assert batch.shape == (64, 2) and batch.dtype.name == "float32"
    for a, b in zip(batches, again):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(batches[0].numpy(), batches[1].numpy())
    assert not np.array_equal(batches[0].numpy(), other[0].numpy())
    points = np.concatenate([b.numpy() for b in batches])
    distance = _nearest_distance(points, mixtures.mixture_modes(name))
    assert distance.max() < 5 * mixtures.mixture_std(name)


def test_dataset_is_infinite():
    dataset = mixtures.mixture_dataset("ring", 4, seed=0)
    assert dataset.cardinality().numpy() == -1  # tf.data.INFINITE_CARDINALITY


@pytest.mark.parametrize(
    "call",
    [
        lambda: mixtures.mixture_modes("spiral"),
        lambda: mixtures.mixture_std("spiral"),
        lambda: mixtures.sample_mixture("spiral", 10, seed=0),
        lambda: mixtures.mixture_dataset("spiral", 10, seed=0),
    ],
)
def test_unknown_name(call):
    pattern = r"ring.*grid.*Received: name='spiral'"
    with pytest.raises(ValueError, match=pattern):
        call()


def test_bad_sizes():
    with pytest.raises(ValueError, match="^num_samples must be a "
                       "non-negative integer. Received: num_samples=-1$"):
        mixtures.sample_mixture("ring", -1, seed=0)
    with pytest.raises(ValueError, match="Received: num_samples=2.0$"):
        mixtures.sample_mixture("ring", 2.0, seed=0)
    with pytest.raises(ValueError, match="^batch_size must be a positive "
                       "integer. Received: batch_size=0$"):
        mixtures.mixture_dataset("ring", 0, seed=0)
