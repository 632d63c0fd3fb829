"""The mode-collapse remedies: minibatch std, PacGAN packing, DiffAugment,
feature matching and the generator's moving average; each changes what
the discriminator sees or how the generator is updated as stated."""

import dataclasses
import json

import numpy as np
import pytest
import tensorflow as tf

import keras

from keras_gans import augment
from keras_gans import builders
from keras_gans import checkpoints
from keras_gans import config as config_lib
from keras_gans import datasets
from keras_gans import losses
from keras_gans import networks
from keras_gans import packing
from keras_gans import train_lib
from keras_gans.layers import blocks
from keras_gans.layers.minibatch_std import MinibatchStdDev
from keras_gans.models import GAN
from tests.helpers import build
from tests.helpers import point_batches
from tests.helpers import tiny_config
from tests.helpers import tiny_point_networks

SEED = tf.constant([3, 4], "int64")


def _images(rows=8, size=16, seed=0):
    return np.random.default_rng(seed).uniform(
        -1, 1, (rows, size, size, 3)).astype("float32")


def _image_gan(pack=1, minibatch_std=0, **kwargs):
    generator = networks.build_dcgan_generator(
        image_size=16, latent_dim=8, base_width=4)
    discriminator = networks.build_dcgan_discriminator(
        image_size=16, channels=3 * pack, base_width=4,
        normalization="layer", minibatch_std=minibatch_std)
    gan = GAN(generator, discriminator, pack=pack, seed=1, **kwargs)
    gan.compile()
    return gan


# Minibatch standard deviation.

def test_minibatch_std_appends_the_groups_mean_std():
    x = _images(8)
    out = MinibatchStdDev(group_size=4)(x).numpy()
    assert out.shape == (8, 16, 16, 4)
    np.testing.assert_allclose(out[..., :3], x)
    for group in range(2):
        rows = x[4 * group:4 * group + 4]
        expected = np.mean(np.sqrt(rows.var(axis=0) + 1e-8))
        np.testing.assert_allclose(out[4 * group:4 * group + 4, ..., 3],
                                   expected, rtol=1e-5)
    # A batch of copies has (almost) no spread: the collapse signal.
    copies = MinibatchStdDev(4)(np.repeat(x[:1], 8, axis=0)).numpy()
    assert np.max(copies[..., 3]) < 1e-3
    # Not a multiple of the group size: one group, the whole batch.
    odd = MinibatchStdDev(4)(x[:6]).numpy()
    np.testing.assert_allclose(
        odd[:, 0, 0, 3], np.mean(np.sqrt(x[:6].var(axis=0) + 1e-8)),
        rtol=1e-5)


def test_minibatch_std_reaches_every_discriminator():
    gan, _ = build("acgan", minibatch_std=2)
    assert gan.discriminator.get_layer("minibatch_std").group_size == 2
    gan, _ = build("cgan", minibatch_std=2, d_conditioning="projection")
    assert gan.discriminator.get_layer("minibatch_std")
    d = networks.build_mlp_discriminator(minibatch_std=4)
    assert d.get_layer("minibatch_std").output.shape == (None, 201)
    with pytest.raises(ValueError, match="Received: minibatch_std=1"):
        config_lib.resolve(config_lib.TrainConfig(minibatch_std=1))


# PacGAN packing.

def test_pack_stacks_samples_along_channels_and_back():
    x = _images(6)
    packed = packing.pack(tf.constant(x), 3).numpy()
    assert packed.shape == (2, 16, 16, 9)
    np.testing.assert_array_equal(packed[1, ..., 3:6], x[4])
    np.testing.assert_array_equal(
        packing.unpack(tf.constant(packed), 3).numpy(), x)
    points = np.arange(12, dtype="float32").reshape(6, 2)
    np.testing.assert_array_equal(packing.pack(tf.constant(points), 2),
                                  [[0, 1, 2, 3], [4, 5, 6, 7],
                                   [8, 9, 10, 11]])


