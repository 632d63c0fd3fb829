"""The architecture options, through the config as runs build them: each
does what it says in the networks it reaches, round-trips through a saved
model, and impossible combinations fail at resolution naming the fields."""

import keras
import numpy as np
import pytest
from absl import flags
from absl.testing import flagsaver

from keras_gans import builders
from keras_gans import config as config_lib
from keras_gans.datasets import faces
from tests.helpers import batches
from tests.helpers import data_spec
from tests.helpers import random_labels
from tests.helpers import resolved

MODELS = ("dcgan", "cgan", "acgan", "infogan")
# Tiny networks of 32x32 images (the faces' smallest size): 3 hidden
# resolutions, 4x4 to 16x16.
SIZE = 32
WIDTHS = {"g_filters": (12, 6, 4), "d_filters": (3, 5, 7)}


def _label_spec(model):
    return None if model in ("dcgan", "infogan") else faces.LABEL_SPEC


def build_config(model, **overrides):
    return resolved(model, image_size=SIZE, **overrides)


def networks(model, **overrides):
    config = build_config(model, **overrides)
    return builders.build_networks(
        config, data_spec(_label_spec(model), size=SIZE))


def build(model, **overrides):
    config = build_config(model, **overrides)
    return builders.build_gan(
        config, data_spec(_label_spec(model), size=SIZE)), config


def layer_types(model):
    return [type(layer).__name__ for layer in model.layers]


def inputs_for(network, rows=3, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for tensor in network.inputs:
        if tensor.name == "labels":
            out.append(random_labels(faces.LABEL_SPEC, rows, rng))
        else:
            out.append(rng.uniform(-1, 1, (rows,) + tuple(tensor.shape[1:]))
                       .astype("float32"))
    return out if len(out) > 1 else out[0]


@pytest.mark.parametrize("model", MODELS)
def test_discriminator_has_its_own_activation(model):
    generator, discriminator = networks(model, activation="relu",
                                        d_activation="selu")
    activations = [layer.get_config().get("activation")
                   for layer in discriminator.layers
                   if type(layer).__name__ == "Activation"]
    assert activations and set(activations) == {"selu"}
    assert "LeakyReLU" not in layer_types(discriminator)
    assert "ReLU" in layer_types(generator)
    assert "Activation" not in layer_types(generator)[:-1]


@pytest.mark.parametrize("model", MODELS)
def test_each_network_has_its_own_widths_and_kernel(model):
    generator, discriminator = networks(model, kernel_size=3, **WIDTHS)
    g_convs = [layer for layer in generator.layers
               if "conv" in type(layer).__name__.lower()]
    d_convs = [layer for layer in discriminator.layers
               if type(layer).__name__ == "Conv2D"]
    assert generator.get_layer("start_reshape").output.shape[-1] == 12
    assert [c.filters for c in g_convs] == [6, 4, 3]  # the image's 3 last
    assert [c.filters for c in d_convs] == [3, 5, 7]
    assert {c.kernel_size for c in g_convs + d_convs} == {(3, 3)}


def test_discriminator_dropout_drops_whole_maps_in_training_only():
    _, discriminator = networks("dcgan", d_dropout=0.5)
    dropouts = [layer for layer in discriminator.layers
                if type(layer).__name__ == "SpatialDropout2D"]
    assert len(dropouts) == 3 and dropouts[0].rate == 0.5
    images = inputs_for(discriminator)
    assert np.array_equal(discriminator(images, training=False),
                          discriminator(images, training=False))
    assert not np.allclose(discriminator(images, training=True),
                           discriminator(images, training=True))


@pytest.mark.parametrize("model", ["dcgan", "cgan"])
def test_upsample_then_convolve_generator(model):
    generator, _ = networks(model, g_upsampling="nearest")
    types = layer_types(generator)
    assert "Conv2DTranspose" not in types
    assert types.count("UpSampling2D") == 3
    assert generator.output.shape[1:] == (SIZE, SIZE, 3)


def test_batch_norm_before_the_output_activation():
    generator, _ = networks("dcgan", g_output_normalization=True)
    names = [layer.name for layer in generator.layers]
    assert names[-3:] == ["output_conv_transpose", "output_norm",
                          "output_tanh"]
    assert not generator.get_layer("output_conv_transpose").use_bias


def test_unnormalized_pixels_with_a_relu_output():
    """image_range='raw': D sees 0-255, G's relu works in 0-255; the rest
    of the library still sees [-1, 1] (relu gives [-1, inf))."""
    generator, discriminator = networks(
        "dcgan", g_output_activation="relu", image_range="raw")
    to_raw = discriminator.get_layer("to_image_range")
    np.testing.assert_allclose(
        to_raw(np.array([[-1.0, 0.0, 1.0]], "float32")), [[0, 127.5, 255]])
    images = np.asarray(generator(inputs_for(generator), training=False))
    assert images.min() >= -1.0
    activation = generator.get_layer("output_relu")
    raw = keras.Model(generator.inputs, activation.output)(
        inputs_for(generator))
    np.testing.assert_allclose(images, np.asarray(raw) / 127.5 - 1.0,
                               rtol=1e-5, atol=1e-5)


def test_an_output_that_cannot_reach_the_range_warns(caplog):
    with caplog.at_level("WARNING", logger="keras_gans"):
        build_config("dcgan", g_output_activation="sigmoid")
    assert "cannot reach every pixel value" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="keras_gans"):
        build_config("dcgan", g_output_activation="sigmoid",
                     image_range="unit")
    assert not caplog.text


