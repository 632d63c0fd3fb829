"""Discriminator gradient penalties, looked up by name.

Every penalty has the same signature::

    value = penalty_fn(critic, real, fake, seed)

`critic` maps a batch to logits (batch, 1); `real` and `fake` are batches of
the same shape (batch, ...) and `seed` a stateless seed tensor of shape (2,)
(int32/int64) for the random interpolation. The GAN multiplies the value by
its `penalty_weight` (lambda) and adds it to the discriminator loss. The
gradient is taken with a nested tape, so the penalty itself is
differentiable w.r.t. the critic's weights (double back-propagation).
"""

import tensorflow as tf

from keras_gans import validation

# Added under the square root so the norm's gradient is finite at zero.
NORM_EPSILON = 1e-10


def _gradient_norm_sq(critic, x):
    """Per-example squared norm of d critic(x) / dx: shape (batch,)."""
    with tf.GradientTape() as tape:
        tape.watch(x)
        logits = tf.cast(critic(x, training=True), "float32")
    # A non-scalar target is summed, giving each example's own gradient.
    grads = tape.gradient(logits, x)
    grads = tf.reshape(tf.cast(grads, "float32"), [tf.shape(x)[0], -1])
    return tf.reduce_sum(tf.square(grads), axis=1)


def _interpolate(real, fake, alpha):
    """real + alpha * (fake - real), alpha of shape (batch,)."""
    alpha = tf.reshape(
        tf.cast(alpha, real.dtype),
        tf.concat([tf.shape(real)[:1], tf.ones([tf.rank(real) - 1], "int32")],
                  axis=0),
    )
    return real + alpha * (fake - real)


def gradient_penalty(critic, real, fake, seed, alpha=None, one_sided=False):
    """WGAN-GP: mean((||grad critic(x_hat)|| - 1)^2) on interpolates.

    x_hat = real + alpha * (fake - real) with alpha ~ U[0, 1] per example.

    Args:
        critic: callable, (batch, ...) -> (batch, 1) logits.
        real: real batch, (batch, ...).
        fake: generated batch, same shape.
        seed: stateless seed, shape (2,).
        alpha: optional fixed interpolation coefficients, shape (batch,).
        one_sided: penalize only norms above 1 (max(0, ||g|| - 1)^2).

    Returns:
        Scalar float32 tensor.

    Reference: Gulrajani et al. 2017, arXiv:1704.00028 (Algorithm 1).
    """
    real = tf.cast(real, "float32")
    fake = tf.cast(tf.stop_gradient(fake), "float32")
    if alpha is None:
        alpha = tf.random.stateless_uniform(tf.shape(real)[:1], seed=seed)
    x_hat = _interpolate(real, fake, alpha)
    norm = tf.sqrt(_gradient_norm_sq(critic, x_hat) + NORM_EPSILON)
    excess = norm - 1.0
    if one_sided:
        excess = tf.nn.relu(excess)
    return tf.reduce_mean(tf.square(excess))


def r1_penalty(critic, real, fake, seed):
    """R1: mean ||grad critic(real)||^2 on real data only.

    The paper's regularizer is (gamma / 2) times this value, so a
    `penalty_weight` of w corresponds to gamma = 2 w.

    Reference: Mescheder et al. 2018, arXiv:1801.04406 (eq. 9).
    """
    del fake, seed
    return tf.reduce_mean(_gradient_norm_sq(critic, tf.cast(real, "float32")))


def dragan_penalty(critic, real, fake, seed):
    """DRAGAN: the gradient penalty around perturbed real data.

    x_p = real + 0.5 * std(real) * U[0, 1]; the penalty is that of
    WGAN-GP on interpolates between real and x_p.

    Reference: Kodali et al. 2017, arXiv:1705.07215.
    """
    del fake
    real = tf.cast(real, "float32")
    noise_seed, alpha_seed = tf.unstack(
        tf.random.experimental.stateless_split(seed, 2)
    )
    _, variance = tf.nn.moments(tf.reshape(real, [-1]), axes=[0])
    noise = tf.random.stateless_uniform(tf.shape(real), seed=noise_seed)
    perturbed = real + 0.5 * tf.sqrt(variance) * noise
    return gradient_penalty(critic, real, perturbed, alpha_seed)


PENALTIES = {
    "none": None,
    "gradient_penalty": gradient_penalty,
    "r1": r1_penalty,
    "dragan": dragan_penalty,
}


def get(name):
    """Returns the penalty function called `name`, or None for "none"."""
    validation.check_choice("penalty", name, PENALTIES)
    return PENALTIES[name]