@pytest.mark.parametrize("kind", ["images", "points"])
def test_packed_and_unpacked_gans_agree_on_shapes(kind):
    if kind == "images":
        gans = [_image_gan(pack=m) for m in (1, 2)]
        data = tf.data.Dataset.from_tensors(_images(8)).repeat()
    else:
        gans = []
        for m in (1, 2):
            generator, _ = tiny_point_networks()
            discriminator = networks.build_mlp_discriminator(
                input_dim=2 * m, hidden_units=(16,))
            gans.append(GAN(generator, discriminator, pack=m, seed=1,
                            loss="wasserstein", penalty="gradient_penalty"))
            gans[-1].compile()
        data = point_batches(8)
    real = next(iter(data))
    for m, gan in zip((1, 2), gans):
        before = [w.numpy() for w in gan.discriminator.trainable_weights]
        gan.fit(data, steps_per_epoch=1, epochs=1, verbose=0)
        moved = [np.abs(w.numpy() - b).max() for w, b in
                 zip(gan.discriminator.trainable_weights, before)]
        assert max(moved) > 0
        view = gan._discriminator_view(real, SEED)
        assert view.shape[0] == 8 // m
        assert view.shape[-1] == real.shape[-1] * m
        assert gan.discriminator(view).shape == (8 // m, 1)
        assert gan.generate(np.zeros((5, gan.latent_dim), "float32")).shape \
            == (5,) + tuple(real.shape[1:])


def test_pack_is_refused_where_it_cannot_work():
    generator, discriminator = tiny_point_networks()
    with pytest.raises(ValueError, match="must take 4 channels"):
        GAN(generator, discriminator, pack=2)
    with pytest.raises(ValueError, match="batch_size must be a multiple"):
        config_lib.resolve(config_lib.TrainConfig(
            dataset="ring", batch_size=9, pack=2))
    with pytest.raises(ValueError, match="cannot judge packs"):
        config_lib.resolve(config_lib.TrainConfig(model="acgan", pack=2))
    gan, config = build("cgan", d_conditioning="projection")
    with pytest.raises(ValueError, match="cannot judge packs"):
        type(gan)(gan.generator, gan.discriminator,
                  label_spec=gan.label_spec, pack=2)


def test_packed_run_from_config_builds_a_wider_critic(tmp_path):
    config = config_lib.resolve(tiny_config(tmp_path, pack=4))
    gan = builders.build_gan(config, datasets.dataset_spec("ring"))
    assert gan.discriminator.input_shape == (None, 8)
    gan, _ = build("dcgan", pack=2, d_normalization="layer")
    assert gan.discriminator.input_shape[-1] == 6


# DiffAugment.

@pytest.mark.parametrize("policy", augment.POLICIES)
def test_each_policy_changes_images_and_passes_gradients(policy):
    x = tf.constant(_images(4))
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = augment.diff_augment(x, (policy,), SEED)
        total = tf.reduce_sum(out)
    assert out.shape == x.shape
    assert np.abs(out.numpy() - x.numpy()).max() > 0.1
    grads = tape.gradient(total, x).numpy()
    assert np.isfinite(grads).all() and np.abs(grads).sum() > 0
    # The same seed augments the same way (an exact resume).
    np.testing.assert_array_equal(
        out, augment.diff_augment(x, (policy,), SEED))


def test_translation_shifts_content_and_cutout_blanks_a_quarter():
    x = tf.constant(_images(64))
    shifted = augment.translation(x, SEED).numpy()
    # Every shifted image is the original moved by at most 2 pixels.
    padded = np.pad(x.numpy(), [(0, 0), (2, 2), (2, 2), (0, 0)])
    for i in range(4):
        assert any(np.array_equal(shifted[i],
                                  padded[i, 2 + dy:18 + dy, 2 + dx:18 + dx])
                   for dy in range(-2, 3) for dx in range(-2, 3))
    cut = augment.cutout(x, SEED).numpy()
    blank = np.mean(np.all(cut == 0, axis=-1))
    # An 8x8 square of 16x16, clipped where its centre is near a border.
    assert 0.12 < blank < 0.25


def test_discriminator_sees_augmented_samples_in_both_updates():
    gan = _image_gan(diff_augment=("cutout",))
    seen = []
    call = gan.discriminator.call

    def spy(inputs, *args, **kwargs):
        seen.append(inputs)
        return call(inputs, *args, **kwargs)

    gan.discriminator.call = spy
    gan.run_eagerly = True
    gan.train_step(tf.constant(_images(8)))
    # Real and fake in D's update, fake in G's: each with a blank square.
    assert len(seen) == 3
    for images in seen:
        assert np.mean(np.all(images.numpy() == 0, axis=-1)) > 0.1


def test_diff_augment_is_refused_for_points():
    with pytest.raises(ValueError, match="diff_augment transforms images"):
        config_lib.resolve(config_lib.TrainConfig(
            dataset="ring", diff_augment=("color",)))
    with pytest.raises(ValueError, match="Valid names"):
        config_lib.resolve(config_lib.TrainConfig(diff_augment=("flip",)))


# Feature matching.

def test_feature_matching_loss_is_the_mean_feature_distance():
    gan = _image_gan(generator_objective="feature_matching")
    features = blocks.logit_features_model(gan.discriminator)
    real, fake = _images(8, seed=1), _images(8, seed=2)
    expected = np.mean((features(real, training=True).numpy().mean(0)
                        - features(fake, training=True).numpy().mean(0))**2)
    loss, _ = gan._generator_objective(fake, real, None, None, SEED)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)
    both = _image_gan(generator_objective="both")
    both.set_weights(gan.get_weights())
    adversarial = losses.non_saturating(None, gan.discriminator(fake))[1]
    loss, _ = both._generator_objective(fake, real, None, None, SEED)
    np.testing.assert_allclose(loss, expected + adversarial, rtol=1e-5)


