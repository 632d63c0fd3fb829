"""Tests for keras_gans.visualize."""

import os

import matplotlib.image
import numpy as np
import pytest

from keras_gans import visualize


def _read_png(path):
    assert os.path.getsize(path) > 0
    return matplotlib.image.imread(path)


def test_to_uint8_edges():
    out = visualize.to_uint8(np.array([-1.0, 0.0, 1.0, -3.0, 3.0, 0.5]))
    assert out.dtype == np.uint8
    # 0 -> 127.5 rounds half to even: 128.
    np.testing.assert_array_equal(out, [0, 128, 255, 0, 255, 191])


@pytest.mark.parametrize("channels", [1, 3])
def test_save_image_grid_pixel_exact(tmp_path, channels):
    images = np.random.default_rng(0).uniform(-1, 1, (10, 5, 4, channels))
    path = str(tmp_path / "grid.png")
    assert visualize.save_image_grid(images, path) == path
    png = _read_png(path)
    # 10 images -> 4 columns, 3 rows, 2 pixels of padding.
    assert png.shape[:2] == (3 * 7 + 2, 4 * 6 + 2)
    expected = visualize.to_uint8(images[1])
    tile = np.round(png[2:7, 8:12, :3] * 255).astype("uint8")
    np.testing.assert_array_equal(tile, np.broadcast_to(expected, tile.shape))


def test_save_image_grid_rows_title_uint8(tmp_path):
    images = np.full((6, 8, 8, 3), 200, dtype="uint8")
    path = str(tmp_path / "sub" / "grid.png")
    visualize.save_image_grid(images, path, num_rows=2)
    assert _read_png(path).shape[:2] == (2 * 10 + 2, 3 * 10 + 2)
    titled = str(tmp_path / "titled.png")
    visualize.save_image_grid(images, titled, num_rows=2, title="epoch 1")
    png = _read_png(titled)
    assert png.shape[0] > 2 * 10 + 2 and png.shape[1] == 3 * 10 + 2


def test_save_image_grid_wraps_a_long_title(tmp_path):
    images = np.full((4, 8, 8, 3), 200, dtype="uint8")
    short = visualize.save_image_grid(images, str(tmp_path / "short.png"),
                                      num_rows=2, title="epoch 1")
    long = visualize.save_image_grid(
        images, str(tmp_path / "long.png"), num_rows=2,
        title="epoch 4: categorical code 0: one row per category, other "
              "codes fixed")
    short, long = _read_png(short), _read_png(long)
    # Same width (the grid's), more lines above it.
    assert long.shape[1] == short.shape[1]
    assert long.shape[0] > short.shape[0]


def test_save_image_grid_bad_input(tmp_path):
    with pytest.raises(ValueError, match="Received: images.shape"):
        visualize.save_image_grid(np.zeros((2, 4, 4, 2)), str(tmp_path / "x"))
    with pytest.raises(ValueError, match="Received: images.dtype"):
        visualize.save_image_grid(
            np.zeros((2, 4, 4, 3), "int32"), str(tmp_path / "x")
        )


def test_save_scatter(tmp_path):
    rng = np.random.default_rng(0)
    modes = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    samples = rng.normal(size=(200, 2))
    path = str(tmp_path / "scatter.png")
    out = visualize.save_scatter(samples, path, modes=modes, title="t")
    assert out == path
    png = _read_png(path)
    assert png.shape[:2] == (500, 500)
    # Limits come from the modes alone: the bounding square widened.
    assert visualize._axis_limits(modes, samples, None) == pytest.approx(
        (-1.5, 1.5, -1.0, 2.0)
    )
    visualize.save_scatter(samples, path, limits=(-2, 2))
    assert _read_png(path).shape[:2] == (500, 500)


def test_save_loss_plot(tmp_path):
    csv_path = tmp_path / "log.csv"
    csv_path.write_text(
        "epoch,d_loss,g_loss,penalty\n0,1.2,0.7,0.1\n1,1.1,0.8,NA\n"
        "2,1.0,0.9,0.05\n"
    )
    png_path = str(tmp_path / "loss.png")
    assert visualize.save_loss_plot(str(csv_path), png_path) == png_path
    assert _read_png(png_path).shape[:2] == (400, 600)


def test_save_loss_plot_missing_or_empty(tmp_path):
    missing = str(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="missing.csv"):
        visualize.save_loss_plot(missing, str(tmp_path / "a.png"))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ValueError, match="empty.csv"):
        visualize.save_loss_plot(str(empty), str(tmp_path / "a.png"))
    header_only = tmp_path / "header.csv"
    header_only.write_text("epoch,d_loss,g_loss\n")
    with pytest.raises(ValueError, match="header.csv"):
        visualize.save_loss_plot(str(header_only), str(tmp_path / "a.png"))


def test_scatter_limits_for_mixtures():
    ring = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    assert visualize._axis_limits(ring, ring, None) == pytest.approx(
        (-1.5, 1.5, -1.5, 1.5)
    )
    assert visualize._axis_limits(ring, ring, (0, 1, 2, 3)) == (0, 1, 2, 3)
    with pytest.raises(ValueError, match="Received: limits"):
        visualize._axis_limits(ring, ring, (0, 1, 2))
