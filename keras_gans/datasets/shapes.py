"""The embedded `shapes` dataset: scenes of coloured shapes, 24 labels.

A procedural stand-in for the iCLEVR multi-object task of conditional
generation: each 64x64 scene holds 1 to 3 objects on a light, softly
textured background, each object one of 8 colours (`COLORS`) and 3 shapes
(`SHAPES`). Its label is the multi-hot vector of the 24 colour-shape
combinations present, in iCLEVR's order: the 8 colours of squares (cubes
there), then of circles (spheres), then of triangles (cylinders), so label
`shape_index * 8 + color_index`. The objects of a scene have distinct
labels, may touch but never hide each other.

Two fixed condition sets of 32 multi-hot vectors, `"test"` and `"new_test"`
(2 or 3 objects each, like iCLEVR's `test.json` and `new_test.json`), are
held out: no training scene has exactly one of their label sets, so a
generator that draws them has composed objects it never saw together.

Images are rendered on the fly by TensorFlow ops from `(seed, image index)`
(see `keras_gans.datasets.procedural`; the layout, outlines and background
are drawn by `keras_gans.datasets.shape_drawing`): no files, the same
images at any batch size, in [-1, 1].

Example:

```python
from keras_gans.datasets import shapes

ds = shapes.shapes_dataset(batch_size=64, seed=0)
images, labels = next(iter(ds))      # (64, 64, 64, 3), (64, 24) float32
shapes.LABEL_SPEC.describe(labels[0])  # e.g. "red square blue circle"
conditions = shapes.condition_set("test")  # (32, 24) float32
```

Reference:
    - [Johnson et al., 2017](https://arxiv.org/abs/1612.06890) (CLEVR)
    - [El-Nouby et al., 2019](https://arxiv.org/abs/1811.09845) (iCLEVR)
"""

import functools

import numpy as np
import tensorflow as tf

from keras_gans import validation
from keras_gans.datasets import labels
from keras_gans.datasets import procedural
from keras_gans.datasets import shape_drawing

COLORS = ("gray", "red", "blue", "green", "brown", "purple", "cyan", "yellow")
SHAPES = ("square", "circle", "triangle")
LABEL_NAMES = tuple(f"{color} {shape}" for shape in SHAPES for color in COLORS)
LABEL_SPEC = labels.LabelSpec.for_multi_hot(LABEL_NAMES)
NUM_LABELS = len(LABEL_NAMES)
IMAGE_SIZES = procedural.IMAGE_SIZES
DEFAULT_IMAGE_SIZE = 64
CONDITION_SETS = ("test", "new_test")
MAX_OBJECTS = 3

# RGB in [0, 1], in `COLORS` order. Picked to be named at a glance at 64x64:
# brown is dark and unsaturated next to red and yellow, cyan is light next to
# blue, purple is redder than blue, gray is far darker than the background.
PALETTE = np.array([
    [0.50, 0.50, 0.50],  # gray
    [0.86, 0.12, 0.10],  # red
    [0.12, 0.24, 0.86],  # blue
    [0.12, 0.62, 0.16],  # green
    [0.46, 0.27, 0.10],  # brown
    [0.56, 0.16, 0.70],  # purple
    [0.10, 0.80, 0.86],  # cyan
    [0.96, 0.84, 0.08],  # yellow
], dtype="float32")

