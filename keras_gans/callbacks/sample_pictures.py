"""Pictures of the generator at a fixed noise, written every epoch."""

import os

import keras
import numpy as np

from keras_gans import sample_grids
from keras_gans import visualize
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

    Args:
        output_dir: the run directory.
        spec: the dataset's `keras_gans.datasets.DataSpec`.
        latent_dim: size of z.
        seed: seed of the fixed noise.
        num_samples: overrides the default sample count.
    """

    def __init__(self, output_dir, spec, latent_dim, seed=0,
                 num_samples=None):
        super().__init__()
        self.sample_dir = os.path.join(output_dir, "samples")
        self.spec = spec
        if num_samples is None:
            num_samples = NUM_POINTS if spec.kind == "points" else NUM_IMAGES
        # Callbacks run eagerly: fix the noise once, here.
        self.noise = np.random.default_rng(seed).standard_normal(
            (num_samples, latent_dim)
        ).astype("float32")
        self.latent_dim = latent_dim
        self.seed = seed
        self.grids = None

    def _conditional_pictures(self, epoch):
        if self.grids is None:  # the model is known from fit on
            self.grids = sample_grids.grids(
                self.model, self.spec, self.latent_dim, seed=self.seed)
        for i, grid in enumerate(self.grids):
            suffix = "" if i == 0 else f"_{grid.name}"
            path = os.path.join(self.sample_dir,
                                f"epoch_{epoch + 1:04d}{suffix}.png")
            visualize.save_image_grid(
                sample_grids.generate_grid(self.model, grid), path,
                num_rows=grid.num_rows, row_labels=grid.row_labels,
                title=f"epoch {epoch + 1}: {grid.title}")
        return bool(self.grids)

    def on_epoch_end(self, epoch, logs=None):
        os.makedirs(self.sample_dir, exist_ok=True)
        if self._conditional_pictures(epoch):
            return
        path = os.path.join(self.sample_dir, f"epoch_{epoch + 1:04d}.png")
        samples = np.asarray(self.model.generate(self.noise))
        title = f"{self.spec.name}, epoch {epoch + 1}"
        if self.spec.kind != "points":
            visualize.save_image_grid(samples, path, title=title)
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
