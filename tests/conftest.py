"""Shared test set-up: quiet TensorFlow, tiny networks, tiny data."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402


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


@pytest.fixture(autouse=True)
def _clear_keras_session():
    yield
    keras.backend.clear_session()
