"""Adversarial losses against TF-GAN's values.

The expected numbers were computed with TF-GAN 2.1.0's `losses` module on
the logits D_REAL and D_FAKE below (mean over the batch) and checked against
plain NumPy formulas. TF-GAN's smoothing puts real targets at 1 - ls/2.
"""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans import losses

D_REAL = tf.constant([[1.5], [-0.3], [0.7], [2.0]])
D_FAKE = tf.constant([[-1.2], [0.4], [-2.5], [0.1]])


@pytest.mark.parametrize("name, d_expected, g_expected", [
    ("wasserstein", -1.775000095, 0.800000072),
    ("hinge", 1.024999976, 0.800000072),
    ("least_squares", 1.361249924, 2.282500029),
    ("non_saturating", 0.896366715, 1.299896121),
    ("minimax", 0.896366715, None),
])
def test_loss_matches_reference(name, d_expected, g_expected):
    d_loss, g_loss = losses.get(name)(D_REAL, D_FAKE)
    np.testing.assert_allclose(float(d_loss), d_expected, rtol=1e-6)
    if g_expected is not None:
        np.testing.assert_allclose(float(g_loss), g_expected, rtol=1e-6)


def test_minimax_generator_is_log_one_minus_d():
    # TF-GAN's minimax adds a constant; compare to the closed form.
    _, g_loss = losses.minimax(D_REAL, D_FAKE)
    d = 1.0 / (1.0 + np.exp(-D_FAKE.numpy()))
    np.testing.assert_allclose(float(g_loss), np.mean(np.log(1 - d)),
                               rtol=1e-6)


def test_label_smoothing_matches_reference():
    d_loss, _ = losses.non_saturating(D_REAL, D_FAKE,
                                      real_targets=1.0 - 0.25 / 2)
    np.testing.assert_allclose(float(d_loss), 1.018241644, rtol=1e-6)


@pytest.mark.parametrize("name", list(losses.LOSSES))
def test_generator_term_needs_no_real_logits(name):
    d_loss, g_loss = losses.get(name)(None, D_FAKE)
    assert d_loss is None
    np.testing.assert_allclose(float(g_loss),
                               float(losses.get(name)(D_REAL, D_FAKE)[1]))


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match="hinge.*Received: loss='foo'"):
        losses.get("foo")
