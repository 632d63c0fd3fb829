"""Metrics of the generator every N epochs, logged into the history."""

import logging
import math

import keras

from keras_gans import samplers
from keras_gans import validation

log = logging.getLogger("keras_gans")


class EvaluateGenerator(keras.callbacks.Callback):
    """Scores the generator with an `evaluation.Evaluation` every `every`
    epochs and on the last one, and writes the metrics into the epoch's
    logs: they reach History, the CSVLogger, the plots and
    `ModelCheckpoint(monitor="fd", ...)` (put this callback before them).

    Epochs without an evaluation log NaN for the same keys, so the CSV has
    stable columns (CSVLogger fixes them at the first epoch); keep the best
    weights with `KeepBest`, which skips them. Keys an earlier callback
    already logged (SamplePictures' mode coverage of 2-D data) are left as
    they are.

    Args:
        evaluation: an `evaluation.Evaluation` (holds the real reference).
        latent_dim: size of z.
        every: evaluate after epochs every, 2 * every, ... (1-based).
        epochs: the run's last epoch, always evaluated; None: only every.
        seed: seed of the generated samples (the same noise each time, so
            successive values differ by the generator only).
        conditional: the model generates for requested labels (cGAN,
            ACGAN): accuracy columns are logged too.
    """

    def __init__(self, evaluation, latent_dim, every=1, epochs=None,
                 seed=0, conditional=False):
        super().__init__()
        self.every = validation.check_int("every", every)
        self.evaluation = evaluation
        self.latent_dim = latent_dim
        self.epochs = epochs
        self.seed = seed
        self.keys = evaluation.metric_keys(conditional=conditional)

    def due(self, epoch):
        """Whether 0-based `epoch` is evaluated."""
        return (epoch + 1) % self.every == 0 or (
            self.epochs is not None and epoch + 1 == self.epochs)

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        # An epoch whose losses went NaN (`DivergenceGuard` stopped it and
        # the run rolls back) has nothing worth scoring.
        diverged = not all(math.isfinite(float(v)) for k, v in logs.items()
                           if k.endswith("loss"))
        if diverged or not self.due(epoch):
            for key in self.keys:
                logs.setdefault(key, float("nan"))
            return
        sampler = samplers.gan_sampler(
            self.model, self.latent_dim, self.evaluation, name="generator")
        result = self.evaluation(sampler, seed=self.seed)
        metrics = result["metrics"]
        for key in self.keys:
            logs.setdefault(key, metrics.get(key, float("nan")))
        log.info("Epoch %d: %s", epoch + 1, ", ".join(
            f"{result['names'].get(k, k)} {metrics[k]:.4g}"
            for k in self.keys if k in metrics and not k.startswith(
                "kid_std")))


class KeepBest(keras.callbacks.ModelCheckpoint):
    """`ModelCheckpoint(save_best_only=True)` that ignores epochs whose
    monitored value is NaN (the epochs `EvaluateGenerator` skips): Keras'
    comparison would take the first NaN as the best and never improve on
    it."""

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is not None and math.isnan(float(value)):
            return
        super().on_epoch_end(epoch, logs)
