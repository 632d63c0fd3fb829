"""history.csv: each network's learning rate and update count per epoch,
and columns that stay aligned when a resumed run logs new ones."""

import csv
import json
import os

import h5py
import numpy as np
import pytest

from keras_gans import checkpoints
from keras_gans import history
from keras_gans import run_dir
from keras_gans import train_lib
from keras_gans.callbacks import HistoryCSV
from tests.helpers import tiny_config


def read(path):
    header, values = history.read_csv_values(path)
    return {name: values[:, i] for i, name in enumerate(header)}


def test_a_resumed_logger_adds_new_columns_to_the_header(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("epoch,d_loss,g_loss,val_d_loss,val_g_loss\r\n"
                    "0,1.5,2.5,NA,NA\r\n")
    logger = HistoryCSV(str(path), append=True)
    logger.on_train_begin()
    logger.on_epoch_end(1, {"d_loss": 1.25, "g_loss": 2.0, "d_lr": 0.1})
    logger.on_epoch_end(2, {"d_loss": 1.0, "g_loss": 1.5, "d_lr": 0.2})
    logger.on_train_end()
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["epoch", "d_loss", "g_loss", "val_d_loss",
                       "val_g_loss", "d_lr", "val_d_lr"]
    assert all(len(row) == len(rows[0]) for row in rows)
    columns = read(path)
    np.testing.assert_array_equal(columns["epoch"], [0, 1, 2])
    np.testing.assert_array_equal(columns["d_loss"], [1.5, 1.25, 1.0])
    np.testing.assert_array_equal(columns["d_lr"][1:], [0.1, 0.2])
    assert np.isnan(columns["d_lr"][0])


def test_a_fresh_logger_writes_what_csvlogger_writes(tmp_path):
    import keras

    logs = {"g_loss": 2.0, "d_loss": 1.0, "d_lr": 1e-4}
    for name, logger_class in (("ours.csv", HistoryCSV),
                               ("keras.csv", keras.callbacks.CSVLogger)):
        logger = logger_class(str(tmp_path / name))
        logger.on_train_begin()
        logger.on_epoch_end(0, dict(logs))
        logger.on_train_end()
    assert (tmp_path / "ours.csv").read_text() == (
        tmp_path / "keras.csv").read_text()


@pytest.mark.parametrize("n_critic, g_updates", [(5, 1), (1, 5)])
def test_history_shows_rates_and_updates_of_each_network(tmp_path, n_critic,
                                                         g_updates):
    """A step schedule with gamma 1.1 every 2 steps multiplies each rate
    by 1.1 at every boundary, whatever the update ratio."""
    train_lib.train(tiny_config(tmp_path, epochs=2, n_critic=n_critic,
                                g_updates=g_updates, lr_decay="step",
                                lr_step_size=2, lr_gamma=1.1))
    columns = read(tmp_path / run_dir.HISTORY_FILE)
    np.testing.assert_array_equal(columns["d_iterations"],
                                  [3 * n_critic, 6 * n_critic])
    np.testing.assert_array_equal(columns["g_iterations"],
                                  [3 * g_updates, 6 * g_updates])
    # After 3 and 6 steps: 1 and 3 boundaries passed.
    config = json.loads((tmp_path / "config.json").read_text())
    for network in ("d", "g"):
        np.testing.assert_allclose(
            columns[f"{network}_lr"],
            config[f"{network}_learning_rate"] * 1.1 ** np.array([1, 3]),
            rtol=1e-6)


@pytest.mark.slow
def test_resuming_a_run_written_before_the_columns_keeps_them_aligned(
        tmp_path):
    """A run started by an older version (no rate columns) continues with
    them, its first row holding NA there."""
    train_lib.train(tiny_config(tmp_path, epochs=1))
    path = tmp_path / run_dir.HISTORY_FILE

    def strip(text):
        rows = list(csv.reader(text.splitlines()))
        keep = [i for i, name in enumerate(rows[0])
                if "lr" not in name and "iterations" not in name]
        return "".join(",".join(row[i] for i in keep) + "\r\n"
                       for row in rows)

    old = strip(path.read_text())
    path.write_text(old)
    ckpt = os.path.join(run_dir.checkpoint_dir(str(tmp_path)),
                        checkpoints.LATEST)
    with h5py.File(ckpt, "a") as f:
        metadata = json.loads(f.attrs[checkpoints._ATTRIBUTE])
        metadata["history_csv"] = old
        f.attrs[checkpoints._ATTRIBUTE] = json.dumps(metadata)
    train_lib.train(tiny_config(tmp_path, epochs=2))
    columns = read(path)
    np.testing.assert_array_equal(columns["epoch"], [0, 1])
    assert np.isnan(columns["d_lr"][0]) and columns["d_lr"][1] > 0
    assert np.all(np.isfinite(columns["d_loss"]))
    np.testing.assert_array_equal(columns["g_iterations"][1:], [6])
