"""What a conditional generator's sample grids hold, and the pictures that
SamplePictures writes from them."""

import os

import keras
import matplotlib.image
import numpy as np
import pytest

from keras_gans import callbacks
from keras_gans import sample_grids
from keras_gans import visualize
from keras_gans.datasets import faces
from keras_gans.datasets import shapes
from keras_gans.datasets.labels import LabelSpec
from tests.helpers import LATENT
from tests.helpers import SIZE
from tests.helpers import build
from tests.helpers import data_spec

COLUMNS = sample_grids.COLUMNS
STEPS = sample_grids.SWEEP_STEPS
PAD = 2  # visualize's padding between tiles


@pytest.fixture(autouse=True)
def _clear_keras_session():
    """conftest's fixture without `clear_session`'s garbage collection
    (see tests/test_conditional.py)."""
    yield
    keras.backend.clear_session(free_memory=False)


def as_cells(grid, columns=COLUMNS):
    """(rows, columns, ...) views of the grid's noise and condition."""
    z = grid.z.reshape(grid.num_rows, columns, -1)
    condition = grid.condition.reshape(
        (grid.num_rows, columns) + grid.condition.shape[1:])
    return z, condition


def check_same_noise_down_columns(grid, columns=COLUMNS):
    z, _ = as_cells(grid, columns)
    np.testing.assert_array_equal(z, np.broadcast_to(z[:1], z.shape))
    # ...and different noise across a row.
    assert len(np.unique(z[0], axis=0)) == columns


def test_faces_grids_one_per_attribute():
    grids = sample_grids.label_grids(faces.LABEL_SPEC, LATENT)
    assert [g.name for g in grids] == ["hair", "eyes", "glasses", "blush"]
    assert [g.num_rows for g in grids] == [12, 11, 2, 2]
    hair = grids[0]
    assert hair.z.shape == (12 * COLUMNS, LATENT)
    assert hair.z.dtype == np.float32
    assert hair.condition.shape == (12 * COLUMNS, 4)
    assert hair.condition.dtype == np.int32
    check_same_noise_down_columns(hair)
    _, condition = as_cells(hair)
    # Row r: hair value r in every column, every other attribute at its
    # first value (binary ones off).
    np.testing.assert_array_equal(
        condition[..., 0], np.repeat(np.arange(12)[:, None], COLUMNS, 1))
    assert not condition[..., 1:].any()
    assert hair.row_labels == [f"{c} hair" for c in faces.HAIR_COLORS]
    # The title names the fixed attributes that show (not "no glasses").
    assert hair.title == "rows: hair; otherwise gray eyes"
    eyes = grids[1]
    _, condition = as_cells(eyes)
    np.testing.assert_array_equal(condition[:, 0, 1], np.arange(11))
    assert not condition[..., [0, 2, 3]].any()
    glasses = grids[2]
    _, condition = as_cells(glasses)
    np.testing.assert_array_equal(condition[:, :, 2],
                                  [[0] * COLUMNS, [1] * COLUMNS])
    assert glasses.row_labels == ["no glasses", "glasses"]
    # The same noise in every grid of a seed, other noise for another.
    for grid in grids:
        np.testing.assert_array_equal(grid.z[:COLUMNS], hair.z[:COLUMNS])
    other = sample_grids.label_grids(faces.LABEL_SPEC, LATENT, seed=1)
    assert not np.array_equal(other[0].z, hair.z)


def test_shapes_grids_are_the_condition_sets():
    grids = sample_grids.label_grids(shapes.LABEL_SPEC, LATENT,
                                     dataset="shapes")
    assert [g.name for g in grids] == list(shapes.CONDITION_SETS)
    for grid in grids:
        assert grid.z.shape == (32, LATENT)
        np.testing.assert_array_equal(grid.condition,
                                      shapes.condition_set(grid.name))
        assert grid.condition.dtype == np.float32
        # One label set per cell, all at the same noise.
        np.testing.assert_array_equal(
            grid.z, np.broadcast_to(grid.z[:1], grid.z.shape))
        assert grid.num_rows == 4 and grid.row_labels is None
    assert not np.array_equal(grids[0].condition, grids[1].condition)


