"""Interpolation pictures of a trained run (`--mode=sample
--interpolate=latent|class`), as StudioGAN and the keras-io conditional
GAN show them.

- latent (`interpolation_latent.png`): a row per pair of noise vectors,
  the columns walking from the first to the second, the condition fixed
  along the row. The walk is spherical (slerp, White 2016, "Sampling
  Generative Networks", arXiv:1609.04468) for normal noise: a standard
  normal z of d dimensions lies near the sphere of radius sqrt(d), and
  the straight line between two such vectors passes well inside it (its
  midpoint has about 0.71 times their norm), through noise the generator
  never saw; the great circle stays on the shell. Uniform noise fills its
  box, which the straight line never leaves: it is walked linearly.
  For 2-D point data each row is a path of points drawn over the modes.
- class (`interpolation_class.png`, conditional models only): a row per
  noise vector, fixed along the row, the condition blended from one class
  (or attribute value, or label set) to another across the columns.
  Raw integer labels cannot be blended, so the blend is made where the
  generator reads the condition as numbers: after its `EncodeLabels`
  layer (one-hot per class or categorical attribute, bits, the multi-hot
  vector), by calling the generator's layers from there on. Every
  generator conditioning scheme (concat, embedding, dense, cbn) reads that
  encoding, so every label kind can be blended. InfoGAN's categorical code
  is a one-hot input already and is blended as it is.

Example:

```python
from keras_gans import interpolation

interpolation.interpolate("runs/faces", "latent")
```
"""

import logging
import os

import keras
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from keras_gans import noise as noise_lib
from keras_gans import run_dir
from keras_gans import sample_grids
from keras_gans import sampling
from keras_gans import validation
from keras_gans import visualize

log = logging.getLogger("keras_gans")

KINDS = ("none", "latent", "class")
ROWS = 6
STEPS = 9  # columns, both ends included
LATENT_FILE = "interpolation_latent.png"
CLASS_FILE = "interpolation_class.png"


def lerp(a, b, t):
    """Linear interpolation: a, b (rows, d), t (steps,) in [0, 1] ->
    (rows, steps, d)."""
    a, b = np.asarray(a, "float64"), np.asarray(b, "float64")
    t = np.asarray(t, "float64")[None, :, None]
    return (1.0 - t) * a[:, None] + t * b[:, None]


