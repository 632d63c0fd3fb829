"""The training doctor as a Keras callback: the run watches itself.

`TrainingDoctor` keeps the run's signals (the step's losses, D's scores
and accuracies, the gradient norms, and the `probe.SampleProbe`'s
sample-based ones) as two timelines: one row per epoch (the epoch logs,
exactly what history.csv holds, so `--mode=diagnose` reaches the same
verdicts afterwards) and, with `every_steps=N`, one row every N steps (the
means since the row before) to notice a problem sooner. After each new
row it runs the rules (`keras_gans.doctor.rules`); each diagnosis found
is logged once, as one line through the "keras_gans" logger:

    keras_gans: Doctor: step 300: d_wins (the discriminator wins; ...):
    D's accuracy 0.99 on real and 0.98 on fake samples; ... Try:
    --d_learning_rate=5e-05 | --label_smoothing=0.2 | ...

and named in history.csv's `diagnosis` column (`text_columns`, for
`HistoryCSV`; empty in epochs without a new one). A step whose losses are
not finite is checked at once, whatever N.
"""

import dataclasses
import logging
import math
import os

import keras

from keras_gans.callbacks import global_step
from keras_gans.doctor import remedies as remedies_lib
from keras_gans.doctor import rules
from keras_gans.doctor import timeline as timeline_lib

# The history column naming the diagnoses that began in the epoch.
DIAGNOSIS_KEY = "diagnosis"
# Step-log keys whose non-finite value triggers a check at once.
WATCHED = ("d_loss", "g_loss", "penalty", "d_grad_norm", "g_grad_norm")

log = logging.getLogger("keras_gans")


def _finite(value):
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return True  # not a number: nothing to judge


def _numbers(logs):
    """The numeric entries of Keras logs as floats."""
    out = {}
    for key, value in (logs or {}).items():
        try:
            out[key] = float(value)
        except (TypeError, ValueError):
            continue
    return out


class TrainingDoctor(keras.callbacks.Callback):
    """Diagnoses the run while it trains; see the module docstring.

    Put it after the callbacks whose epoch logs it should read
    (`SamplePictures`' mode coverage, `EvaluateGenerator`) and before
    those that record the logs (`TensorBoardLog`, `HistoryCSV`).

    Args:
        config: the run's resolved `TrainConfig` (the rules read its
            loss; the remedies must fit it).
        steps_per_epoch: the run's steps per epoch (global steps).
        every_steps: also check every N global steps (0: per epoch only).
        probe: a `probe.SampleProbe`, or None (no sample-based checks).
        initial_batch: steps of the first epoch done before this `fit`.
        history_path: a resumed run's history.csv: its rows continue the
            epoch timeline (early values, diagnoses already logged).
        on_diagnosis: optional function `(diagnosis)` called for each new
            diagnosis (`TensorBoardLog.add_text` takes them there).

    Attributes:
        diagnoses: {name: `rules.Diagnosis`}, each as first found.
    """

    def __init__(self, config, steps_per_epoch, every_steps=0, probe=None,
                 initial_batch=0, history_path=None, on_diagnosis=None):
        super().__init__()
        self.config = config
        self.every_steps = int(every_steps)
        self.probe = probe
        self.history_path = history_path
        self.on_diagnosis = on_diagnosis
        self.steps = global_step.GlobalStep(steps_per_epoch, initial_batch)
        self.epochs = timeline_lib.Timeline()
        self.checks = timeline_lib.Timeline()
        self.diagnoses = {}
        self._new = []  # the epoch's new diagnoses
        self._trackers = {}
        self._probed = (None, {})  # (step, values) of the last probe
        self._probe_keys = ()

    def on_train_begin(self, logs=None):
        del logs
        path = self.history_path
        if path and os.path.exists(path) and os.path.getsize(path):
            try:
                self.epochs = timeline_lib.Timeline.from_csv(
                    path, self.steps.steps_per_epoch)
            except ValueError:  # a header alone: no epoch yet
                return
            # Logged by the process that trained those epochs.
            for found in rules.find_problems(self.epochs, self.config):
                self.diagnoses.setdefault(found.name, found)

    def _since_last_check(self):
        """{tracker: its mean over the steps since the last snapshot}."""
        states = global_step.tracker_states(self.model)
        row = {}
        for name, (total, count) in states.items():
            old_total, old_count = self._trackers.get(name, (0.0, 0.0))
            if count > old_count:
                row[name] = (total - old_total) / (count - old_count)
        self._trackers = states
        return row

    def _probe(self, step):
        """The probe's signals at `step` (computed once per step)."""
        if self.probe is None:
            return {}
        if self._probed[0] == step:
            return self._probed[1]
        try:
            values = self.probe(self.model)
            self._probe_keys = tuple(values)
        except Exception as e:  # noqa: BLE001 (never stop the training)
            log.warning("Doctor: the sample checks failed at step %d (%s: "
                        "%s); they are skipped this time.", step,
                        type(e).__name__, e)
            values = {key: float("nan") for key in self._probe_keys}
        self._probed = (step, values)
        return values

    def _check(self, timeline):
        for found in rules.find_problems(timeline, self.config):
            if found.name in self.diagnoses:
                continue
            found = dataclasses.replace(
                found, remedies=remedies_lib.remedies(found, self.config))
            self.diagnoses[found.name] = found
            self._new.append(found)
            log.warning("Doctor: %s", found.line())
            if self.on_diagnosis is not None:
                self.on_diagnosis(found)

    def on_epoch_begin(self, epoch, logs=None):
        del logs
        self.steps.begin_epoch(epoch)
        # After `fit` reset the trackers (and RestoreTrackers put back a
        # mid-epoch checkpoint's sums): deltas start here.
        self._trackers = global_step.tracker_states(self.model)
        self._new = []

    def on_train_batch_end(self, batch, logs=None):
        before = self.steps.last
        step = self.steps.after_batch(batch)
        due = self.every_steps and (
            step // self.every_steps != before // self.every_steps)
        broken = "divergence" not in self.diagnoses and not all(
            _finite(logs[key]) for key in WATCHED if key in (logs or {}))
        if not (due or broken):
            return
        row = self._since_last_check()
        if due:
            row.update(self._probe(step))
        self.checks.append(step, row)
        self._check(self.checks)

    def on_epoch_end(self, epoch, logs=None):
        del epoch
        if logs is None:
            return
        step = self.steps.last
        # The sample signals go into the epoch's logs: history.csv and
        # TensorBoard keep them, and `--mode=diagnose` reads them back.
        logs.update(self._probe(step))
        self.epochs.append(step, _numbers(logs))
        self._check(self.epochs)

    def text_columns(self):
        """{`DIAGNOSIS_KEY`: the names of the epoch's new diagnoses}: the
        history's text cell (`HistoryCSV(text_columns=...)`; the Keras
        logs stay numbers, which the progress bar needs)."""
        return {DIAGNOSIS_KEY: " ".join(d.name for d in self._new)}