def test_label_layer_activations():
    generator, discriminator = networks(
        "cgan", g_conditioning="dense", g_condition_activation="relu",
        d_conditioning="first_conv", d_condition_activation="leaky_relu")
    assert type(generator.get_layer("condition_relu")).__name__ == "ReLU"
    assert type(discriminator.get_layer(
        "first_conv_label_map_leaky_relu")).__name__ == "LeakyReLU"


@pytest.mark.parametrize("scheme", ["input", "first_conv"])
def test_one_label_map_per_attribute(scheme):
    _, discriminator = networks("cgan", d_conditioning=scheme,
                                d_label_maps="per_attribute")
    prefix = f"{scheme}_label_map"
    denses = [layer for layer in discriminator.layers
              if layer.name.startswith(prefix)
              and type(layer).__name__ == "Dense"]
    attributes = faces.LABEL_SPEC.attributes
    assert sorted(d.name for d in denses) == sorted(
        f"{prefix}_{a.name}_dense" for a in attributes)
    # Each map reads its own attribute's encoding only.
    assert [d.kernel.shape[0] for d in denses] == [a.width
                                                   for a in attributes]
    assert discriminator.get_layer(f"{prefix}_channels").output.shape[-1] \
        == len(attributes)


@pytest.mark.parametrize("model, overrides", [
    ("cgan", dict(d_conditioning="first_conv", d_label_maps="per_attribute",
                  d_condition_activation="leaky_relu", d_dropout=0.25,
                  g_upsampling="nearest", g_output_normalization=True,
                  g_conditioning="dense", g_condition_activation="relu",
                  attention_resolution=8, **WIDTHS)),
    ("dcgan", dict(architecture="resnet", attention_resolution=8,
                   d_activation="leaky_relu")),
    ("acgan", dict(architecture="resnet", g_conditioning="cbn")),
])
def test_options_survive_a_save_and_load(tmp_path, model, overrides):
    gan, _ = build(model, **overrides)
    path = str(tmp_path / "gan.keras")
    gan.save(path)
    loaded = keras.saving.load_model(path)
    for ours, theirs in ((gan.generator, loaded.generator),
                         (gan.discriminator, loaded.discriminator)):
        x = inputs_for(ours)
        for a, b in zip(keras.tree.flatten(ours(x, training=False)),
                        keras.tree.flatten(theirs(x, training=False))):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("model, overrides", [
    ("dcgan", dict(architecture="resnet", attention_resolution=8)),
    ("cgan", dict(architecture="resnet", d_conditioning="projection",
                  g_conditioning="cbn", d_normalization="spectral")),
    ("cgan", dict(d_dropout=0.25, image_range="unit",
                  g_output_activation="sigmoid", d_activation="selu")),
])
def test_a_step_moves_the_weights(model, overrides):
    gan, config = build(model, **overrides)
    before = [w.numpy().copy() for w in gan.generator.trainable_weights]
    label_spec = faces.LABEL_SPEC if model == "cgan" else None
    gan.fit(batches(label_spec, config.batch_size * config.n_critic,
                    size=SIZE),
            steps_per_epoch=1, epochs=1, verbose=0)
    after = [w.numpy() for w in gan.generator.trainable_weights]
    assert any(not np.allclose(a, b) for a, b in zip(before, after))


