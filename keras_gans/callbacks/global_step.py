"""The run's global training step, as the callbacks of one `fit` see it.

A run is trained by one or more `fit` calls (a resume, a partial epoch, a
rollback after divergence), each starting at `initial_epoch` and, for a
run resumed mid-epoch, at a batch inside it. Pictures named by step and
TensorBoard curves need the step counted from the start of the whole run,
so a resumed run continues its curves instead of starting again at 0.
"""

import keras


def tracker_states(model):
    """{name: (total, count)} of the model's `keras.metrics.Mean` trackers:
    the callbacks that log per-step values take the difference of two
    snapshots, the mean over the steps between them (Keras' logs hold the
    running mean since the epoch began)."""
    states = {}
    for metric in getattr(model, "metrics", ()):
        if isinstance(metric, keras.metrics.Mean):
            states[metric.name] = (float(metric.total.numpy()),
                                   float(metric.count.numpy()))
    return states


class GlobalStep:
    """Counts train steps (batches) from the start of the run.

    Step k is the k-th train step of the run, 1-based: after the first
    step of a fresh run the step is 1. With `steps_per_execution=N` the
    batch hooks fire every N steps and `batch` is the last step of each
    group, so the count stays exact.

    Args:
        steps_per_epoch: train steps per epoch (the config's).
        initial_batch: steps of the first epoch done before this `fit`
            (a run resumed mid-epoch).

    Example:

    >>> counter = GlobalStep(steps_per_epoch=100, initial_batch=40)
    >>> counter.begin_epoch(2)  # fit(initial_epoch=2), resumed at step 40
    >>> counter.after_batch(0)
    241
    """

    def __init__(self, steps_per_epoch, initial_batch=0):
        self.steps_per_epoch = int(steps_per_epoch)
        self.initial_batch = int(initial_batch)
        self._epoch = None
        self._offset = self.initial_batch
        self.last = None  # the step of the last batch seen

    def begin_epoch(self, epoch):
        """Call from `on_epoch_begin`: only the first epoch of a `fit`
        starts after `initial_batch` steps."""
        if self._epoch is not None:
            self._offset = 0
        self._epoch = epoch
        # Before any batch of this epoch: the step the epoch starts after.
        self.last = epoch * self.steps_per_epoch + self._offset

    def after_batch(self, batch):
        """The global step after `batch` (fit's 0-based index in this
        epoch); call from `on_train_batch_end`."""
        self.last = (self._epoch * self.steps_per_epoch + self._offset
                     + int(batch) + 1)
        return self.last
