"""How `faces.render_faces` draws a face: one function per part.

A face is painted back to front: background, back hair, neck and ears,
shoulders, face, nose and mouth, eyes and brows, blush, front hair,
glasses. Each part is a few soft signed-distance masks (negative inside,
1-pixel anti-aliased edges, see `Canvas.coverage`) composited over the
picture so far by `paint`, vectorised over a batch of N pictures. Every
part reads its geometry from the per-image parameters `p` (a dict of
`(N, 1, 1)` columns named by `faces.PARAM_NAMES`, uniform in [0, 1)),
never from random ops, so the same parameters draw the same face; its
colours come from `faces.Palette`.

The arithmetic is the images' definition: a shipped evaluator was trained
on these pictures, so reordering or "simplifying" an expression changes
them (tests/test_faces.py pins a checksum).
"""

import typing

import numpy as np
import tensorflow as tf

LINE = (0.16, 0.09, 0.08)  # the ink of eyelashes and the mouth
NUM_BANG_STYLES = 4  # straight, spiky, side-swept, parted


# Shape primitives.


def ellipse(dx, dy, a, b):
    """Approximate signed distance to an axis-aligned ellipse.

    `f / |grad f|` for `f = (dx / a)^2 + (dy / b)^2 - 1`: exact to first
    order at the boundary, which is all a 1-pixel edge needs; far inside or
    outside it is only the sign that matters.
    """
    f = tf.square(dx / a) + tf.square(dy / b) - 1.0
    grad = 2.0 * tf.sqrt(tf.square(dx / (a * a)) + tf.square(dy / (b * b)))
    return f / tf.maximum(grad, 1e-3)


def tri(v):
    """Triangle wave of period 1: 0 at integers, 1 half way between."""
    return 2.0 * tf.abs(v - tf.floor(v) - 0.5)