def slerp(a, b, t):
    """Spherical interpolation: the direction walks the great circle from
    a's to b's, the norm goes linearly from |a| to |b|. a, b (rows, d), t
    (steps,) -> (rows, steps, d). Nearly parallel or opposite pairs (no
    single great circle) fall back to `lerp`."""
    a, b = np.asarray(a, "float64"), np.asarray(b, "float64")
    norm_a = np.linalg.norm(a, axis=1, keepdims=True)
    norm_b = np.linalg.norm(b, axis=1, keepdims=True)
    unit_a = a / np.maximum(norm_a, 1e-12)
    unit_b = b / np.maximum(norm_b, 1e-12)
    cos = np.clip(np.sum(unit_a * unit_b, axis=1), -1.0, 1.0)
    omega = np.arccos(cos)[:, None, None]
    sin = np.sin(omega)
    t = np.asarray(t, "float64")
    tt = t[None, :, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        direction = (np.sin((1.0 - tt) * omega) * unit_a[:, None]
                     + np.sin(tt * omega) * unit_b[:, None]) / sin
    norm = (1.0 - tt) * norm_a[:, None] + tt * norm_b[:, None]
    return np.where(sin > 1e-6, direction * norm, lerp(a, b, t))


def _row_conditions(gan, spec, latent_dim, seed):
    """A condition per row for the latent walk (None: unconditional) and
    the rows' names."""
    if gan.code_spec is not None:
        codes = gan.code_spec.sample(
            ROWS, np.asarray([seed, 0], "int64")).numpy()
        return codes, [f"codes {r}" for r in range(ROWS)]
    if gan.label_spec is None:
        return None, None
    distinct = _distinct_conditions(gan, spec, latent_dim, seed)
    labels = np.stack([distinct[r % len(distinct)] for r in range(ROWS)])
    return labels, [gan.label_spec.describe(label) for label in labels]


def _distinct_conditions(gan, spec, latent_dim, seed):
    """The conditions of the model's first sample grid, in order, each
    once: a class or attribute value per row, or the shapes' sets."""
    grid = sample_grids.grids(gan, spec, latent_dim, seed=seed)[0]
    distinct = []
    for condition in np.asarray(grid.condition):
        if not any(np.array_equal(condition, d) for d in distinct):
            distinct.append(condition)
    return distinct


def _generate(gan, z, condition):
    if condition is None:
        return np.concatenate([np.asarray(gan.generate(z[i:i + 256]))
                               for i in range(0, len(z), 256)])
    return sample_grids.generate_batched(gan, z, condition)


def _save_paths(points, path, modes, title):
    """2-D data: each row's walk as a line of points, start o, end x."""
    fig = Figure(figsize=(5, 5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    if modes is not None:
        ax.scatter(modes[:, 0], modes[:, 1], s=40, marker="x", color="red",
                   linewidths=1.5, label="modes", zorder=1)
    for row in points:
        line, = ax.plot(row[:, 0], row[:, 1], marker=".", zorder=2)
        ax.plot(row[0, 0], row[0, 1], "o", color=line.get_color(),
                zorder=3)
        ax.plot(row[-1, 0], row[-1, 1], "s", color=line.get_color(),
                zorder=3)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.savefig(path, dpi=100, format="png")
    return path


def latent_walk(noise, seed, rows, latent_dim, steps=STEPS):
    """The latent rows: `rows` pairs of z drawn from `noise` (a
    `keras_gans.noise.LatentNoise`) with `seed`, walked in `steps` steps.

    Returns:
        (z float32 (rows, steps, latent_dim), "spherical" or "linear").
    """
    ends = noise.sample(seed, 2 * rows, latent_dim)
    how = "spherical" if noise.distribution == "normal" else "linear"
    walk = (slerp if how == "spherical" else lerp)(
        ends[:rows], ends[rows:], np.linspace(0.0, 1.0, steps))
    return walk.astype("float32"), how


def latent_picture(gan, spec, latent_dim, path, seed=0, truncation=None):
    """Writes the latent walk picture (see module docstring); `truncation`
    as in `keras_gans.noise`.

    Returns:
        (path, samples (ROWS * STEPS,) + sample shape).
    """
    walk, how = latent_walk(noise_lib.of_gan(gan, truncation), seed, ROWS,
                            latent_dim)
    z = walk.reshape(ROWS * STEPS, latent_dim)
    condition, names = _row_conditions(gan, spec, latent_dim, seed)
    if condition is not None:
        condition = np.repeat(condition, STEPS, axis=0)
    samples = _generate(gan, z, condition)
    title = (f"{how} interpolation between two noise vectors per row "
             f"(seed {seed})")
    if spec.kind == "points":
        _save_paths(samples.reshape(ROWS, STEPS, -1), path, spec.modes,
                    f"{how} interpolation: a path per pair of noise "
                    "vectors, o start, square end")
    else:
        visualize.save_image_grid(samples, path, num_rows=ROWS,
                                  row_labels=names, title=title)
    return path, samples


def _encoded_generator(network):
    """[z, encoded condition] -> images: the generator's layers after its
    `EncodeLabels`, so the condition can be blended."""
    try:
        encode = network.get_layer("encode_labels")
    except ValueError:
        raise ValueError(
            "A class interpolation blends the encoded labels that the "
            "generator reads after its `encode_labels` layer, and this "
            f"generator ({network.name!r}) has none: its raw integer "
            "labels cannot be blended. Received: interpolate='class'"
        ) from None
    return keras.Model([network.inputs[0], encode.output],
                       network.outputs[0])


def _class_ends(gan, spec, latent_dim, seed, condition):
    """(start, end) conditions per row, encoded as the generator reads
    them (float32 (ROWS, k)), the rows' names, and a generate function
    of (z, blended condition)."""
    if gan.label_spec is not None:
        if condition is not None:
            labels, names = sampling.parse_conditions(gan.label_spec,
                                                      condition)
            if len(labels) != 2:
                raise ValueError(
                    "condition for a class interpolation names its two "
                    "ends, separated by \";\" (e.g. \"blue hair, red "
                    "eyes; red hair, red eyes\"); it names "
                    f"{len(labels)}. Received: "
                    f"condition={condition!r}")
            starts, ends = [labels[0]] * ROWS, [labels[1]] * ROWS
            names = [f"{names[0]} -> {names[1]}"] * ROWS
        else:
            distinct = _distinct_conditions(gan, spec, latent_dim, seed)
            pairs = [(distinct[r % len(distinct)],
                      distinct[(r + 1) % len(distinct)])
                     for r in range(min(ROWS, max(len(distinct) - 1, 1)))]
            starts, ends = [p[0] for p in pairs], [p[1] for p in pairs]
            describe = gan.label_spec.describe
            names = [f"{describe(a)} -> {describe(b)}" for a, b in pairs]
        encode = gan.label_spec.encode
        starts = np.asarray(encode(np.stack(starts)), "float32")
        ends = np.asarray(encode(np.stack(ends)), "float32")
        network = _encoded_generator(gan.inference_generator)

        def generate(z, encoded):
            return np.asarray(network([z, encoded], training=False))

        return starts, ends, names, generate
    code_spec = gan.code_spec
    if condition is not None:
        raise ValueError(
            "condition names labels of a label-conditional model (cgan, "
            "acgan); an InfoGAN's class interpolation walks between the "
            "categories of its first categorical code. Received: "
            f"condition={condition!r}")
    k = code_spec.categorical[0]
    rows = min(ROWS, max(k - 1, 1))
    categories = np.zeros((2 * rows, len(code_spec.categorical)), "int64")
    categories[:rows, 0] = np.arange(rows) % k
    categories[rows:, 0] = (np.arange(rows) + 1) % k
    codes = np.asarray(code_spec.encode(
        categories=categories,
        continuous=np.zeros((2 * rows, code_spec.continuous))), "float32")
    names = [f"c0={r % k} -> c0={(r + 1) % k}" for r in range(rows)]
    return codes[:rows], codes[rows:], names, (
        lambda z, c: sample_grids.generate_batched(gan, z, c))


def _check_class(gan, model):
    if gan.label_spec is None and (
            gan.code_spec is None or not gan.code_spec.categorical):
        what = ("has no categorical code to walk between (its continuous "
                "codes' sweeps are in samples/)" if gan.code_spec
                is not None else "is unconditional: it has no class to "
                "blend (interpolate='latent' walks its noise)")
        raise ValueError(
            "interpolate='class' blends the condition of a conditional "
            f"model (cgan, acgan, infogan); model {model!r} {what}. "
            "Received: interpolate='class'")


def class_picture(gan, spec, latent_dim, path, seed=0, condition=None,
                  model="the model", truncation=None):
    """Writes the class blend picture (see module docstring); `model`
    names the model in errors, `truncation` as in `keras_gans.noise`.

    Returns:
        (path, samples (rows * STEPS,) + image shape).
    """
    _check_class(gan, model)
    starts, ends, names, generate = _class_ends(gan, spec, latent_dim,
                                                seed, condition)
    rows = len(starts)
    blend = lerp(starts, ends, np.linspace(0.0, 1.0, STEPS))
    blend = blend.reshape(rows * STEPS, -1).astype("float32")
    noise = noise_lib.of_gan(gan, truncation)
    z = np.repeat(noise.sample(seed, rows, latent_dim), STEPS, axis=0)
    samples = np.concatenate([generate(z[i:i + 256], blend[i:i + 256])
                              for i in range(0, len(z), 256)])
    visualize.save_image_grid(
        samples, path, num_rows=rows, row_labels=names,
        title="the encoded condition blended linearly across the columns, "
              f"the noise fixed per row (seed {seed})")
    return path, samples


def interpolate(output_dir, kind, seed=0, condition=None, path=None,
                raw_generator=False, truncation=None):
    """Writes a run's interpolation picture.

    Args:
        output_dir: a run directory with a checkpoint.
        kind: "latent" or "class" ("none" writes nothing).
        seed: seed of the noise (and of InfoGAN's codes).
        condition: "class" on a label-conditional model: the two ends,
            "A; B" (tags, as `--condition` takes them); None: pairs of
            the model's classes or attribute values in turn.
        path: the PNG; default `<output_dir>/samples/interpolation_<kind>
            .png`.
        raw_generator: the trained generator rather than its average.
        truncation: redraw z's coordinates beyond it (`keras_gans.noise`;
            None: off).

    Returns:
        The PNG's path, or None for "none".

    Raises:
        ValueError: an unknown kind; "class" for a model with no class
            to blend; a condition that does not name two ends.
    """
    validation.check_choice("interpolate", kind, KINDS)
    if kind == "none":
        return None
    gan, config, spec = run_dir.load_gan(output_dir, raw_generator)
    if kind == "class":
        _check_class(gan, config.model)
    path = path or os.path.join(
        output_dir, "samples", LATENT_FILE if kind == "latent"
        else CLASS_FILE)
    if kind == "latent":
        latent_picture(gan, spec, config.latent_dim, path, seed=seed,
                       truncation=truncation)
    else:
        if spec.kind == "points":
            raise ValueError(
                "interpolate='class' draws image grids; the run's data "
                f"({spec.name}) are 2-D points. Received: "
                "interpolate='class'")
        class_picture(gan, spec, config.latent_dim, path, seed=seed,
                      condition=condition, model=config.model,
                      truncation=truncation)
    log.info("Interpolation picture: %s", path)
    return path
