"""A run loses nothing: kills at any point, torn checkpoints, NaN losses,
a full disk, a failed write, a second run on the same directory."""

import logging
import os
import signal
import subprocess
import sys

import h5py
import numpy as np
import pytest

from keras_gans import callbacks as gan_callbacks
from keras_gans import checkpoints
from keras_gans import run_dir
from keras_gans import train_lib
from tests.helpers import generator_weights
from tests.helpers import poison_at
from tests.helpers import tiny_config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ckpt(path):
    return os.path.join(path, run_dir.CHECKPOINT_DIR)


def history_rows(path):
    with open(os.path.join(path, run_dir.HISTORY_FILE)) as f:
        return f.read().strip().splitlines()


@pytest.fixture(scope="module")
def straight(tmp_path_factory):
    """Uninterrupted 3-epoch run: (generator weights, history rows)."""
    out = tmp_path_factory.mktemp("straight")
    gan, _ = train_lib.train(tiny_config(out, epochs=3, export_format=()))
    return generator_weights(gan), history_rows(out)


def assert_same_history(rows, expected, message=""):
    """History rows equal cell for cell; numbers to float32 precision.

    The weights are compared bit for bit. The logged epoch means are not:
    two identical uninterrupted WGAN-GP runs on the ring logged critic
    losses 1 ulp apart (-0.1423327178 and -0.1423327327, a mean of
    terms that nearly cancel), so a cell may differ at 1e-6 relative.
    """
    assert len(rows) == len(expected), message
    assert rows[0] == expected[0], message
    for row, want in zip(rows[1:], expected[1:]):
        for cell, want_cell in zip(row.split(","), want.split(",")):
            if cell != want_cell:
                assert np.isclose(float(cell), float(want_cell),
                                  rtol=1e-6, atol=1e-7), (message, row, want)


def assert_same_run(gan, out, straight):
    weights, rows = straight
    for a, b in zip(generator_weights(gan), weights):
        np.testing.assert_array_equal(a, b)
    assert_same_history(history_rows(out), rows)


# Torn and unreadable checkpoints.


