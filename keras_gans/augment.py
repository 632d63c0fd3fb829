"""Differentiable augmentation of what the discriminator sees (DiffAugment).

Every image the discriminator judges, real or generated, in its own update
and in the generator's, goes through the same random transformations. They
are differentiable, so the generator is trained through them; the
discriminator can no longer memorize the real images, and the generator is
not pushed to reproduce the augmentations (they are applied to both
sides). The random draws come from stateless seeds the train step passes
in, so a resumed run augments exactly as the uninterrupted one would.

Policies, as in Zhao et al.'s code, on images in [-1, 1]:

| policy | what |
|---|---|
| `color` | brightness + U(-0.5, 0.5), saturation x U(0, 2), contrast x U(0.5, 1.5) |
| `translation` | shift by up to 1/8 of the side in each direction, zeros in |
| `cutout` | a square of half the side set to 0, at a random place |

Reference: Zhao et al. 2020, "Differentiable Augmentation for
Data-Efficient GAN Training", arXiv:2006.10738.
"""

import tensorflow as tf

from keras_gans import validation

POLICIES = ("color", "translation", "cutout")
TRANSLATION_RATIO = 0.125
CUTOUT_RATIO = 0.5


def check_policies(policies, name="diff_augment"):
    """The policies as a tuple of unique names from `POLICIES`.

    Args:
        policies: a sequence of names, or a comma-separated string
            ("color,translation,cutout"); empty for none.
        name: the argument's name in errors.

    Raises:
        ValueError: an unknown or repeated name.
    """
    if isinstance(policies, str):
        policies = [p.strip() for p in policies.split(",") if p.strip()]
    policies = tuple(policies or ())
    for policy in policies:
        validation.check_choice(name, policy, POLICIES)
    if len(set(policies)) != len(policies):
        raise ValueError(
            f"{name} lists a policy twice. Received: {name}={policies!r}")
    return policies


def _uniform(shape, seed, low, high):
    return tf.random.stateless_uniform(shape, seed, minval=low, maxval=high)


def color(images, seed):
    """Brightness, saturation and contrast, each drawn per image."""
    seeds = tf.random.experimental.stateless_split(seed, 3)
    rows = tf.shape(images)[0]
    shape = [rows, 1, 1, 1]
    x = images + _uniform(shape, seeds[0], -0.5, 0.5)
    mean = tf.reduce_mean(x, axis=3, keepdims=True)
    x = (x - mean) * _uniform(shape, seeds[1], 0.0, 2.0) + mean
    mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
    return (x - mean) * _uniform(shape, seeds[2], 0.5, 1.5) + mean


def translation(images, seed, ratio=TRANSLATION_RATIO):
    """Shifts each image by up to `ratio` of its side, filling zeros.

    Implemented as a gather from the zero-padded image, so gradients flow
    to the pixels that stay in view.
    """
    height, width = images.shape[1], images.shape[2]
    shift_y, shift_x = int(height * ratio + 0.5), int(width * ratio + 0.5)
    rows = tf.shape(images)[0]
    seeds = tf.random.experimental.stateless_split(seed, 2)
    dy = tf.random.stateless_uniform([rows, 1], seeds[0], -shift_y,
                                     shift_y + 1, dtype="int32")
    dx = tf.random.stateless_uniform([rows, 1], seeds[1], -shift_x,
                                     shift_x + 1, dtype="int32")
    padded = tf.pad(images, [[0, 0], [shift_y, shift_y],
                             [shift_x, shift_x], [0, 0]])
    y_index = tf.range(height)[None, :] + shift_y + dy
    x_index = tf.range(width)[None, :] + shift_x + dx
    x = tf.gather(padded, y_index, axis=1, batch_dims=1)
    return tf.gather(x, x_index, axis=2, batch_dims=1)


def cutout(images, seed, ratio=CUTOUT_RATIO):
    """Zeros a square of `ratio` times the side, centred at a random
    pixel of each image (clipped at the borders)."""
    height, width = images.shape[1], images.shape[2]
    size_y, size_x = int(height * ratio + 0.5), int(width * ratio + 0.5)
    rows = tf.shape(images)[0]
    seeds = tf.random.experimental.stateless_split(seed, 2)
    cy = tf.random.stateless_uniform([rows, 1, 1], seeds[0], 0, height,
                                     dtype="int32")
    cx = tf.random.stateless_uniform([rows, 1, 1], seeds[1], 0, width,
                                     dtype="int32")
    y = tf.range(height)[None, :, None]
    x = tf.range(width)[None, None, :]
    inside = ((y >= cy - size_y // 2) & (y < cy - size_y // 2 + size_y)
              & (x >= cx - size_x // 2) & (x < cx - size_x // 2 + size_x))
    mask = 1.0 - tf.cast(inside, images.dtype)
    return images * mask[..., None]


_FUNCTIONS = {"color": color, "translation": translation, "cutout": cutout}


def diff_augment(images, policies, seed):
    """Applies `policies` in order (as in the reference code).

    Args:
        images: float tensor (batch, height, width, channels) in [-1, 1].
        policies: names from `POLICIES` (see `check_policies`).
        seed: int tensor (2,), a stateless seed.

    Returns:
        A tensor of the same shape and dtype; `images` itself when
        `policies` is empty.
    """
    if not policies:
        return images
    seeds = tf.random.experimental.stateless_split(seed, len(policies))
    for policy, policy_seed in zip(policies, tf.unstack(seeds)):
        images = _FUNCTIONS[policy](images, policy_seed)
    return images
