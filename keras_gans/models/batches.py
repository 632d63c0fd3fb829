"""What `GAN.train_step` reads and returns: the dataset's batches split
for the critic updates, and the logs in the shape `fit` can reduce."""

import tensorflow as tf


def unpack_real(data):
    """Splits what the dataset yields into (real samples, labels or None).

    Unconditional data may be a bare tensor or an (x,) / (x, y) tuple;
    the conditional models read the labels.
    """
    if isinstance(data, (tuple, list)):
        return data[0], (data[1] if len(data) > 1 else None)
    return data, None


def critic_batches(real, n_critic):
    """Splits the real batch into `n_critic` chunks (static shapes)."""
    if n_critic == 1:
        return [real]
    rows = real.shape[0]
    if rows is None or rows % n_critic:
        raise ValueError(
            f"With n_critic={n_critic} each batch is split into "
            f"{n_critic} critic batches, so its size must be static "
            f"and divisible by n_critic: use a tf.data.Dataset batched "
            f"with drop_remainder=True and batch size n_critic * "
            f"batch_size. Received: batch size {rows}"
        )
    return tf.split(real, n_critic, axis=0)


def step_logs(logs):
    """`train_step`'s logs, reshaped where `fit` needs it.

    Keras 3 reduces fit's logs across workers with
    strategy.reduce("MEAN", value, axis=0), which fails on scalars
    (tensorflow/tensorflow#72388); under a multi-worker strategy each value
    becomes a (1,) tensor. The test is the same (private) one Keras makes
    before reducing that way.
    """
    strategy = tf.distribute.get_strategy()
    if (isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
            and strategy.extended._in_multi_worker_mode()):
        return {name: tf.reshape(value, [1]) for name, value in logs.items()}
    return logs
