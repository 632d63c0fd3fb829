"""Tests for keras_gans.networks: shapes, ranges, dtypes and errors."""

import keras
import numpy as np
import pytest

from keras_gans.networks import build_dcgan_discriminator
from keras_gans.networks import build_dcgan_generator
from keras_gans.networks import build_mlp_discriminator
from keras_gans.networks import build_mlp_generator

BATCH = 2
LATENT = 8
SMALL = dict(base_width=8)


def _shape(model, layer_name):
    """The per-sample output shape of one layer of a functional model."""
    return tuple(model.get_layer(layer_name).output.shape[1:])


def _layers_of(model, cls):
    return [layer for layer in model.layers if isinstance(layer, cls)]


def _latent(n=BATCH, dim=LATENT):
    return np.random.default_rng(0).normal(size=(n, dim)).astype("float32")


@pytest.fixture
def mixed_precision():
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    yield
    keras.config.set_dtype_policy(previous)


@pytest.mark.parametrize("image_size", [16, 32])
@pytest.mark.parametrize("start", ["dense", "conv_transpose"])
@pytest.mark.parametrize("normalization", ["batch", "layer", "none"])
def test_generator_output_shape_and_range(image_size, start, normalization):
    g = build_dcgan_generator(
        image_size=image_size,
        latent_dim=LATENT,
        channels=1,
        start=start,
        normalization=normalization,
        **SMALL,
    )
    images = keras.ops.convert_to_numpy(g(_latent() * 10.0, training=True))
    assert images.shape == (BATCH, image_size, image_size, 1)
    assert images.dtype == np.float32
    assert np.all(np.abs(images) <= 1.0)
    relus = _layers_of(g, keras.layers.ReLU)
    hidden = [tuple(relu.output.shape[1:]) for relu in relus]
    n = int(np.log2(image_size // 4))
    assert hidden == [
        (4 * 2**i, 4 * 2**i, 8 * 2 ** (n - 1 - i)) for i in range(n)
    ]


def _conv_outputs(model):
    convs = (keras.layers.Conv2DTranspose, keras.layers.Conv2D)
    return [layer.output for layer in _layers_of(model, convs)]


@pytest.mark.parametrize("image_size", [16, 32])
@pytest.mark.parametrize(
    "normalization", ["batch", "layer", "none", "spectral"]
)
def test_discriminator_output_is_float32_logits(image_size, normalization):
    d = build_dcgan_discriminator(
        image_size=image_size, normalization=normalization, **SMALL
    )
    images = np.random.default_rng(0).uniform(
        -1, 1, size=(BATCH, image_size, image_size, 3)
    ).astype("float32")
    for training in (True, False):
        logits = d(images, training=training)
        assert tuple(logits.shape) == (BATCH, 1)
        assert keras.backend.standardize_dtype(logits.dtype) == "float32"
    assert d.output.dtype == "float32"


def test_classic_64px_dcgan_widths():
    g = build_dcgan_generator()
    assert _shape(g, "start_reshape") == (4, 4, 512)
    assert _shape(g, "block1_conv_transpose") == (8, 8, 256)
    assert _shape(g, "block2_conv_transpose") == (16, 16, 128)
    assert _shape(g, "block3_conv_transpose") == (32, 32, 64)
    assert _shape(g, "output_conv_transpose") == (64, 64, 3)
    assert len(_layers_of(g, keras.layers.BatchNormalization)) == 4
    assert len(_layers_of(g, keras.layers.ReLU)) == 4
    d = build_dcgan_discriminator()
    assert [tuple(out.shape[1:]) for out in _conv_outputs(d)] == [
        (32, 32, 64),
        (16, 16, 128),
        (8, 8, 256),
        (4, 4, 512),
    ]
    # DCGAN: no batch norm on the discriminator's first convolution.
    assert len(_layers_of(d, keras.layers.BatchNormalization)) == 3
    assert len(_layers_of(d, keras.layers.LeakyReLU)) == 4
    assert d.get_layer("block0_leaky_relu").negative_slope == 0.2
    # Radford et al.'s N(0, 0.02) initialization.
    kernel = keras.ops.convert_to_numpy(
        g.get_layer("block1_conv_transpose").kernel
    )
    assert abs(kernel.std() - 0.02) < 0.002


def test_selu_256_128_64_generator():
    g = build_dcgan_generator(
        image_size=32,
        filters=[256, 128, 64],
        activation="selu",
        normalization="none",
    )
    assert [tuple(out.shape[1:]) for out in _conv_outputs(g)] == [
        (8, 8, 128),
        (16, 16, 64),
        (32, 32, 3),
    ]
    assert _shape(g, "start_reshape") == (4, 4, 256)
    assert len(_layers_of(g, keras.layers.Activation)) == 3
    norms = (keras.layers.BatchNormalization, keras.layers.GroupNormalization)
    assert not _layers_of(g, norms)
    init = g.get_layer("block1_conv_transpose").kernel_initializer
    assert isinstance(init, keras.initializers.LecunNormal)


def test_one_by_one_start_generator():
    g = build_dcgan_generator(start="conv_transpose")
    assert _shape(g, "start_reshape") == (1, 1, 100)
    assert _shape(g, "start_conv_transpose") == (4, 4, 512)
    assert [tuple(out.shape[1:]) for out in _conv_outputs(g)] == [
        (4, 4, 512),
        (8, 8, 256),
        (16, 16, 128),
        (32, 32, 64),
        (64, 64, 3),
    ]
    assert not _layers_of(g, keras.layers.Dense)


def test_spectral_discriminator_wraps_every_kernel_layer():
    d = build_dcgan_discriminator(image_size=16, normalization="spectral",
                                  **SMALL)
    wrapped = _layers_of(d, keras.layers.SpectralNormalization)
    inner = [type(layer.layer) for layer in wrapped]
    assert inner == [keras.layers.Conv2D] * 2 + [keras.layers.Dense]
    norms = (keras.layers.BatchNormalization, keras.layers.GroupNormalization)
    assert not _layers_of(d, norms)
    m = build_mlp_discriminator(normalization="spectral")
    assert len(_layers_of(m, keras.layers.SpectralNormalization)) == 4


def test_mlp_networks():
    g = build_mlp_generator()
    assert [layer.units for layer in _layers_of(g, keras.layers.Dense)] == [
        400, 400, 400, 400, 2
    ]
    assert len(_layers_of(g, keras.layers.BatchNormalization)) == 4
    samples = g(_latent(dim=2), training=True)
    assert tuple(samples.shape) == (BATCH, 2)
    d = build_mlp_discriminator()
    assert [layer.units for layer in _layers_of(d, keras.layers.Dense)] == [
        200, 200, 200, 1
    ]
    logits = d(samples)
    assert tuple(logits.shape) == (BATCH, 1)
    assert keras.backend.standardize_dtype(logits.dtype) == "float32"
    layer_norm = build_mlp_discriminator(
        input_dim=3, hidden_units=(4,), activation="leaky_relu",
        normalization="layer",
    )
    assert tuple(layer_norm(np.zeros((BATCH, 3), "float32")).shape) == (
        BATCH, 1
    )


def test_outputs_stay_float32_under_mixed_precision(mixed_precision):
    g = build_dcgan_generator(image_size=16, latent_dim=LATENT, **SMALL)
    d = build_dcgan_discriminator(image_size=16, normalization="spectral",
                                  **SMALL)
    assert g.get_layer("block1_conv_transpose").compute_dtype == "float16"
    images = g(_latent(), training=True)
    logits = d(images, training=True)
    assert keras.backend.standardize_dtype(images.dtype) == "float32"
    assert keras.backend.standardize_dtype(logits.dtype) == "float32"
    mlp = build_mlp_discriminator()(build_mlp_generator()(_latent(dim=2)))
    assert keras.backend.standardize_dtype(mlp.dtype) == "float32"


@pytest.mark.parametrize(
    "builder, kwargs, argument",
    [
        (build_dcgan_generator, dict(image_size=48), "image_size"),
        (build_dcgan_generator, dict(image_size=256), "image_size"),
        (build_dcgan_discriminator, dict(image_size=8), "image_size"),
        (build_dcgan_generator, dict(num_blocks=3), "num_blocks"),
        (build_dcgan_discriminator, dict(num_blocks=5), "num_blocks"),
        (build_dcgan_generator, dict(filters=[64, 32]), "filters"),
        (build_dcgan_generator, dict(filters=[64, 32, 0, 8]), "filters"),
        (build_dcgan_discriminator, dict(filters=[8]), "filters"),
        (build_dcgan_generator, dict(base_width=0), "base_width"),
        (build_dcgan_generator, dict(activation="gelu"), "activation"),
        (build_dcgan_discriminator, dict(activation="tanh"), "activation"),
        (build_dcgan_generator, dict(normalization="spectral"),
         "normalization"),
        (build_dcgan_discriminator, dict(normalization="instance"),
         "normalization"),
        (build_dcgan_generator, dict(start="linear"), "start"),
        (build_dcgan_generator, dict(latent_dim=0), "latent_dim"),
        (build_mlp_generator, dict(normalization="spectral"),
         "normalization"),
        (build_mlp_generator, dict(activation="elu"), "activation"),
        (build_mlp_generator, dict(hidden_units=(4, -1)), "hidden_units"),
        (build_mlp_discriminator, dict(normalization="group"),
         "normalization"),
    ],
)
def test_invalid_arguments_raise(builder, kwargs, argument):
    with pytest.raises(ValueError, match=f"Received: {argument}="):
        builder(**kwargs)


# Integer arguments take Python or numpy ints only: 32.0 used to pass the
# image_size check (32.0 in (16, 32, ...)), True and 2.0 some others.
@pytest.mark.parametrize("builder, kwargs, argument", [
    (build_dcgan_generator, dict(image_size=32.0), "image_size"),
    (build_dcgan_discriminator, dict(image_size=True), "image_size"),
    (build_dcgan_generator, dict(image_size=32, num_blocks=3.0),
     "num_blocks"),
    (build_dcgan_generator, dict(latent_dim=2.0), "latent_dim"),
    (build_dcgan_discriminator, dict(channels=True), "channels"),
    (build_dcgan_generator, dict(filters=[8.0, 4, 4, 4]), "filters"),
    (build_mlp_generator, dict(hidden_units=(4, True)), "hidden_units"),
    (build_mlp_discriminator, dict(input_dim=2.0), "input_dim"),
])
def test_float_and_bool_integers_are_refused(builder, kwargs, argument):
    with pytest.raises(ValueError, match=f"Received: {argument}="):
        builder(**kwargs)


def test_numpy_integers_are_accepted():
    g = build_dcgan_generator(image_size=np.int64(16), latent_dim=np.int32(8),
                              base_width=np.int64(4))
    assert g.output.shape == (None, 16, 16, 3)


def test_unknown_name_error_lists_valid_names():
    with pytest.raises(ValueError, match="'leaky_relu', 'relu', 'selu'"):
        build_dcgan_generator(activation="swish")


@pytest.mark.parametrize("normalization", ["layer", "none", "spectral"])
def test_mlp_critic_can_see_distance_from_origin(normalization):
    # Without first-layer biases, layer norm would give D(c x) = D(x) for
    # every c > 0, whatever the training: the critic could never tell the
    # grid's modes at (2, 2) and (4, 4) apart.
    critic = build_mlp_discriminator(hidden_units=(16, 16),
                                     normalization=normalization)
    biases = [v for v in critic.trainable_variables if "bias" in v.path]
    assert biases, [v.path for v in critic.trainable_variables]
    rng = np.random.default_rng(0)
    for bias in biases:
        bias.assign(rng.normal(size=bias.shape).astype("float32"))
    x = np.array([[0.3, -0.7], [1.0, 0.5]], "float32")
    near, far = critic(x), critic(4.0 * x)
    assert np.max(np.abs(np.asarray(near) - np.asarray(far))) > 1e-3