def test_torn_latest_checkpoint_resumes_from_the_previous(
        tmp_path, straight, caplog):
    train_lib.train(tiny_config(tmp_path, epochs=2, export_format=()))
    latest = os.path.join(ckpt(tmp_path), checkpoints.LATEST)
    os.truncate(latest, os.path.getsize(latest) // 2)
    with caplog.at_level(logging.WARNING, logger="keras_gans"):
        gan, _ = train_lib.train(tiny_config(tmp_path, epochs=3,
                                             export_format=()))
    assert caplog.text.count(f"{latest} is unreadable") == 1
    assert_same_run(gan, tmp_path, straight)
    # The torn file was written over; the good one stayed `previous`.
    epochs = [metadata["epoch"] for _, metadata in
              checkpoints.candidates(ckpt(tmp_path))]
    assert epochs == [3, 2]


def test_empty_metadata_file_does_not_matter(tmp_path, straight):
    """The weights file carries its own epoch; the JSON is a mirror."""
    train_lib.train(tiny_config(tmp_path, epochs=2, export_format=()))
    open(os.path.join(ckpt(tmp_path), checkpoints.METADATA), "w").close()
    gan, _ = train_lib.train(tiny_config(tmp_path, epochs=3,
                                         export_format=()))
    assert_same_run(gan, tmp_path, straight)


def test_no_readable_checkpoint_is_one_clear_error(tmp_path):
    train_lib.train(tiny_config(tmp_path, epochs=2, export_format=()))
    for name in (checkpoints.LATEST, checkpoints.PREVIOUS):
        with open(os.path.join(ckpt(tmp_path), name), "wb") as f:
            f.write(b"not hdf5")
    with pytest.raises(ValueError, match=r"No readable checkpoint in .*"
                       r"latest\.weights\.h5 is unreadable.*"
                       r"previous\.weights\.h5 is unreadable"):
        train_lib.train(tiny_config(tmp_path, epochs=3))


def test_older_checkpoint_with_empty_metadata_names_the_file(tmp_path):
    """A checkpoint without its own metadata (Keras' BackupAndRestore
    format) needs training_metadata.json: an empty one is named."""
    train_lib.train(tiny_config(tmp_path, epochs=1, export_format=()))
    latest = os.path.join(ckpt(tmp_path), checkpoints.LATEST)
    with h5py.File(latest, "a") as f:
        del f.attrs["keras_gans_checkpoint"]
    metadata = os.path.join(ckpt(tmp_path), checkpoints.METADATA)
    open(metadata, "w").close()
    with pytest.raises(ValueError, match=rf"{metadata} is unreadable"):
        train_lib.train(tiny_config(tmp_path, epochs=2))


# Checkpoints inside an epoch.


class Interrupted(Exception):
    pass


def test_mid_epoch_checkpoint_resumes_exactly(tmp_path, straight,
                                              monkeypatch, caplog):
    """3 steps an epoch, a checkpoint every 2: interrupted before step 6
    (epoch 2's third), the rerun resumes at epoch 2, step 2 and ends as the
    uninterrupted run, history (epoch means) included."""
    original = gan_callbacks.DivergenceGuard.on_train_batch_begin

    def interrupt(self, batch, logs=None):
        if int(self.model.g_optimizer.iterations.numpy()) == 5:
            raise Interrupted()
        return original(self, batch, logs)

    monkeypatch.setattr(gan_callbacks.DivergenceGuard,
                        "on_train_batch_begin", interrupt)
    config = tiny_config(tmp_path, epochs=3, export_format=(),
                         checkpoint_every_steps=2)
    with pytest.raises(Interrupted):
        train_lib.train(config)
    assert checkpoints.latest_position(ckpt(tmp_path)) == (1, 2)
    monkeypatch.undo()
    with caplog.at_level(logging.INFO, logger="keras_gans"):
        gan, _ = train_lib.train(config)
    assert "from epoch 1, step 2 of epoch 2" in caplog.text
    assert_same_run(gan, tmp_path, straight)


# NaN and inf.


def test_nan_rolls_back_and_retries_with_lower_learning_rates(
        tmp_path, monkeypatch, caplog):
    hits = poison_at(monkeypatch, step=5)  # in epoch 2 of 3 x 3 steps
    with caplog.at_level(logging.WARNING, logger="keras_gans"):
        gan, _ = train_lib.train(tiny_config(tmp_path, epochs=3))
    assert hits == [5]
    assert "Step 5: non-finite losses" in caplog.text
    assert "Rolling back to the checkpoint of epoch 1" in caplog.text
    assert checkpoints.non_finite_variables(gan) == []
    rows = history_rows(tmp_path)
    assert len(rows) == 4 and "nan" not in "".join(rows).lower()
    path, metadata = checkpoints.candidates(ckpt(tmp_path))[0]
    assert metadata["epoch"] == 3 and metadata["lr_scale"] == 0.5
    assert os.path.exists(tmp_path / "export" / "saved_model.pb")


def test_nan_rolls_back_with_evaluation_on(tmp_path, monkeypatch):
    """The evaluation skips the diverged epoch instead of scoring NaN."""
    poison_at(monkeypatch, step=5)
    gan, history = train_lib.train(tiny_config(
        tmp_path, model="dcgan", dataset="grid", epochs=3, eval_every=1,
        eval_samples=50, export_format=()))
    assert checkpoints.non_finite_variables(gan) == []
    rows = history_rows(tmp_path)
    assert len(rows) == 4 and "modes_covered" in rows[0]


def test_nan_with_stop_writes_nothing_non_finite(tmp_path, monkeypatch):
    poison_at(monkeypatch, step=5)
    with pytest.raises(train_lib.TrainingDiverged,
                       match=r"generator step 5 \(epoch 2\).*checkpoint "
                       r"of epoch 1 is kept.*Try lower learning rates"):
        train_lib.train(tiny_config(tmp_path, epochs=3,
                                    on_divergence="stop"))
    assert checkpoints.latest_epoch(ckpt(tmp_path)) == 1
    for name in (run_dir.MODEL_FILE, run_dir.EXPORT_DIR):
        assert not os.path.exists(tmp_path / name)


def test_nan_that_keeps_coming_back_stops_after_the_retries(
        tmp_path, monkeypatch):
    hits = poison_at(monkeypatch, step=2, times=99)
    with pytest.raises(train_lib.TrainingDiverged,
                       match=r"after 3 rollbacks with learning rates down "
                       r"to x0\.125.*no epoch had finished"):
        train_lib.train(tiny_config(tmp_path, epochs=2))
    assert len(hits) == train_lib.DIVERGENCE_RETRIES + 1
    assert not os.path.exists(ckpt(tmp_path))


# Write failures.


def test_full_disk_keeps_the_last_checkpoint_resumable(
        tmp_path, monkeypatch):
    train_lib.train(tiny_config(tmp_path, epochs=1, export_format=()))

    class Usage:
        free = 1000

    monkeypatch.setattr(checkpoints.shutil, "disk_usage",
                        lambda path: Usage)
    with pytest.raises(OSError, match="No space left for a checkpoint") as e:
        train_lib.train(tiny_config(tmp_path, epochs=2))
    assert e.value.filename == ckpt(tmp_path)
    assert checkpoints.latest_epoch(ckpt(tmp_path)) == 1
    monkeypatch.undo()
    gan, _ = train_lib.train(tiny_config(tmp_path, epochs=2,
                                         export_format=()))
    reference, _ = train_lib.train(tiny_config(tmp_path / "ref", epochs=2,
                                               export_format=()))
    for a, b in zip(generator_weights(gan), generator_weights(reference)):
        np.testing.assert_array_equal(a, b)
    assert len(history_rows(tmp_path)) == 3


def test_failed_rename_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    train_lib.train(tiny_config(tmp_path, epochs=1, export_format=()))

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", dst)

    monkeypatch.setattr(checkpoints.os, "replace", refuse)
    with pytest.raises(PermissionError):
        train_lib.train(tiny_config(tmp_path, epochs=2))
    monkeypatch.undo()
    assert checkpoints.latest_epoch(ckpt(tmp_path)) == 1


def test_failed_export_and_model_writes_keep_the_previous_ones(
        tmp_path, monkeypatch):
    from keras_gans import export as export_lib

    gan, _ = train_lib.train(tiny_config(tmp_path))
    export_dir = tmp_path / run_dir.EXPORT_DIR
    before = (export_dir / "saved_model.pb").read_bytes()
    model_before = (tmp_path / run_dir.MODEL_FILE).read_bytes()

    def full_disk(generator, directory, **kwargs):
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "saved_model.pb"), "wb") as f:
            f.write(b"partial")
        raise OSError(28, "No space left on device")  # names no file

    monkeypatch.setattr(export_lib, "export_generator", full_disk)
    config = run_dir.read_config(str(tmp_path))
    with pytest.raises(OSError, match="No space left") as e:
        run_dir.export_run(config, gan=gan)
    assert e.value.filename == f"{export_dir}.writing"  # named
    assert (export_dir / "saved_model.pb").read_bytes() == before
    assert not os.path.exists(f"{export_dir}.writing")

    def failing_save(path):
        with open(path, "wb") as f:
            f.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(gan, "save", failing_save)
    with pytest.raises(OSError):
        run_dir.save_model(gan, str(tmp_path))
    assert (tmp_path / run_dir.MODEL_FILE).read_bytes() == model_before
    assert not [name for name in os.listdir(tmp_path) if "writing" in name]


