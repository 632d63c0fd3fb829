"""Runs end to end: outputs, resumption, refusal, sampling, export."""

import dataclasses
import json
import os

import numpy as np
import pytest

from keras_gans import config as config_lib
from keras_gans import export as export_lib
from keras_gans import run_dir
from keras_gans import sampling
from keras_gans import train_lib
from tests.helpers import generator_weights
from tests.helpers import tiny_config


def test_run_writes_everything(tmp_path):
    train_lib.train(tiny_config(tmp_path, epochs=2))
    for name in ("config.json", "history.csv", "losses.png", "gan.keras",
                 "samples/epoch_0001.png", "samples/epoch_0002.png",
                 "checkpoints/latest.weights.h5", "export/saved_model.pb",
                 "export/keras_gans.json"):
        assert os.path.getsize(tmp_path / name) > 0, name
    rows = (tmp_path / "history.csv").read_text().strip().splitlines()
    assert rows[0].startswith("epoch,") and "modes_covered" in rows[0]
    assert len(rows) == 3
    with open(tmp_path / "export" / "keras_gans.json") as f:
        metadata = json.load(f)
    assert metadata["latent_dim"] == 2 and metadata["sample_shape"] == [2]
    assert metadata["model"] == "wgan_gp" and metadata["dataset"] == "ring"
    generate, _ = export_lib.load_exported(tmp_path / "export")
    assert generate(np.zeros((3, 2), "float32")).shape == (3, 2)


@pytest.mark.slow
@pytest.mark.parametrize("g_updates", [1, 2])
def test_resumed_run_continues_where_it_stopped(tmp_path, g_updates):
    straight, _ = train_lib.train(tiny_config(tmp_path / "a", epochs=2,
                                              g_updates=g_updates))
    train_lib.train(tiny_config(tmp_path / "b", epochs=1,
                                g_updates=g_updates))
    resumed, history = train_lib.train(tiny_config(tmp_path / "b", epochs=2,
                                                   g_updates=g_updates))
    # Only the missing epoch ran, from the saved optimizer state, noise
    # stream and data position.
    assert len(history.history["d_loss"]) == 1
    assert int(resumed.g_optimizer.iterations) == 6 * g_updates
    assert int(resumed.d_optimizer.iterations) == 30
    for a, b in zip(generator_weights(straight), generator_weights(resumed)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    rows = (tmp_path / "b" / "history.csv").read_text().strip().splitlines()
    assert len(rows) == 3  # header + both epochs, appended


@pytest.mark.slow
def test_refuses_to_resume_another_configuration(tmp_path):
    train_lib.train(tiny_config(tmp_path))
    with pytest.raises(ValueError, match="n_critic: 5 -> 3"):
        train_lib.train(tiny_config(tmp_path, epochs=2, n_critic=3))


def test_sample_and_export_from_run_directory(tmp_path):
    train_lib.train(tiny_config(tmp_path, model="dcgan", export_format=()))
    samples, path = sampling.sample(str(tmp_path), 50, seed=3)
    assert samples.shape == (50, 2) and os.path.getsize(path) > 0
    again, _ = sampling.sample(str(tmp_path), 50, seed=3)
    np.testing.assert_array_equal(samples, again)
    export_dir = run_dir.export_run(
        run_dir.read_config(str(tmp_path)),
        export_dir=str(tmp_path / "served"),
    )
    generate, metadata = export_lib.load_exported(export_dir)
    assert metadata["model"] == "dcgan"
    z = np.random.default_rng(0).normal(size=(4, 2)).astype("float32")
    gan, _, _ = run_dir.load_gan(str(tmp_path))
    np.testing.assert_allclose(generate(z), gan.generate(z), atol=1e-5)


def test_sample_of_missing_run_says_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="config.json"):
        sampling.sample(str(tmp_path / "nothing"), 4)


@pytest.mark.parametrize("overrides, match", [
    ({"model": "wgan_gp", "clip_value": 0.01}, "clip_value=0.01"),
    ({"model": "dcgan", "penalty": "gradient_penalty"},
     "d_normalization='batch'"),
    ({"model": "sngan", "label_smoothing": 0.1}, "loss='hinge'"),
    ({"label_smoothing": 0.2, "real_label_range": (0.7, 1.2)}, "not both"),
    ({"fake_label_range": (0.3, 0.0)}, "low <= high"),
    ({"model": "dcgan", "clip_value": 0.1, "d_normalization": "spectral"},
     "Spectral"),
    ({"model": "dcgann"}, "Valid names: 'dcgan'"),
    ({"batch_size": 0}, "batch_size"),
    ({"strategy": "tpu"}, "Received: strategy='tpu'"),
])
def test_impossible_configs_fail_naming_fields(overrides, match):
    with pytest.raises(ValueError, match=match):
        config_lib.resolve(config_lib.TrainConfig(**overrides))


def test_variant_defaults_are_overridable():
    resolved = config_lib.resolve(config_lib.TrainConfig(
        model="wgan", clip_value=0.05, d_learning_rate=1e-3))
    assert resolved.clip_value == 0.05 and resolved.n_critic == 5
    assert resolved.d_learning_rate == 1e-3
    assert resolved.g_learning_rate == 5e-5 and resolved.optimizer == "rmsprop"
    assert dataclasses.asdict(resolved) == dataclasses.asdict(
        config_lib.TrainConfig.from_json(resolved.to_json()))


@pytest.mark.parametrize("model, expected", [
    ("dcgan", "none"), ("wgan_gp", "none"), ("sngan", "spectral")])
