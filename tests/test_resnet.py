"""Tests for the ResNet networks and the self-attention layer: shapes,
ranges, conditioning, saving, errors, mixed precision and one training."""

import re

import keras
import numpy as np
import pytest

from keras_gans.layers import attention
from keras_gans.layers import conditioning
from keras_gans.models import GAN
from keras_gans.networks import sizing
from keras_gans.networks import resnet
from tests.helpers import batches

BATCH = 2
LATENT = 8
SMALL = dict(base_width=8)


def _latent(n=BATCH, dim=LATENT, seed=0):
    return np.random.default_rng(seed).normal(size=(n, dim)).astype(
        "float32")


def _images(size, n=BATCH, channels=3, seed=0):
    return np.random.default_rng(seed).uniform(
        -1, 1, (n, size, size, channels)).astype("float32")


def _layers_of(model, cls):
    return [layer for layer in model.layers if isinstance(layer, cls)]


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


# The generator.

@pytest.mark.parametrize("image_size", [16, 32, 64])
def test_generator_output_shape_range_and_widths(image_size):
    g = resnet.build_resnet_generator(image_size, latent_dim=LATENT,
                                      channels=1, **SMALL)
    images = _numpy(g(_latent() * 10.0, training=True))
    assert images.shape == (BATCH, image_size, image_size, 1)
    assert images.dtype == np.float32
    assert np.all(np.abs(images) <= 1.0)
    # widths[i] at side 4 * 2**i; the image side keeps the last width.
    n = int(np.log2(image_size // 4))
    widths = [8 * 2**(n - 1 - i) for i in range(n)]
    start = g.get_layer("start_reshape").output
    assert tuple(start.shape[1:]) == (4, 4, widths[0])
    block_outputs = [tuple(g.get_layer(f"block{i}_add").output.shape[1:])
                     for i in range(n)]
    assert block_outputs == [(4 * 2**(i + 1), 4 * 2**(i + 1),
                              (widths[1:] + widths[-1:])[i])
                             for i in range(n)]


def test_128_builds_with_the_expected_shapes():
    g = resnet.build_resnet_generator(128, latent_dim=LATENT, base_width=2)
    d = resnet.build_resnet_discriminator(128, base_width=2)
    assert tuple(g.output.shape) == (None, 128, 128, 3)
    assert tuple(d.output.shape) == (None, 1)


@pytest.mark.parametrize("normalization", ["layer", "none"])
def test_generator_normalizations(normalization):
    g = resnet.build_resnet_generator(16, latent_dim=LATENT,
                                      normalization=normalization, **SMALL)
    assert not _layers_of(g, keras.layers.BatchNormalization)
    assert bool(_layers_of(g, keras.layers.GroupNormalization)) == (
        normalization == "layer")
    assert g(_latent()).shape == (BATCH, 16, 16, 3)


def _cbn_generator(normalization="batch"):
    z = keras.Input((LATENT,), name="z")
    condition = keras.Input((3,), name="condition")
    images = resnet.resnet_generator_body(
        z, sizing.widths(16, 8, None, None, grow=False),
        normalization=normalization, condition=condition)
    return keras.Model([z, condition], images)


def test_conditional_batch_norm_makes_the_output_follow_the_condition():
    g = _cbn_generator()
    rng = np.random.default_rng(1)
    # gamma(c) and beta(c) start at zero (plain batch norm); give them
    # weights as training would.
    for layer in g.layers:
        if layer.name.endswith(("_cbn_gamma", "_cbn_beta")):
            layer.kernel.assign(rng.normal(0, 0.5, layer.kernel.shape))
    z = _latent()
    one = np.eye(3, dtype="float32")[[0, 0]]
    other = np.eye(3, dtype="float32")[[2, 2]]
    a = _numpy(g([z, one], training=False))
    b = _numpy(g([z, other], training=False))
    assert not np.allclose(a, b, atol=1e-4)
    np.testing.assert_allclose(a, _numpy(g([z, one], training=False)))


def test_conditional_batch_norm_needs_batch_norm():
    with pytest.raises(ValueError, match="needs g_normalization='batch'"):
        _cbn_generator(normalization="layer")


# The discriminator.

@pytest.mark.parametrize("normalization",
                         ["spectral", "batch", "layer", "none"])
def test_discriminator_logits_and_normalization_layers(normalization):
    d = resnet.build_resnet_discriminator(16, normalization=normalization,
                                          **SMALL)
    for training in (True, False):
        logits = _numpy(d(_images(16), training=training))
        assert logits.shape == (BATCH, 1)
        assert logits.dtype == np.float32
        assert np.all(np.isfinite(logits))
    spectral = _layers_of(d, keras.layers.SpectralNormalization)
    # 2 blocks x 3 convolutions, and the logit Dense.
    assert len(spectral) == (7 if normalization == "spectral" else 0)
    batch_norms = _layers_of(d, keras.layers.BatchNormalization)
    # Two per block after the first (16x16: one such block).
    assert len(batch_norms) == (2 if normalization == "batch" else 0)


def test_discriminator_features_are_the_sum_of_the_activated_map():
    d = resnet.build_resnet_discriminator(16, **SMALL)
    probe = keras.Model(d.input, [d.get_layer("features_relu").output,
                                  d.get_layer("features_sum_pool").output])
    activated, summed = map(_numpy, probe(_images(16)))
    assert activated.shape == (BATCH, 4, 4, 16)
    assert summed.shape == (BATCH, 1, 1, 16)
    np.testing.assert_allclose(summed, activated.sum(axis=(1, 2),
                                                     keepdims=True),
                               rtol=1e-5, atol=1e-5)


def test_first_conv_labels_and_projection_read_the_labels():
    images = keras.Input((16, 16, 3), name="images")
    labels = keras.Input((4,), name="labels")
    features = resnet.resnet_discriminator_features(
        images, [8, 16], first_conv_labels=labels)
    logit = conditioning.projection_logit(features, labels, "spectral")
    model = keras.Model([images, labels], [features, logit])
    concatenated = model.get_layer("first_conv_with_labels").output
    assert tuple(concatenated.shape[1:]) == (8, 8, 8 + 1)
    x = np.repeat(_images(16, n=1), 2, axis=0)
    two_labels = np.eye(4, dtype="float32")[[0, 3]]
    features, logit = map(_numpy, model([x, two_labels]))
    assert features.shape == (2, 1, 1, 16)
    assert logit.shape == (2, 1)
    assert not np.allclose(features[0], features[1])


def test_minibatch_std_adds_a_channel_to_the_last_map():
    d = resnet.build_resnet_discriminator(16, minibatch_std=2, **SMALL)
    assert tuple(d.get_layer("minibatch_std").output.shape[1:]) == (4, 4,
                                                                    17)
    assert tuple(d.get_layer("flatten").output.shape[1:]) == (17,)
    assert d(_images(16, n=4)).shape == (4, 1)


# Self-attention.

def _attention_model(channels=16, side=8, **kwargs):
    x = keras.Input((side, side, channels))
    return keras.Model(x, attention.SelfAttention(name="attention",
                                                  **kwargs)(x))


@pytest.mark.parametrize("kwargs", [{}, {"spectral": True},
                                    {"pooling": False}])
def test_attention_starts_as_the_identity_then_attends(kwargs):
    model = _attention_model(**kwargs)
    layer = model.get_layer("attention")
    x = _images(8, channels=16)
    np.testing.assert_array_equal(_numpy(model(x, training=True)), x)
    layer.gamma.assign(1.0)
    y = _numpy(model(x))
    assert y.shape == x.shape
    assert not np.allclose(y, x, atol=1e-4)
    assert isinstance(layer.query_conv,
                      keras.layers.SpectralNormalization) == bool(
                          kwargs.get("spectral"))
    assert layer.key_channels == 2 and layer.value_channels == 8


def test_attention_works_with_any_batch_size_and_few_channels():
    model = _attention_model(channels=4, side=4)
    layer = model.get_layer("attention")
    assert layer.key_channels == 1 and layer.value_channels == 2
    layer.gamma.assign(0.5)
    for n in (1, 3):
        assert model(_images(4, n=n, channels=4)).shape == (n, 4, 4, 4)


def test_attention_saves_and_loads(tmp_path):
    model = _attention_model(spectral=True)
    model.get_layer("attention").gamma.assign(0.7)
    x = _images(8, channels=16)
    path = str(tmp_path / "attention.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.get_layer("attention").spectral
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)),
                               rtol=1e-6, atol=1e-6)


