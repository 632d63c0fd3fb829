"""What a conditional generator's sample grids show: one row per class or
attribute value, or per InfoGAN code value.

`grids(gan, spec, ...)` lists `Grid`s (the noise and the condition of every
cell, the row names); `SamplePictures` and `--mode=sample` render them with
`visualize.save_image_grid`. The noise of column j is the same in every row,
so a row differs from the next only by its condition.

- class labels: a row per class.
- attributes (faces): for each categorical attribute a grid with a row per
  value, the other attributes fixed (the first value; binary ones off):
  hair colours at fixed eyes, then eye colours at fixed hair. Binary
  attributes get a two-row grid (off, on).
- multi-hot labels: for shapes, the `test` and `new_test` condition sets
  (32 label sets each, one per cell, 4 rows); otherwise a row per label.
- InfoGAN: per categorical code a row per category; per continuous code a
  sweep from -1 to 1 along the columns, a row per noise vector.
"""

import dataclasses

import numpy as np

from keras_gans import noise as noise_lib
from keras_gans.datasets import shapes

COLUMNS = 8
SWEEP_STEPS = 9


@dataclasses.dataclass
class Grid:
    """One picture.

    Attributes:
        name: short name, used in file names ("hair", "test", "code0").
        title: the picture's title.
        z: float32 (cells, latent_dim).
        condition: the generator's condition per cell: labels in the
            dataset's format, or InfoGAN codes.
        row_labels: one name per row, or None.
        num_rows: rows of the picture.
    """

    name: str
    title: str
    z: np.ndarray
    condition: np.ndarray
    row_labels: list
    num_rows: int


def _noise(latent_dim, columns, seed, noise):
    return (noise or noise_lib.STANDARD).sample(seed, columns, latent_dim)


def _rows_grid(name, title, row_conditions, row_labels, noise):
    """A grid whose row r holds `row_conditions[r]` at every column."""
    rows, columns = len(row_conditions), len(noise)
    condition = np.repeat(np.asarray(row_conditions), columns, axis=0)
    z = np.tile(noise, (rows, 1))
    return Grid(name, title, z, condition, list(row_labels), rows)


def label_grids(label_spec, latent_dim, dataset=None, columns=COLUMNS,
                seed=0, noise=None):
    """The grids of a label-conditional generator (see module docstring);
    `noise` a `keras_gans.noise.LatentNoise` (None: standard normal)."""
    noise = _noise(latent_dim, columns, seed, noise)
    out = []
    if label_spec.kind == "class":
        labels = np.arange(len(label_spec.names), dtype="int32")
        return [_rows_grid("classes", "one row per class", labels,
                           label_spec.names, noise)]
    if label_spec.kind == "multi_hot":
        if dataset == "shapes" and label_spec == shapes.LABEL_SPEC:
            for name in shapes.CONDITION_SETS:
                conditions = shapes.condition_set(name)
                z = np.repeat(noise[:1], len(conditions), axis=0)
                out.append(Grid(
                    name, f"the {name!r} condition set (one label set per "
                    "image, fixed noise)", z, conditions, None, 4))
            return out
        eye = np.eye(len(label_spec.names), dtype="float32")
        return [_rows_grid("labels", "one row per label", eye,
                           label_spec.names, noise)]
    base = np.zeros(len(label_spec.attributes), "int32")
    for i, attribute in enumerate(label_spec.attributes):
        values = range(attribute.width if not attribute.binary else 2)
        rows = []
        for value in values:
            label = base.copy()
            label[i] = value
            rows.append(label)
        fixed = ", ".join(
            tag for j, other in enumerate(label_spec.attributes)
            if j != i and (tag := other.tag(int(base[j]))))
        names = [attribute.tag(v) or f"no {attribute.name}" for v in values]
        title = f"rows: {attribute.name}" + (
            f"; otherwise {fixed}" if fixed else "")
        out.append(_rows_grid(attribute.name, title, rows, names, noise))
    return out


def code_grids(code_spec, latent_dim, columns=COLUMNS, seed=0, noise=None):
    """InfoGAN traversals: a grid per categorical and continuous code.

    Args:
        code_spec: the generator's `CodeSpec` (`InfoGAN.code_spec`).
        latent_dim: size of z.
        columns: noise vectors per grid.
        seed: seed of the noise.
        noise: a `keras_gans.noise.LatentNoise` (None: standard normal).

    Returns:
        A list of `Grid`s whose conditions are float32 codes (cells,
        code_dim).
    """
    categorical, continuous = code_spec.categorical, code_spec.continuous
    noise = _noise(latent_dim, columns, seed, noise)
    num_cat = len(categorical)
    out = []
    for i, k in enumerate(categorical):
        categories = np.zeros((k, num_cat), "int64")
        categories[:, i] = np.arange(k)
        codes = code_spec.encode(categories=categories,
                                 continuous=np.zeros((k, continuous)))
        out.append(_rows_grid(
            f"categorical{i}", f"categorical code {i}: one row per "
            "category, other codes 0", codes,
            [f"c{i}={v}" for v in range(k)], noise))
    sweep = np.linspace(-1.0, 1.0, SWEEP_STEPS, dtype="float32")
    for j in range(continuous):
        rows = columns
        values = np.zeros((rows * SWEEP_STEPS, continuous), "float32")
        values[:, j] = np.tile(sweep, rows)
        categories = np.zeros((rows * SWEEP_STEPS, num_cat), "int64")
        if num_cat:  # each row its own category of the first code
            categories[:, 0] = np.repeat(
                np.arange(rows) % categorical[0], SWEEP_STEPS)
        codes = code_spec.encode(categories=categories, continuous=values)
        z = np.repeat(noise[:rows], SWEEP_STEPS, axis=0)
        out.append(Grid(
            f"continuous{j}", f"continuous code {j} from -1 (left) to 1 "
            "(right)", z, codes,
            [f"c0={r % categorical[0]}" if num_cat else f"z{r}"
             for r in range(rows)], rows))
    return out


def grids(gan, spec, latent_dim, columns=COLUMNS, seed=0, truncation=None):
    """The grids of `gan` (a `GAN`; empty for an unconditional one): its
    `code_spec`'s traversals, else its `label_spec`'s rows, on the noise
    it was trained with (`truncation`: see `keras_gans.noise`)."""
    noise = noise_lib.of_gan(gan, truncation)
    if gan.code_spec is not None:
        return code_grids(gan.code_spec, latent_dim, columns, seed, noise)
    if gan.label_spec is None:
        return []
    return label_grids(gan.label_spec, latent_dim, dataset=spec.name,
                       columns=columns, seed=seed, noise=noise)


def generate_batched(gan, z, condition, batch_size=256):
    """`gan.generate(z, condition)` in batches, as numpy: z (N, latent_dim),
    condition (N,) + its shape -> (N, H, W, C) float in [-1, 1]."""
    return np.concatenate([
        np.asarray(gan.generate(z[i:i + batch_size],
                                condition[i:i + batch_size]))
        for i in range(0, len(z), batch_size)
    ])


def generate_grid(gan, grid, batch_size=256):
    """The grid's images, (cells, H, W, C) float in [-1, 1]."""
    return generate_batched(gan, grid.z, grid.condition, batch_size)
