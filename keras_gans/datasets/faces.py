"""Procedural anime-style faces tagged with hair and eye colours.

The embedded `faces` dataset: conditional GANs are commonly trained on anime
faces tagged "blue hair red eyes"; we cannot download those, so we render
similar faces on the fly. Each picture is a face of random skin tone, shape,
position and size on a soft pastel background, with a hair mass and bangs
in one of four styles (straight, spiky, side-swept, parted), two large
anime eyes with coloured irises, eyebrows, a nose and a mouth, plus glasses
and cheek blush when its label says so.

A label is an int32 vector `[hair, eyes, glasses, blush]`: the index of the
hair colour in `HAIR_COLORS` (uniform over 12), of the eye colour in
`EYE_COLORS` (uniform over 11), and two bits, each set with probability
0.3; the four are independent of each other and of the geometry.

Everything is drawn by TensorFlow ops from `(seed, chunk_index)` (see
`keras_gans.datasets.procedural`): soft signed-distance masks (1-pixel
anti-aliased edges) composited back to front (the parts are drawn by
`keras_gans.datasets.face_drawing`), vectorised over a chunk of
images and compiled with XLA (about 6,000 64x64 images a second on two
CPU cores). So tf.data renders chunks in parallel, and image `i` of a seed
is the same at any batch size and after a resume.

Example:

```python
from keras_gans.datasets import faces

ds = faces.faces_dataset(batch_size=64, seed=0)
images, labels = next(iter(ds))  # (64, 64, 64, 3) in [-1, 1], (64, 4)
faces.LABEL_SPEC.describe(labels[0])  # e.g. "blue hair red eyes glasses"
images, labels = faces.sample_faces(16, seed=1, image_size=128)  # numpy
```
"""

import functools
import typing

import numpy as np
import tensorflow as tf

from keras_gans import validation
from keras_gans.datasets import face_drawing as draw
from keras_gans.datasets import procedural
from keras_gans.datasets.labels import Attribute
from keras_gans.datasets.labels import LabelSpec

HAIR_COLORS = (
    "orange", "white", "aqua", "gray", "green", "red", "purple", "pink",
    "blue", "black", "brown", "blonde",
)
EYE_COLORS = (
    "gray", "black", "orange", "pink", "yellow", "aqua", "purple", "green",
    "brown", "red", "blue",
)
LABEL_SPEC = LabelSpec.for_attributes([
    Attribute("hair", HAIR_COLORS),
    Attribute("eyes", EYE_COLORS),
    Attribute("glasses"),
    Attribute("blush"),
])
IMAGE_SIZES = procedural.IMAGE_SIZES
GLASSES_PROBABILITY = 0.3
BLUSH_PROBABILITY = 0.3

# Base RGB colours in [0, 1], in the order of HAIR_COLORS / EYE_COLORS.
# Chosen so the confusable pairs stay apart after the per-image jitter
# (brightness x0.92-1.06, +-0.02 per channel): white (>= 0.87) vs gray
# (<= 0.64) vs blonde (blue channel <= 0.5); orange (bright, saturated) vs
# brown (dark, value <= 0.55) vs red (no green); aqua (cyan) vs blue vs
# green; purple (blue-violet, dark) vs pink (light, red-dominant).
_HAIR_RGB = np.array([
    [1.00, 0.50, 0.08],  # orange
    [0.97, 0.97, 0.99],  # white
    [0.20, 0.86, 0.86],  # aqua
    [0.55, 0.55, 0.58],  # gray
    [0.16, 0.66, 0.20],  # green
    [0.86, 0.10, 0.12],  # red
    [0.50, 0.22, 0.78],  # purple
    [1.00, 0.56, 0.78],  # pink
    [0.14, 0.28, 0.92],  # blue
    [0.09, 0.09, 0.11],  # black
    [0.47, 0.27, 0.12],  # brown
    [1.00, 0.89, 0.42],  # blonde
], "float32")
_EYE_RGB = np.array([
    [0.60, 0.62, 0.66],  # gray
    [0.08, 0.08, 0.10],  # black
    [1.00, 0.52, 0.06],  # orange
    [1.00, 0.42, 0.72],  # pink
    [1.00, 0.90, 0.10],  # yellow
    [0.10, 0.88, 0.88],  # aqua
    [0.58, 0.22, 0.85],  # purple
    [0.12, 0.72, 0.16],  # green
    [0.52, 0.29, 0.10],  # brown
    [0.90, 0.06, 0.08],  # red
    [0.12, 0.30, 0.98],  # blue
], "float32")
_LIGHT_SKIN = (1.00, 0.91, 0.84)
_TAN_SKIN = (0.86, 0.64, 0.48)