# The held-out label sets, each a tuple of `LABEL_NAMES`. Drawn once with
# `np.random.default_rng(3)` (2 labels with probability 1/3, else 3, all 64
# distinct; the seed picked so that each set uses all 24 labels) and written
# out, so that they never change with numpy's generators.
_CONDITION_NAMES = {
    "test": (
    ("brown square", "purple square"),
    ("gray square", "blue square", "red triangle"),
    ("green square", "purple square", "gray triangle"),
    ("blue square", "brown circle", "brown triangle"),
    ("green square", "gray triangle", "blue triangle"),
    ("cyan square", "cyan circle", "gray triangle"),
    ("red square", "yellow triangle"),
    ("red square", "cyan square"),
    ("brown square", "purple square", "blue circle"),
    ("gray square", "gray circle", "green circle"),
    ("green circle", "purple triangle", "cyan triangle"),
    ("green circle", "cyan circle"),
    ("purple square", "red circle", "cyan circle"),
    ("purple square", "cyan circle", "green triangle"),
    ("yellow square", "red circle", "brown triangle"),
    ("green circle", "blue triangle", "brown triangle"),
    ("cyan square", "yellow circle", "red triangle"),
    ("cyan square", "red circle", "yellow triangle"),
    ("brown square", "blue triangle"),
    ("yellow square", "purple circle", "gray triangle"),
    ("purple square", "brown triangle"),
    ("green square", "cyan circle", "cyan triangle"),
    ("gray circle", "purple circle", "blue triangle"),
    ("red square", "blue square", "cyan triangle"),
    ("cyan circle", "brown triangle"),
    ("blue square", "red circle"),
    ("brown circle", "cyan triangle", "yellow triangle"),
    ("brown square", "gray triangle", "purple triangle"),
    ("green square", "gray circle", "purple circle"),
    ("red square", "brown circle", "cyan circle"),
    ("gray square", "green circle"),
    ("blue square", "brown circle", "cyan triangle"),
    ),
    "new_test": (
    ("gray square", "cyan circle", "yellow triangle"),
    ("brown square", "red circle", "yellow circle"),
    ("gray square", "red square", "red circle"),
    ("red square", "blue square", "yellow square"),
    ("brown circle", "red triangle", "blue triangle"),
    ("red triangle", "green triangle", "brown triangle"),
    ("purple square", "purple circle", "yellow circle"),
    ("yellow square", "green circle"),
    ("brown circle", "cyan circle"),
    ("purple circle", "cyan circle"),
    ("cyan square", "gray triangle", "brown triangle"),
    ("green square", "red circle", "purple circle"),
    ("brown square", "yellow triangle"),
    ("brown triangle", "purple triangle"),
    ("gray circle", "yellow triangle"),
    ("brown square", "yellow circle", "cyan triangle"),
    ("red square", "yellow circle", "blue triangle"),
    ("yellow circle", "cyan triangle"),
    ("red square", "purple square", "brown triangle"),
    ("green square", "green triangle", "cyan triangle"),
    ("red square", "purple square"),
    ("blue square", "cyan square", "yellow triangle"),
    ("cyan square", "blue circle", "blue triangle"),
    ("cyan square", "green circle", "purple circle"),
    ("yellow square", "red circle", "purple circle"),
    ("yellow square", "gray circle"),
    ("brown square", "purple circle", "gray triangle"),
    ("blue circle", "yellow circle", "red triangle"),
    ("yellow square", "blue circle", "brown circle"),
    ("yellow square", "cyan circle", "blue triangle"),
    ("gray square", "blue circle", "brown triangle"),
    ("blue square", "green square", "gray circle"),
    ),
}

# Candidate label sets drawn per image; the first one that is not held out
# is used. 6.5% of 2-label and 2.3% of 3-label sets are held out, so all 4
# are held out about once in 150,000 images; those scenes keep one object.
_NUM_CANDIDATES = 4
# Looks: object colour jitter, shading and outline.
_COLOR_JITTER = 0.04
_SHADING = 0.08  # Top of an object this much lighter, bottom darker.
_OUTLINE_DARKEN = 0.2


def _check_image_size(image_size):
    """`image_size` as an int; raises ValueError unless in `IMAGE_SIZES`."""
    return validation.check_image_size(
        image_size, valid=IMAGE_SIZES, what="the procedural shapes")


def condition_set(name):
    """Returns one of the fixed, held-out condition sets.

    Args:
        name: One of `CONDITION_SETS`.

    Returns:
        A float32 `np.ndarray` of shape `(32, 24)`, each row the multi-hot
        label of 2 or 3 distinct objects; the same rows forever.

    Raises:
        ValueError: If `name` is not a known condition set.
    """
    validation.check_choice("name", name, CONDITION_SETS)
    rows = _CONDITION_NAMES[name]
    out = np.zeros((len(rows), NUM_LABELS), "float32")
    for i, row in enumerate(rows):
        out[i, [LABEL_NAMES.index(tag) for tag in row]] = 1.0
    return out


