"""Cheap health signals of the adversarial step, logged beside the losses.

`GAN` inherits from `TrainingSignals`: every step adds to the Keras logs
(and so to history.csv, TensorBoard and the training doctor,
`keras_gans.doctor`):

| key | what |
|---|---|
| `d_real_score`, `d_fake_score` | D's mean logit on the real and the generated batch |
| `d_real_accuracy`, `d_fake_accuracy` | the fraction of real (fake) samples D calls real (fake), by `decision_accuracy` |
| `d_grad_norm`, `g_grad_norm` | the global L2 norm of the gradient reaching D's (G's) weights |

They reuse what the step computes anyway (the logits, the gradients): a
few reductions per update, next to the networks' forward and backward
passes. Like the losses they are `keras.metrics.Mean` trackers, so the
epoch logs hold epoch means and `fit` resets them each epoch.

The gradient norms are those of the loss as logged: a
`LossScaleOptimizer`'s scale (mixed_float16) is divided out, and under a
tf.distribute strategy each replica's gradient of its own mean loss is
measured (the mean of the replicas' norms, not the norm of the summed
gradient). A step the loss-scale optimizer skips for overflow does not
count: that is its own business, not a sign of divergence.
"""

import keras
import tensorflow as tf

# Where each loss's discriminator draws the line between "real" and
# "fake" (a logit above it is called real). The BCE losses: logit 0 is
# probability 1/2. Hinge: the margins sit at -1 (fake) and +1 (real), so
# 0 is the middle. Least squares with a-b-c = 0-1-1 regresses fakes to 0
# and reals to 1: the middle is 0.5. The Wasserstein critic has no fixed
# line: its loss mean(f) - mean(r) does not change when a constant is
# added to every score, so any absolute threshold would measure the
# constant. None means "relative": a real sample counts as recognised
# when it scores above the batch's mean fake score, a fake when it scores
# below the mean real score. That is 1/2 for a critic that cannot tell
# the two apart (for symmetric score distributions) and 1 for one that
# separates them completely, as for the other losses. Every loss of
# `keras_gans.losses.LOSSES` must have an entry (tests check it).
DECISION_BOUNDARIES = {
    "non_saturating": 0.0,
    "minimax": 0.0,
    "hinge": 0.0,
    "least_squares": 0.5,
    "wasserstein": None,
}


def decision_accuracy(loss_name, real_logits, fake_logits):
    """D's accuracy on a real and a generated batch, by its loss's rule.

    Args:
        loss_name: a key of `DECISION_BOUNDARIES`.
        real_logits: float (batch, 1), D on real samples.
        fake_logits: float (batch, 1), D on generated samples.

    Returns:
        (real accuracy, fake accuracy): float32 scalars in [0, 1].
    """
    real = tf.cast(real_logits, "float32")
    fake = tf.cast(fake_logits, "float32")
    boundary = DECISION_BOUNDARIES[loss_name]
    if boundary is None:
        real_line, fake_line = tf.reduce_mean(fake), tf.reduce_mean(real)
    else:
        real_line = fake_line = boundary
    return (tf.reduce_mean(tf.cast(real > real_line, "float32")),
            tf.reduce_mean(tf.cast(fake < fake_line, "float32")))


def gradient_norm(grads, optimizer, num_replicas):
    """The global L2 norm of `grads`, unscaled.

    `grads` are those of `optimizer.scale_loss(loss / num_replicas)`;
    `scale_loss(1)` is the factor the optimizer applied (1 without loss
    scaling), so the result is the norm of the gradient of `loss`.
    """
    norm = tf.linalg.global_norm([g for g in grads if g is not None])
    scale = tf.cast(optimizer.scale_loss(tf.constant(1.0)), norm.dtype)
    return norm * tf.cast(num_replicas, norm.dtype) / scale


# The keys, in the order the trackers are listed.
SIGNAL_KEYS = ("d_real_score", "d_fake_score", "d_real_accuracy",
               "d_fake_accuracy", "d_grad_norm", "g_grad_norm")


class TrainingSignals:
    """The signals' trackers and the hooks the step calls; `GAN.__init__`
    calls `_init_signals` with its other trackers."""

    def _init_signals(self):
        # Trackers must exist before build() locks the model's state;
        # one attribute each, like `d_loss_tracker`.
        for key in SIGNAL_KEYS:
            setattr(self, f"{key}_tracker", keras.metrics.Mean(name=key))

    @property
    def signal_trackers(self):
        """The signals' `keras.metrics.Mean` trackers, in `SIGNAL_KEYS`
        order (part of `metrics`)."""
        return [getattr(self, f"{key}_tracker") for key in SIGNAL_KEYS]

    def _track_norm(self, key, grads, optimizer, num_replicas):
        norm = gradient_norm(grads, optimizer, num_replicas)
        tracker = getattr(self, f"{key}_tracker")
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            # An overflowing scaled gradient: the step is skipped and the
            # scale lowered; leave it out of the mean.
            finite = tf.math.is_finite(norm)
            tracker.update_state(tf.where(finite, norm, 0.0),
                                 sample_weight=tf.cast(finite, norm.dtype))
        else:
            tracker.update_state(norm)

    def _track_discriminator(self, real_logits, fake_logits, grads,
                             num_replicas):
        """After a D update: its scores, accuracies and gradient norm.
        `fake_logits` are those of the generated batch only (not the
        matching-aware pairs)."""
        self.d_real_score_tracker.update_state(
            tf.reduce_mean(tf.cast(real_logits, "float32")))
        self.d_fake_score_tracker.update_state(
            tf.reduce_mean(tf.cast(fake_logits, "float32")))
        real_accuracy, fake_accuracy = decision_accuracy(
            self.loss_name, real_logits, fake_logits)
        self.d_real_accuracy_tracker.update_state(real_accuracy)
        self.d_fake_accuracy_tracker.update_state(fake_accuracy)
        self._track_norm("d_grad_norm", grads, self.d_optimizer,
                         num_replicas)

    def _track_generator(self, grads, num_replicas):
        """After a G update: the norm of the gradient reaching G."""
        self._track_norm("g_grad_norm", grads, self.g_optimizer,
                         num_replicas)
