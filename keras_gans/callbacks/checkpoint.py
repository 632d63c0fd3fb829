"""Checkpoints at the end of each epoch, and the guard that keeps a
diverged run from writing one.

`DivergenceGuard` watches every step's losses: a NaN or inf stops
training at the end of that step, and `RunCheckpoint` (which reads the
guard) then writes nothing over the last good checkpoint; `train_lib`
rolls back or stops. Put `RunCheckpoint` last in the callback list: the
checkpoint holds the history CSV as the CSVLogger left it that epoch.
"""

import math
import os

import keras

from keras_gans import checkpoints


def _is_finite(value):
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):  # not a number: nothing to judge
        return True


class DivergenceGuard(keras.callbacks.Callback):
    """Stops `fit` after the first step whose losses are not finite.

    Keras' batch logs are the running means of the epoch, so one NaN or inf
    loss shows in the logs of the step where it happens.

    Attributes:
        diverged: None, or a dict: `step` (the generator step, 1-based, in
            the whole run), `epoch` (0-based) and `losses` (the logs of
            that step).
    """

    def __init__(self):
        super().__init__()
        self.diverged = None
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        checkpoints.fault_point("train_step")
        logs = logs or {}
        if self.diverged is None and not all(
                _is_finite(v) for v in logs.values()):
            self.diverged = {
                "step": int(self.model.g_optimizer.iterations.numpy()),
                "epoch": self._epoch,
                "losses": {k: float(v) for k, v in logs.items()},
            }
            self.model.stop_training = True


class RunCheckpoint(keras.callbacks.Callback):
    """Writes `checkpoints.write` at the end of every epoch, and every
    `every_steps` steps inside one.

    Args:
        directory: the run's checkpoints/ directory.
        history_path: the history CSV whose text each checkpoint keeps.
        guard: a `DivergenceGuard`: nothing is written once it has fired.
        lr_scale: stored in each checkpoint (divergence retries).
        every_steps: also checkpoint inside an epoch every this many
            steps (0: at epoch ends only).
        initial_batch: steps of the first epoch done before this `fit`
            (a run resumed mid-epoch), so positions count from the
            epoch's start.
    """

    def __init__(self, directory, history_path, guard=None, lr_scale=1.0,
                 every_steps=0, initial_batch=0):
        super().__init__()
        self.directory = directory
        self.history_path = history_path
        self.guard = guard
        self.lr_scale = lr_scale
        self.every_steps = every_steps
        self.initial_batch = initial_batch
        self._epoch = None
        self._offset = initial_batch
        self._last_saved = initial_batch

    def _diverged(self):
        return self.guard is not None and self.guard.diverged is not None

    def _write(self, epoch, batch):
        history_csv = None
        if os.path.exists(self.history_path):
            with open(self.history_path) as f:
                history_csv = f.read()
        checkpoints.write(self.model, self.directory, epoch,
                          history_csv=history_csv, lr_scale=self.lr_scale,
                          batch=batch)

    def on_epoch_begin(self, epoch, logs=None):
        if self._epoch is not None:  # a later epoch starts at its step 0
            self._offset = self._last_saved = 0
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if not self.every_steps or self._diverged():
            return
        done = self._offset + batch + 1  # steps of this epoch so far
        end = self._offset + self.params["steps"]
        if done - self._last_saved >= self.every_steps and done < end:
            self._write(self._epoch, done)
            self._last_saved = done

    def on_epoch_end(self, epoch, logs=None):
        if not self._diverged():
            self._write(epoch + 1, 0)


class RestoreTrackers(keras.callbacks.Callback):
    """Puts a mid-epoch checkpoint's metric sums back at the start of the
    resumed epoch (`fit` resets the trackers just before `on_epoch_begin`),
    so that epoch logs the means of all its steps."""

    def __init__(self, states):
        super().__init__()
        self.states = states

    def on_epoch_begin(self, epoch, logs=None):
        if self.states is not None:
            checkpoints.set_tracker_states(self.model, self.states)
            self.states = None