def test_networks_with_attention_save_and_load(tmp_path):
    g = resnet.build_resnet_generator(16, latent_dim=LATENT,
                                      attention_resolution=8, **SMALL)
    d = resnet.build_resnet_discriminator(16, attention_resolution=8,
                                          minibatch_std=2, **SMALL)
    for layer in (g.get_layer("block0_attention"),
                  d.get_layer("block0_attention")):
        layer.gamma.assign(0.3)
    assert d.get_layer("block0_attention").spectral
    assert not g.get_layer("block0_attention").spectral
    for model, x in ((g, _latent()), (d, _images(16))):
        path = str(tmp_path / f"{model.name}.keras")
        model.save(path)
        loaded = keras.saving.load_model(path)
        np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)),
                                   rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("resolution", sizing.hidden_sides(16))
def test_every_dcgan_attention_side_fits_both_resnets(resolution):
    g = resnet.build_resnet_generator(16, latent_dim=LATENT,
                                      attention_resolution=resolution,
                                      **SMALL)
    d = resnet.build_resnet_discriminator(16, attention_resolution=resolution,
                                          **SMALL)
    for model in (g, d):
        attended = _layers_of(model, attention.SelfAttention)
        assert [layer.input.shape[1] for layer in attended] == [resolution]
    assert g(_latent()).shape == (BATCH, 16, 16, 3)