def test_multi_hot_grid_of_another_dataset_has_a_row_per_label():
    spec = LabelSpec.for_multi_hot(["smiling", "hat", "beard"])
    (grid,) = sample_grids.label_grids(spec, LATENT, dataset="celeb_a")
    assert grid.num_rows == 3 and grid.row_labels == list(spec.names)
    _, condition = as_cells(grid)
    np.testing.assert_array_equal(condition[:, 0], np.eye(3))
    check_same_noise_down_columns(grid)
    # The condition sets are for the shapes dataset; the same labels
    # under another name get a row each.
    (grid,) = sample_grids.label_grids(shapes.LABEL_SPEC, LATENT,
                                       dataset="folder")
    assert grid.num_rows == 24


def test_class_grid_has_a_row_per_class():
    spec = LabelSpec.for_classes([str(d) for d in range(10)])
    (grid,) = sample_grids.label_grids(spec, LATENT, columns=5)
    assert grid.name == "classes" and grid.num_rows == 10
    assert grid.row_labels == list(spec.names)
    assert grid.condition.shape == (50,) and grid.condition.dtype == np.int32
    _, condition = as_cells(grid, columns=5)
    np.testing.assert_array_equal(condition,
                                  np.repeat(np.arange(10)[:, None], 5, 1))
    check_same_noise_down_columns(grid, columns=5)


def test_code_grids_of_an_infogan():
    gan, _ = build("infogan", info_categorical=(3, 2), info_continuous=2)
    grids = sample_grids.code_grids(gan.code_spec, LATENT)
    assert [g.name for g in grids] == ["categorical0", "categorical1",
                                       "continuous0", "continuous1"]
    # Categorical code i: a row per category, the other codes at 0.
    for i, k in enumerate((3, 2)):
        grid = grids[i]
        assert grid.num_rows == k
        assert grid.row_labels == [f"c{i}={v}" for v in range(k)]
        check_same_noise_down_columns(grid)
        _, codes = as_cells(grid)
        categories = np.zeros((k, 2), "int64")
        categories[:, i] = np.arange(k)
        expected = gan.code_spec.encode(categories=categories)
        np.testing.assert_array_equal(
            codes, np.repeat(expected[:, None], COLUMNS, axis=1))
    # Continuous code j: swept from -1 to 1 along each row, one noise
    # vector (and category of the first code) per row.
    sweep = np.linspace(-1, 1, STEPS)
    for j in range(2):
        grid = grids[2 + j]
        assert grid.num_rows == COLUMNS
        assert grid.z.shape == (COLUMNS * STEPS, LATENT)
        z, codes = as_cells(grid, columns=STEPS)
        np.testing.assert_array_equal(z, np.broadcast_to(z[:, :1], z.shape))
        assert len(np.unique(z[:, 0], axis=0)) == COLUMNS
        np.testing.assert_allclose(codes[..., 5 + j],
                                   np.broadcast_to(sweep, (COLUMNS, STEPS)))
        assert not codes[..., 5 + 1 - j].any()
        first = codes[..., :3].argmax(axis=-1)
        np.testing.assert_array_equal(
            first, np.repeat((np.arange(COLUMNS) % 3)[:, None], STEPS, 1))
        assert grid.row_labels == [f"c0={r % 3}" for r in range(COLUMNS)]
    images = sample_grids.generate_grid(gan, grids[2], batch_size=20)
    assert images.shape == (COLUMNS * STEPS, SIZE, SIZE, 3)
    # `grids` of an InfoGAN: its code spec's traversals.
    spec = data_spec(faces.LABEL_SPEC)
    for grid, expected in zip(sample_grids.grids(gan, spec, LATENT), grids,
                              strict=True):
        assert grid.name == expected.name
        np.testing.assert_array_equal(grid.condition, expected.condition)
        np.testing.assert_array_equal(grid.z, expected.z)


