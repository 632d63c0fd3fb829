"""Infinite, seeded image datasets rendered on the fly from a chunk renderer.

The embedded image sets (`faces`, `shapes`) are pure functions of a seed and
an image index: image `i` is row `i % CHUNK_SIZE` of chunk `i // CHUNK_SIZE`,
and a chunk is rendered by TensorFlow ops from `(seed, chunk_index)` alone.
So the same seed gives the same images at any batch size, a resumed run
starts at the right image without rendering the skipped ones, and tf.data
renders chunks in parallel (graph ops, no Python, no GIL).
"""

import numpy as np
import tensorflow as tf

# Sides the procedural renderers draw at (their geometry scales with it): a
# subset of `validation.IMAGE_SIZES`, the sides the networks build.
IMAGE_SIZES = (32, 64, 128)
# Images rendered per call of a chunk renderer. Fixed: changing it changes
# which random numbers each image gets.
CHUNK_SIZE = 64
# Dataset.range needs an end; this one is never reached.
_NUM_CHUNKS = 2 ** 50


def procedural_dataset(render_chunk, batch_size, seed=0, start_image=0):
    """A repeating, batched dataset of `render_chunk`'s images and labels.

    Args:
        render_chunk: `(seed, chunk_index) -> (images, labels)`, int64 scalar
            tensors in, `(CHUNK_SIZE, H, W, C)` float32 images in [-1, 1]
            and `(CHUNK_SIZE,) + label_shape` labels out; TensorFlow ops
            only.
        batch_size: images per batch (static).
        seed: int.
        start_image: index of the first image (resuming skips the images
            already consumed without rendering whole chunks of them).

    Returns:
        A `tf.data.Dataset` of `(images, labels)` batches.
    """
    seed = tf.constant(seed, "int64")
    first_chunk = start_image // CHUNK_SIZE
    dataset = tf.data.Dataset.range(first_chunk, _NUM_CHUNKS)
    dataset = dataset.map(
        lambda index: render_chunk(seed, index),
        num_parallel_calls=tf.data.AUTOTUNE,
        deterministic=True,
    )
    dataset = dataset.unbatch().skip(start_image % CHUNK_SIZE)
    dataset = dataset.batch(batch_size, drop_remainder=True)
    return dataset.prefetch(tf.data.AUTOTUNE)


def render_images(render_chunk, num_images, seed=0, start_image=0):
    """Images `start_image ... start_image + num_images - 1` as numpy.

    Returns:
        (images float32 (N, H, W, C) in [-1, 1], labels (N,) + label_shape).
    """
    first = start_image // CHUNK_SIZE
    last = (start_image + num_images - 1) // CHUNK_SIZE
    images, labels = [], []
    for index in range(first, last + 1):
        x, y = render_chunk(tf.constant(seed, "int64"),
                            tf.constant(index, "int64"))
        images.append(x.numpy())
        labels.append(y.numpy())
    offset = start_image - first * CHUNK_SIZE
    images = np.concatenate(images)[offset:offset + num_images]
    labels = np.concatenate(labels)[offset:offset + num_images]
    return images, labels