def test_maybe_self_attention_only_at_its_resolution():
    x = keras.Input((8, 8, 16))
    assert attention.maybe_self_attention(x, None, "spectral", "a") is x
    assert attention.maybe_self_attention(x, 0, "spectral", "a") is x
    assert attention.maybe_self_attention(x, 16, "spectral", "a") is x
    y = attention.maybe_self_attention(x, 8, "spectral", "a")
    assert y is not x and tuple(y.shape) == tuple(x.shape)


@pytest.mark.parametrize("build, sides", [
    (lambda r: resnet.build_resnet_generator(
        32, latent_dim=LATENT, attention_resolution=r, **SMALL),
     "4, 8, 16, 32"),
    (lambda r: resnet.build_resnet_discriminator(
        32, attention_resolution=r, **SMALL), "16, 8, 4"),
])
@pytest.mark.parametrize("resolution", [5, 64, 8.0, True, "8"])
def test_bad_attention_resolution_raises(build, sides, resolution):
    message = (f"attention_resolution must be one of the network's "
               f"feature-map sides ({sides}), or None or 0 for none. "
               f"Received: attention_resolution={resolution!r}")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        build(resolution)


def test_check_attention_resolution():
    assert attention.check_attention_resolution(None, (8, 16)) is None
    assert attention.check_attention_resolution(0, (8, 16)) is None
    assert attention.check_attention_resolution(np.int64(16), (8, 16)) == 16


# Training and precision.

def test_gan_of_resnets_trains_and_weights_move():
    g = resnet.build_resnet_generator(16, latent_dim=LATENT,
                                      attention_resolution=8, **SMALL)
    d = resnet.build_resnet_discriminator(16, attention_resolution=8,
                                          **SMALL)
    gan = GAN(g, d, loss="hinge", seed=1)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3),
                g_optimizer=keras.optimizers.Adam(1e-3))

    def values(model):
        return [v.numpy().copy() for v in model.trainable_variables]

    g0, d0 = values(g), values(d)
    history = gan.fit(batches(None, rows=4, size=16), epochs=1,
                      steps_per_epoch=2, verbose=0, shuffle=False)
    for before, after in ((g0, values(g)), (d0, values(d))):
        assert any(not np.allclose(a, b) for a, b in zip(before, after))
    # gamma gets a gradient in both networks (it starts at 0).
    assert g.get_layer("block0_attention").gamma.numpy() != 0
    assert d.get_layer("block0_attention").gamma.numpy() != 0
    assert np.isfinite(history.history["d_loss"][0])


def test_mixed_bfloat16_builds_and_runs():
    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        g = resnet.build_resnet_generator(16, latent_dim=LATENT,
                                          attention_resolution=16, **SMALL)
        d = resnet.build_resnet_discriminator(16, attention_resolution=8,
                                              **SMALL)
    finally:
        keras.mixed_precision.set_global_policy(previous)
    for model in (g, d):
        layer = model.get_layer(
            "block1_attention" if model is g else "block0_attention")
        assert layer.compute_dtype == "bfloat16"
        layer.gamma.assign(1.0)
    images = g(_latent(), training=True)
    logits = d(images, training=True)
    assert images.dtype == "float32" and logits.dtype == "float32"
    assert np.all(np.isfinite(_numpy(images)))
    assert np.all(np.isfinite(_numpy(logits)))