def test_code_grids_without_categorical_codes():
    gan, _ = build("infogan", info_categorical=(), info_continuous=1)
    (grid,) = sample_grids.code_grids(gan.code_spec, LATENT)
    assert grid.name == "continuous0"
    assert grid.row_labels == [f"z{r}" for r in range(COLUMNS)]
    np.testing.assert_allclose(grid.condition[:STEPS, 0],
                               np.linspace(-1, 1, STEPS))


def test_grids_and_generate_grid_of_conditional_models():
    gan, _ = build("cgan")
    spec = data_spec(faces.LABEL_SPEC)
    grids = sample_grids.grids(gan, spec, LATENT)
    assert [g.name for g in grids] == ["hair", "eyes", "glasses", "blush"]
    # Batches smaller than the grid: the same images as in one batch.
    images = sample_grids.generate_grid(gan, grids[0], batch_size=40)
    assert images.shape == (12 * COLUMNS, SIZE, SIZE, 3)
    np.testing.assert_allclose(
        images, sample_grids.generate_grid(gan, grids[0]), atol=1e-5)
    unconditional, _ = build("dcgan")
    assert sample_grids.grids(unconditional, spec, LATENT) == []


def _png_shape(path):
    assert os.path.getsize(path) > 0
    return matplotlib.image.imread(path).shape


@pytest.mark.parametrize("model, extra, names", [
    ("cgan", {}, ["eyes", "glasses", "blush"]),
    ("infogan", {"info_categorical": (3,), "info_continuous": 1},
     ["continuous0"]),
])
def test_sample_pictures_of_a_conditional_model(tmp_path, model, extra,
                                                names):
    gan, _ = build(model, **extra)
    callback = callbacks.SamplePictures(
        str(tmp_path), data_spec(faces.LABEL_SPEC), LATENT, seed=3)
    callback.set_model(gan)
    callback.on_epoch_end(0, logs={})
    written = sorted(os.listdir(tmp_path / "samples"))
    assert written == sorted(["epoch_0001.png"] + [
        f"epoch_0001_{name}.png" for name in names])
    # The first grid, with its row names and title: 12 hair rows (or 3
    # categories) of 8 columns.
    rows = 12 if model == "cgan" else 3
    height, width, _ = _png_shape(tmp_path / "samples" / "epoch_0001.png")
    # Over a grid this narrow the title wraps onto extra lines.
    title_band = height - (rows * (SIZE + PAD) + PAD)
    assert title_band >= visualize._TITLE_BAND
    assert (title_band - visualize._TITLE_BAND) % visualize._TITLE_LINE == 0
    assert width > COLUMNS * (SIZE + PAD) + PAD
    callback.on_epoch_end(1)
    assert "epoch_0002.png" in os.listdir(tmp_path / "samples")


def test_save_image_grid_with_row_labels(tmp_path):
    images = np.random.default_rng(0).uniform(-1, 1, (6, 8, 8, 3))
    plain = str(tmp_path / "plain.png")
    labelled = str(tmp_path / "labelled.png")
    both = str(tmp_path / "both.png")
    visualize.save_image_grid(images, plain, num_rows=3)
    visualize.save_image_grid(images, labelled,
                              row_labels=["red hair", "blue hair", "x"])
    visualize.save_image_grid(images, both, title="epoch 3: hair",
                              row_labels=["red hair", "blue hair", "x"])
    grid_shape = (3 * 10 + 2, 2 * 10 + 2)
    assert _png_shape(plain)[:2] == grid_shape
    # The row names widen the picture; the rows come from their count.
    height, width, _ = _png_shape(labelled)
    assert height == grid_shape[0] and width > grid_shape[1]
    # The tiles sit unchanged right of the names.
    png = matplotlib.image.imread(labelled)
    tile = np.round(png[2:10, width - 20:width - 12, :3] * 255)
    np.testing.assert_array_equal(tile, visualize.to_uint8(images[0]))
    height, both_width, _ = _png_shape(both)
    assert height == grid_shape[0] + visualize._TITLE_BAND
    assert both_width == width
    # Longer names, a wider band.
    longer = str(tmp_path / "longer.png")
    visualize.save_image_grid(images, longer,
                              row_labels=["a much longer name", "b", "c"])
    assert _png_shape(longer)[1] > width
