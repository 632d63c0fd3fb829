"""Minibatch standard deviation: the discriminator sees its batch's variety.

A collapsed generator's batch is less varied than a real one, but a
discriminator that judges each sample alone cannot see it. This layer
appends one feature to every sample: the standard deviation of each
feature over a group of samples, averaged into one number per group
(Karras et al. 2018, section 3). A batch of near-copies then carries a
telltale value that the discriminator can learn to call fake.

Reference: Karras et al. 2018, "Progressive Growing of GANs for Improved
Quality, Stability, and Variation", arXiv:1710.10196.
"""

import keras
from keras import ops

from keras_gans import validation

DEFAULT_GROUP_SIZE = 4
MIN_GROUP_SIZE = 2


@keras.saving.register_keras_serializable(package="keras_gans")
class MinibatchStdDev(keras.layers.Layer):
    """Appends the group's mean feature standard deviation as a feature.

    The batch is split into groups of `group_size` consecutive samples
    (the whole batch when its size is not a multiple: a partial last
    group would have a different meaning). Within each group it takes the
    standard deviation of every feature (every channel at every position
    for a feature map), averages them, and appends that scalar to every
    sample of the group: one more channel of a (batch, H, W, C) map, one
    more unit of a (batch, units) tensor.

    Args:
        group_size: samples per group (>= 2).
        epsilon: added to the variance before the square root (a batch of
            exact copies gets a finite gradient).

    Call arguments:
        x: (batch, H, W, C) or (batch, units).

    Returns:
        (batch, H, W, C + 1) or (batch, units + 1), the input's dtype.
    """

    def __init__(self, group_size=DEFAULT_GROUP_SIZE, epsilon=1e-8,
                 **kwargs):
        super().__init__(**kwargs)
        self.group_size = validation.check_int(
            "group_size", group_size, minimum=MIN_GROUP_SIZE,
            what="(a standard deviation needs two samples)")
        self.epsilon = float(epsilon)

    def call(self, x):
        batch = ops.shape(x)[0]
        group = ops.minimum(self.group_size, batch)
        group = ops.where(batch % group == 0, group, batch)
        feature_shape = tuple(x.shape[1:])
        values = ops.cast(x, "float32")
        grouped = ops.reshape(values, (-1, group) + feature_shape)
        variance = ops.var(grouped, axis=1)
        std = ops.sqrt(variance + self.epsilon)
        # One scalar per group, repeated for its samples.
        per_group = ops.mean(ops.reshape(std, (ops.shape(std)[0], -1)),
                             axis=1)
        per_sample = ops.repeat(per_group, group, axis=0)
        extra = ops.reshape(per_sample, (-1,) + (1,) * len(feature_shape))
        extra = ops.broadcast_to(
            extra, (batch,) + feature_shape[:-1] + (1,))
        return ops.concatenate([x, ops.cast(extra, x.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (input_shape[-1] + 1,)

    def get_config(self):
        config = super().get_config()
        config.update({"group_size": self.group_size,
                       "epsilon": self.epsilon})
        return config


def maybe_minibatch_std(x, group_size, name="minibatch_std"):
    """`x` with a `MinibatchStdDev(group_size)` feature, or `x` itself for
    group_size 0 (off)."""
    if not group_size:
        return x
    return MinibatchStdDev(group_size, name=name)(x)
