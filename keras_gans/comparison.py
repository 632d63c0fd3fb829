"""Loss curves of several runs in one figure: a panel per history column,
a line per run (`benchmarks/compare_runs.py` is its command line).

Each run's `history.csv` is read through `keras_gans.history`: one row per
epoch. The x axis is the training step where every run gives one: its
history's `step` (or `steps`) column, else its epochs times the
`steps_per_epoch` of the config.json beside the history; runs with other
epoch lengths then line up by the work done. Otherwise it is the epoch
(1 for the first).

Example:

```python
from keras_gans import comparison

comparison.save_run_comparison(["runs/a", "runs/b"], "compare.png",
                               columns=["d_loss", "g_loss"])
```
"""

import json
import math
import os

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from keras_gans import history

# `HISTORY_FILE` and `CONFIG_FILE`, named here so that plotting
# does not import TensorFlow (run_dir builds networks).
HISTORY_FILE = "history.csv"
CONFIG_FILE = "config.json"
STEP_COLUMNS = ("step", "steps")
_DPI = 100


def history_path(run):
    """The history CSV of `run`: a run directory or the CSV itself."""
    run = os.fspath(run)
    if os.path.isdir(run):
        return os.path.join(run, HISTORY_FILE)
    return run


def _steps_per_epoch(csv_path):
    """The steps_per_epoch of the config.json beside `csv_path`, or None."""
    path = os.path.join(os.path.dirname(csv_path) or ".",
                        CONFIG_FILE)
    try:
        with open(path) as f:
            value = json.load(f).get("steps_per_epoch")
    except (OSError, ValueError):
        return None
    return value if isinstance(value, int) and value > 0 else None


def read_run(run):
    """(header, values, steps or None, epochs) of a run's history: values
    float64 (rows, columns), steps and epochs (rows,) float64."""
    csv_path = history_path(run)
    header, values = history.read_csv_values(csv_path)
    epochs = values[:, header.index("epoch")] + 1
    steps = None
    for name in STEP_COLUMNS:
        if name in header:
            steps = values[:, header.index(name)]
            break
    else:
        per_epoch = _steps_per_epoch(csv_path)
        if per_epoch is not None:
            steps = epochs * per_epoch
    return header, values, steps, epochs


def default_columns(headers):
    """The loss and penalty columns of the runs, in order of appearance."""
    columns = []
    for header in headers:
        for name in header:
            if ("loss" in name or "penalty" in name) and name not in columns:
                columns.append(name)
    return columns


def save_run_comparison(runs, png_path, columns=None, labels=None,
                        log_scale=False):
    """Writes `comparison_figure(runs, ...)` as a PNG at `png_path`
    (parent folders are created) and returns `png_path`."""
    fig = comparison_figure(runs, columns=columns, labels=labels,
                            log_scale=log_scale)
    directory = os.path.dirname(os.fspath(png_path))
    if directory:
        os.makedirs(directory, exist_ok=True)
    fig.savefig(png_path, dpi=_DPI, format="png")
    return png_path


def comparison_figure(runs, columns=None, labels=None, log_scale=False):
    """History columns of several runs, a panel per column, a line per
    run.

    Args:
        runs: run directories (or history CSV paths), one line each.
        columns: the columns to plot; None: every column naming a loss or
            a penalty. A run without a column has no line in its panel.
        labels: one legend name per run; None: the run directories'
            names.
        log_scale: a logarithmic y axis. A panel with negative values
            (WGAN critic losses are negative) plots their absolute value,
            and its axis label says so.

    Returns:
        A `matplotlib.figure.Figure` (Agg canvas), its axes in column
        order.

    Raises:
        ValueError: no runs, a history missing or empty, labels of
            another length, or a column in none of the runs.
    """
    runs = [os.fspath(run) for run in runs]
    if not runs:
        raise ValueError("Give at least one run to compare. Received: "
                         "runs=[]")
    if labels is None:
        labels = [os.path.basename(os.path.dirname(history_path(run)))
                  or history_path(run) for run in runs]
    labels = list(labels)
    if len(labels) != len(runs):
        raise ValueError(
            f"labels needs one name per run ({len(runs)} runs). "
            f"Received: labels={labels}")
    data = [read_run(run) for run in runs]
    if columns is None:
        columns = default_columns([header for header, *_ in data])
    columns = list(columns)
    missing = [name for name in columns
               if not any(name in header for header, *_ in data)]
    if missing or not columns:
        known = sorted({name for header, *_ in data for name in header})
        raise ValueError(
            f"Columns {missing or columns} are in none of the runs' "
            f"histories (their columns: {', '.join(known)}). "
            f"Received: columns={columns}")
    by_step = all(steps is not None for _, _, steps, _ in data)
    cols = min(3, len(columns))
    rows = math.ceil(len(columns) / cols)
    fig = Figure(figsize=(4.2 * cols, 3.2 * rows), dpi=_DPI)
    FigureCanvasAgg(fig)
    for i, name in enumerate(columns):
        ax = fig.add_subplot(rows, cols, i + 1)
        series = []
        for label, (header, values, steps, epochs) in zip(labels, data):
            if name not in header:
                continue
            y = values[:, header.index(name)]
            keep = np.isfinite(y)
            x = steps if by_step else epochs
            series.append((label, x[keep], y[keep]))
        negative = any((y < 0).any() for _, _, y in series)
        for label, x, y in series:
            if log_scale and negative:
                y = np.abs(y)
            ax.plot(x, y, marker="." if len(x) < 50 else None,
                    label=label)
        ylabel = name
        if log_scale:
            ax.set_yscale("log")
            ylabel = (f"|{name}| (log scale; sign dropped)" if negative
                      else f"{name} (log scale)")
        ax.set_ylabel(ylabel, fontsize=8)
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("step" if by_step else "epoch", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
