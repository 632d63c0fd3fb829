"""The GAN model: every variant trains, state survives saving."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.models import GAN
from keras_gans.models import variants
from tests.helpers import point_batches
from tests.helpers import tiny_point_networks

BATCH = 8


def make_gan(name, **overrides):
    """A GAN with a variant's game and tiny networks for 2-D points."""
    variant = variants.get(name)
    d_norm = {"batch": "none"}.get(variant.d_normalization,
                                   variant.d_normalization)
    generator, discriminator = tiny_point_networks(d_normalization=d_norm)
    kwargs = dict(
        loss=variant.loss, penalty=variant.penalty,
        penalty_weight=variant.gp_weight, n_critic=variant.n_critic,
        clip_value=variant.clip_value, seed=1,
    )
    kwargs.update(overrides)
    gan = GAN(generator, discriminator, **kwargs)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-2),
                g_optimizer=keras.optimizers.Adam(1e-2))
    return gan


def weights(model):
    return [v.numpy().copy() for v in model.trainable_variables]


def moved(before, after):
    return any(not np.allclose(a, b) for a, b in zip(before, after))


@pytest.mark.parametrize("name", list(variants.VARIANTS))
def test_variant_trains_and_weights_move(name):
    gan = make_gan(name)
    g0, d0 = weights(gan.generator), weights(gan.discriminator)
    history = gan.fit(point_batches(BATCH * gan.n_critic), epochs=1,
                      steps_per_epoch=2, verbose=0, shuffle=False)
    assert moved(g0, weights(gan.generator))
    assert moved(d0, weights(gan.discriminator))
    assert int(gan.d_optimizer.iterations) == 2 * gan.n_critic
    assert int(gan.g_optimizer.iterations) == 2
    for key in ("d_loss", "g_loss"):
        assert np.isfinite(history.history[key][0])
    assert ("penalty" in history.history) == (gan.penalty != "none")


@pytest.mark.parametrize("n_critic, g_updates, generator_first", [
    (1, 5, False),  # a D/G ratio of 0.2
    (2, 3, True),
])
def test_update_ratios_run_that_many_updates_of_each_network(
        n_critic, g_updates, generator_first):
    gan = make_gan("dcgan", n_critic=n_critic, g_updates=g_updates,
                   generator_first=generator_first)
    g0 = weights(gan.generator)
    gan.fit(point_batches(BATCH * n_critic), epochs=1, steps_per_epoch=2,
            verbose=0, shuffle=False)
    assert int(gan.d_optimizer.iterations) == 2 * n_critic
    assert int(gan.g_optimizer.iterations) == 2 * g_updates
    assert moved(g0, weights(gan.generator))
    assert GAN.from_config(gan.get_config()).g_updates == g_updates


def test_clipping_bounds_every_critic_weight():
    gan = make_gan("wgan", clip_value=0.01)
    gan.fit(point_batches(BATCH * 5), epochs=1, steps_per_epoch=2,
            verbose=0, shuffle=False)
    for variable in gan.discriminator.trainable_variables:
        assert np.max(np.abs(variable.numpy())) <= 0.01 + 1e-7
    assert any(np.max(np.abs(v.numpy())) > 0.01
               for v in gan.generator.trainable_variables)


@pytest.mark.parametrize("options", [
    {"label_smoothing": 0.2},
    {"real_label_range": (0.7, 1.2), "fake_label_range": (0.0, 0.3)},
    {"generator_first": True},
    {"penalty": "r1", "penalty_weight": 1.0},
    {"penalty": "dragan"},
])
def test_game_options_train(options):
    gan = make_gan("dcgan", **options)
    d0 = weights(gan.discriminator)
    history = gan.fit(point_batches(BATCH), epochs=1, steps_per_epoch=2,
                      verbose=0, shuffle=False)
    assert moved(d0, weights(gan.discriminator))
    assert np.isfinite(history.history["d_loss"][0])


