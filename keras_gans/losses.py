"""Adversarial losses: small pure functions looked up by name.

Every loss has the same signature::

    d_loss, g_loss = loss_fn(real_logits, fake_logits)

`real_logits` and `fake_logits` are float32 discriminator outputs of shape
(batch, 1) (any shape works: every reduction is a mean over all entries).
`real_logits` may be None when only the generator's term is wanted (the
generator step does not run the discriminator on real data); `d_loss` is then
None. The BCE-based losses also take `real_targets` / `fake_targets`: a float
or a tensor broadcastable to the logits, for label smoothing and noisy labels.

The values match those of TF-GAN 2.1.0's `losses` module (reduction: mean
over the batch) on fixed logits, d_real = [1.5, -0.3, 0.7, 2.0] and
d_fake = [-1.2, 0.4, -2.5, 0.1]; tests/test_losses.py pins them.
"""

import tensorflow as tf

from keras_gans import validation


def _mean(x):
    return tf.reduce_mean(tf.cast(x, "float32"))


def _sigmoid_ce(targets, logits):
    """Mean sigmoid cross-entropy with logits; targets broadcast."""
    logits = tf.cast(logits, "float32")
    targets = tf.cast(targets, "float32") + tf.zeros_like(logits)
    return _mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits)
    )


def _bce_discriminator(real_logits, fake_logits, real_targets, fake_targets):
    return _sigmoid_ce(real_targets, real_logits) + _sigmoid_ce(
        fake_targets, fake_logits
    )


def non_saturating(real_logits, fake_logits, real_targets=1.0,
                   fake_targets=0.0):
    """DCGAN's loss: BCE for D, -log D(G(z)) for G.

    Reference: Goodfellow et al. 2014, arXiv:1406.2661 (section 3).
    """
    g_loss = _mean(tf.nn.softplus(-tf.cast(fake_logits, "float32")))
    if real_logits is None:
        return None, g_loss
    d_loss = _bce_discriminator(
        real_logits, fake_logits, real_targets, fake_targets
    )
    return d_loss, g_loss


def minimax(real_logits, fake_logits, real_targets=1.0, fake_targets=0.0):
    """The original minimax game: G minimizes log(1 - D(G(z))).

    The generator term is -mean(softplus(f)) = mean(log(1 - sigmoid(f))),
    which saturates when D rejects the fakes confidently.

    Reference: Goodfellow et al. 2014, arXiv:1406.2661.
    """
    g_loss = -_mean(tf.nn.softplus(tf.cast(fake_logits, "float32")))
    if real_logits is None:
        return None, g_loss
    d_loss = _bce_discriminator(
        real_logits, fake_logits, real_targets, fake_targets
    )
    return d_loss, g_loss


def wasserstein(real_logits, fake_logits):
    """WGAN critic loss mean(f) - mean(r); generator loss -mean(f).

    Reference: Arjovsky et al. 2017, arXiv:1701.07875.
    """
    g_loss = -_mean(fake_logits)
    if real_logits is None:
        return None, g_loss
    return _mean(fake_logits) - _mean(real_logits), g_loss


def least_squares(real_logits, fake_logits):
    """LSGAN with a-b-c = 0-1-1: 0.5 (r-1)^2 + 0.5 f^2; G 0.5 (f-1)^2.

    Reference: Mao et al. 2017, arXiv:1611.04076.
    """
    fake = tf.cast(fake_logits, "float32")
    g_loss = 0.5 * _mean(tf.square(fake - 1.0))
    if real_logits is None:
        return None, g_loss
    real = tf.cast(real_logits, "float32")
    d_loss = 0.5 * _mean(tf.square(real - 1.0)) + 0.5 * _mean(
        tf.square(fake)
    )
    return d_loss, g_loss


def hinge(real_logits, fake_logits):
    """Hinge loss: relu(1 - r) + relu(1 + f) for D, -mean(f) for G.

    Reference: Lim & Ye 2017, arXiv:1705.02894; Miyato et al. 2018,
    arXiv:1802.05957.
    """
    fake = tf.cast(fake_logits, "float32")
    g_loss = -_mean(fake)
    if real_logits is None:
        return None, g_loss
    real = tf.cast(real_logits, "float32")
    d_loss = _mean(tf.nn.relu(1.0 - real)) + _mean(tf.nn.relu(1.0 + fake))
    return d_loss, g_loss


LOSSES = {
    "non_saturating": non_saturating,
    "minimax": minimax,
    "wasserstein": wasserstein,
    "least_squares": least_squares,
    "hinge": hinge,
}

# Losses built on binary cross-entropy: only these read real/fake targets,
# so only these accept label smoothing and noisy labels.
TARGET_LOSSES = ("non_saturating", "minimax")


