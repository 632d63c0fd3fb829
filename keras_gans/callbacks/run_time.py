"""How long the run will take, said once its step speed is known.

A run's length in steps is fixed by its config (a run is reproducible);
its length in minutes depends on the machine: the same quick start takes
minutes on one 2-core CPU and hours on another. `RunTimeEstimate` times a
few steps after the first (which traces the step) and logs the steps left,
the seconds a step and the expected minutes, so a user knows at once what
they started.
"""

import datetime
import logging
import time

import keras

log = logging.getLogger("keras_gans")


def describe_duration(seconds):
    """"45 s", "12 minutes", "2.1 hours"."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.1f} hours"


class RunTimeEstimate(keras.callbacks.Callback):
    """Logs the expected duration of the rest of the run, once.

    Args:
        total_steps: the steps this `fit` will run (all its epochs).
        skip_steps: steps left out of the timing (tracing, warm-up).
        timed_steps: steps timed for the estimate.
        setting: text naming what the speed depends on (precision, XLA,
            the CPU), added to the message.
    """

    def __init__(self, total_steps, skip_steps=2, timed_steps=8,
                 setting=""):
        super().__init__()
        self.total_steps = int(total_steps)
        self.skip_steps = skip_steps
        self.timed_steps = timed_steps
        self.setting = setting
        self._steps = 0
        self._start = None
        self.seconds_per_step = None

    def on_train_batch_end(self, batch, logs=None):
        del batch, logs
        self._steps += 1
        if self.seconds_per_step is not None:
            return
        if self._steps == self.skip_steps:
            self._start = time.perf_counter()
        elif self._steps == self.skip_steps + self.timed_steps:
            self.seconds_per_step = (
                time.perf_counter() - self._start) / self.timed_steps
            left = (self.total_steps - self._steps) * self.seconds_per_step
            finish = datetime.datetime.now() + datetime.timedelta(
                seconds=left)
            log.info(
                "%s steps at %.2f s a step%s: about %s left (done around "
                "%s).", f"{self.total_steps:,}", self.seconds_per_step,
                f" ({self.setting})" if self.setting else "",
                describe_duration(left), finish.strftime("%H:%M"))
