"""The noise z: distributions, scale and truncation, the same in training,
pictures, evaluation, sampling and the export."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

from keras_gans import config as config_lib
from keras_gans import noise
from keras_gans import sampling
from keras_gans import train_lib
from tests.helpers import tiny_config
from tests.helpers import tiny_point_networks


def test_the_default_is_the_stream_the_library_always_drew():
    np.testing.assert_array_equal(
        noise.latent(7, 5, 3),
        np.random.default_rng(7).standard_normal((5, 3)).astype("float32"))
    assert noise.STANDARD.describe() == "standard normal"


@pytest.mark.parametrize("distribution, scale", [
    ("normal", 0.432), ("uniform", 1.0), ("uniform", 0.5)])
def test_distribution_and_scale(distribution, scale):
    z = noise.latent(0, 20000, 4, distribution, scale)
    assert z.dtype == np.float32 and z.shape == (20000, 4)
    if distribution == "uniform":
        assert z.min() >= -scale and z.max() <= scale
        assert z.std() == pytest.approx(scale / np.sqrt(3), rel=0.02)
    else:
        assert z.std() == pytest.approx(scale, rel=0.02)
    tf_z = noise.tf_latent([20000, 4], tf.constant([1, 2]), distribution,
                           scale).numpy()
    assert tf_z.std() == pytest.approx(z.std(), rel=0.03)


@pytest.mark.parametrize("distribution", noise.DISTRIBUTIONS)
def test_truncation_redraws_what_lies_beyond(distribution):
    plain = noise.latent(3, 5000, 8, distribution, 2.0)
    cut = noise.latent(3, 5000, 8, distribution, 2.0, truncation=0.5)
    assert np.abs(cut).max() <= 0.5 * 2.0
    assert np.abs(plain).max() > 0.5 * 2.0
    # Redrawn, not clipped: no mass piles up at the bound.
    assert np.mean(np.abs(cut) > 0.99) < 0.01
    np.testing.assert_array_equal(
        cut, noise.latent(3, 5000, 8, distribution, 2.0, truncation=0.5))


@pytest.mark.parametrize("kwargs, match", [
    (dict(distribution="gamma"), "latent_distribution"),
    (dict(scale=0.0), "latent_scale must be a number > 0"),
    (dict(truncation=-1.0), "truncation must be a number > 0"),
])
def test_bad_settings_are_refused(kwargs, match):
    values = dict(distribution="normal", scale=1.0, truncation=None)
    values.update(kwargs)
    with pytest.raises(ValueError, match=match):
        noise.LatentNoise(**values)
    config = dict(latent_distribution=values["distribution"],
                  latent_scale=values["scale"],
                  truncation=values["truncation"])
    with pytest.raises(ValueError, match=match):
        config_lib.resolve(config_lib.TrainConfig(dataset="ring", **config))


def test_the_gan_trains_on_its_noise_and_remembers_it():
    from keras_gans.models import GAN

    generator, discriminator = tiny_point_networks()
    gan = GAN(generator, discriminator, latent_distribution="uniform",
              latent_scale=0.25)
    z = gan._noise(1000, tf.constant([0, 1])).numpy()
    assert np.abs(z).max() <= 0.25 and z.std() > 0.1
    clone = GAN.from_config(gan.get_config())
    assert (clone.latent_distribution, clone.latent_scale) == ("uniform",
                                                               0.25)
    assert noise.of_gan(clone, truncation=1.0) == noise.LatentNoise(
        "uniform", 0.25, 1.0)


@pytest.mark.slow
def test_a_run_samples_and_exports_its_noise(tmp_path):
    config = tiny_config(tmp_path, latent_distribution="uniform",
                         latent_scale=0.5)
    gan, _ = train_lib.train(config)
    with open(os.path.join(tmp_path, "export", "keras_gans.json")) as f:
        z_input = json.load(f)["inputs"]["z"]
    assert z_input["noise"] == {"distribution": "uniform", "scale": 0.5}
    assert z_input["distribution"] == "uniform on [-0.5, 0.5]"
    samples, _ = sampling.sample(str(tmp_path), 50, seed=4, truncation=0.5)
    z = noise.latent(4, 50, 2, "uniform", 0.5, truncation=0.5)
    np.testing.assert_allclose(samples, gan.generate(z), rtol=1e-5,
                               atol=1e-6)
