"""--tensorboard: per-step and per-epoch scalars and the sample pictures,
at the run's global step, continued by a resumed run."""

import glob
import io
import os

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_gans import train_lib
from keras_gans.callbacks import TensorBoardLog
from keras_gans.callbacks import global_step
from tests.helpers import tiny_config


def read_events(run):
    """{tag: [(step, value)]} of every event file of a run's
    tensorboard/: scalars as floats, images as uint8 arrays."""
    events = {}
    files = sorted(glob.glob(os.path.join(run, "tensorboard", "events*")))
    assert files, f"no event files in {run}/tensorboard"
    for path in files:
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                array = tf.make_ndarray(value.tensor)
                if value.metadata.plugin_data.plugin_name == "images":
                    width, height, png = array
                    array = np.asarray(Image.open(io.BytesIO(png)))
                    assert array.shape[:2] == (int(height), int(width))
                else:
                    assert value.metadata.plugin_data.plugin_name == (
                        "scalars")
                    array = float(array)
                events.setdefault(value.tag, []).append((event.step, array))
    return events


def steps(events, tag):
    return [step for step, _ in events[tag]]


def test_a_run_logs_each_step_each_epoch_and_its_pictures(tmp_path):
    train_lib.train(tiny_config(tmp_path, tensorboard=True,
                                sample_every_steps=2, export_format=()))
    events = read_events(str(tmp_path))
    for loss in ("d_loss", "g_loss", "penalty"):
        assert steps(events, f"step/{loss}") == [1, 2, 3]
        # Each step's own value, not Keras' running mean: their mean is
        # the epoch's (every step adds the same number of updates).
        per_step = [v for _, v in events[f"step/{loss}"]]
        [(step, epoch_mean)] = events[f"epoch/{loss}"]
        assert step == 3
        np.testing.assert_allclose(np.mean(per_step), epoch_mean,
                                   rtol=1e-5)
    # What SamplePictures adds to the epoch's logs reaches it too.
    assert steps(events, "epoch/modes_covered") == [3]
    # The step picture (step 2) and the epoch's (step 3), as written.
    assert steps(events, "samples") == [2, 3]
    written = np.asarray(Image.open(
        tmp_path / "samples" / "epoch_0001.png").convert("RGB"))
    np.testing.assert_array_equal(events["samples"][1][1], written)


@pytest.mark.slow
def test_a_resumed_run_continues_its_curves(tmp_path):
    train_lib.train(tiny_config(tmp_path, tensorboard=True,
                                export_format=()))
    train_lib.train(tiny_config(tmp_path, epochs=2, tensorboard=True,
                                export_format=()))
    events = read_events(str(tmp_path))
    # Two event files, one per process; the second goes on at step 4.
    assert len(glob.glob(str(tmp_path / "tensorboard" / "events*"))) == 2
    assert steps(events, "step/g_loss") == [1, 2, 3, 4, 5, 6]
    assert steps(events, "epoch/g_loss") == [3, 6]
    assert steps(events, "samples") == [3, 6]


def test_global_step_counts_across_resumes():
    # fit(initial_epoch=2) of a run resumed at step 40 of epoch 3.
    counter = global_step.GlobalStep(steps_per_epoch=100, initial_batch=40)
    counter.begin_epoch(2)
    assert counter.last == 240
    assert counter.after_batch(0) == 241
    assert counter.after_batch(59) == 300
    counter.begin_epoch(3)  # the next epoch starts at its first step
    assert counter.after_batch(0) == 301
    # steps_per_execution=4: the hook sees the last batch of each group.
    counter = global_step.GlobalStep(steps_per_epoch=8)
    counter.begin_epoch(0)
    assert [counter.after_batch(b) for b in (3, 7)] == [4, 8]


def test_tensorboard_reads_them_as_scalars_and_images(tmp_path):
    accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.plugin_event_accumulator")
    import keras

    class Model:  # what the callback reads of a GAN: its trackers
        metrics = [keras.metrics.Mean(name="d_loss")]

    callback = TensorBoardLog(str(tmp_path / "tb"), steps_per_epoch=10)
    callback._model = Model()
    callback.on_train_begin()
    callback.on_epoch_begin(0)
    Model.metrics[0].update_state(2.0)
    callback.on_train_batch_end(0, {"d_loss": 2.0, "d_lr": 1e-3})
    Image.new("RGB", (8, 6), "red").save(tmp_path / "p.png")
    callback.add_picture("samples", 1, str(tmp_path / "p.png"))
    callback.on_epoch_end(0, {"d_loss": 2.0, "fd": float("nan")})
    callback.on_train_end()
    events = accumulator.EventAccumulator(str(tmp_path / "tb"))
    events.Reload()
    assert sorted(events.PluginTagToContent("scalars")) == [
        "epoch/d_loss", "step/d_loss", "step/d_lr"]  # no NaN fd
    assert list(events.PluginTagToContent("images")) == ["samples"]
