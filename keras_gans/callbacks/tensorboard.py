"""TensorBoard logs of a run (`--tensorboard`): curves per step and per
epoch, and the fixed-noise pictures, in `<output_dir>/tensorboard/`.

Written with TensorFlow's own event writer (`tf.summary.write`), in the
format of TensorBoard's scalar and image plugins: `tf.summary.scalar` and
`tf.summary.image` are implemented by the `tensorboard` package and fail
without it, and nothing here needs it but the viewer
(`pip install -e ".[tensorboard]"`, then
`tensorboard --logdir runs/x/tensorboard`).

Every value is logged at the run's global training step
(`global_step.GlobalStep`), so a resumed run continues its curves where
they stopped. A run that rolls back after divergence, or resumes after a
kill, logs the steps it redoes again, in a new event file of the same
directory.
"""

import math
import numbers
import os

import keras
import numpy as np
import tensorflow as tf
from PIL import Image
from tensorflow.core.framework import summary_pb2

from keras_gans.callbacks import global_step

LOG_DIR = "tensorboard"


def _metadata(plugin_name, data_class):
    # What tensorboard's summary ops write: the plugin's name, and its
    # (version 0, empty) plugin data.
    return summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(
            plugin_name=plugin_name, content=b""),
        data_class=data_class)


_SCALAR = _metadata("scalars", summary_pb2.DATA_CLASS_SCALAR)
_IMAGE = _metadata("images", summary_pb2.DATA_CLASS_BLOB_SEQUENCE)
_TEXT = _metadata("text", summary_pb2.DATA_CLASS_TENSOR)


def write_scalar(tag, value, step):
    """A scalar for TensorBoard's scalar plugin, in the default writer."""
    tf.summary.write(tag, tf.constant(value, "float32"), step=step,
                     metadata=_SCALAR)


def _scalars_writer(tags):
    """One compiled call writing a scalar per tag: a step's scalars cost
    one TensorFlow call instead of one each (about 0.4 ms for seven,
    against 1 ms, next to a 10 ms step on the 2-D mixtures)."""

    @tf.function(autograph=False)
    def write(values, step):
        for i, tag in enumerate(tags):
            tf.summary.write(tag, values[i], step=step, metadata=_SCALAR)

    return write


def write_image(tag, pixels, step):
    """A uint8 (H, W, 3) image for TensorBoard's image plugin: the tensor
    [width, height, PNG] that its `tf.summary.image` writes."""
    height, width = pixels.shape[:2]
    tensor = tf.stack([tf.as_string(width), tf.as_string(height),
                       tf.io.encode_png(pixels)])
    tf.summary.write(tag, tensor, step=step, metadata=_IMAGE)


def _scalar(value):
    """`value` as a float, or None for what is not one number (a string,
    an array of several values). Multi-worker logs are (1,) tensors."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return float(value)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        return None
    if array.size != 1 or not np.issubdtype(array.dtype, np.number):
        return None
    return float(array.reshape(-1)[0])


class TensorBoardLog(keras.callbacks.Callback):
    """Writes the run's scalars and pictures for TensorBoard.

    - `step/<key>`, at every train step, for every numeric key of the
      batch logs (the losses, the penalty, learning rates, ...). Keras'
      batch logs are the running means of the epoch; for a key backed by
      a `keras.metrics.Mean` tracker (the GAN's losses) the step's own
      value is logged instead: the change of the tracker's total over the
      change of its count since the last hook (with
      `steps_per_execution=N`, the mean of those N steps). Other keys are
      logged as they are.
    - `epoch/<key>`, at the epoch's last step, for every finite numeric
      key of the epoch logs: the epoch means, mode coverage, and the
      evaluation metrics on evaluated epochs (put this callback after
      `EvaluateGenerator`).
    - images: the pictures `SamplePictures` writes (pass `add_picture` as
      its `on_picture`), at their steps, tagged "samples" (and
      "samples/<grid name>").
    - text: the training doctor's diagnoses (`add_text`), tagged
      "doctor", at the step each began.

    Args:
        log_dir: the event files' directory (the run's tensorboard/).
        steps_per_epoch: the run's steps per epoch.
        initial_batch: steps of the first epoch done before this `fit`
            (a run resumed mid-epoch).
    """

    def __init__(self, log_dir, steps_per_epoch, initial_batch=0):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.steps = global_step.GlobalStep(steps_per_epoch, initial_batch)
        self._writer = None
        self._trackers = {}  # name -> (total, count) at the last hook
        self._writers = {}  # the step's tags -> `_scalars_writer`

    @property
    def writer(self):
        if self._writer is None:
            os.makedirs(self.log_dir, exist_ok=True)
            self._writer = tf.summary.create_file_writer(self.log_dir)
        return self._writer

    def on_train_begin(self, logs=None):
        del logs
        self.writer  # noqa: B018 (opens it: a run with no step has a dir)

    def on_epoch_begin(self, epoch, logs=None):
        self.steps.begin_epoch(epoch)
        # After `fit` reset the trackers (and RestoreTrackers put a
        # mid-epoch checkpoint's sums back): the next deltas start here.
        self._trackers = global_step.tracker_states(self.model)

    def on_train_batch_end(self, batch, logs=None):
        step = self.steps.after_batch(batch)
        states = global_step.tracker_states(self.model)
        tags, values = [], []
        for key, value in (logs or {}).items():
            value = _scalar(value)
            if value is None:
                continue
            if key in states and key in self._trackers:
                total, count = states[key]
                old_total, old_count = self._trackers[key]
                if count > old_count:
                    value = (total - old_total) / (count - old_count)
            tags.append(f"step/{key}")
            values.append(value)
        self._trackers = states
        if not tags:
            return
        write = self._writers.get(tuple(tags))
        if write is None:
            write = self._writers[tuple(tags)] = _scalars_writer(tuple(tags))
        with self.writer.as_default():
            write(tf.constant(values, "float32"),
                  tf.constant(step, "int64"))

    def on_epoch_end(self, epoch, logs=None):
        del epoch
        step = self.steps.last
        with self.writer.as_default():
            for key, value in (logs or {}).items():
                value = _scalar(value)
                # Epochs without an evaluation log NaN for its metrics:
                # leave them out, so the curve joins measured points.
                if value is not None and math.isfinite(value):
                    write_scalar(f"epoch/{key}", value, step)
        self.writer.flush()  # a live TensorBoard sees each epoch

    def add_picture(self, name, step, path):
        """Logs the PNG at `path` as image `name` at global `step`
        (`SamplePictures`' `on_picture`)."""
        with Image.open(path) as picture:
            pixels = np.asarray(picture.convert("RGB"))
        with self.writer.as_default():
            write_image(name, pixels, step)

    def add_text(self, tag, text, step):
        """Logs `text` (markdown) for TensorBoard's text plugin at global
        `step` (the training doctor's diagnoses)."""
        with self.writer.as_default():
            tf.summary.write(tag, tf.constant(text), step=step,
                             metadata=_TEXT)
        self.writer.flush()

    def on_train_end(self, logs=None):
        del logs
        if self._writer is not None:
            self._writer.flush()
            self._writer.close()
            self._writer = None
            self._writers = {}  # they hold the closed writer
