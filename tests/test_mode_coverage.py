"""Tests for keras_gans.metrics.mode_coverage."""

import math

import numpy as np
import pytest

from keras_gans.datasets import mixtures
from keras_gans.metrics.mode_coverage import mixture_mode_coverage
from keras_gans.metrics.mode_coverage import mode_coverage


@pytest.mark.parametrize("name", mixtures.MIXTURE_NAMES)
def test_true_mixture_covers_every_mode(name):
    samples = mixtures.sample_mixture(name, 2500, seed=0)
    result = mixture_mode_coverage(samples, name)
    num_modes = len(mixtures.mixture_modes(name))
    assert set(result) == {"modes_covered", "num_modes", "high_quality", "kl"}
    assert result["modes_covered"] == num_modes
    assert result["num_modes"] == num_modes
    # In 2-D, P(radius <= 3 std) = 1 - exp(-4.5) ~ 0.989 (the 1-D 99.7% rule
    # does not carry over to a Euclidean radius in 2-D).
    assert result["high_quality"] == pytest.approx(1 - math.exp(-4.5), 0.01)
    assert 0.0 <= result["kl"] < 0.02


def test_all_samples_at_one_mode():
    modes = mixtures.mixture_modes("grid")
    samples = np.repeat(modes[7:8], 100, axis=0)
    result = mixture_mode_coverage(samples, "grid")
    assert result["modes_covered"] == 1
    assert result["high_quality"] == 1.0
    assert result["kl"] == pytest.approx(math.log(25))


def test_samples_far_away():
    samples = np.full((50, 2), 100.0, dtype="float32")
    result = mixture_mode_coverage(samples, "ring")
    assert result["modes_covered"] == 0
    assert result["num_modes"] == 8
    assert result["high_quality"] == 0.0
    assert result["kl"] == float("inf")


def test_hand_made_case():
    modes = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    samples = np.array(
        [
            [0.1, 0.0],  # mode 0, distance 0.1: high quality
            [0.0, -0.2],  # mode 0, distance 0.2: high quality
            [10.0, 0.3],  # mode 1, distance 0.3 = 3 std: high quality
            [0.0, 9.5],  # mode 2, distance 0.5: not high quality
            [5.0, 5.0],  # far from every mode
        ]
    )
    result = mode_coverage(samples, modes, std=0.1, num_std=3.0)
    assert result["modes_covered"] == 2
    assert result["num_modes"] == 4
    assert result["high_quality"] == pytest.approx(3 / 5)
    p = np.array([2 / 3, 1 / 3])
    assert result["kl"] == pytest.approx(np.sum(p * np.log(p * 4)))
    # A wider radius admits the sample at distance 0.5 as well.
    wide = mode_coverage(samples, modes, std=0.1, num_std=6.0)
    assert wide["modes_covered"] == 3
    assert wide["high_quality"] == pytest.approx(4 / 5)
    p = np.array([2 / 4, 1 / 4, 1 / 4])
    assert wide["kl"] == pytest.approx(np.sum(p * np.log(p * 4)))


def test_bad_inputs():
    modes = mixtures.mixture_modes("ring")
    with pytest.raises(ValueError, match="Received: samples.shape"):
        mode_coverage(np.zeros((4, 3)), modes, 0.01)
    with pytest.raises(ValueError, match="Received: samples.shape"):
        mode_coverage(np.zeros((0, 2)), modes, 0.01)
    with pytest.raises(ValueError, match="Received: std=0"):
        mode_coverage(np.zeros((4, 2)), modes, 0)
    with pytest.raises(ValueError, match="Received: name='spiral'"):
        mixture_mode_coverage(np.zeros((4, 2)), "spiral")