@pytest.mark.parametrize("overrides, match", [
    (dict(architecture="resnet", kernel_size=3),
     "Received: architecture='resnet', kernel_size=3"),
    (dict(architecture="resnet", g_output_activation="relu"),
     "g_output_activation='relu'"),
    (dict(architecture="vgg"), "architecture"),
    (dict(attention_resolution=5), "Received: attention_resolution=5"),
    (dict(g_filters=(8,)), "g_filters must list 3 positive widths"),
    (dict(d_filters=(8, 8, 0)), "Received: d_filters=8,8,0"),
    (dict(d_dropout=1.0), r"d_dropout must be a number in \[0, 1\)"),
    (dict(kernel_size=0), "kernel_size"),
    (dict(d_activation="tanh"), "d_activation"),
    (dict(image_range="bytes"), "image_range"),
    (dict(model="cgan", g_condition_activation="relu"),
     "g_condition_activation='relu', g_conditioning='concat'"),
    (dict(model="cgan", d_label_maps="per_attribute"),
     "d_label_maps='per_attribute', d_conditioning='projection'"),
    (dict(model="acgan", d_condition_activation="relu"),
     "d_conditioning='none'"),
    (dict(dataset="ring", g_filters=(8, 8)), "2-D points"),
    (dict(dataset="ring", architecture="resnet"), "architecture='resnet'"),
])
def test_impossible_combinations_fail_at_resolution(overrides, match):
    values = dict(model="dcgan", image_size=SIZE)
    values.update(overrides)
    if values.get("dataset") == "ring":
        values.pop("image_size")
    with pytest.raises(ValueError, match=match):
        config_lib.resolve(config_lib.TrainConfig(**values))


@flagsaver.flagsaver
def test_flags_reach_the_networks():
    from flags import config_flags

    flags.FLAGS.unparse_flags()
    flags.FLAGS(["run.py", "--g_filters=256,128,64,32",
                 "--d_filters=32,64,128,256", "--d_activation=selu",
                 "--activation=selu", "--d_dropout=0.25",
                 "--g_upsampling=nearest", "--architecture=dcgan",
                 "--attention_resolution=16", "--image_range=raw",
                 "--g_output_activation=relu"])
    config = config_flags.config_from_flags(flags.FLAGS)
    assert config.g_filters == (256, 128, 64, 32)
    assert config.d_filters == (32, 64, 128, 256)
    assert (config.d_activation, config.d_dropout) == ("selu", 0.25)
    assert config.attention_resolution == 16
    flags.FLAGS.unparse_flags()
    with pytest.raises(flags.Error, match="Received: --g_filters=4,4"):
        flags.FLAGS(["run.py", "--g_filters=4,4"])
    flags.FLAGS.unparse_flags()
    with pytest.raises(flags.Error, match="takes widths"):
        flags.FLAGS(["run.py", "--g_filters=a,b"])
