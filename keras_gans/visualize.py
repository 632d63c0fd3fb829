"""Pictures of GAN training: image grids, 2-D scatters and loss curves.

Everything here draws on `matplotlib.figure.Figure` objects with the Agg
canvas, never through `pyplot`: no global figure state, no GUI backend, so
it works headless and from callbacks running in other threads.

Example:

```python
from keras_gans import visualize

visualize.save_image_grid(images, "samples.png")  # (N, H, W, C)
visualize.save_scatter(points, "ring.png", modes=modes, title="epoch 3")
visualize.save_loss_plot("log.csv", "losses.png")
```
"""

import math
import os
import textwrap

import matplotlib.image
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from keras_gans import history

# Pixels between tiles of an image grid, and their value.
_GRID_PADDING = 2
_GRID_PAD_VALUE = 0
# Height in pixels of the band above an image grid that holds the title.
_TITLE_BAND = 24
_TITLE_LINE = 13  # pixels per extra line of a wrapped title
_DPI = 100


def to_uint8(images):
    """Converts images from float [-1, 1] to uint8 [0, 255].

    Computes `clip(round((x + 1) * 127.5), 0, 255)` with numpy's rounding
    (half to even), the same formula as the exported generator: -1 -> 0,
    1 -> 255 and 0 -> 128 (127.5 rounds to the even 128). Values outside
    [-1, 1] are clipped.

    Args:
        images: Array-like of floats in [-1, 1], any shape.

    Returns:
        A uint8 `np.ndarray` of the same shape.
    """
    images = np.asarray(images, dtype="float32")
    return np.clip(np.round((images + 1.0) * 127.5), 0, 255).astype("uint8")