def classification_loss(label_spec, targets, logits):
    """Per-example classification loss over a label's blocks: softmax
    cross-entropy per class set or categorical attribute, plus the mean
    sigmoid cross-entropy of the binary or multi-hot columns. ACGAN's
    auxiliary classifier and the evaluators train on it.

    Args:
        label_spec: a `LabelSpec` (its `blocks` say which columns form
            a softmax).
        targets: float (N, encoded_dim), `LabelSpec.encode`'s output.
        logits: float (N, encoded_dim), in the same column layout.

    Returns:
        float32 (N,).
    """
    targets = tf.cast(targets, "float32")
    logits = tf.cast(logits, "float32")
    total = 0.0
    for start, width, exclusive in label_spec.blocks:
        t = targets[:, start:start + width]
        x = logits[:, start:start + width]
        if exclusive:
            total += tf.nn.softmax_cross_entropy_with_logits(t, x)
        else:
            total += tf.reduce_mean(
                tf.nn.sigmoid_cross_entropy_with_logits(t, x), axis=1
            )
    return total


def check_target_options(loss, label_smoothing=0.0, real_label_range=None,
                         fake_label_range=None):
    """Raises ValueError unless the target options fit `loss`.

    Label smoothing and noisy labels only exist for the BCE losses; a
    smoothed real target and a noisy one exclude each other; a range is
    (low, high) with low <= high.
    """
    uses_targets = label_smoothing or real_label_range or fake_label_range
    if uses_targets and loss not in TARGET_LOSSES:
        raise ValueError(
            "label_smoothing, real_label_range and fake_label_range only "
            f"apply to the BCE losses ({', '.join(TARGET_LOSSES)}). "
            f"Received: loss={loss!r}"
        )
    if label_smoothing and real_label_range:
        raise ValueError(
            "Use either label_smoothing or real_label_range, not both. "
            f"Received: label_smoothing={label_smoothing}, "
            f"real_label_range={real_label_range}"
        )
    for name, value in (
        ("real_label_range", real_label_range),
        ("fake_label_range", fake_label_range),
    ):
        if value is not None and (len(value) != 2 or value[0] > value[1]):
            raise ValueError(
                f"{name} must be (low, high) with low <= high. "
                f"Received: {name}={value!r}"
            )


def bce_targets(label_smoothing, real_label_range, fake_label_range,
                real_rows, fake_rows, seed):
    """The BCE losses' real and fake targets for one discriminator update.

    Args:
        label_smoothing: real targets become 1 - label_smoothing / 2.
        real_label_range, fake_label_range: None, or (low, high): targets
            drawn uniformly per logit row (noisy labels).
        real_rows, fake_rows: rows of the real and fake logits.
        seed: int tensor (2,), a stateless seed.

    Returns:
        {"real_targets": float or (real_rows, 1), "fake_targets": ...},
        the keyword arguments of `non_saturating` and `minimax`.
    """
    real_seed, fake_seed = tf.unstack(
        tf.random.experimental.stateless_split(seed, 2))
    real_targets = 1.0 - label_smoothing / 2.0
    fake_targets = 0.0
    if real_label_range:
        low, high = real_label_range
        real_targets = tf.random.stateless_uniform(
            [real_rows, 1], real_seed, minval=low, maxval=high)
    if fake_label_range:
        low, high = fake_label_range
        fake_targets = tf.random.stateless_uniform(
            [fake_rows, 1], fake_seed, minval=low, maxval=high)
    return {"real_targets": real_targets, "fake_targets": fake_targets}


# What the generator is trained to do (`GAN(generator_objective=...)`):
# fool the discriminator, match the real data's mean discriminator features
# (Salimans et al. 2016, section 3.1), or the sum of both.
GENERATOR_OBJECTIVES = ("adversarial", "feature_matching", "both")


def feature_matching(real_features, fake_features):
    """Salimans et al.'s feature-matching loss: the squared distance
    between the mean features of a real and a generated batch, averaged
    over the features (so its size does not grow with the layer's width).

    Args:
        real_features, fake_features: float (batch, units), a
            discriminator layer's outputs.

    Returns:
        A float32 scalar.

    Reference: Salimans et al. 2016, "Improved Techniques for Training
    GANs", arXiv:1606.03498.
    """
    real_mean = tf.reduce_mean(tf.cast(real_features, "float32"), axis=0)
    fake_mean = tf.reduce_mean(tf.cast(fake_features, "float32"), axis=0)
    # The real side is a target, not something G can move.
    return tf.reduce_mean(tf.square(tf.stop_gradient(real_mean) - fake_mean))


def get(name):
    """Returns the loss function called `name` (a key of `LOSSES`)."""
    validation.check_choice("loss", name, LOSSES)
    return LOSSES[name]