def test_point_critics_default_to_plain_mlp(model, expected):
    resolved = config_lib.resolve(
        config_lib.TrainConfig(model=model, dataset="grid"))
    assert resolved.d_normalization == expected
    explicit = config_lib.resolve(config_lib.TrainConfig(
        model="dcgan", dataset="grid", d_normalization="batch"))
    assert explicit.d_normalization == "batch"


def test_wgan_gp_plays_its_point_data_game_on_mixtures():
    def game(**overrides):
        resolved = config_lib.resolve(
            config_lib.TrainConfig(model="wgan_gp", **overrides))
        return (resolved.gp_weight, resolved.d_learning_rate,
                resolved.g_learning_rate)

    assert game(dataset="ring") == (1.0, 1e-3, 1e-3)
    assert game(dataset="faces") == (10.0, 1e-4, 1e-4)  # the paper's
    assert game(dataset="grid", gp_weight=10.0) == (10.0, 1e-3, 1e-3)
    assert game(dataset="grid", g_learning_rate=1e-4)[2] == 1e-4


def test_a_resumed_run_keeps_the_defaults_it_started_with(tmp_path):
    # As if started before WGAN-GP's point-data game became its default.
    old_game = dict(gp_weight=10.0, d_learning_rate=1e-4,
                    g_learning_rate=1e-4, export_format=())
    train_lib.train(tiny_config(tmp_path, **old_game))
    train_lib.train(tiny_config(tmp_path, epochs=2, export_format=()))
    saved = run_dir.read_config(tmp_path)
    assert (saved.gp_weight, saved.g_learning_rate, saved.epochs) == (
        10.0, 1e-4, 2)
    with pytest.raises(ValueError, match="gp_weight: 10.0 -> 1.0"):
        train_lib.train(tiny_config(tmp_path, epochs=3, gp_weight=1.0,
                                    export_format=()))
    # A fresh directory takes today's defaults.
    train_lib.train(tiny_config(tmp_path / "fresh", export_format=()))
    assert run_dir.read_config(tmp_path / "fresh").gp_weight == 1.0


def test_the_linear_decay_spans_each_networks_own_updates():
    from keras_gans import builders
    from keras_gans import datasets

    config = config_lib.resolve(tiny_config(
        "unused", lr_decay="linear", n_critic=2, g_updates=3, epochs=2))
    gan = builders.build_gan(config, datasets.dataset_spec(config.dataset))
    steps = config.epochs * config.steps_per_epoch
    for optimizer, updates, rate in (
            (gan.d_optimizer, 2, config.d_learning_rate),
            (gan.g_optimizer, 3, config.g_learning_rate)):
        optimizer.iterations.assign(steps * updates // 2)
        np.testing.assert_allclose(float(optimizer.learning_rate),
                                   rate / 2, rtol=1e-6)


def _rates_at(config, network, train_steps):
    """A network's learning rate after `train_steps` training steps."""
    from keras_gans import builders
    from keras_gans import datasets

    gan = builders.build_gan(config, datasets.dataset_spec(config.dataset))
    optimizer, updates = {"d": (gan.d_optimizer, config.n_critic),
                          "g": (gan.g_optimizer, config.g_updates)}[network]
    rates = []
    for step in train_steps:
        optimizer.iterations.assign(step * updates)
        rates.append(float(optimizer.learning_rate))
    return np.array(rates)


@pytest.mark.parametrize("network", ["d", "g"])
def test_a_step_schedule_multiplies_the_rate_at_each_boundary(network):
    config = config_lib.resolve(tiny_config(
        "unused", lr_decay="step", lr_step_size=2, lr_gamma=1.1,
        n_critic=5, g_updates=3, epochs=4))
    rate = getattr(config, f"{network}_learning_rate")
    np.testing.assert_allclose(_rates_at(config, network, [0, 1, 2, 3, 4]),
                               rate * np.array([1, 1, 1.1, 1.1, 1.21]),
                               rtol=1e-6)


def test_each_network_has_its_own_schedule():
    config = config_lib.resolve(tiny_config(
        "unused", d_lr_decay="none", g_lr_decay="cosine", lr_step_size=3,
        lr_gamma=0.5, lr_decay="exponential", epochs=4))
    steps = config.epochs * config.steps_per_epoch  # 12
    np.testing.assert_allclose(_rates_at(config, "d", [0, 6, 12]),
                               config.d_learning_rate, rtol=1e-6)
    np.testing.assert_allclose(_rates_at(config, "g", [0, steps // 2, steps]),
                               config.g_learning_rate * np.array([1, .5, 0]),
                               rtol=1e-6, atol=1e-12)
    smooth = config_lib.resolve(tiny_config(
        "unused", lr_decay="exponential", lr_step_size=3, lr_gamma=0.5))
    np.testing.assert_allclose(
        _rates_at(smooth, "g", [0, 3, 6]),
        smooth.g_learning_rate * np.array([1, .5, .25]), rtol=1e-6)


@pytest.mark.parametrize("overrides, match", [
    ({"lr_decay": "warmup"}, "lr_decay"),
    ({"g_lr_decay": "steps"}, "g_lr_decay"),
    ({"lr_gamma": 0.0}, "lr_gamma"),
    ({"lr_step_size": 0}, "lr_step_size"),
])
def test_bad_schedules_fail_naming_the_field(overrides, match):
    with pytest.raises(ValueError, match=match):
        config_lib.resolve(tiny_config("unused", **overrides))
