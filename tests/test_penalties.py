"""Gradient penalties against values from an independent implementation.

The expected numbers were computed with TF-GAN 2.1.0's gradient penalty
(and checked with NumPy) for the batch below: x_real = linspace(-1, 1, 48),
x_fake = cos(arange(48)), both reshaped to (4, 2, 2, 3), a linear critic
sum(x * w) and a quadratic one sum(x^2 * w), w = (arange(12) - 5.5) / 10,
penalty = mean((sqrt(sum(grad^2) + 1e-10) - 1)^2).
"""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans import penalties

X_REAL = tf.constant(np.linspace(-1, 1, 48).reshape(4, 2, 2, 3), "float32")
X_FAKE = tf.constant(np.cos(np.arange(48)).reshape(4, 2, 2, 3), "float32")
W = tf.constant((np.arange(12).reshape(2, 2, 3) - 5.5) / 10, "float32")
SEED = tf.constant([1, 2], "int64")


def linear_critic(x, training=False):
    return tf.reduce_sum(x * W, axis=[1, 2, 3])[:, None]


def quadratic_critic(x, training=False):
    return tf.reduce_sum(tf.square(x) * W, axis=[1, 2, 3])[:, None]


def test_linear_critic_is_independent_of_interpolation():
    value = penalties.gradient_penalty(linear_critic, X_REAL, X_FAKE, SEED)
    np.testing.assert_allclose(float(value), 0.038347844, rtol=1e-5)


@pytest.mark.parametrize("one_sided, expected", [
    (False, 0.423400581), (True, 0.396961659)])
def test_quadratic_critic_real_equals_fake(one_sided, expected):
    value = penalties.gradient_penalty(
        quadratic_critic, X_REAL, X_REAL, SEED, one_sided=one_sided
    )
    np.testing.assert_allclose(float(value), expected, rtol=1e-5)


def test_quadratic_critic_fixed_alpha():
    value = penalties.gradient_penalty(
        quadratic_critic, X_REAL, X_FAKE, SEED,
        alpha=tf.constant([0.1, 0.5, 0.9, 0.3]),
    )
    np.testing.assert_allclose(float(value), 0.236333653, rtol=1e-5)


def test_one_lipschitz_linear_critic_has_no_penalty():
    w = W / tf.norm(W)

    def critic(x, training=False):
        return tf.reduce_sum(x * w, axis=[1, 2, 3])[:, None]

    value = penalties.gradient_penalty(critic, X_REAL, X_FAKE, SEED)
    assert float(value) < 1e-8


def test_r1_is_mean_squared_gradient_norm_on_real():
    value = penalties.r1_penalty(quadratic_critic, X_REAL, X_FAKE, SEED)
    grads = 2 * X_REAL.numpy() * W.numpy()
    expected = np.mean(np.sum(grads.reshape(4, -1) ** 2, axis=1))
    np.testing.assert_allclose(float(value), expected, rtol=1e-5)


def test_dragan_vanishes_for_unit_norm_linear_critic():
    w = W / tf.norm(W)

    def critic(x, training=False):
        return tf.reduce_sum(x * w, axis=[1, 2, 3])[:, None]

    assert float(penalties.dragan_penalty(critic, X_REAL, None, SEED)) < 1e-8
    value = penalties.dragan_penalty(linear_critic, X_REAL, None, SEED)
    np.testing.assert_allclose(float(value), 0.038347844, rtol=1e-5)


def test_penalty_is_differentiable_wrt_critic_weights():
    w = tf.Variable(W)

    def critic(x, training=False):
        return tf.reduce_sum(tf.square(x) * w, axis=[1, 2, 3])[:, None]

    with tf.GradientTape() as tape:
        value = penalties.gradient_penalty(critic, X_REAL, X_FAKE, SEED)
    grad = tape.gradient(value, w)
    assert grad is not None and float(tf.reduce_sum(tf.abs(grad))) > 0


def test_unknown_penalty_lists_valid_names():
    with pytest.raises(ValueError, match="gradient_penalty.*Received"):
        penalties.get("gp")
