"""How `shapes` draws a scene: the objects' layout and outlines, the
background.

The TensorFlow ops behind `shapes._render_layers`, vectorised over a chunk
of N scenes. All randomness comes from the stateless random `key`s they
are given, so a scene is a function of `(seed, chunk_index)` alone. Sizes
are in pixels of an `image_size` x `image_size` picture.
"""

import numpy as np
import tensorflow as tf

# Geometry, as fractions of the image size. Objects sit in distinct cells of
# a 2x2 layout whose split lines move per image within `_SPLIT_RANGE`, and
# never leave their cell: the smallest cell (0.4 - 1 / 32 of the image)
# holds the largest object (2 * 0.16).
_MARGIN = 1.0 / 32.0
_SPLIT_RANGE = (0.4, 0.6)
_HALF_SIZE_RANGE = (0.1, 0.16)  # 13 to 20 pixels wide at 64x64.
# Looks: background lightness, tint, gradient and texture.
_BACKGROUND_RANGE = (0.80, 0.90)
_BACKGROUND_TINT = 0.025
_BACKGROUND_GRADIENT = 0.04  # Per axis, across the image.
_BACKGROUND_NOISE = 0.025
_BACKGROUND_NOISE_CELLS = 8
_INV_SQRT5 = np.float32(1.0 / np.sqrt(5.0))


def draw_layout(key, num_images, num_objects, image_size):
    """Places the objects: centres and half sizes in pixels.

    Object k lies in cell k of a random `num_objects` (at most 4) of the 4
    cells of a 2x2 layout, its bounding square inside the cell, so objects
    may touch, never overlap.

    Returns:
        (centre_x, centre_y, half), each float32 (N, num_objects).
    """
    split_key, cell_key, size_key, jitter_key = tf.unstack(
        tf.random.experimental.stateless_split(key, num=4)
    )
    size = float(image_size)
    margin = _MARGIN * size
    split = size * tf.random.stateless_uniform(
        [num_images, 1, 2], seed=split_key, minval=_SPLIT_RANGE[0],
        maxval=_SPLIT_RANGE[1],
    )  # (N, 1, [x, y])
    cell = tf.math.top_k(
        tf.random.stateless_uniform([num_images, 4], seed=cell_key),
        k=num_objects,
    ).indices  # (N, K): distinct cells.
    # Cell c spans column c % 2 and row c // 2.
    side = tf.cast(tf.stack([cell % 2, cell // 2], axis=-1), "float32")
    low = side * split + (1.0 - side) * margin
    high = side * (size - margin) + (1.0 - side) * split  # (N, K, 2)
    half = size * tf.random.stateless_uniform(
        [num_images, num_objects], seed=size_key,
        minval=_HALF_SIZE_RANGE[0], maxval=_HALF_SIZE_RANGE[1],
    )
    jitter = tf.random.stateless_uniform(
        [num_images, num_objects, 2], seed=jitter_key
    )
    centre = low + half[..., None] + jitter * (
        high - low - 2.0 * half[..., None]
    )
    return centre[..., 0], centre[..., 1], half


def draw_background(key, num_images, image_size):
    """A light, low-contrast background: tint, soft gradient, coarse noise.

    Returns:
        float32 (N, S, S, 3) in [0, 1].
    """
    level_key, tint_key, slope_key, noise_key = tf.unstack(
        tf.random.experimental.stateless_split(key, num=4)
    )
    level = tf.random.stateless_uniform(
        [num_images, 1, 1, 1], seed=level_key, minval=_BACKGROUND_RANGE[0],
        maxval=_BACKGROUND_RANGE[1],
    )
    tint = tf.random.stateless_uniform(
        [num_images, 1, 1, 3], seed=tint_key, minval=-_BACKGROUND_TINT,
        maxval=_BACKGROUND_TINT,
    )
    # A soft linear ramp, of random slope along each axis.
    slope = tf.random.stateless_uniform(
        [num_images, 2], seed=slope_key, minval=-_BACKGROUND_GRADIENT,
        maxval=_BACKGROUND_GRADIENT,
    )
    grid = tf.linspace(-0.5, 0.5, image_size)
    gradient = (slope[:, 0, None, None, None] * grid[None, None, :, None]
                + slope[:, 1, None, None, None] * grid[None, :, None, None])
    cells = _BACKGROUND_NOISE_CELLS
    noise = tf.random.stateless_uniform(
        [num_images, cells, cells, 1], seed=noise_key,
        minval=-_BACKGROUND_NOISE, maxval=_BACKGROUND_NOISE,
    )
    noise = tf.image.resize(noise, [image_size, image_size])
    return level + tint + gradient + noise


def signed_distance(shape, u, v, half):
    """Signed distance in pixels (negative inside) to each object's edge.

    Args:
        shape: int32 (N, K, 1, 1), an index into `shapes.SHAPES`.
        u, v: float32 (N, K, S, S), pixel centres relative to the object's
            centre (v grows downwards).
        half: float32 (N, K, 1, 1), half the object's width.

    Every shape lies inside the square `|u|, |v| <= half`: the triangle
    spans its base and height.
    """
    square = tf.maximum(tf.abs(u), tf.abs(v)) - half
    circle = tf.sqrt(u * u + v * v) - half
    # Apex (0, -half), base corners (+-half, half): the slanted edges have
    # outward normals (+-2, -1) / sqrt(5). Inside, the largest of the three
    # edge distances is the distance to the edge; outside it is positive.
    # A product, not a division by a constant: that one rounded differently
    # inside the dataset's graph than in `sample_shapes`' (last bit).
    slant = (2.0 * tf.abs(u) - v - half) * _INV_SQRT5
    triangle = tf.maximum(slant, v - half)
    return tf.where(shape == 0, square, tf.where(shape == 1, circle, triangle))