# The geometry and colour jitter of one image: one uniform [0, 1) number
# each, in this order (the columns of `render_faces`' `params`). Appending
# names keeps the earlier columns' meaning; reordering changes every image.
PARAM_NAMES = (
    "center_x", "center_y", "scale", "face_width", "face_height", "chin",
    "skin", "skin_tint",
    "bg_r", "bg_g", "bg_b", "bg_r2", "bg_g2", "bg_b2", "bg_angle",
    "bg_plain", "bg_spot_x", "bg_spot_y",
    "hair_shade", "hair_r", "hair_g", "hair_b", "eye_shade",
    "hair_width", "hair_length", "hair_tips", "strand_phase",
    "bang_style", "bang_base", "bang_freq", "bang_phase", "bang_amp",
    "bang_side", "part_x", "side_locks",
    "eye_gap", "eye_y", "eye_size", "eye_height",
    "brow_y", "mouth_width", "mouth_curve", "mouth_open",
    "glasses_shape", "glasses_color", "cloth_r", "cloth_g", "cloth_b",
)
NUM_PARAMS = len(PARAM_NAMES)


def _check_image_size(image_size):
    """`image_size` as an int; raises ValueError unless in `IMAGE_SIZES`."""
    return validation.check_image_size(
        image_size, valid=IMAGE_SIZES, what="the procedural faces")


class Palette(typing.NamedTuple):
    """The colours of a face, each `(N, 1, 1, 3)` in [0, 1]."""

    hair: tf.Tensor
    hair_back: tf.Tensor  # the back hair's shadow
    hair_ink: tf.Tensor  # outlines, strands and brows
    eye: tf.Tensor
    skin: tf.Tensor
    skin_shadow: tf.Tensor
    skin_ink: tf.Tensor


def _palette(p, canvas, hair_rgb, eye_rgb):
    """The face's colours: the labels' base colours, jittered.

    The jitter draws on `p` only, so the same params with another label
    change the colour and nothing else.

    Args:
        p: the parameter columns.
        canvas: the `face_drawing.Canvas`.
        hair_rgb, eye_rgb: float32 `(N, 3)`, the labels' base colours.

    Returns:
        A `Palette`.
    """
    hair = canvas.color(hair_rgb)
    hair = tf.clip_by_value(
        hair * (0.92 + 0.14 * p["hair_shade"])[..., None]
        + 0.04 * (draw.rgb_params(p, "hair_r", "hair_g", "hair_b") - 0.5),
        0.0, 1.0)
    eye = canvas.color(eye_rgb)
    eye = tf.clip_by_value(
        eye * (0.94 + 0.1 * p["eye_shade"])[..., None], 0.0, 1.0)
    skin_t = p["skin"] ** 1.5  # more light skins than tan ones
    skin = (np.array(_LIGHT_SKIN, "float32") * (1.0 - skin_t[..., None])
            + np.array(_TAN_SKIN, "float32") * skin_t[..., None])
    skin = skin + 0.03 * (p["skin_tint"][..., None] - 0.5) * np.array(
        [1.0, 0.0, -1.0], "float32")
    # Shadow and strand shades: darker versions of the same hue, never so
    # dark that a light colour reads as another one at a glance.
    return Palette(
        hair=hair, hair_back=hair * 0.88, hair_ink=hair * 0.5 + 0.02,
        eye=eye, skin=skin,
        skin_shadow=skin * np.array([0.88, 0.78, 0.76], "float32"),
        skin_ink=skin * np.array([0.62, 0.45, 0.4], "float32"),
    )


def render_faces(labels, params, image_size=64):
    """Draws faces from explicit labels and geometry.

    `render_chunk` draws `labels` and `params` at random and calls this;
    tests call it with fixed `params` to see what one label changes. The
    parts are painted back to front by `face_drawing`.

    Args:
        labels: int32 `(N, 4)`, `[hair, eyes, glasses, blush]` as in
            `LABEL_SPEC`.
        params: float32 `(N, NUM_PARAMS)` in [0, 1): the geometry and
            colour jitter, columns named by `PARAM_NAMES`.
        image_size: one of `IMAGE_SIZES` (static).

    Returns:
        float32 images `(N, image_size, image_size, 3)` in [-1, 1].

    Raises:
        ValueError: If `image_size` is not in `IMAGE_SIZES`.
    """
    image_size = _check_image_size(image_size)
    labels = tf.convert_to_tensor(labels, "int32")
    params = tf.convert_to_tensor(params, "float32")
    columns = tf.unstack(params, NUM_PARAMS, axis=1)
    # (N, 1, 1): broadcasts against the (1, S, S) pixel grids.
    p = {name: col[:, None, None] for name, col in zip(PARAM_NAMES, columns)}
    hair, eyes, glasses, blush = tf.unstack(labels, 4, axis=1)

    canvas = draw.make_canvas(tf.shape(params)[0], image_size)
    head = draw.place_head(p, canvas)
    eye_frame = draw.place_eyes(p, canvas, head)
    colors = _palette(p, canvas, tf.gather(_HAIR_RGB, hair),
                      tf.gather(_EYE_RGB, eyes))
    image = draw.background(p, canvas)
    image = draw.back_hair(image, p, canvas, head, colors)
    image = draw.neck_and_ears(image, canvas, head, colors)
    image = draw.shoulders(image, p, canvas, head)
    image = draw.face(image, p, canvas, head, colors)
    image = draw.nose_and_mouth(image, p, canvas, head, colors)
    image = draw.eyes_and_brows(image, p, canvas, head, eye_frame, colors)
    image = draw.blush(image, blush, canvas, head, eye_frame)
    image = draw.front_hair(image, p, canvas, head, colors)
    image = draw.glasses(image, glasses, p, canvas, head, eye_frame)
    return tf.clip_by_value(image, 0.0, 1.0) * 2.0 - 1.0


