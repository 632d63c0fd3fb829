"""Set-up the test modules share: tiny networks, configs, specs and data.

Test modules import these (`from tests.helpers import build`) instead of
importing each other; pytest's own set-up (fixtures) is in conftest.py.
"""

import numpy as np
import tensorflow as tf

from keras_gans import builders
from keras_gans import callbacks as gan_callbacks
from keras_gans import config as config_lib
from keras_gans import datasets
from keras_gans.datasets import faces

# Tiny conditional networks: 16x16 images, 8 noise dimensions, batches of 4.
SIZE = 16
LATENT = 8
BATCH = 4


# Unconditional: 2-D points.

def tiny_point_networks(latent_dim=2, dim=2, d_normalization="none"):
    """A small MLP generator / discriminator pair for 2-D points."""
    from keras_gans import networks

    generator = networks.build_mlp_generator(
        latent_dim=latent_dim, output_dim=dim, hidden_units=(16, 16)
    )
    discriminator = networks.build_mlp_discriminator(
        input_dim=dim, hidden_units=(16, 16), normalization=d_normalization
    )
    return generator, discriminator


def point_batches(batch_size, seed=0, dim=2):
    """A repeating dataset of fixed-size batches of 2-D Gaussian points."""
    data = np.random.default_rng(seed).normal(
        size=(batch_size * 4, dim)
    ).astype("float32")
    return (tf.data.Dataset.from_tensor_slices(data)
            .batch(batch_size, drop_remainder=True).repeat())


# Whole runs (train_lib.train) on the ring.

def tiny_config(output_dir, **overrides):
    # No lr decay: its schedule spans the configured epochs, so a run
    # extended from 1 to 2 epochs would follow another schedule than one
    # configured for 2 from the start.
    values = dict(model="wgan_gp", dataset="ring", epochs=1,
                  steps_per_epoch=3, batch_size=8, output_dir=str(output_dir),
                  verbose=0, lr_decay="none")
    values.update(overrides)
    return config_lib.TrainConfig(**values)


def generator_weights(gan):
    return [v.numpy() for v in gan.generator.weights]


# Conditional models on `data_spec`'s images.

def resolved(model, **overrides):
    """A resolved tiny config (the dataset fields only pass validation:
    the networks are built for `data_spec`'s images)."""
    values = dict(model=model, dataset="faces", image_size=32,
                  latent_dim=LATENT, base_width=4, batch_size=BATCH,
                  epochs=1, steps_per_epoch=1, lr_decay="none", verbose=0,
                  seed=1)
    values.update(overrides)
    return config_lib.resolve(config_lib.TrainConfig(**values))


def data_spec(label_spec, size=SIZE, name="synthetic"):
    return datasets.DataSpec(name, "image", (size, size, 3),
                             label_spec=label_spec)


def random_labels(label_spec, num, rng):
    """`num` random labels in the dataset's format."""
    if label_spec.kind == "class":
        return rng.integers(0, len(label_spec.names), num).astype("int32")
    if label_spec.kind == "multi_hot":
        return (rng.uniform(size=(num, len(label_spec.names)))
                < 0.15).astype("float32")
    return np.stack([rng.integers(0, max(a.width, 2), num)
                     for a in label_spec.attributes], axis=1).astype("int32")


def batches(label_spec, rows, seed=0, size=SIZE):
    """A repeating dataset of one batch of random images (and labels)."""
    rng = np.random.default_rng(seed)
    images = rng.uniform(-1, 1, (rows, size, size, 3)).astype("float32")
    if label_spec is None:
        return tf.data.Dataset.from_tensors(images).repeat()
    return tf.data.Dataset.from_tensors(
        (images, random_labels(label_spec, rows, rng))).repeat()


def build(model, label_spec=faces.LABEL_SPEC, **overrides):
    """(compiled GAN, resolved config) through builders.build_gan."""
    config = resolved(model, **overrides)
    return builders.build_gan(config, data_spec(label_spec)), config


def poison_at(monkeypatch, step, times=1):
    """Sets a discriminator weight to NaN before generator step `step`
    (1-based), the first `times` times that step is reached."""
    hits = []
    original = gan_callbacks.DivergenceGuard.on_train_batch_begin

    def on_train_batch_begin(self, batch, logs=None):
        if (int(self.model.g_optimizer.iterations.numpy()) == step - 1
                and len(hits) < times):
            hits.append(step)
            weight = self.model.discriminator.trainable_variables[0]
            weight.assign(np.full(weight.shape, np.nan, "float32"))
        return original(self, batch, logs)

    monkeypatch.setattr(gan_callbacks.DivergenceGuard,
                        "on_train_batch_begin", on_train_batch_begin)
    return hits
