"""An exponential moving average of the generator's weights.

The average of the generator over its last few thousand updates draws
better and more varied samples than the generator at any single step: the
adversarial game makes the weights circle around a good solution, and the
average sits nearer its centre (Yazici et al. 2019; Karras et al. 2018 use
it for every figure). Training never reads the average; sampling does.

The average lives in a second generator network, `GAN.ema_generator`, so
it is saved with every checkpoint and `gan.keras` under its own name and
is served as it is. After each generator update, step t (counting from 1):

    ema = w                                  if t <= start
    ema = decay * ema + (1 - decay) * w      otherwise

for every trainable weight w; the non-trainable state (batch-norm moving
statistics) is copied from the generator, so the average normalizes with
the statistics of the network that is being averaged.

Reference: Yazici et al. 2019, "The Unusual Effectiveness of Averaging in
GAN Training", arXiv:1806.04498.
"""

import keras
import tensorflow as tf

from keras_gans import validation


def check_options(decay, start):
    """(decay, start) checked: decay in [0, 1) (0: no average), start an
    int >= 0 (generator updates before averaging begins)."""
    decay = validation.check_number(
        "ema_decay", decay, low=0.0, high=1.0, high_open=True,
        what="(0: no moving average; 0.999 averages about the last 1,000 "
             "generator updates)")
    start = validation.check_int(
        "ema_start", start, minimum=0,
        what="(generator updates before the average starts)")
    return float(decay), start


def clone_generator(generator):
    """A new network of the generator's architecture holding its weights.

    Built from the generator's config, so it has the same layers, dtype
    policies and input names, and can be served in its place.
    """
    clone = keras.models.clone_model(generator)
    clone.set_weights(generator.get_weights())
    # No optimizer ever updates it; `update` pairs weights by position.
    clone.trainable = False
    return clone


def _tf_variable(variable):
    return variable.value if isinstance(variable, keras.Variable) else (
        variable)


def update(average, generator, decay, start, step):
    """One moving-average update of `average` towards `generator`.

    Args:
        average: the `clone_generator` network.
        generator: the trained generator.
        decay: float in [0, 1).
        start: updates before averaging: until then the average copies.
        step: int tensor, the generator's update count after this update.

    Works in and out of a tf.distribute replica context: the assignments
    are made in cross-replica context (every replica holds the same
    generator, so every copy of the average stays the same).
    """
    rate = tf.where(tf.cast(step, "int64") <= start, 0.0, decay)
    # The clone has the generator's layers in the same order; which of its
    # weights are averaged is the generator's say (the clone is frozen).
    pairs = list(zip(average.weights, generator.weights))
    averaged = [(t, s) for t, s in pairs if s.trainable]
    copies = [(t, s) for t, s in pairs if not s.trainable]

    def assign_all(strategy):
        for target, source in averaged:
            strategy.extended.update(
                _tf_variable(target),
                lambda t, s: t.assign(
                    tf.cast(rate, t.dtype) * t
                    + tf.cast(1.0 - rate, t.dtype) * s),
                args=(_tf_variable(source),), group=False)
        for target, source in copies:
            strategy.extended.update(
                _tf_variable(target), lambda t, s: t.assign(s),
                args=(_tf_variable(source),), group=False)

    context = tf.distribute.get_replica_context()
    if context is None:  # already cross-replica
        assign_all(tf.distribute.get_strategy())
    else:
        context.merge_call(assign_all)