def test_output_dir_that_is_a_file(tmp_path):
    path = tmp_path / "run"
    path.write_text("not a directory")
    with pytest.raises(ValueError, match="is a file, not a directory"):
        train_lib.train(tiny_config(path))


# One run per directory.


def test_second_run_on_a_directory_in_use_is_refused(tmp_path):
    with run_dir.lock(str(tmp_path)):
        with pytest.raises(run_dir.RunDirectoryInUse,
                           match=rf"{tmp_path} is in use by another "
                           rf"training run \(pid {os.getpid()}\)"):
            train_lib.train(tiny_config(tmp_path))
    assert not os.path.exists(tmp_path / run_dir.CONFIG_FILE)


def test_a_killed_run_leaves_no_stale_lock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from keras_gans import run_dir\n"
         f"with run_dir.lock({str(tmp_path)!r}):\n"
         "    print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(run_dir.RunDirectoryInUse):
        with run_dir.lock(str(tmp_path)):
            pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with run_dir.lock(str(tmp_path)):
        pass


# Kills at chosen points, then the same command again.


def run_cli(*argv, env=None, timeout=300):
    env = dict(os.environ, PYTHONPATH=ROOT, **(env or {}))
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, "run.py"), *argv],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)


def error_lines(result):
    """The "Error:" lines of a CLI run's stderr (TensorFlow's C++ start-up
    lines come before them)."""
    return [line for line in result.stderr.splitlines()
            if line.startswith("Error:")]