def test_feature_matching_trains_without_a_second_copy_of_d():
    plain = _image_gan()
    matched = _image_gan(generator_objective="feature_matching")
    assert len(matched.weights) == len(plain.weights)
    before = [w.numpy() for w in matched.generator.trainable_weights]
    matched.fit(tf.data.Dataset.from_tensors(_images(8)).repeat(),
                steps_per_epoch=1, epochs=1, verbose=0)
    assert any(np.abs(w.numpy() - b).max() > 0 for w, b in
               zip(matched.generator.trainable_weights, before))


# The generator's moving average.

class _RecordGenerator(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.weights = []

    def on_train_batch_end(self, batch, logs=None):
        self.weights.append(
            [w.numpy() for w in self.model.generator.trainable_weights])


@pytest.mark.parametrize("start", [0, 2])
def test_ema_equals_the_hand_computed_average(start):
    decay = 0.8
    gan = _image_gan(ema_decay=decay, ema_start=start)
    first = [w.numpy() for w in gan.generator.trainable_weights]
    record = _RecordGenerator()
    gan.fit(tf.data.Dataset.from_tensors(_images(8)).repeat(),
            steps_per_epoch=5, epochs=1, verbose=0, callbacks=[record])
    average = first
    for step, weights in enumerate(record.weights, start=1):
        rate = 0.0 if step <= start else decay
        average = [rate * a + (1 - rate) * w
                   for a, w in zip(average, weights)]
    # The average is frozen: its averaged weights are those trainable in G.
    ema_weights = [e.numpy() for e, g in zip(gan.ema_generator.weights,
                                             gan.generator.weights)
                   if g.trainable]
    for a, e in zip(average, ema_weights):
        np.testing.assert_allclose(e, a, rtol=1e-5, atol=1e-6)
    # Batch-norm statistics are the generator's own.
    for e, g in zip(gan.ema_generator.weights, gan.generator.weights):
        if not g.trainable:
            np.testing.assert_array_equal(e.numpy(), g.numpy())


def test_generate_uses_the_average_unless_asked_for_the_raw_generator():
    gan = _image_gan(ema_decay=0.9)
    gan.fit(tf.data.Dataset.from_tensors(_images(8)).repeat(),
            steps_per_epoch=3, epochs=1, verbose=0)
    z = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
    np.testing.assert_allclose(gan.generate(z),
                               gan.ema_generator(z, training=False),
                               rtol=1e-6)
    gan.use_ema = False
    np.testing.assert_allclose(gan.generate(z),
                               gan.generator(z, training=False), rtol=1e-6)
    assert np.abs(np.asarray(gan.ema_generator(z))
                  - np.asarray(gan.generator(z))).max() > 0


def test_ema_survives_gan_keras_and_checkpoints(tmp_path):
    gan = _image_gan(ema_decay=0.9)
    gan.fit(tf.data.Dataset.from_tensors(_images(8)).repeat(),
            steps_per_epoch=3, epochs=1, verbose=0)
    z = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
    expected = gan.generate(z).numpy()
    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    assert loaded.ema_decay == 0.9
    np.testing.assert_allclose(loaded.generate(z), expected, rtol=1e-6)
    checkpoints.write(gan, str(tmp_path / "ckpt"), epoch=1)
    fresh = _image_gan(ema_decay=0.9)
    checkpoints.restore(fresh, str(tmp_path / "ckpt"))
    np.testing.assert_allclose(fresh.generate(z), expected, rtol=1e-6)


@pytest.mark.slow
def test_resumed_run_keeps_the_moving_average(tmp_path):
    remedies = dict(ema_decay=0.5, pack=2, minibatch_std=2)
    straight, _ = train_lib.train(tiny_config(tmp_path / "a", epochs=2,
                                              **remedies))
    train_lib.train(tiny_config(tmp_path / "b", epochs=1, **remedies))
    resumed, _ = train_lib.train(tiny_config(tmp_path / "b", epochs=2,
                                             **remedies))
    for a, b in zip(straight.ema_generator.weights,
                    resumed.ema_generator.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4,
                                   atol=1e-5)


def test_ema_options_are_checked():
    with pytest.raises(ValueError, match="Received: ema_decay=1.0"):
        config_lib.resolve(config_lib.TrainConfig(ema_decay=1.0))
    with pytest.raises(ValueError, match="Received: ema_start=-1"):
        config_lib.resolve(config_lib.TrainConfig(ema_decay=0.9,
                                                  ema_start=-1))


# Dataset defaults.

def test_dataset_remedies_fill_unset_fields_only(monkeypatch):
    from keras_gans.datasets import registry

    faces_defaults = registry.dataset_defaults("faces")
    monkeypatch.setitem(registry._DEFAULTS, "faces", dataclasses.replace(
        faces_defaults, remedies=(("minibatch_std", 4), ("pack", 2),
                                  ("ema_decay", 0.99)),
        conditional_remedies=None))
    resolved = config_lib.resolve(config_lib.TrainConfig())
    assert (resolved.minibatch_std, resolved.pack, resolved.ema_decay) == (
        4, 2, 0.99)
    assert resolved.diff_augment == () and resolved.ema_start == 0
    explicit = config_lib.resolve(config_lib.TrainConfig(
        minibatch_std=0, pack=1))
    assert (explicit.minibatch_std, explicit.pack) == (0, 1)
    # Packing is not for a discriminator that reads or predicts labels.
    acgan = config_lib.resolve(config_lib.TrainConfig(model="acgan"))
    assert acgan.pack == 1 and acgan.minibatch_std == 4
    # A default pack does not turn an odd batch into an error; a flag does.
    odd = config_lib.resolve(config_lib.TrainConfig(batch_size=25))
    assert odd.pack == 1 and odd.minibatch_std == 4
    with pytest.raises(ValueError, match="pack"):
        config_lib.resolve(config_lib.TrainConfig(batch_size=25, pack=2))


def test_faces_defaults_pack_unconditional_and_average_conditional_models():
    def pack(**overrides):
        return config_lib.resolve(config_lib.TrainConfig(**overrides)).pack

    assert pack() == 2 and pack(model="wgan_gp") == 2
    assert pack(model="acgan") == 1 and pack(model="cgan") == 1
    assert pack(dataset="shapes") == 1 and pack(dataset="ring") == 1
    assert pack(pack=1) == 1
    # The conditional models draw from a moving average instead.
    acgan = config_lib.resolve(config_lib.TrainConfig(model="acgan"))
    assert (acgan.ema_decay, acgan.ema_start) == (0.995, 300)
    assert config_lib.resolve(config_lib.TrainConfig()).ema_decay == 0.0


def test_a_run_saved_before_the_remedies_reads_them_as_off():
    saved = config_lib.resolve(config_lib.TrainConfig(dataset="ring"))
    values = {k: v for k, v in dataclasses.asdict(saved).items()
              if k not in config_lib.REMEDIES_OFF}
    loaded = config_lib.TrainConfig.from_json(json.dumps(values))
    for name, off in config_lib.REMEDIES_OFF.items():
        assert getattr(loaded, name) == off, name
    config_lib.check_resumable(loaded, saved)

