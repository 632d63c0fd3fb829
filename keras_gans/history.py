"""The history CSV a run writes (Keras' `CSVLogger`), read back.

`history.csv` has one row per epoch: `epoch`, the losses, and evaluation
metrics when `eval_every` is set. The loss and metric plots, `keep_best` on
resume, and benchmarks read it through here.
"""

import csv
import os

import numpy as np


def _read_csv_log(csv_path):
    """Reads a CSVLogger file into (header, rows of strings)."""
    if not os.path.isfile(csv_path):
        raise ValueError(f"No CSV log file. Received: csv_path={csv_path}")
    with open(csv_path, newline="") as f:
        rows = [row for row in csv.reader(f) if row]
    if len(rows) < 2:
        raise ValueError(
            "The CSV log holds no epochs (it needs a header and at least "
            f"one row). Received: csv_path={csv_path}"
        )
    header = [name.strip() for name in rows[0]]
    if "epoch" not in header:
        raise ValueError(
            "The CSV log has no `epoch` column (expected a Keras CSVLogger "
            f"file). Received: csv_path={csv_path}"
        )
    # Files concatenated from several runs may repeat the header: skip it.
    return header, [row for row in rows[1:] if row != rows[0]]


def read_csv_values(csv_path):
    """(header, float64 array (rows, columns)) of a CSVLogger file; cells
    that are not numbers are NaN."""
    header, rows = _read_csv_log(csv_path)
    values = np.array(
        [
            [_to_float(row[i]) if i < len(row) else float("nan")
             for i in range(len(header))]
            for row in rows
        ],
        dtype="float64",
    ).reshape(len(rows), len(header))
    return header, values


def _to_float(text):
    try:
        return float(text)
    except ValueError:  # "NA" for a key missing that epoch, or empty.
        return float("nan")


def best_value(csv_path, metric, higher):
    """The best finite value of `metric` in a history CSV.

    Args:
        csv_path: a CSVLogger file (may not exist yet).
        metric: a column name, e.g. "fd".
        higher: True if larger is better.

    Returns:
        The max (higher) or min of the column's finite values, or None if
        the file, the column or any finite value is missing.
    """
    if not os.path.exists(csv_path):
        return None
    header, values = read_csv_values(csv_path)
    if metric not in header:
        return None
    column = values[:, header.index(metric)]
    column = column[np.isfinite(column)]
    if not len(column):
        return None
    return float(column.max() if higher else column.min())