def _as_uint8_images(images):
    """Validates a batch of images and returns it as uint8 (N, H, W, 3)."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(
            "`images` must have shape (N, H, W, C) with C in {1, 3}. "
            f"Received: images.shape={images.shape}"
        )
    if len(images) == 0:
        raise ValueError(
            "`images` must hold at least one image. "
            f"Received: images.shape={images.shape}"
        )
    if np.issubdtype(images.dtype, np.floating):
        images = to_uint8(images)
    elif images.dtype != np.uint8:
        raise ValueError(
            "`images` must be uint8 in [0, 255] or float in [-1, 1]. "
            f"Received: images.dtype={images.dtype}"
        )
    if images.shape[-1] == 1:
        images = np.repeat(images, 3, axis=-1)
    return images


def tile_images(images, num_rows=None):
    """Tiles a batch of images into one image, with padding between tiles.

    Args:
        images: uint8 or float in [-1, 1] array of shape `(N, H, W, C)`,
            C in {1, 3}.
        num_rows: Optional positive int, rows of the grid. By default the
            grid is near square: `ceil(sqrt(N))` columns.

    Returns:
        A uint8 `np.ndarray` of shape `(rows * (H + p) + p,
        cols * (W + p) + p, 3)` with `p = 2` pixels of black padding; empty
        cells are black.
    """
    images = _as_uint8_images(images)
    num, height, width, _ = images.shape
    if num_rows is None:
        num_cols = math.ceil(math.sqrt(num))
        num_rows = math.ceil(num / num_cols)
    else:
        if int(num_rows) != num_rows or num_rows < 1:
            raise ValueError(
                "`num_rows` must be a positive int. "
                f"Received: num_rows={num_rows}"
            )
        num_rows = int(num_rows)
        num_cols = math.ceil(num / num_rows)
    pad = _GRID_PADDING
    grid = np.full(
        (num_rows * (height + pad) + pad, num_cols * (width + pad) + pad, 3),
        _GRID_PAD_VALUE,
        dtype="uint8",
    )
    for k in range(min(num, num_rows * num_cols)):
        row, col = divmod(k, num_cols)
        top = pad + row * (height + pad)
        left = pad + col * (width + pad)
        grid[top:top + height, left:left + width] = images[k]
    return grid


def _make_dirs(path):
    directory = os.path.dirname(os.fspath(path))
    if directory:
        os.makedirs(directory, exist_ok=True)


def save_image_grid(images, path, num_rows=None, title=None,
                    row_labels=None):
    """Writes a batch of images as one PNG grid, one pixel per pixel.

    Args:
        images: uint8 in [0, 255] or float in [-1, 1] array of shape
            `(N, H, W, C)`, C in {1, 3}.
        path: Where to write the PNG; parent folders are created.
        num_rows: Optional positive int, rows of the grid (default: near
            square); the grid has `ceil(N / num_rows)` columns and empty
            cells stay black.
        title: Optional string written in a white band above the grid.
        row_labels: Optional list of one string per row (e.g. the class
            each row was generated for), written in a band on the left;
            it sets num_rows to its length.

    Returns:
        `path`.
    """
    if row_labels is not None:
        num_rows = len(row_labels)
    grid = tile_images(images, num_rows=num_rows)
    _make_dirs(path)
    if title is None and row_labels is None:
        matplotlib.image.imsave(path, grid, format="png")
        return path
    height, width, _ = grid.shape
    left = 0
    if row_labels is not None:
        # Up to about 7 pixels per character at fontsize 8 ("orange eyes"
        # was clipped at 6).
        left = 16 + 7 * max(len(str(label)) for label in row_labels)
    top = 0
    if title is not None:
        # A long title over a narrow grid (32x32 tiles) wraps instead of
        # being cut at the edges: about 7 pixels per character at 9 pt.
        title = "\n".join(textwrap.wrap(str(title),
                                         max(8, (width + left) // 7)))
        top = _TITLE_BAND + _TITLE_LINE * title.count("\n")
    fig = Figure(
        figsize=((width + left) / _DPI, (height + top) / _DPI), dpi=_DPI
    )
    FigureCanvasAgg(fig)
    fig.figimage(grid, xo=left, yo=0, origin="upper")
    total_height, total_width = height + top, width + left
    if title is not None:
        fig.text(
            0.5, 1.0 - 0.5 * top / total_height, str(title),
            ha="center", va="center", fontsize=9,
        )
    if row_labels is not None:
        row_height = (height - _GRID_PADDING) / len(row_labels)
        for i, label in enumerate(row_labels):
            centre = top + _GRID_PADDING / 2 + (i + 0.5) * row_height
            fig.text(
                (left - 6) / total_width, 1.0 - centre / total_height,
                str(label), ha="right", va="center", fontsize=8,
            )
    fig.savefig(path, dpi=_DPI, format="png")
    return path


def _axis_limits(modes, samples, limits):
    """Returns `(xmin, xmax, ymin, ymax)` for a scatter plot."""
    if limits is not None:
        limits = tuple(float(v) for v in limits)
        if len(limits) == 2:
            return limits + limits
        if len(limits) == 4:
            return limits
        raise ValueError(
            "`limits` must be (low, high) or (xmin, xmax, ymin, ymax). "
            f"Received: limits={limits}"
        )
    points = modes if modes is not None else samples
    points = points[np.all(np.isfinite(points), axis=1)]
    if len(points) == 0:
        return (-1.0, 1.0, -1.0, 1.0)
    low, high = points.min(axis=0), points.max(axis=0)
    center = (low + high) / 2.0
    # A square window: the larger span plus a quarter on each side.
    half = max(float(np.max(high - low)) * 0.75, 1e-3)
    return (
        center[0] - half, center[0] + half,
        center[1] - half, center[1] + half,
    )


def save_scatter(samples, path, modes=None, title=None, limits=None):
    """Writes a PNG scatter of 2-D samples drawn over the true modes.

    The window is fixed by `limits`, else derived from `modes` only (the
    modes' bounding square, widened by half its side), so that pictures of
    successive epochs share axes. Without either, it is derived from the
    samples.

    Args:
        samples: Array-like of shape `(N, 2)`, the generated points.
        path: Where to write the PNG; parent folders are created.
        modes: Optional array-like of shape `(K, 2)`, drawn as red crosses.
        title: Optional string, the axes title.
        limits: Optional `(low, high)` for both axes or
            `(xmin, xmax, ymin, ymax)`.

    Returns:
        `path`.
    """
    samples = np.asarray(samples, dtype="float64")
    if samples.ndim != 2 or samples.shape[1] != 2:
        raise ValueError(
            "`samples` must have shape (N, 2). "
            f"Received: samples.shape={samples.shape}"
        )
    if modes is not None:
        modes = np.asarray(modes, dtype="float64")
        if modes.ndim != 2 or modes.shape[1] != 2:
            raise ValueError(
                "`modes` must have shape (K, 2). "
                f"Received: modes.shape={modes.shape}"
            )
    xmin, xmax, ymin, ymax = _axis_limits(modes, samples, limits)

    fig = Figure(figsize=(5, 5), dpi=_DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.scatter(
        samples[:, 0], samples[:, 1], s=2, alpha=0.3, color="tab:blue",
        linewidths=0, label="samples", zorder=2,
    )
    if modes is not None:
        ax.scatter(
            modes[:, 0], modes[:, 1], s=40, marker="x", color="red",
            linewidths=1.5, label="modes", zorder=1,
        )
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(str(title))
    fig.tight_layout()
    _make_dirs(path)
    fig.savefig(path, dpi=_DPI, format="png")
    return path


def save_loss_plot(csv_path, png_path, columns=None):
    """Plots the losses of a Keras `CSVLogger` file against epoch.

    By default the curves are the columns whose name contains `"loss"` or
    `"penalty"` (e.g. `d_loss`, `g_loss`, `penalty`); if there is none,
    every column but `epoch`. Non-numeric cells (CSVLogger writes `NA`)
    are left as gaps.

    Args:
        csv_path: The CSVLogger file, header `epoch,<metric>,...`.
        png_path: Where to write the PNG; parent folders are created.
        columns: Optional list of column names to plot instead.

    Returns:
        `png_path`.

    Raises:
        ValueError: If the file is missing, holds no rows, has no `epoch`
            column, or a requested column is absent.
    """
    header, values = history.read_csv_values(csv_path)
    others = [name for name in header if name != "epoch"]
    if columns is None:
        # Columns with no value at all (CSVLogger's val_* placeholders when
        # there is no validation data) would only clutter the legend.
        others = [
            name for name in others
            if not np.isnan(values[:, header.index(name)]).all()
        ]
        columns = [
            name for name in others if "loss" in name or "penalty" in name
        ] or others
    else:
        missing = [name for name in columns if name not in header]
        if missing:
            raise ValueError(
                f"Columns {missing} are not in {csv_path} (columns: "
                f"{header}). Received: columns={columns}"
            )
    epoch = values[:, header.index("epoch")]

    fig = Figure(figsize=(6, 4), dpi=_DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    for name in columns:
        ax.plot(
            epoch, values[:, header.index(name)], marker=".", label=name
        )
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("loss")
    ax.grid(True, alpha=0.3)
    if columns:
        ax.legend()
    fig.tight_layout()
    _make_dirs(png_path)
    fig.savefig(png_path, dpi=_DPI, format="png")
    return png_path


def save_metric_plot(csv_path, png_path, columns):
    """Plots history columns against epoch, one small panel per column.

    Metrics measured every few epochs have NaN in the other rows; each
    panel joins the measured points only.

    Args:
        csv_path: a CSVLogger file.
        png_path: where to write the PNG.
        columns: the columns to plot (those absent or never measured are
            skipped).

    Returns:
        `png_path`, or None when no column has a value.
    """
    header, values = history.read_csv_values(csv_path)
    epoch = values[:, header.index("epoch")] + 1
    series = []
    for name in columns:
        if name not in header:
            continue
        column = values[:, header.index(name)]
        keep = np.isfinite(column)
        if keep.any():
            series.append((name, epoch[keep], column[keep]))
    if not series:
        return None
    cols = min(3, len(series))
    rows = math.ceil(len(series) / cols)
    fig = Figure(figsize=(3.2 * cols, 2.4 * rows), dpi=_DPI)
    FigureCanvasAgg(fig)
    for i, (name, x, y) in enumerate(series):
        ax = fig.add_subplot(rows, cols, i + 1)
        ax.plot(x, y, marker="o", markersize=3)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("epoch", fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(labelsize=7)
        ax.grid(True, alpha=0.3)
    fig.tight_layout()
    _make_dirs(png_path)
    fig.savefig(png_path, dpi=_DPI, format="png")
    return png_path


def save_bar_chart(entries, path, title=None, xlabel="accuracy",
                   reference=None, labels=("generated", "real")):
    """A horizontal bar chart, one bar per tag (per-class accuracy, class
    histograms).

    Args:
        entries: [(tag, value)] or [(tag, value, count)]; NaN values are
            drawn as empty bars.
        path: where to write the PNG.
        title: optional title.
        xlabel: the value axis' label.
        reference: optional [(tag, value)] drawn as a second bar per tag
            (e.g. the real data's histogram next to the generated one).
        labels: legend names of `entries` and `reference`.

    Returns:
        `path`.
    """
    tags = [str(e[0]) for e in entries]
    values = np.array([float(e[1]) for e in entries])
    height = 0.8 if reference is None else 0.4
    fig = Figure(figsize=(6, 1.0 + 0.22 * len(tags)), dpi=_DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(len(tags))
    ax.barh(y, np.nan_to_num(values), height=height, label=labels[0])
    if reference is not None:
        ref = dict((str(e[0]), float(e[1])) for e in reference)
        ax.barh(y + height, [ref.get(t, 0.0) for t in tags], height=height,
                label=labels[1], alpha=0.6)
        ax.legend(fontsize=8)
    ax.set_yticks(y + (0 if reference is None else height / 2))
    ax.set_yticklabels(tags, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if np.nanmax(np.append(values, 0)) <= 1.0:
        ax.set_xlim(0, 1)
    ax.grid(True, axis="x", alpha=0.3)
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    _make_dirs(path)
    fig.savefig(path, dpi=_DPI, format="png")
    return path