def _draw(seed, chunk_index):
    """Labels `(CHUNK_SIZE, 4)` and params `(CHUNK_SIZE, NUM_PARAMS)`."""
    key = tf.stack([tf.cast(seed, "int64"), tf.cast(chunk_index, "int64")])
    label_key, param_key = tf.unstack(
        tf.random.experimental.stateless_split(key, num=2))
    n = procedural.CHUNK_SIZE
    draws = tf.random.stateless_uniform([n, 4], seed=label_key)
    hair = tf.minimum(
        tf.cast(draws[:, 0] * len(HAIR_COLORS), "int32"), len(HAIR_COLORS) - 1)
    eyes = tf.minimum(
        tf.cast(draws[:, 1] * len(EYE_COLORS), "int32"), len(EYE_COLORS) - 1)
    glasses = tf.cast(draws[:, 2] < GLASSES_PROBABILITY, "int32")
    blush = tf.cast(draws[:, 3] < BLUSH_PROBABILITY, "int32")
    labels = tf.stack([hair, eyes, glasses, blush], axis=1)
    params = tf.random.stateless_uniform([n, NUM_PARAMS], seed=param_key)
    return labels, params


@functools.lru_cache(maxsize=None)
def _compiled_renderer(image_size):
    """`render_faces` at one image size, compiled with XLA.

    XLA fuses the few hundred elementwise ops of a drawing into a handful
    of loops: about twice the images per second on CPU. The random draws
    stay outside it (plain TensorFlow kernels), and nothing else wraps it:
    a jit-compiled function nested in another `tf.function` inside a
    `Dataset.map` lost its compilation when we tried.
    """
    return tf.function(
        functools.partial(render_faces, image_size=image_size),
        jit_compile=True,
    )


def render_chunk(seed, chunk_index, image_size=64):
    """Renders chunk `chunk_index` of seed `seed`.

    Args:
        seed: int64 scalar (tensor or int).
        chunk_index: int64 scalar (tensor or int).
        image_size: one of `IMAGE_SIZES`.

    Returns:
        `(images, labels)`: float32 `(CHUNK_SIZE, S, S, 3)` in [-1, 1] and
        int32 `(CHUNK_SIZE, 4)` labels `[hair, eyes, glasses, blush]`.

    Raises:
        ValueError: If `image_size` is not in `IMAGE_SIZES`.
    """
    _check_image_size(image_size)
    labels, params = _draw(seed, chunk_index)
    images = _compiled_renderer(int(image_size))(labels, params)
    n = procedural.CHUNK_SIZE
    return (tf.ensure_shape(images, [n, image_size, image_size, 3]),
            tf.ensure_shape(labels, [n, 4]))


def faces_dataset(batch_size, seed=0, image_size=64, start_image=0):
    """A repeating, batched `tf.data.Dataset` of `(images, labels)`.

    Args:
        batch_size: images per batch (static, remainder dropped).
        seed: int; the same seed gives the same images in the same order.
        image_size: one of `IMAGE_SIZES`.
        start_image: index of the first image (to resume a run).

    Returns:
        A dataset of float32 `(batch_size, S, S, 3)` images in [-1, 1] and
        int32 `(batch_size, 4)` labels.

    Raises:
        ValueError: If `image_size` is not in `IMAGE_SIZES`.
    """
    _check_image_size(image_size)
    return procedural.procedural_dataset(
        functools.partial(render_chunk, image_size=image_size),
        batch_size, seed=seed, start_image=start_image)


def sample_faces(num_images, seed=0, image_size=64, start_image=0):
    """Images `start_image ... start_image + num_images - 1` as numpy.

    Returns:
        `(images, labels)`: float32 `(num_images, S, S, 3)` in [-1, 1] and
        int32 `(num_images, 4)`, identical to the dataset's.

    Raises:
        ValueError: If `image_size` is not in `IMAGE_SIZES`.
    """
    _check_image_size(image_size)
    return procedural.render_images(
        functools.partial(render_chunk, image_size=image_size),
        num_images, seed=seed, start_image=start_image)