def held_out_combinations():
    """The label sets that training scenes never have.

    Returns:
        A set of 64 sorted tuples of label indices, the rows of both
        condition sets.
    """
    return {
        tuple(sorted(LABEL_NAMES.index(tag) for tag in row))
        for name in CONDITION_SETS
        for row in _CONDITION_NAMES[name]
    }


def _held_out_codes():
    """The held-out label sets as int32 bit masks (bit i: label i)."""
    return np.array(
        [sum(1 << i for i in combo) for combo in
         sorted(held_out_combinations())],
        dtype="int32",
    )


def _draw_labels(key, num_images):
    """Draws each image's object labels, avoiding held-out label sets.

    Returns:
        (indices int32 (N, 3): distinct labels, active bool (N, 3): which
        objects are drawn, a prefix of 1 to 3).
    """
    count_key, label_key = tf.unstack(
        tf.random.experimental.stateless_split(key, num=2)
    )
    count = tf.random.stateless_uniform(
        [num_images], seed=count_key, minval=1, maxval=MAX_OBJECTS + 1,
        dtype="int32",
    )
    # The top 3 of 24 uniform scores: 3 distinct labels, uniformly.
    scores = tf.random.stateless_uniform(
        [num_images, _NUM_CANDIDATES, NUM_LABELS], seed=label_key
    )
    candidates = tf.math.top_k(scores, k=MAX_OBJECTS).indices  # (N, C, 3)
    # The last candidate is the first one's first object alone: one label is
    # never held out, so some candidate always qualifies.
    candidates = tf.concat([candidates, candidates[:, :1]], axis=1)
    counts = tf.concat([
        tf.tile(count[:, None], [1, _NUM_CANDIDATES]),
        tf.ones([num_images, 1], "int32"),
    ], axis=1)  # (N, C + 1)
    active = tf.range(MAX_OBJECTS)[None, None, :] < counts[..., None]
    # Each label set as a bit mask (bit i: label i), to compare in one op.
    bits = tf.bitwise.left_shift(tf.ones_like(candidates), candidates)
    codes = tf.reduce_sum(tf.where(active, bits, 0), axis=-1)
    held = tf.reduce_any(
        codes[..., None] == tf.constant(_held_out_codes()), axis=-1
    )
    # argmax returns the first maximum: the first candidate not held out.
    pick = tf.argmax(tf.cast(tf.logical_not(held), "int32"), axis=1,
                     output_type="int32")
    indices = tf.gather(candidates, pick, axis=1, batch_dims=1)
    active = tf.gather(active, pick, axis=1, batch_dims=1)
    return indices, active


