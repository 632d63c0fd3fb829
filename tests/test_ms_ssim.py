"""MS-SSIM of random pairs: the diversity metric and its pair drawing."""

import numpy as np
import pytest

from keras_gans.metrics import ms_ssim


def _images(rows, size=32, seed=0):
    return np.random.default_rng(seed).uniform(
        -1, 1, (rows, size, size, 3)).astype("float32")


def test_copies_score_one_and_noise_near_zero():
    images = _images(20)
    assert ms_ssim.mean_ms_ssim(np.repeat(images[:1], 20, axis=0)) == (
        pytest.approx(1.0, abs=1e-5))
    assert ms_ssim.mean_ms_ssim(images, num_pairs=100) < 0.1


def test_pairs_are_distinct_and_share_their_group():
    groups = np.array([0, 0, 1, 2, 2, 2, 3])
    first, second = ms_ssim.random_pairs(7, 500, seed=1, groups=groups)
    assert len(first) == 500
    assert np.all(first != second)
    assert np.all(groups[first] == groups[second])
    # Samples 2 and 6 are alone in their groups: never drawn.
    assert not np.isin([2, 6], np.concatenate([first, second])).any()
    # Multi-column labels group by whole rows.
    rows = np.array([[0, 1], [0, 1], [1, 0], [0, 0]])
    first, second = ms_ssim.random_pairs(4, 50, groups=rows)
    assert set(first) | set(second) == {0, 1}
    first, _ = ms_ssim.random_pairs(3, 10, groups=np.array([0, 1, 2]))
    assert len(first) == 0
    assert np.isnan(ms_ssim.mean_ms_ssim(_images(3), np.array([0, 1, 2])))


def test_within_group_value_sees_a_generator_with_one_image_per_label():
    """Each label's images are copies: varied across labels (low all-pairs
    value), collapsed within them (1), which only grouping shows."""
    labels = np.repeat(np.arange(10), 5)
    images = np.repeat(_images(10), 5, axis=0)
    assert ms_ssim.mean_ms_ssim(images, num_pairs=200) < 0.3
    assert ms_ssim.mean_ms_ssim(images, labels, num_pairs=200) == (
        pytest.approx(1.0, abs=1e-5))


def test_scales_fit_the_window_and_bad_input_is_refused():
    assert [ms_ssim.num_scales(s) for s in (16, 28, 32, 64)] == [2, 3, 3, 3]
    assert ms_ssim.pair_ms_ssim(_images(2, 16), _images(2, 16, 1)).shape \
        == (2,)
    with pytest.raises(ValueError, match="at least two images"):
        ms_ssim.mean_ms_ssim(_images(1))
