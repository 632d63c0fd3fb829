"""Pictures of the generator at a fixed noise, written every epoch (and
every N training steps)."""

import math
import os

import keras
import numpy as np

from keras_gans import noise as noise_lib
from keras_gans import sample_grids
from keras_gans import validation
from keras_gans import visualize
from keras_gans.callbacks import global_step
from keras_gans.metrics import mode_coverage

# 2,500 points is the sample size of the VEEGAN / PacGAN mode counts.
NUM_POINTS = 2500
NUM_IMAGES = 64


class SamplePictures(keras.callbacks.Callback):
    """Writes `<output_dir>/samples/epoch_NNNN.png` after each epoch.

    Points data: a scatter plot of 2,500 samples over the true modes, and,
    when the modes are known, the mode-coverage figures (`modes_covered`,
    `high_quality`, `kl`) added to the epoch's logs, so they reach the
    history CSV. Image data: a grid of 64 samples; for conditional models
    the grids of `sample_grids` instead (one row per class or attribute
    value, InfoGAN traversals): the first as `epoch_NNNN.png`, the others
    as `epoch_NNNN_<name>.png`. The noise is drawn once, at construction,
    so successive pictures are comparable.

    With `every_steps=N` the same pictures are also written every N
    training steps of the whole run (counted across resumes, whatever the
    epoch length) as `step_NNNNNNN.png` (and `step_NNNNNNN_<name>.png`);
    a step whose losses are not finite (the run rolls back) gets none.

    Args:
        output_dir: the run directory.
        spec: the dataset's `keras_gans.datasets.DataSpec`.
        latent_dim: size of z.
        seed: seed of the fixed noise.
        num_samples: overrides the default sample count.
        noise: the `keras_gans.noise.LatentNoise` the generator trains on
            (None: standard normal).
        every_steps: also write pictures every this many global steps (0:
            at epoch ends only); needs `steps_per_epoch`.
        steps_per_epoch: the run's steps per epoch (global step count).
        initial_batch: steps of the first epoch done before this `fit`
            (a run resumed mid-epoch).
        on_picture: optional function `(name, step, path)` called after
            each picture is written: name "samples" for the first picture
            of a step or epoch, "samples/<grid name>" for the others
            (`TensorBoardLog.add_picture` takes them to TensorBoard).
    """

    def __init__(self, output_dir, spec, latent_dim, seed=0,
                 num_samples=None, noise=None, every_steps=0,
                 steps_per_epoch=None, initial_batch=0, on_picture=None):
        super().__init__()
        self.sample_dir = os.path.join(output_dir, "samples")
        self.spec = spec
        if num_samples is None:
            num_samples = NUM_POINTS if spec.kind == "points" else NUM_IMAGES
        # Callbacks run eagerly: fix the noise once, here.
        self.noise = (noise or noise_lib.STANDARD).sample(
            seed, num_samples, latent_dim)
        self.latent_dim = latent_dim
        self.seed = seed
        self.grids = None
        self.every_steps = validation.check_int(
            "sample_every_steps", every_steps, minimum=0,
            what="(0: pictures at epoch ends only)")
        if self.every_steps and steps_per_epoch is None:
            raise ValueError(
                "Pictures every N steps count the run's global step: give "
                "steps_per_epoch. Received: every_steps="
                f"{every_steps}, steps_per_epoch=None")
        self.steps = global_step.GlobalStep(steps_per_epoch or 1,
                                            initial_batch)
        self.on_picture = on_picture

    def _conditional_pictures(self, stem, label, step):
        if self.grids is None:  # the model is known from fit on
            self.grids = sample_grids.grids(
                self.model, self.spec, self.latent_dim, seed=self.seed)
        for i, grid in enumerate(self.grids):
            suffix = "" if i == 0 else f"_{grid.name}"
            path = os.path.join(self.sample_dir, f"{stem}{suffix}.png")
            visualize.save_image_grid(
                sample_grids.generate_grid(self.model, grid), path,
                num_rows=grid.num_rows, row_labels=grid.row_labels,
                title=f"{label}: {grid.title}")
            self._written("samples" if i == 0 else f"samples/{grid.name}",
                          step, path)
        return bool(self.grids)

    def _written(self, name, step, path):
        if self.on_picture is not None:
            self.on_picture(name, step, path)

    def on_epoch_begin(self, epoch, logs=None):
        self.steps.begin_epoch(epoch)

    def on_train_batch_end(self, batch, logs=None):
        before = self.steps.last
        step = self.steps.after_batch(batch)
        # With steps_per_execution the hook may skip past a multiple.
        if not self.every_steps or (
                step // self.every_steps == before // self.every_steps):
            return
        if not all(_is_finite(v) for v in (logs or {}).values()):
            return  # diverged: the run rolls back, no picture of it
        self._pictures(f"step_{step:07d}", f"step {step}", step)

    def on_epoch_end(self, epoch, logs=None):
        self._pictures(f"epoch_{epoch + 1:04d}", f"epoch {epoch + 1}",
                       self.steps.last, logs)

    def _pictures(self, stem, label, step, logs=None):
        """Writes `<stem>.png` (and the other grids), titled `label`;
        an epoch's coverage figures go into `logs`."""
        os.makedirs(self.sample_dir, exist_ok=True)
        if self._conditional_pictures(stem, label, step):
            return
        path = os.path.join(self.sample_dir, f"{stem}.png")
        samples = np.asarray(self.model.generate(self.noise))
        title = f"{self.spec.name}, {label}"
        if self.spec.kind != "points":
            visualize.save_image_grid(samples, path, title=title)
            self._written("samples", step, path)
            return
        if self.spec.modes is not None:
            coverage = mode_coverage.mode_coverage(
                samples, self.spec.modes, self.spec.mode_std
            )
            title += (f": {coverage['modes_covered']}/"
                      f"{coverage['num_modes']} modes, "
                      f"{100 * coverage['high_quality']:.1f}% HQ")
            if logs is not None:
                for key in ("modes_covered", "high_quality", "kl"):
                    logs[key] = float(coverage[key])
        visualize.save_scatter(samples, path, modes=self.spec.modes,
                               title=title)
        self._written("samples", step, path)


def _is_finite(value):
    try:
        return math.isfinite(float(np.asarray(value).reshape(-1)[0]))
    except (TypeError, ValueError, IndexError):
        return True  # not a number: nothing to judge