def _render_layers(seed, chunk_index, image_size):
    """Renders one chunk, keeping each object's coverage.

    Returns:
        (images float32 (N, S, S, 3) in [-1, 1], labels float32 (N, 24),
        alphas float32 (N, 3, S, S): each object's opacity in [0, 1], 0 for
        objects not drawn), with N = `procedural.CHUNK_SIZE`.
    """
    num = procedural.CHUNK_SIZE
    key = tf.stack([seed, chunk_index])
    label_key, layout_key, color_key, background_key = tf.unstack(
        tf.random.experimental.stateless_split(key, num=4)
    )
    indices, active = _draw_labels(label_key, num)
    on = tf.cast(active, "float32")
    label = tf.reduce_sum(tf.one_hot(indices, NUM_LABELS) * on[..., None], 1)
    centre_x, centre_y, half = shape_drawing.draw_layout(
        layout_key, num, MAX_OBJECTS, image_size)
    pixel = tf.range(image_size, dtype="float32") + 0.5  # Pixel centres.
    u = pixel[None, None, None, :] - centre_x[:, :, None, None]
    v = pixel[None, None, :, None] - centre_y[:, :, None, None]
    half = half[:, :, None, None]
    shape = (indices // len(COLORS))[:, :, None, None]
    distance = shape_drawing.signed_distance(shape, u, v, half)
    # A one-pixel ramp just inside the edge: anti-aliased, and zero outside
    # the shape, so objects in distinct cells never share a pixel.
    alpha = tf.clip_by_value(-distance, 0.0, 1.0)
    alpha *= on[:, :, None, None]
    # A darker rim inside the edge (S / 64 pixels) and light from above.
    rim_width = image_size / 64.0
    rim = tf.clip_by_value(1.0 + rim_width + distance, 0.0, 1.0)
    light = 1.0 - _SHADING * v / half
    weight = alpha * light * (1.0 - _OUTLINE_DARKEN * rim)
    color = tf.gather(tf.constant(PALETTE), indices % len(COLORS))
    color *= 1.0 + tf.random.stateless_uniform(
        [num, MAX_OBJECTS, 1], seed=color_key, minval=-_COLOR_JITTER,
        maxval=_COLOR_JITTER,
    )
    # Objects never share a pixel, so their colours just add up.
    objects = tf.einsum("nkyx,nkc->nyxc", weight, color)
    coverage = tf.reduce_sum(alpha, axis=1)[..., None]
    background = shape_drawing.draw_background(background_key, num,
                                               image_size)
    images = background * (1.0 - coverage) + objects
    images = tf.clip_by_value(images * 2.0 - 1.0, -1.0, 1.0)
    return images, label, alpha


_render_layers_graph = tf.function(_render_layers)


def render_chunk(seed, chunk_index, image_size=DEFAULT_IMAGE_SIZE):
    """Renders images `64 * chunk_index ... 64 * chunk_index + 63`.

    The chunk renderer of `procedural`: TensorFlow ops only, all randomness
    from stateless ops keyed on `(seed, chunk_index)`.

    Args:
        seed: int or int64 scalar tensor.
        chunk_index: int or int64 scalar tensor.
        image_size: One of `IMAGE_SIZES`.

    Returns:
        (images float32 (64, S, S, 3) in [-1, 1], labels float32 (64, 24)
        multi-hot with 1 to 3 ones).

    Raises:
        ValueError: If `image_size` is not one of `IMAGE_SIZES`.
    """
    image_size = _check_image_size(image_size)
    images, label, _ = _render_layers_graph(
        tf.cast(seed, "int64"), tf.cast(chunk_index, "int64"), image_size
    )
    return images, label


def shapes_dataset(batch_size, seed=0, image_size=DEFAULT_IMAGE_SIZE,
                   start_image=0):
    """An infinite, seeded `tf.data.Dataset` of `(images, labels)` batches.

    Args:
        batch_size: Positive int, images per batch.
        seed: Int seed; the same seed gives the same images at any batch
            size.
        image_size: One of `IMAGE_SIZES`.
        start_image: Non-negative int, index of the first image (to resume).

    Returns:
        A `tf.data.Dataset` that never ends, yielding float32 images of
        shape `(batch_size, S, S, 3)` in [-1, 1] and float32 multi-hot
        labels of shape `(batch_size, 24)`.

    Raises:
        ValueError: If an argument is out of range.
    """
    image_size = _check_image_size(image_size)
    batch_size = validation.check_int("batch_size", batch_size)
    start_image = validation.check_int("start_image", start_image,
                                       minimum=0)
    return procedural.procedural_dataset(
        functools.partial(render_chunk, image_size=image_size),
        batch_size, seed=int(seed), start_image=start_image,
    )


def sample_shapes(num_images, seed=0, image_size=DEFAULT_IMAGE_SIZE,
                  start_image=0):
    """Images `start_image ... start_image + num_images - 1` as numpy.

    The same images as `shapes_dataset(..., seed, image_size, start_image)`.

    Returns:
        (images float32 (N, S, S, 3) in [-1, 1], labels float32 (N, 24)).

    Raises:
        ValueError: If an argument is out of range.
    """
    image_size = _check_image_size(image_size)
    num_images = validation.check_int("num_images", num_images,
                                      minimum=0)
    start_image = validation.check_int("start_image", start_image,
                                       minimum=0)
    if num_images == 0:
        return (np.zeros((0, image_size, image_size, 3), "float32"),
                np.zeros((0, NUM_LABELS), "float32"))
    return procedural.render_images(
        functools.partial(render_chunk, image_size=image_size),
        num_images, seed=int(seed), start_image=start_image,
    )
