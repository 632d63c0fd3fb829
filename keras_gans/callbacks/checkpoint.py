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
    """Writes `checkpoints.write` at the end of every epoch.

    Args:
        directory: the run's checkpoints/ directory.
        history_path: the history CSV whose text each checkpoint keeps.
        guard: a `DivergenceGuard`: nothing is written once it has fired.
        lr_scale: stored in each checkpoint (divergence retries).
    """

    def __init__(self, directory, history_path, guard=None, lr_scale=1.0):
        super().__init__()
        self.directory = directory
        self.history_path = history_path
        self.guard = guard
        self.lr_scale = lr_scale

    def on_epoch_end(self, epoch, logs=None):
        if self.guard is not None and self.guard.diverged is not None:
            return
        history_csv = None
        if os.path.exists(self.history_path):
            with open(self.history_path) as f:
                history_csv = f.read()
        checkpoints.write(self.model, self.directory, epoch + 1,
                          history_csv=history_csv, lr_scale=self.lr_scale)