def smoothstep(lo, hi, v):
    t = tf.clip_by_value((v - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def paint(image, alpha, rgb):
    """Composites `rgb` (N, 1, 1, 3) or (N, S, S, 3) with `alpha` over."""
    return image + alpha[..., None] * (rgb - image)


def rgb_params(p, *names):
    """Three parameter columns as colours (N, 1, 1, 3)."""
    return tf.stack([p[name] for name in names], axis=-1)


# The frames every part is drawn in.


class Canvas(typing.NamedTuple):
    """The pixel grid of N pictures.

    Pixel centres are in [-1, 1], x to the right, y down; one pixel is
    `px`. Every length of the parts is in these units, so all image sizes
    look the same.

    Attributes:
        num: N, a scalar int32 tensor.
        px: the width of one pixel (a Python float).
        x: float32 `(1, 1, S)` pixel centres.
        y: float32 `(1, S, 1)` pixel centres.
    """

    num: tf.Tensor
    px: float
    x: tf.Tensor
    y: tf.Tensor

    def color(self, rgb):
        """(N, 3) or (3,) colours -> (N, 1, 1, 3)."""
        rgb = tf.convert_to_tensor(rgb, "float32")
        return tf.broadcast_to(rgb, [self.num, 3])[:, None, None, :]

    def coverage(self, distance, blur=1.0):
        """Soft mask of `distance < 0`, ramping over `blur` pixels."""
        return tf.clip_by_value(0.5 - distance / (blur * self.px), 0.0, 1.0)


def make_canvas(num, image_size):
    """The `Canvas` of `num` pictures of side `image_size` (static)."""
    size = int(image_size)
    px = 2.0 / size
    ticks = (tf.range(size, dtype="float32") + 0.5) * px - 1.0
    return Canvas(num=num, px=px, x=ticks[None, None, :],
                  y=ticks[None, :, None])


class Head(typing.NamedTuple):
    """Where the face is: every tensor `(N, 1, 1)` or `(N, S, S)`.

    Attributes:
        cx, cy: the face's centre.
        scale: its size factor.
        fw, fh: its half width and half height.
        dx, dy: pixel offsets from the centre.
        ax: `|dx|`: the face is symmetric, so eyes, ears and blush use it.
        line: the outline width, ~0.9 px at 64.
    """

    cx: tf.Tensor
    cy: tf.Tensor
    scale: tf.Tensor
    fw: tf.Tensor
    fh: tf.Tensor
    dx: tf.Tensor
    dy: tf.Tensor
    ax: tf.Tensor
    line: tf.Tensor


def place_head(p, canvas):
    """The face frame: centre jitters by +-0.07 (about 2 px at 64), scale
    by +-12%, so the face, eyes and hair stay inside the picture."""
    cx = 0.14 * p["center_x"] - 0.07
    cy = 0.1 + 0.12 * p["center_y"] - 0.06
    scale = 0.88 + 0.24 * p["scale"]
    fw = 0.5 * scale * (0.92 + 0.14 * p["face_width"])
    fh = 0.55 * scale * (0.93 + 0.12 * p["face_height"])
    dx = canvas.x - cx
    dy = canvas.y - cy
    return Head(cx=cx, cy=cy, scale=scale, fw=fw, fh=fh, dx=dx, dy=dy,
                ax=tf.abs(dx), line=0.028 * scale)


class Eyes(typing.NamedTuple):
    """Where the eyes are (both: x is mirrored by `Head.ax`).

    Attributes:
        eye_x, eye_y: an eye's centre (x from the face's axis).
        ew, eh: an eye's half width and half height.
        ex, ey: pixel offsets from the eye's centre.
    """

    eye_x: tf.Tensor
    eye_y: tf.Tensor
    ew: tf.Tensor
    eh: tf.Tensor
    ex: tf.Tensor
    ey: tf.Tensor


def place_eyes(p, canvas, head):
    """The eyes' frame; the iris half-width is ~3.3 px at 64, so the eye
    colour reads even on small pictures."""
    eye_x = head.fw * (0.43 + 0.08 * p["eye_gap"])
    eye_y = head.cy + head.fh * (0.04 + 0.1 * p["eye_y"])
    ew = head.fw * (0.24 + 0.05 * p["eye_size"])
    eh = ew * (1.1 + 0.25 * p["eye_height"])
    return Eyes(eye_x=eye_x, eye_y=eye_y, ew=ew, eh=eh,
                ex=head.ax - eye_x, ey=canvas.y - eye_y)


# The parts, back to front. Each returns the picture with its part painted.


def background(p, canvas):
    """A pastel gradient (35% plain) with one soft light spot; channels in
    [0.62, 0.95], pale enough never to read as a hair colour.

    Returns:
        float32 `(N, S, S, 3)`.
    """
    x, y = canvas.x, canvas.y
    bg1 = 0.62 + 0.33 * rgb_params(p, "bg_r", "bg_g", "bg_b")
    bg2 = 0.62 + 0.33 * rgb_params(p, "bg_r2", "bg_g2", "bg_b2")
    bg2 = tf.where(p["bg_plain"][..., None] < 0.35, bg1, bg2)
    angle = 2.0 * np.pi * p["bg_angle"]
    ramp = 0.5 + 0.35 * (x * tf.cos(angle) + y * tf.sin(angle))
    image = bg1 + ramp[..., None] * (bg2 - bg1)
    spot = tf.sqrt(tf.square(x - (1.6 * p["bg_spot_x"] - 0.8))
                   + tf.square(y - (1.6 * p["bg_spot_y"] - 0.8)))
    return paint(image, 0.25 * smoothstep(0.6, 0.0, spot),
                 canvas.color([1.0, 1.0, 1.0]))


def back_hair(image, p, canvas, head, colors):
    """The skull plus a curtain down to a random length (from the cheeks to
    past the bottom edge), with pointed tips."""
    cy, fh, scale, line = head.cy, head.fh, head.scale, head.line
    y = canvas.y
    hw = head.fw * (1.22 + 0.14 * p["hair_width"])
    skull = ellipse(head.dx, y - (cy - 0.12 * scale), hw, fh * 1.12)
    bottom = cy + fh * (0.15 + 1.7 * p["hair_length"])
    tips = 0.1 * scale * tri(head.dx / (0.16 * scale)
                             + 4.0 * p["hair_tips"])
    curtain = tf.maximum(
        tf.maximum(head.ax - hw * (1.0 - 0.12 * (y - cy) / fh),
                   y - bottom + tips),
        cy - 0.12 * scale - y)
    back = tf.minimum(skull, curtain)
    image = paint(image, canvas.coverage(back), colors.hair_ink)
    return paint(image, canvas.coverage(back + line), colors.hair_back)


def neck_and_ears(image, canvas, head, colors):
    """Behind the face."""
    fw, fh, line = head.fw, head.fh, head.line
    neck = tf.maximum(head.ax - 0.36 * fw, head.cy + 0.4 * fh - canvas.y)
    image = paint(image, canvas.coverage(neck), colors.skin_ink)
    image = paint(image, canvas.coverage(neck + line), colors.skin_shadow)
    ear = ellipse(head.ax - 0.97 * fw, head.dy - 0.06 * fh, 0.13 * fw,
                  0.2 * fh)
    image = paint(image, canvas.coverage(ear), colors.skin_ink)
    return paint(image, canvas.coverage(ear + line), colors.skin)


def shoulders(image, p, canvas, head):
    """Shoulders in muted clothes, greyish so that they never look like a
    hair colour the labels talk about, and a white collar."""
    fw, fh, cy, line = head.fw, head.fh, head.cy, head.line
    cloth = 0.2 + 0.4 * rgb_params(p, "cloth_r", "cloth_g", "cloth_b")
    cloth = 0.5 * cloth + 0.5 * tf.reduce_mean(cloth, -1, keepdims=True)
    body = ellipse(head.dx, canvas.y - (cy + 2.15 * fh), 1.9 * fw, 1.0 * fh)
    image = paint(image, canvas.coverage(body), cloth * 0.6)
    image = paint(image, canvas.coverage(body + line), cloth)
    collar = tf.maximum(body + line, tf.abs(head.dx) - 0.45 * fw
                        + 0.6 * (canvas.y - cy - 1.15 * fh))
    return paint(image, canvas.coverage(collar),
                 canvas.color([0.96, 0.96, 0.96]))


def face(image, p, canvas, head, colors):
    """An ellipse whose lower half narrows to an anime chin."""
    narrow = 1.0 - (0.32 + 0.2 * p["chin"]) * tf.square(
        tf.clip_by_value(head.dy / head.fh, 0.0, 1.0))
    outline = ellipse(head.dx, head.dy, head.fw * narrow, head.fh)
    image = paint(image, canvas.coverage(outline), colors.skin_ink)
    return paint(image, canvas.coverage(outline + head.line), colors.skin)


def nose_and_mouth(image, p, canvas, head, colors):
    """Nose: a dot of shadow. Mouth: a short arc, open (a dark red D) in a
    third of the faces."""
    fw, fh, dx, y = head.fw, head.fh, head.dx, canvas.y
    nose = ellipse(dx + 0.02 * fw, head.dy - 0.3 * fh, 0.03 * fw, 0.04 * fh)
    image = paint(image, 0.7 * canvas.coverage(nose), colors.skin_ink)
    mouth_y = head.cy + fh * 0.58
    mouth_w = fw * (0.1 + 0.1 * p["mouth_width"])
    curve = -fh * (0.06 * p["mouth_curve"])  # corners up: a smile
    arc_y = mouth_y + curve * (tf.square(dx / mouth_w) - 0.5)
    mouth = tf.maximum(tf.abs(y - arc_y) - 0.6 * head.line,
                       head.ax - mouth_w)
    image = paint(image, canvas.coverage(mouth), canvas.color(LINE))
    open_mouth = tf.maximum(
        ellipse(dx, y - mouth_y, 0.75 * mouth_w, 0.75 * mouth_w),
        mouth_y - y)
    open_alpha = canvas.coverage(open_mouth) * tf.cast(
        p["mouth_open"] < 0.35, "float32")
    return paint(image, open_alpha, canvas.color([0.62, 0.16, 0.2]))


def eyes_and_brows(image, p, canvas, head, eyes, colors):
    """White, a big iris shaded dark at the top, a pupil, a white
    highlight, a thick upper lash line, and the eyebrows."""
    ex, ey, ew, eh = eyes.ex, eyes.ey, eyes.ew, eyes.eh
    y, line = canvas.y, head.line
    sclera = ellipse(ex, ey, ew, eh)
    image = paint(image, canvas.coverage(sclera),
                  canvas.color([0.99, 0.99, 1.0]))
    iris_y = ey - 0.12 * eh
    iris = tf.maximum(ellipse(ex, iris_y, 0.8 * ew, 0.86 * eh), sclera)
    shade = 0.62 + 0.48 * tf.clip_by_value(
        (iris_y + 0.86 * eh) / (1.72 * eh), 0.0, 1.0)
    iris_color = tf.clip_by_value(colors.eye * shade[..., None], 0.0, 1.0)
    image = paint(image, canvas.coverage(iris), iris_color)
    pupil = ellipse(ex, iris_y, 0.34 * ew, 0.42 * eh)
    image = paint(image, canvas.coverage(pupil), colors.eye * 0.3)
    highlight = ellipse(ex + 0.3 * ew, iris_y + 0.35 * eh,
                        0.22 * ew, 0.24 * eh)
    image = paint(image, canvas.coverage(highlight),
                  canvas.color([1.0, 1.0, 1.0]))
    lash = tf.maximum(tf.abs(sclera) - 1.2 * line,
                      y - (eyes.eye_y - 0.3 * eh))
    image = paint(image, canvas.coverage(lash), canvas.color(LINE))
    brow_y = eyes.eye_y - eh * (1.55 + 0.3 * p["brow_y"])
    brow = tf.maximum(
        tf.abs(y - brow_y - 0.5 * eh * tf.square(ex / ew)) - 0.5 * line,
        tf.abs(ex) - ew)
    return paint(image, canvas.coverage(brow), colors.hair_ink)


def blush(image, on, canvas, head, eyes):
    """Two soft pink ovals on the cheeks, just under the eyes, where `on`
    (int32 `(N,)`, the label's blush bit) is 1."""
    cheek = ellipse(head.ax - eyes.eye_x - 0.04 * head.fw,
                    canvas.y - eyes.eye_y - 1.25 * eyes.eh,
                    0.24 * head.fw, 0.11 * head.fh)
    alpha = 0.7 * canvas.coverage(cheek, blur=2.0) * tf.cast(
        on, "float32")[:, None, None]
    return paint(image, alpha, canvas.color([1.0, 0.3, 0.42]))


def fringe(p, head):
    """The front hair's lower edge, y = fringe(x): straight and choppy,
    spiky, side-swept or parted (`p["bang_style"]`), with locks falling
    down both sides of the face.

    Returns:
        `(N, 1, S)`: the edge's y at each column.
    """
    fh = head.fh
    style = tf.cast(tf.floor(p["bang_style"] * NUM_BANG_STYLES), "int32")
    spiky = tf.cast(tf.equal(style, 1), "float32")
    swept = tf.cast(tf.equal(style, 2), "float32")
    parted = tf.cast(tf.equal(style, 3), "float32")
    u = head.dx / head.fw  # -1 .. 1 across the face
    freq = tf.where(tf.equal(style, 0), 5.0 + 2.0 * p["bang_freq"],
                    2.5 + 1.2 * p["bang_freq"])
    wave = u * freq + p["bang_phase"]
    side = tf.where(p["bang_side"] < 0.5, -1.0, 1.0)
    saw = side * wave - tf.floor(side * wave)  # ramps, tips at the drops
    teeth = (1.0 - swept) * (1.0 - tri(wave)) + swept * saw
    amp = fh * tf.where(
        tf.equal(style, 0), 0.05 + 0.04 * p["bang_amp"],
        0.14 + 0.16 * p["bang_amp"] * (spiky + 0.5))
    part = tf.maximum(
        0.0, 1.0 - tf.abs(u - (0.6 * p["part_x"] - 0.3)) / 0.5)
    return (head.cy - fh * (0.42 + 0.16 * p["bang_base"]) + amp * teeth
            + swept * side * 0.25 * fh * u
            - parted * 0.35 * fh * part
            + fh * (0.5 + 0.5 * p["side_locks"]) * smoothstep(
                0.62, 0.86, tf.abs(u)))


def front_hair(image, p, canvas, head, colors):
    """The hair cap over the forehead, cut by the `fringe` line, with
    strands and a band of shine."""
    fw, fh, cy, line, y = head.fw, head.fh, head.cy, head.line, canvas.y
    u = head.dx / fw
    cap = ellipse(head.dx, y - (cy - 0.1 * fh), fw * 1.1, fh * 1.12)
    # The fringe's slopes reach ~1.7: scaling y - fringe(x) keeps its edge
    # about one pixel wide on the steep sides.
    bangs = tf.maximum(cap, 0.6 * (y - fringe(p, head)))
    strands = 0.5 + 0.5 * tf.sin(
        17.0 * u / head.scale + 6.0 * p["strand_phase"] + 3.0 * head.dy / fh)
    front = colors.hair * (1.0 - 0.1 * strands[..., None])
    shine = ellipse(head.dx, y - (cy - 0.72 * fh), 0.55 * fw, 0.14 * fh)
    shine = canvas.coverage(tf.abs(shine) - 0.6 * line) * smoothstep(
        -0.5, 0.0, -tf.abs(u) + 0.1)
    front = front + (0.3 * shine)[..., None] * (1.0 - front)
    image = paint(image, canvas.coverage(bangs), colors.hair_ink)
    return paint(image, canvas.coverage(bangs + line), front)


def glasses(image, on, p, canvas, head, eyes):
    """Round or squarish dark rims around the eyes, a bridge and the arms,
    where `on` (int32 `(N,)`, the label's glasses bit) is 1; the lenses
    are barely tinted so the iris colour shows through."""
    ex, ew, eh, eye_x = eyes.ex, eyes.ew, eyes.eh, eyes.eye_x
    ax, line = head.ax, head.line
    on = tf.cast(on, "float32")[:, None, None]
    lens_w = ew * 1.38
    lens_h = eh * 1.18
    lens_y = eyes.ey - 0.05 * eh
    round_lens = ellipse(ex, lens_y, lens_w, lens_h)
    square_lens = tf.maximum(tf.abs(ex) - lens_w, tf.abs(lens_y) - lens_h)
    square_lens = 0.5 * (square_lens + ellipse(
        ex, lens_y, lens_w * 1.25, lens_h * 1.25))  # rounded corners
    lens = tf.where(p["glasses_shape"] < 0.5, round_lens, square_lens)
    image = paint(image, 0.15 * on * canvas.coverage(lens),
                  canvas.color([0.85, 0.93, 1.0]))
    rim = tf.abs(lens) - 0.75 * line
    bar_y = tf.abs(canvas.y - (eyes.eye_y - 0.25 * eh)) - 0.6 * line
    bridge = tf.maximum(bar_y, ax - (eye_x - lens_w) - 0.5 * line)
    arm = tf.maximum(bar_y, tf.maximum(eye_x + lens_w - ax, ax - head.fw))
    frame = tf.minimum(rim, tf.minimum(bridge, arm))
    rim_rgb = (np.array([0.10, 0.08, 0.08], "float32")
               + 0.25 * p["glasses_color"][..., None]
               * np.array([0.8, 0.15, 0.1], "float32"))
    return paint(image, on * canvas.coverage(frame), rim_rgb)
