"""PacGAN packing: the discriminator judges `m` samples at once.

A packed discriminator sees `m` samples of one side (all real or all
generated) stacked along the last axis: channels for images, features for
points. A generator that puts all its samples on a few modes yields packs
of look-alikes, which real packs never are, so the discriminator sees the
collapse that it cannot see one sample at a time.

The discriminator is built for `m` times the channels (features); the GAN
packs every batch it shows it (`pack`), its real and fake batches
separately, after any augmentation, so a gradient penalty interpolates
whole packs and measures the gradient per pack.

Reference: Lin et al. 2018, "PacGAN: The power of two samples in
generative adversarial networks", arXiv:1712.04086.
"""

import tensorflow as tf

from keras_gans import validation


def check_pack(pack, batch_size=None):
    """`pack` as an int >= 1 that divides `batch_size` (when given).

    Raises:
        ValueError: naming `pack` (and the batch size).
    """
    pack = validation.check_int("pack", pack, minimum=1,
                                what="(samples per discriminator input)")
    if batch_size is not None and batch_size % pack:
        raise ValueError(
            f"pack={pack} groups each batch into packs of {pack} samples, "
            f"so batch_size must be a multiple of it. Received: "
            f"batch_size={batch_size}, pack={pack}"
        )
    return pack


def pack(samples, m):
    """Stacks groups of `m` consecutive samples along the last axis.

    Args:
        samples: (batch, ..., channels), batch a multiple of m.
        m: samples per pack; 1 returns `samples` itself.

    Returns:
        (batch / m, ..., m * channels): sample i of a pack holds channels
        i * channels to (i + 1) * channels - 1.
    """
    if m == 1:
        return samples
    shape = samples.shape[1:]
    rank = len(shape)
    grouped = tf.reshape(samples, (-1, m) + tuple(shape))
    # (packs, m, ..., c) -> (packs, ..., m, c), then merge the last two.
    order = [0] + list(range(2, rank + 1)) + [1, rank + 1]
    moved = tf.transpose(grouped, order)
    return tf.reshape(moved, (-1,) + tuple(shape[:-1]) + (m * shape[-1],))


def unpack(packed, m):
    """The inverse of `pack`: (packs, ..., m * c) -> (packs * m, ..., c)."""
    if m == 1:
        return packed
    shape = packed.shape[1:]
    rank = len(shape)
    channels = shape[-1] // m
    split = tf.reshape(packed, (-1,) + tuple(shape[:-1]) + (m, channels))
    order = [0, rank] + list(range(1, rank)) + [rank + 1]
    moved = tf.transpose(split, order)
    return tf.reshape(moved, (-1,) + tuple(shape[:-1]) + (channels,))
