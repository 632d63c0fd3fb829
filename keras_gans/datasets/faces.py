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
anti-aliased edges) composited back to front, vectorised over a chunk of
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

import numpy as np
import tensorflow as tf

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
_LINE = (0.16, 0.09, 0.08)  # the ink of eyelashes and the mouth

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
_NUM_BANG_STYLES = 4  # straight, spiky, side-swept, parted


def _ellipse(dx, dy, a, b):
    """Approximate signed distance to an axis-aligned ellipse.

    `f / |grad f|` for `f = (dx / a)^2 + (dy / b)^2 - 1`: exact to first
    order at the boundary, which is all a 1-pixel edge needs; far inside or
    outside it is only the sign that matters.
    """
    f = tf.square(dx / a) + tf.square(dy / b) - 1.0
    grad = 2.0 * tf.sqrt(tf.square(dx / (a * a)) + tf.square(dy / (b * b)))
    return f / tf.maximum(grad, 1e-3)


def _tri(v):
    """Triangle wave of period 1: 0 at integers, 1 half way between."""
    return 2.0 * tf.abs(v - tf.floor(v) - 0.5)


def _smoothstep(lo, hi, v):
    t = tf.clip_by_value((v - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def render_faces(labels, params, image_size=64):
    """Draws faces from explicit labels and geometry.

    `render_chunk` draws `labels` and `params` at random and calls this;
    tests call it with fixed `params` to see what one label changes.

    Args:
        labels: int32 `(N, 4)`, `[hair, eyes, glasses, blush]` as in
            `LABEL_SPEC`.
        params: float32 `(N, NUM_PARAMS)` in [0, 1): the geometry and
            colour jitter, columns named by `PARAM_NAMES`.
        image_size: one of `IMAGE_SIZES` (static).

    Returns:
        float32 images `(N, image_size, image_size, 3)` in [-1, 1].
    """
    procedural.check_image_size(image_size, "faces")
    labels = tf.convert_to_tensor(labels, "int32")
    params = tf.convert_to_tensor(params, "float32")
    num = tf.shape(params)[0]
    columns = tf.unstack(params, NUM_PARAMS, axis=1)
    # (N, 1, 1): broadcasts against the (1, S, S) pixel grids.
    p = {name: col[:, None, None] for name, col in zip(PARAM_NAMES, columns)}

    def color(rgb):
        """(N, 3) or (3,) colours -> (N, 1, 1, 3)."""
        rgb = tf.convert_to_tensor(rgb, "float32")
        return tf.broadcast_to(rgb, [num, 3])[:, None, None, :]

    def rgb_params(*names):
        """Three parameter columns as colours (N, 1, 1, 3)."""
        return tf.stack([p[name] for name in names], axis=-1)

    # Pixel centres in [-1, 1], x to the right, y down; one pixel is `px`.
    # Every length below is in these units, so all sizes look the same.
    size = int(image_size)
    px = 2.0 / size
    ticks = (tf.range(size, dtype="float32") + 0.5) * px - 1.0
    x = ticks[None, None, :]
    y = ticks[None, :, None]

    def coverage(distance, blur=1.0):
        """Soft mask of `distance < 0`, ramping over `blur` pixels."""
        return tf.clip_by_value(0.5 - distance / (blur * px), 0.0, 1.0)

    def paint(image, alpha, rgb):
        """Composites `rgb` (N, 1, 1, 3) or (N, S, S, 3) with `alpha` over."""
        return image + alpha[..., None] * (rgb - image)

    # Face frame: centre jitters by +-0.07 (about 2 px at 64), scale by
    # +-12%, so the face, eyes and hair stay inside the picture.
    cx = 0.14 * p["center_x"] - 0.07
    cy = 0.1 + 0.12 * p["center_y"] - 0.06
    scale = 0.88 + 0.24 * p["scale"]
    fw = 0.5 * scale * (0.92 + 0.14 * p["face_width"])
    fh = 0.55 * scale * (0.93 + 0.12 * p["face_height"])
    dx = x - cx
    dy = y - cy
    ax = tf.abs(dx)  # the face is symmetric: eyes, ears, blush use |dx|
    line = 0.028 * scale  # outline width, ~0.9 px at 64

    # Colours. The jitter draws on `params` only, so the same params with
    # another label change the colour and nothing else.
    hair_idx, eye_idx, glasses, blush = tf.unstack(labels, 4, axis=1)
    hair = color(tf.gather(_HAIR_RGB, hair_idx))
    hair = tf.clip_by_value(
        hair * (0.92 + 0.14 * p["hair_shade"])[..., None]
        + 0.04 * (rgb_params("hair_r", "hair_g", "hair_b") - 0.5), 0.0, 1.0)
    # Shadow and strand shades: darker versions of the same hue, never so
    # dark that a light colour reads as another one at a glance.
    hair_back = hair * 0.88
    hair_ink = hair * 0.5 + 0.02
    eye = color(tf.gather(_EYE_RGB, eye_idx))
    eye = tf.clip_by_value(
        eye * (0.94 + 0.1 * p["eye_shade"])[..., None], 0.0, 1.0)
    skin_t = p["skin"] ** 1.5  # more light skins than tan ones
    skin = (np.array(_LIGHT_SKIN, "float32") * (1.0 - skin_t[..., None])
            + np.array(_TAN_SKIN, "float32") * skin_t[..., None])
    skin = skin + 0.03 * (p["skin_tint"][..., None] - 0.5) * np.array(
        [1.0, 0.0, -1.0], "float32")
    skin_shadow = skin * np.array([0.88, 0.78, 0.76], "float32")
    skin_ink = skin * np.array([0.62, 0.45, 0.4], "float32")

    # Background: a pastel gradient (35% plain) with one soft light spot.
    # Channels in [0.62, 0.95]: pale enough never to read as a hair colour.
    bg1 = 0.62 + 0.33 * rgb_params("bg_r", "bg_g", "bg_b")
    bg2 = 0.62 + 0.33 * rgb_params("bg_r2", "bg_g2", "bg_b2")
    bg2 = tf.where(p["bg_plain"][..., None] < 0.35, bg1, bg2)
    angle = 2.0 * np.pi * p["bg_angle"]
    ramp = 0.5 + 0.35 * (x * tf.cos(angle) + y * tf.sin(angle))
    image = bg1 + ramp[..., None] * (bg2 - bg1)
    spot = tf.sqrt(tf.square(x - (1.6 * p["bg_spot_x"] - 0.8))
                   + tf.square(y - (1.6 * p["bg_spot_y"] - 0.8)))
    image = paint(image, 0.25 * _smoothstep(0.6, 0.0, spot),
                  color([1.0, 1.0, 1.0]))

    # Back hair: the skull plus a curtain down to a random length (from
    # the cheeks to past the bottom edge), with pointed tips.
    hw = fw * (1.22 + 0.14 * p["hair_width"])
    skull = _ellipse(dx, y - (cy - 0.12 * scale), hw, fh * 1.12)
    bottom = cy + fh * (0.15 + 1.7 * p["hair_length"])
    tips = 0.1 * scale * _tri(dx / (0.16 * scale) + 4.0 * p["hair_tips"])
    curtain = tf.maximum(
        tf.maximum(ax - hw * (1.0 - 0.12 * (y - cy) / fh),
                   y - bottom + tips),
        cy - 0.12 * scale - y)
    back = tf.minimum(skull, curtain)
    image = paint(image, coverage(back), hair_ink)
    image = paint(image, coverage(back + line), hair_back)

    # Neck and ears, behind the face.
    neck = tf.maximum(ax - 0.36 * fw, cy + 0.4 * fh - y)
    image = paint(image, coverage(neck), skin_ink)
    image = paint(image, coverage(neck + line), skin_shadow)
    ear = _ellipse(ax - 0.97 * fw, dy - 0.06 * fh, 0.13 * fw, 0.2 * fh)
    image = paint(image, coverage(ear), skin_ink)
    image = paint(image, coverage(ear + line), skin)
    # Shoulders in muted clothes: greyish, so they never look like a hair
    # colour the labels talk about.
    cloth = 0.2 + 0.4 * rgb_params("cloth_r", "cloth_g", "cloth_b")
    cloth = 0.5 * cloth + 0.5 * tf.reduce_mean(cloth, -1, keepdims=True)
    body = _ellipse(dx, y - (cy + 2.15 * fh), 1.9 * fw, 1.0 * fh)
    image = paint(image, coverage(body), cloth * 0.6)
    image = paint(image, coverage(body + line), cloth)
    collar = tf.maximum(body + line, tf.abs(dx) - 0.45 * fw
                        + 0.6 * (y - cy - 1.15 * fh))
    image = paint(image, coverage(collar), color([0.96, 0.96, 0.96]))

    # Face: an ellipse whose lower half narrows to an anime chin.
    narrow = 1.0 - (0.32 + 0.2 * p["chin"]) * tf.square(
        tf.clip_by_value(dy / fh, 0.0, 1.0))
    face = _ellipse(dx, dy, fw * narrow, fh)
    image = paint(image, coverage(face), skin_ink)
    image = paint(image, coverage(face + line), skin)

    # Nose: a dot of shadow. Mouth: a short arc, open (a dark red D) in a
    # third of the faces.
    nose = _ellipse(dx + 0.02 * fw, dy - 0.3 * fh, 0.03 * fw, 0.04 * fh)
    image = paint(image, 0.7 * coverage(nose), skin_ink)
    mouth_y = cy + fh * 0.58
    mouth_w = fw * (0.1 + 0.1 * p["mouth_width"])
    curve = -fh * (0.06 * p["mouth_curve"])  # corners up: a smile
    arc_y = mouth_y + curve * (tf.square(dx / mouth_w) - 0.5)
    mouth = tf.maximum(tf.abs(y - arc_y) - 0.6 * line, ax - mouth_w)
    image = paint(image, coverage(mouth), color(_LINE))
    open_mouth = tf.maximum(
        _ellipse(dx, y - mouth_y, 0.75 * mouth_w, 0.75 * mouth_w),
        mouth_y - y)
    open_alpha = coverage(open_mouth) * tf.cast(
        p["mouth_open"] < 0.35, "float32")
    image = paint(image, open_alpha, color([0.62, 0.16, 0.2]))

    # Eyes: white, a big iris shaded dark at the top, a pupil, a white
    # highlight, and a thick upper lash line. Iris half-width ~ 3.3 px at
    # 64, so the eye colour reads even on small pictures.
    eye_x = fw * (0.43 + 0.08 * p["eye_gap"])
    eye_y = cy + fh * (0.04 + 0.1 * p["eye_y"])
    ew = fw * (0.24 + 0.05 * p["eye_size"])
    eh = ew * (1.1 + 0.25 * p["eye_height"])
    ex = ax - eye_x
    ey = y - eye_y
    sclera = _ellipse(ex, ey, ew, eh)
    image = paint(image, coverage(sclera), color([0.99, 0.99, 1.0]))
    iris_y = ey - 0.12 * eh
    iris = tf.maximum(_ellipse(ex, iris_y, 0.8 * ew, 0.86 * eh), sclera)
    shade = 0.62 + 0.48 * tf.clip_by_value(
        (iris_y + 0.86 * eh) / (1.72 * eh), 0.0, 1.0)
    iris_color = tf.clip_by_value(eye * shade[..., None], 0.0, 1.0)
    image = paint(image, coverage(iris), iris_color)
    pupil = _ellipse(ex, iris_y, 0.34 * ew, 0.42 * eh)
    image = paint(image, coverage(pupil), eye * 0.3)
    highlight = _ellipse(ex + 0.3 * ew, iris_y + 0.35 * eh,
                         0.22 * ew, 0.24 * eh)
    image = paint(image, coverage(highlight), color([1.0, 1.0, 1.0]))
    lash = tf.maximum(tf.abs(sclera) - 1.2 * line,
                      y - (eye_y - 0.3 * eh))
    image = paint(image, coverage(lash), color(_LINE))
    brow_y = eye_y - eh * (1.55 + 0.3 * p["brow_y"])
    brow = tf.maximum(
        tf.abs(y - brow_y - 0.5 * eh * tf.square(ex / ew)) - 0.5 * line,
        tf.abs(ex) - ew)
    image = paint(image, coverage(brow), hair_ink)

    # Blush: two soft pink ovals on the cheeks, just under the eyes.
    cheek = _ellipse(ax - eye_x - 0.04 * fw, y - eye_y - 1.25 * eh,
                     0.24 * fw, 0.11 * fh)
    blush_alpha = 0.7 * coverage(cheek, blur=2.0) * tf.cast(
        blush, "float32")[:, None, None]
    image = paint(image, blush_alpha, color([1.0, 0.3, 0.42]))

    # Front hair: the hair cap over the forehead, cut by the fringe line
    # y = fringe(x): straight and choppy, spiky, side-swept or parted, with
    # locks falling down both sides of the face.
    style = tf.cast(tf.floor(p["bang_style"] * _NUM_BANG_STYLES), "int32")
    spiky = tf.cast(tf.equal(style, 1), "float32")
    swept = tf.cast(tf.equal(style, 2), "float32")
    parted = tf.cast(tf.equal(style, 3), "float32")
    u = dx / fw  # -1 .. 1 across the face
    freq = tf.where(tf.equal(style, 0), 5.0 + 2.0 * p["bang_freq"],
                    2.5 + 1.2 * p["bang_freq"])
    wave = u * freq + p["bang_phase"]
    side = tf.where(p["bang_side"] < 0.5, -1.0, 1.0)
    saw = side * wave - tf.floor(side * wave)  # ramps, tips at the drops
    teeth = (1.0 - swept) * (1.0 - _tri(wave)) + swept * saw
    amp = fh * tf.where(
        tf.equal(style, 0), 0.05 + 0.04 * p["bang_amp"],
        0.14 + 0.16 * p["bang_amp"] * (spiky + 0.5))
    part = tf.maximum(
        0.0, 1.0 - tf.abs(u - (0.6 * p["part_x"] - 0.3)) / 0.5)
    fringe = (cy - fh * (0.42 + 0.16 * p["bang_base"]) + amp * teeth
              + swept * side * 0.25 * fh * u
              - parted * 0.35 * fh * part
              + fh * (0.5 + 0.5 * p["side_locks"]) * _smoothstep(
                  0.62, 0.86, tf.abs(u)))
    cap = _ellipse(dx, y - (cy - 0.1 * fh), fw * 1.1, fh * 1.12)
    # The fringe's slopes reach ~1.7: scaling y - fringe(x) keeps its edge
    # about one pixel wide on the steep sides.
    bangs = tf.maximum(cap, 0.6 * (y - fringe))
    strands = 0.5 + 0.5 * tf.sin(
        17.0 * u / scale + 6.0 * p["strand_phase"] + 3.0 * dy / fh)
    front = hair * (1.0 - 0.1 * strands[..., None])
    shine = _ellipse(dx, y - (cy - 0.72 * fh), 0.55 * fw, 0.14 * fh)
    shine = coverage(tf.abs(shine) - 0.6 * line) * _smoothstep(
        -0.5, 0.0, -tf.abs(u) + 0.1)
    front = front + (0.3 * shine)[..., None] * (1.0 - front)
    image = paint(image, coverage(bangs), hair_ink)
    image = paint(image, coverage(bangs + line), front)

    # Glasses: round or squarish dark rims around the eyes, a bridge and
    # the arms; lenses barely tinted so the iris colour shows through.
    on = tf.cast(glasses, "float32")[:, None, None]
    lens_w = ew * 1.38
    lens_h = eh * 1.18
    lens_y = ey - 0.05 * eh
    round_lens = _ellipse(ex, lens_y, lens_w, lens_h)
    square_lens = tf.maximum(tf.abs(ex) - lens_w, tf.abs(lens_y) - lens_h)
    square_lens = 0.5 * (square_lens + _ellipse(
        ex, lens_y, lens_w * 1.25, lens_h * 1.25))  # rounded corners
    lens = tf.where(p["glasses_shape"] < 0.5, round_lens, square_lens)
    image = paint(image, 0.15 * on * coverage(lens),
                  color([0.85, 0.93, 1.0]))
    rim = tf.abs(lens) - 0.75 * line
    bar_y = tf.abs(y - (eye_y - 0.25 * eh)) - 0.6 * line
    bridge = tf.maximum(bar_y, ax - (eye_x - lens_w) - 0.5 * line)
    arm = tf.maximum(bar_y, tf.maximum(eye_x + lens_w - ax, ax - fw))
    frame = tf.minimum(rim, tf.minimum(bridge, arm))
    rim_rgb = (np.array([0.10, 0.08, 0.08], "float32")
               + 0.25 * p["glasses_color"][..., None]
               * np.array([0.8, 0.15, 0.1], "float32"))
    image = paint(image, on * coverage(frame), rim_rgb)

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
    procedural.check_image_size(image_size, "faces")
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
    procedural.check_image_size(image_size, "faces")
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
    procedural.check_image_size(image_size, "faces")
    return procedural.render_images(
        functools.partial(render_chunk, image_size=image_size),
        num_images, seed=seed, start_image=start_image)