@pytest.mark.parametrize("options, match", [
    ({"loss": "hinge", "label_smoothing": 0.1}, "BCE losses"),
    ({"label_smoothing": 0.2, "real_label_range": (0.7, 1.2)}, "not both"),
    ({"real_label_range": (1.2, 0.7)}, "low <= high"),
    ({"n_critic": 0}, "n_critic"),
    ({"g_updates": 0}, "g_updates"),
    ({"loss": "wgan"}, "Valid names"),
])
def test_bad_arguments_raise(options, match):
    with pytest.raises(ValueError, match=match):
        make_gan("dcgan", **options)


# isinstance(True, int) let True through as one critic update; floats
# were refused already. numpy ints are integers and stored as Python ints.
@pytest.mark.parametrize("n_critic", [True, 2.0, 0, "2"])
def test_n_critic_must_be_an_integer(n_critic):
    with pytest.raises(ValueError,
                       match=f"n_critic must be a positive integer. "
                             f"Received: n_critic={n_critic!r}"):
        make_gan("dcgan", n_critic=n_critic)


def test_n_critic_takes_numpy_integers():
    gan = make_gan("dcgan", n_critic=np.int64(2))
    assert gan.n_critic == 2 and type(gan.get_config()["n_critic"]) is int


def test_indivisible_critic_batch_raises():
    gan = make_gan("wgan_gp")
    with pytest.raises(ValueError, match="divisible by n_critic"):
        gan.fit(point_batches(BATCH), epochs=1, steps_per_epoch=1,
                verbose=0, shuffle=False)


def test_metrics_are_epoch_means():
    gan = make_gan("dcgan")
    gan.fit(point_batches(BATCH), epochs=1, steps_per_epoch=3,
            verbose=0, shuffle=False)
    assert int(gan.d_loss_tracker.count) == 3
    assert int(gan.g_loss_tracker.count) == 3


@pytest.mark.slow
def test_save_load_round_trip_keeps_samples_and_optimizers(tmp_path):
    gan = make_gan("wgan_gp")
    data = point_batches(BATCH * 5)
    gan.fit(data, epochs=1, steps_per_epoch=2, verbose=0, shuffle=False)
    path = str(tmp_path / "gan.keras")
    keras.saving.save_model(gan, path)
    loaded = keras.saving.load_model(path)
    z = np.random.default_rng(0).normal(size=(6, 2)).astype("float32")
    np.testing.assert_array_equal(gan.generate(z), loaded.generate(z))
    assert loaded.get_config()["n_critic"] == 5
    for original, copy in ((gan.d_optimizer, loaded.d_optimizer),
                           (gan.g_optimizer, loaded.g_optimizer)):
        assert len(original.variables) == len(copy.variables) > 1
        for a, b in zip(original.variables, copy.variables):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
    # Continuing both copies gives the same weights: same noise stream,
    # same optimizer state.
    gan.fit(data, epochs=1, steps_per_epoch=1, verbose=0, shuffle=False)
    loaded.fit(data, epochs=1, steps_per_epoch=1, verbose=0, shuffle=False)
    for a, b in zip(weights(gan.generator), weights(loaded.generator)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_step_compiles_under_xla():
    gan = make_gan("wgan_gp")
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3),
                g_optimizer=keras.optimizers.Adam(1e-3), jit_compile=True)
    history = gan.fit(point_batches(BATCH * 5), epochs=1, steps_per_epoch=2,
                      verbose=0, shuffle=False)
    assert gan.jit_compile is True
    assert np.isfinite(history.history["d_loss"][0])


def test_noise_differs_between_updates():
    gan = make_gan("dcgan")
    seeds = gan._next_seeds(gan.d_optimizer, 1)
    gan.d_optimizer.iterations.assign_add(1)
    assert not np.array_equal(seeds, gan._next_seeds(gan.d_optimizer, 1))
    assert not np.array_equal(
        gan._next_seeds(gan.d_optimizer, 1),
        gan._next_seeds(gan.g_optimizer, 1),
    )
    assert isinstance(seeds, tf.Tensor)