def final_weights(out):
    """Every array of the final checkpoint, by HDF5 path."""
    arrays = {}
    with h5py.File(os.path.join(ckpt(out), checkpoints.LATEST)) as f:
        f.visititems(lambda name, item: arrays.__setitem__(name, item[()])
                     if isinstance(item, h5py.Dataset) else None)
    return arrays


RUN = ("--model=wgan_gp", "--dataset=ring", "--epochs=3",
       "--steps_per_epoch=4", "--batch_size=8", "--lr_decay=none",
       "--export_format=", "--verbose=2")


@pytest.mark.slow
def test_killed_anywhere_then_rerun_equals_an_uninterrupted_run(tmp_path):
    reference = tmp_path / "reference"
    assert run_cli(*RUN, f"--output_dir={reference}").returncode == 0
    expected = final_weights(reference)
    # (kill point, extra flags): inside and after a checkpoint write,
    # mid-epoch, and mid-epoch after a mid-epoch checkpoint (step 6 of 4 x
    # 3; the kill after step 7 loses that step only).
    for point, flags in (("checkpoint_write:2", ()),
                         ("checkpoint_renamed:1", ()),
                         ("train_step:6", ()),
                         ("train_step:7", ("--checkpoint_every_steps=2",))):
        out = tmp_path / point.replace(":", "_")
        killed = run_cli(*RUN, *flags, f"--output_dir={out}",
                         env={checkpoints.FAULT_ENV: point})
        assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
        if flags:
            assert checkpoints.latest_position(ckpt(out)) == (1, 2)
        rerun = run_cli(*RUN, *flags, f"--output_dir={out}")
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        got = final_weights(out)
        assert got.keys() == expected.keys()
        for name in expected:
            np.testing.assert_array_equal(got[name], expected[name],
                                          err_msg=f"{point}: {name}")
        assert_same_history(history_rows(out), history_rows(reference),
                            point)


@pytest.mark.slow
def test_cli_divergence_exits_non_zero_with_one_line(tmp_path):
    out = tmp_path / "run"
    result = run_cli("--dataset=ring", "--steps_per_epoch=20", "--epochs=2",
                     "--d_learning_rate=1e30", "--g_learning_rate=1e30",
                     f"--output_dir={out}", "--on_divergence=stop")
    assert result.returncode == 3, result.stderr[-3000:]
    errors = error_lines(result)
    assert len(errors) == 1 and "Training diverged at generator step 1" \
        in errors[0] and "Traceback" not in result.stderr
    for name in (run_dir.CHECKPOINT_DIR, run_dir.MODEL_FILE,
                 run_dir.EXPORT_DIR):
        assert not os.path.exists(out / name)


@pytest.mark.slow
def test_cli_reports_bad_values_and_a_busy_directory_in_one_line(tmp_path):
    for flag, expected in (
            ("--gp_weight=-1", "gp_weight must be a number >= 0"),
            ("--beta_1=1.0", "beta_1 must be a number in [0, 1)"),
            ("--batch_size=0", "batch_size must be a positive integer")):
        result = run_cli("--model=wgan_gp", flag,
                         f"--output_dir={tmp_path / 'never'}", timeout=120)
        assert result.returncode == 2
        errors = error_lines(result)
        assert len(errors) == 1 and errors[0].startswith(
            f"Error: {expected}") and "Received: --" in errors[0], errors
        assert "flags model=" not in result.stderr  # no dump of every flag
    busy = tmp_path / "busy"
    busy.mkdir()
    with run_dir.lock(str(busy)):
        result = run_cli(*RUN, f"--output_dir={busy}", timeout=120)
    assert result.returncode == 3
    assert "is in use by another training run" in result.stderr
    assert not os.path.exists(busy / run_dir.CONFIG_FILE)
