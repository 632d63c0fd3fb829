"""Conditional GANs (cGAN, ACGAN, InfoGAN): every allowed conditioning
scheme trains on tiny data, impossible combinations fail at start-up,
models survive saving, mismatched labels never match, a resumed run
continues exactly."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from absl import flags
from absl.testing import flagsaver

from flags import config_flags
from keras_gans import builders
from keras_gans import config as config_lib
from keras_gans import layers
from keras_gans import models
from keras_gans import networks
from keras_gans import train_lib
from keras_gans.datasets import faces
from keras_gans.datasets import shapes
from keras_gans.datasets.codes import CodeSpec
from keras_gans.datasets.labels import Attribute
from keras_gans.datasets.labels import LabelSpec
from keras_gans.models.conditional import mismatched_labels
from tests.helpers import BATCH
from tests.helpers import batches
from tests.helpers import LATENT
from tests.helpers import SIZE
from tests.helpers import build
from tests.helpers import data_spec
from tests.helpers import generator_weights
from tests.helpers import random_labels
from tests.helpers import resolved
from tests.helpers import tiny_config

FLAGS = flags.FLAGS
CLASSES = LabelSpec.for_classes(("cat", "dog", "owl", "fox", "eel"))
LABEL_SPECS = {
    "attributes": faces.LABEL_SPEC,
    "multi_hot": shapes.LABEL_SPEC,
    "class": CLASSES,
}


# ----------------------------------------------------------------------
# Helpers: tiny configs, specs and data.

def weights(model):
    return [v.numpy().copy() for v in model.trainable_variables]


def unmoved(model, before):
    """Paths of the trainable variables that a step left unchanged."""
    return [v.path for v, b in zip(model.trainable_variables, before)
            if np.allclose(v.numpy(), b)]


def fit_one_step(gan, label_spec, rows=None, seed=0):
    """One step through `fit` (the traced train_step, as in a run)."""
    rows = rows or BATCH * gan.n_critic
    return gan.fit(batches(label_spec, rows, seed), epochs=1,
                   steps_per_epoch=1, verbose=0, shuffle=False).history


def eager_step(gan, label_spec, rows=None, seed=0):
    """One eager train_step (a fraction of fit's tracing time); returns
    the logs as fit's history would: {name: [value]}."""
    rows = rows or BATCH * gan.n_critic
    batch = next(iter(batches(label_spec, rows, seed)))
    logs = gan.train_step(batch)
    return {name: [float(value)] for name, value in logs.items()}


def layer_names(model):
    return {layer.name for layer in model.layers}


# Which layer shows that a scheme was built (names from
# keras_gans.layers.conditioning and keras_gans.networks).
G_SCHEME_LAYER = {"concat": "z_and_condition",
                  "embedding": "label_embedding",
                  "dense": "condition_dense",
                  "cbn": "start_cbn_gamma"}
D_SCHEME_LAYER = {"input": "images_with_labels",
                  "first_conv": "first_conv_with_labels",
                  "projection": "projection_dot"}


def check_trains(model, g_scheme, d_scheme, label_spec, graph=True,
                 **overrides):
    """Builds through the config, trains one step (through fit if `graph`,
    else eagerly), checks every weight of both networks moved and the
    losses are finite."""
    gan, config = build(model, label_spec, g_conditioning=g_scheme,
                        d_conditioning=d_scheme, **overrides)
    g_names = layer_names(gan.generator)
    assert G_SCHEME_LAYER[g_scheme] in g_names
    # Every scheme but conditional batch norm joins the condition to z;
    # with it, every batch norm of the generator is conditional.
    assert ("z_and_condition" in g_names) == (g_scheme != "cbn")
    norms = [layer.name for layer in gan.generator.layers
             if isinstance(layer, keras.layers.BatchNormalization)]
    assert norms and all(name.endswith("_cbn") for name in norms) == (
        g_scheme == "cbn"), norms
    if d_scheme == "none":
        assert len(gan.discriminator.outputs) == 2  # logits, heads
    else:
        assert D_SCHEME_LAYER[d_scheme] in layer_names(gan.discriminator)
    g0, d0 = weights(gan.generator), weights(gan.discriminator)
    history = (fit_one_step if graph else eager_step)(gan, label_spec)
    assert unmoved(gan.generator, g0) == []
    # The logit's bias cancels between the real and fake terms of the
    # Wasserstein loss, and of the hinge loss while every logit is inside
    # the margin (at initialization): it has no gradient there.
    still = [path for path in unmoved(gan.discriminator, d0)
             if not (gan.loss_name in ("wasserstein", "hinge")
                     and path.endswith("logit_dense/bias"))]
    assert still == []
    assert int(gan.g_optimizer.iterations) == 1
    assert int(gan.d_optimizer.iterations) == gan.n_critic
    for key, values in history.items():
        assert np.isfinite(values[0]), key
    assert ("class_loss" in history) == (model == "acgan")
    assert ("info_loss" in history) == (model == "infogan")
    # The trained networks read the condition: other labels (or codes),
    # other images and, for cGAN, other logits.
    z = np.random.default_rng(1).normal(size=(6, LATENT)).astype("float32")
    if model == "infogan":
        condition = gan.sample_codes(6, tf.constant([0, 1])).numpy()
        other = gan.sample_codes(6, tf.constant([0, 2])).numpy()
    else:
        condition = random_labels(label_spec, 6, np.random.default_rng(2))
        other = mismatched_labels(tf.constant(condition), label_spec,
                                  tf.constant([0, 1])).numpy()
    images = np.asarray(gan.generate(z, condition))
    assert images.shape == (6, SIZE, SIZE, 3)
    assert np.all(np.abs(images) <= 1.0)
    assert np.abs(images - gan.generate(z, other)).max() > 1e-6
    if model == "cgan":
        logits = [np.asarray(gan.discriminator([images, labels]))
                  for labels in (condition, other)]
        assert np.abs(logits[0] - logits[1]).max() > 1e-6
    return gan, history


# ----------------------------------------------------------------------
# 1. Every allowed combination trains.

CGAN_D_SCHEMES = ("input", "first_conv", "projection")
ALLOWED = (
    [("cgan", g, d) for g in layers.G_SCHEMES for d in CGAN_D_SCHEMES]
    + [("acgan", g, "none") for g in layers.G_SCHEMES]
    + [("infogan", "concat", "none")]
)


def test_allowed_list_is_complete():
    # 12 cGAN + 4 ACGAN + 1 InfoGAN combinations; no scheme forgotten.
    assert len(ALLOWED) == 17
    assert set(layers.D_SCHEMES) == set(CGAN_D_SCHEMES) | {"none"}


# Eagerly: fit's tracing would triple the time; the other label kinds and
# the games below go through fit.
@pytest.mark.parametrize("model, g_scheme, d_scheme", ALLOWED)
def test_every_allowed_combination_trains_on_attributes(model, g_scheme,
                                                        d_scheme):
    check_trains(model, g_scheme, d_scheme, faces.LABEL_SPEC, graph=False)


# Each G scheme and each D scheme at least once per label kind, and ACGAN's
# heads (one sigmoid block for multi-hot, one softmax for classes). The
# multi-hot cases go through fit: every scheme traced once.
OTHER_LABELS = [
    ("multi_hot", "cgan", "concat", "input"),
    ("multi_hot", "cgan", "embedding", "first_conv"),
    ("multi_hot", "cgan", "dense", "projection"),
    ("multi_hot", "cgan", "cbn", "input"),
    ("multi_hot", "acgan", "embedding", "none"),
    ("class", "cgan", "concat", "projection"),
    ("class", "cgan", "embedding", "input"),
    ("class", "cgan", "dense", "first_conv"),
    ("class", "cgan", "cbn", "first_conv"),
    ("class", "acgan", "cbn", "none"),
]


@pytest.mark.parametrize("kind, model, g_scheme, d_scheme", OTHER_LABELS)
def test_multi_hot_and_class_labels_train(kind, model, g_scheme, d_scheme):
    check_trains(model, g_scheme, d_scheme, LABEL_SPECS[kind],
                 graph=kind == "multi_hot")


# Tracing five critic updates with their gradient penalties takes fit
# 10 s here: the graph-mode case runs two, the others run eagerly.
@pytest.mark.parametrize("model, base_model, g_scheme, d_scheme, options", [
    ("cgan", "wgan_gp", "concat", "projection", {"n_critic": 2}),
    ("cgan", "wgan_gp", "cbn", "input", {"graph": False}),
    ("cgan", "wgan_gp", "dense", "first_conv", {"graph": False}),
    ("cgan", "sngan", "embedding", "projection", {}),
    ("cgan", "sngan", "dense", "first_conv", {"graph": False}),
    ("cgan", "sngan", "concat", "input", {"graph": False}),
    ("acgan", "sngan", "concat", "none", {}),
    ("infogan", "wgan_gp", "concat", "none", {"graph": False}),
])
def test_base_model_game_through_conditional_critic(model, base_model,
                                                    g_scheme, d_scheme,
                                                    options):
    gan, history = check_trains(model, g_scheme, d_scheme,
                                faces.LABEL_SPEC, base_model=base_model,
                                **options)
    game = models.variants.get(base_model)
    assert gan.loss_name == game.loss
    assert gan.n_critic == options.get("n_critic", game.n_critic)
    if base_model == "wgan_gp":
        # The gradient penalty went through the critic with its labels.
        assert gan.penalty == "gradient_penalty"
        assert np.isfinite(history["penalty"][0])
        assert history["penalty"][0] > 0
    else:
        assert "penalty" not in history
        # The label pathway is spectrally normalized too.
        wrapped = {layer.name for layer in gan.discriminator.layers
                   if isinstance(layer, keras.layers.SpectralNormalization)}
        expected = {"input": "input_label_map_spectral_dense",
                    "first_conv": "first_conv_label_map_spectral_dense",
                    "projection": "projection_spectral_embedding",
                    "none": "hair_spectral_head"}[d_scheme]
        assert expected in wrapped, sorted(wrapped)


def test_base_model_sets_only_the_game():
    config = resolved("cgan", base_model="wgan_gp", g_conditioning="cbn")
    assert (config.loss, config.penalty, config.n_critic) == (
        "wasserstein", "gradient_penalty", 5)
    assert config.d_normalization == "layer"
    assert (config.beta_1, config.beta_2, config.d_learning_rate) == (
        0.0, 0.9, 1e-4)
    # The conditioning stays cgan's, except what was set.
    assert config.g_conditioning == "cbn"
    assert config.d_conditioning == "projection"
    default = resolved("acgan")
    assert (default.loss, default.g_conditioning,
            default.d_conditioning) == ("non_saturating", "concat", "none")


def test_matching_aware_trains_and_changes_the_critic_loss():
    d_losses, initial = {}, {}
    for matching_aware in (False, True):
        keras.utils.set_random_seed(0)
        gan, _ = build("cgan", matching_aware=matching_aware,
                       d_conditioning="first_conv")
        assert gan.matching_aware is matching_aware
        d0 = initial[matching_aware] = weights(gan.discriminator)
        history = eager_step(gan, faces.LABEL_SPEC)
        assert unmoved(gan.discriminator, d0) == []
        d_losses[matching_aware] = history["d_loss"][0]
        keras.backend.clear_session(free_memory=False)
    assert np.isfinite(d_losses[True])
    # Same weights, data and noise: only the mismatched pairs differ.
    for a, b in zip(initial[False], initial[True]):
        np.testing.assert_array_equal(a, b)
    assert abs(d_losses[True] - d_losses[False]) > 1e-4


def test_matching_aware_pairs_with_gradient_penalty():
    gan, history = check_trains("cgan", "concat", "projection",
                                CLASSES, base_model="wgan_gp",
                                graph=False, matching_aware=True)
    assert np.isfinite(history["penalty"][0])


def test_conditional_model_refuses_unlabelled_batches():
    gan, _ = build("cgan")
    with pytest.raises(ValueError, match=r"\(samples, labels\) batches"):
        gan.fit(batches(None, BATCH), epochs=1, steps_per_epoch=1,
                verbose=0, shuffle=False)


def test_infogan_trains_on_unlabelled_images():
    config = resolved("infogan", info_categorical=(3,), info_continuous=1)
    gan = builders.build_gan(config, data_spec(None))
    g0 = weights(gan.generator)
    history = eager_step(gan, None)
    assert unmoved(gan.generator, g0) == []
    assert np.isfinite(history["info_loss"][0])


# ----------------------------------------------------------------------
# 2. Impossible combinations fail at start-up, naming the fields.

@pytest.mark.parametrize("overrides, expected", [
    (dict(model="dcgan", d_conditioning="projection"),
     ["model 'dcgan' is unconditional", "d_conditioning='projection'"]),
    (dict(model="wgan_gp", g_conditioning="cbn", matching_aware=True),
     ["unconditional", "g_conditioning='cbn'", "matching_aware=True"]),
    (dict(model="cgan", d_conditioning="none"),
     ["cgan", "d_conditioning='none'", "model 'acgan'"]),
    (dict(model="acgan", d_conditioning="projection"),
     ["model 'acgan'", "d_conditioning='projection'"]),
    (dict(model="infogan", d_conditioning="input"),
     ["model 'infogan'", "d_conditioning='input'"]),
    (dict(model="acgan", matching_aware=True),
     ["model='acgan'", "matching_aware=True", "model 'cgan'"]),
    (dict(model="cgan", classify_fakes=True),
     ["model 'acgan'", "model='cgan'", "classify_fakes=True"]),
    (dict(model="lsgan", classify_fakes=True),
     ["model 'lsgan' is unconditional", "classify_fakes=True"]),
    (dict(model="infogan", g_conditioning="embedding"),
     ["InfoGAN", "g_conditioning='embedding'"]),
    (dict(model="cgan", dataset="grid", image_size=None),
     ["model 'cgan'", "Received: model='cgan', dataset='grid'"]),
    (dict(model="infogan", dataset="ring", image_size=None),
     ["model 'infogan'", "dataset 'ring'"]),
    (dict(model="cgan", g_conditioning="cbn", g_normalization="layer"),
     ["g_conditioning='cbn'", "g_normalization='layer'"]),
    (dict(model="wgan_gp", base_model="dcgan"),
     ["model 'wgan_gp'", "base_model='dcgan'"]),
    (dict(model="cgan", base_model="cgan"),
     ["Unknown base_model", "'wgan_gp'", "base_model='cgan'"]),
    (dict(model="cgan", g_conditioning="film"),
     ["Unknown g_conditioning", "'cbn'", "g_conditioning='film'"]),
    (dict(model="cgan", d_conditioning="late"),
     ["Unknown d_conditioning", "'first_conv'", "d_conditioning='late'"]),
    (dict(model="infogan", info_categorical=(1,)),
     ["info_categorical=(1,)"]),
    (dict(model="infogan", info_categorical=(10, 2.5)),
     ["info_categorical=(10, 2.5)"]),
    (dict(model="infogan", info_categorical=(), info_continuous=0),
     ["info_categorical=()", "info_continuous=0"]),
    (dict(model="infogan", info_continuous=-1), ["info_continuous=-1"]),
    (dict(model="infogan", info_code_loss="kl"), ["info_code_loss='kl'"]),
    (dict(model="cgan", embedding_dim=0), ["embedding_dim=0"]),
    (dict(model="cgan", condition_units=2.0), ["condition_units=2.0"]),
    # The base model's game keeps its own checks.
    (dict(model="cgan", base_model="wgan_gp", d_normalization="batch"),
     ["penalty='gradient_penalty'", "d_normalization='batch'"]),
])
def test_impossible_combinations_fail_naming_fields(overrides, expected):
    values = dict(model="cgan", image_size=32)
    values.update(overrides)
    with pytest.raises(ValueError) as info:
        config_lib.resolve(config_lib.TrainConfig(**values))
    for text in expected:
        assert text in str(info.value), str(info.value)


def test_model_constructors_refuse_impossible_arguments():
    spec = faces.LABEL_SPEC
    g = networks.build_conditional_generator(
        spec, image_size=SIZE, latent_dim=LATENT, base_width=4)
    heads = networks.build_discriminator_with_heads(
        [("class", spec.encoded_dim)], image_size=SIZE, base_width=4)
    with pytest.raises(ValueError, match="matching_aware=True"):
        models.ACGAN(g, heads, label_spec=spec, matching_aware=True)
    with pytest.raises(ValueError, match="label_spec='faces'"):
        models.ConditionalGAN(g, heads, label_spec="faces")
    codes = networks.build_code_generator(5, image_size=SIZE,
                                          latent_dim=LATENT, base_width=4)
    q = networks.build_discriminator_with_heads(
        [("q", 5)], image_size=SIZE, base_width=4)
    with pytest.raises(ValueError, match=r"categorical_codes=\(1,\)"):
        models.InfoGAN(codes, q, categorical_codes=(1,), continuous_codes=4)
    # Counts are integers (no longer truncated: 2.5 was 2).
    with pytest.raises(ValueError, match=r"2 or more categories .*"
                       r"categorical_codes=\(2\.5, 3\), continuous_codes=0"):
        models.InfoGAN(codes, q, categorical_codes=(2.5, 3),
                       continuous_codes=0)
    with pytest.raises(ValueError, match="code_loss='kl'"):
        models.InfoGAN(codes, q, categorical_codes=(3,), continuous_codes=2,
                       code_loss="kl")
    with pytest.raises(ValueError, match="has 5 columns; the codes need 12"):
        models.InfoGAN(codes, q, categorical_codes=(10,),
                       continuous_codes=2)
    with pytest.raises(ValueError, match="d_conditioning"):
        networks.build_conditional_discriminator(spec, "none",
                                                 image_size=SIZE)
    with pytest.raises(ValueError, match="g_conditioning"):
        networks.build_conditional_generator(spec, "film", image_size=SIZE)


@flagsaver.flagsaver
def test_conditioning_flags_become_config():
    FLAGS.unparse_flags()
    FLAGS(["run.py", "--model=cgan", "--base_model=wgan_gp",
           "--g_conditioning=cbn", "--d_conditioning=input",
           "--matching_aware", "--embedding_dim=3"])
    config = config_flags.config_from_flags(FLAGS)
    assert (config.model, config.base_model) == ("cgan", "wgan_gp")
    assert (config.g_conditioning, config.d_conditioning) == ("cbn", "input")
    assert config.matching_aware and config.embedding_dim == 3
    FLAGS.unparse_flags()
    FLAGS(["run.py", "--model=infogan", "--info_categorical=10,4",
           "--info_continuous=0"])
    config = config_flags.config_from_flags(FLAGS)
    assert config.info_categorical == (10, 4)
    assert config_lib.resolve(config).info_continuous == 0


@pytest.mark.parametrize("argv, match", [
    (["--model=acgan", "--d_conditioning=projection"],
     "d_conditioning='projection'"),
    (["--model=infogan", "--info_categorical=10,1"],
     r"info_categorical=\(10, 1\)"),
    (["--model=infogan", "--info_categorical=ten"], "category counts"),
    (["--model=dcgan", "--g_conditioning=cbn"], "unconditional"),
    (["--model=cgan", "--base_model=acgan"], "base_model"),
    (["--model=cgan", "--classify_fakes"], "classify_fakes=True"),
])
@flagsaver.flagsaver
def test_bad_conditioning_flags_fail_at_parse_time(argv, match):
    FLAGS.unparse_flags()
    with pytest.raises(flags.Error, match=match):
        FLAGS(["run.py", *argv])


# ----------------------------------------------------------------------
# 3. A conditional model on unlabelled data.

@pytest.mark.parametrize("model", ["cgan", "acgan"])
def test_conditional_model_on_unlabelled_data_fails_clearly(model):
    config = resolved(model, dataset="folder", data_dir="/data/no_classes",
                      image_size=SIZE)
    spec = data_spec(None, name="folder")
    with pytest.raises(ValueError) as info:
        builders.build_networks(config, spec)
    message = str(info.value)
    for text in (f"model {model!r}", "dataset 'folder'",
                 "/data/no_classes", "model 'infogan'",
                 f"Received: model={model!r}, dataset='folder'"):
        assert text in message, message


# ----------------------------------------------------------------------
# 4. Saving and loading.

SAVE_CASES = [
    ("cgan", "embedding", "input", "attributes", {}),
    ("cgan", "cbn", "first_conv", "multi_hot", {"matching_aware": True}),
    ("cgan", "dense", "projection", "class", {"base_model": "sngan"}),
    ("acgan", "cbn", "none", "attributes",
     {"class_loss_weight": 2.0, "classify_fakes": True}),
    ("infogan", "concat", "none", "attributes",
     {"info_categorical": (3, 2), "info_continuous": 1,
      "info_code_loss": "mse", "info_continuous_weight": 0.5}),
]


@pytest.mark.parametrize("model, g_scheme, d_scheme, kind, extra",
                         SAVE_CASES)
def test_save_load_round_trip(tmp_path, model, g_scheme, d_scheme, kind,
                              extra):
    label_spec = LABEL_SPECS[kind]
    gan, _ = build(model, label_spec, g_conditioning=g_scheme,
                   d_conditioning=d_scheme, **extra)
    eager_step(gan, label_spec)
    path = str(tmp_path / "gan.keras")
    gan.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is type(gan)
    rng = np.random.default_rng(3)
    z = rng.normal(size=(5, LATENT)).astype("float32")
    if model == "infogan":
        condition = gan.codes(categories=[[0, 1], [2, 0], [1, 1], [0, 0],
                                          [2, 1]],
                              continuous=rng.uniform(-1, 1, (5, 1)))
    else:
        condition = random_labels(label_spec, 5, rng)
    np.testing.assert_array_equal(gan.generate(z, condition),
                                  loaded.generate(z, condition))
    config = loaded.get_config()
    assert config["seed"] == gan.seed
    if model == "infogan":
        assert config["categorical_codes"] == [3, 2]
        assert config["continuous_codes"] == 1
        assert config["code_loss"] == "mse"
        assert config["continuous_weight"] == 0.5
        assert loaded.code_spec == CodeSpec((3, 2), 1)
        assert loaded.label_spec is None
    else:
        assert loaded.label_spec == label_spec
    if model == "cgan":
        assert loaded.matching_aware == extra.get("matching_aware", False)
    if model == "acgan":
        assert loaded.class_loss_weight == 2.0
        assert loaded.classify_fakes is True
        assert "matching_aware" not in config
    # Both copies continue identically: optimizer state and noise stream.
    eager_step(gan, label_spec, seed=5)
    eager_step(loaded, label_spec, seed=5)
    for a, b in zip(weights(gan.generator), weights(loaded.generator)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("model, extra", [
    ("cgan", {"matching_aware": True, "d_conditioning": "input"}),
    ("acgan", {"class_loss_weight": 0.5, "classify_fakes": True}),
    ("infogan", {"info_categorical": (4,), "info_continuous": 3,
                 "info_categorical_weight": 2.0}),
])
def test_get_config_round_trip_keeps_conditional_fields(model, extra):
    gan, _ = build(model, shapes.LABEL_SPEC, **extra)
    config = gan.get_config()
    copy = type(gan).from_config(config)
    copy_config = copy.get_config()
    for key in ("label_spec", "matching_aware", "class_loss_weight",
                "classify_fakes",
                "categorical_codes", "continuous_codes",
                "categorical_weight", "continuous_weight", "code_loss",
                "latent_dim", "seed", "loss"):
        assert copy_config.get(key) == config.get(key), key
    if model == "cgan":
        assert config["matching_aware"] is True
        assert copy.label_spec == shapes.LABEL_SPEC
    elif model == "acgan":
        assert copy.class_loss_weight == 0.5 and copy.classify_fakes
        assert copy.label_spec == shapes.LABEL_SPEC
    else:
        assert copy.categorical_codes == [4] and copy.continuous_codes == 3
        assert copy.categorical_weight == 2.0 and copy.code_dim == 7


def test_generate_checks_its_condition():
    gan, _ = build("cgan")
    z = np.zeros((2, LATENT), "float32")
    with pytest.raises(ValueError, match="needs labels"):
        gan.generate(z)
    with pytest.raises(ValueError, match=r"labels must have shape \(2, 4\)"):
        gan.generate(z, np.zeros((2, 3), "int32"))
    with pytest.raises(ValueError, match=r"labels must have shape \(2, 4\)"):
        gan.generate(z, np.zeros((3, 4), "int32"))
    label = faces.LABEL_SPEC.parse_tags("blue hair, red eyes, glasses")
    assert gan.generate(z, np.stack([label] * 2)).shape == (2, SIZE, SIZE, 3)
    info, _ = build("infogan", info_categorical=(3,), info_continuous=1)
    # Codes drawn at random (seed 0) when none are given: repeatable.
    np.testing.assert_array_equal(info.generate(z), info.generate(z))
    with pytest.raises(ValueError, match=r"codes must have shape \(2, 4\)"):
        info.generate(z, np.zeros((2, 5), "float32"))


# ----------------------------------------------------------------------
# 5. mismatched_labels.

SEEDS = range(12)
ROWS = 2048


def mismatch_all_seeds(labels, label_spec):
    """mismatched_labels over SEEDS, stacked, after the common checks:
    same shape and dtype, every row different from the true one."""
    labels = np.asarray(labels)
    outs = []
    for s in SEEDS:
        out = mismatched_labels(tf.constant(labels), label_spec,
                                tf.constant([s, 3], "int64")).numpy()
        assert out.shape == labels.shape and out.dtype == labels.dtype
        differs = out != labels
        if differs.ndim > 1:
            differs = differs.any(axis=1)
        assert differs.all(), f"seed {s}: rows {np.flatnonzero(~differs)}"
        outs.append(out)
    return np.stack(outs)


@pytest.mark.parametrize("num_classes", [2, 5, 10])
def test_mismatched_class_labels(num_classes):
    spec = LabelSpec.for_classes([f"c{i}" for i in range(num_classes)])
    rng = np.random.default_rng(0)
    labels = rng.integers(0, num_classes, ROWS).astype("int32")
    outs = mismatch_all_seeds(labels, spec)
    assert outs.min() >= 0 and outs.max() < num_classes
    for c in range(num_classes):
        assert set(np.unique(outs[:, labels == c])) == (
            set(range(num_classes)) - {c})
    # All rows one class: the others uniformly.
    same = mismatch_all_seeds(np.full(ROWS, num_classes - 1, "int32"), spec)
    counts = np.bincount(same.ravel(), minlength=num_classes)
    expected = same.size / (num_classes - 1)
    assert counts[-1] == 0
    assert np.all(np.abs(counts[:-1] - expected) < 0.1 * expected), counts


def test_mismatched_attribute_labels():
    spec = faces.LABEL_SPEC
    widths = np.array([12, 11, 2, 2])
    rng = np.random.default_rng(1)
    random_rows = random_labels(spec, ROWS, rng)
    # Rows whose attributes all hold one value, the top values (wrapping
    # round), and batches of one row repeated.
    equal_rows = np.repeat(np.array([[0, 0, 0, 0], [1, 1, 1, 1]], "int32"),
                           ROWS // 2, axis=0)
    top = np.tile(widths - 1, (ROWS, 1)).astype("int32")
    for labels in (random_rows, equal_rows, top, top[:1],
                   np.zeros((ROWS, 4), "int32")):
        outs = mismatch_all_seeds(labels, spec)
        assert outs.min() >= 0 and np.all(outs < widths), outs.max(axis=(0, 1))
    # Not degenerate: on identical rows every attribute is sometimes the
    # only one to change, and every other value of each attribute appears.
    outs = mismatch_all_seeds(np.zeros((ROWS, 4), "int32"), spec)
    changed = (outs != 0).reshape(-1, 4)
    for i, width in enumerate(widths):
        only = changed[:, i] & (changed.sum(axis=1) == 1)
        assert only.any(), spec.attributes[i].name
        assert set(np.unique(outs[..., i])) == set(range(width))
        # The chosen attribute always moves, the others are redrawn: each
        # attribute changes in at least a quarter of the rows.
        assert changed[:, i].mean() > 0.25


@pytest.mark.parametrize("attributes", [
    (Attribute("glasses"),),
    (Attribute("hair", ("red", "blue")),),
    (Attribute("glasses"), Attribute("blush")),
])
def test_mismatched_labels_of_small_attribute_sets(attributes):
    spec = LabelSpec.for_attributes(attributes)
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 2, (ROWS, len(attributes))).astype("int32")
    outs = mismatch_all_seeds(labels, spec)
    assert set(np.unique(outs)) == {0, 1}
    if len(attributes) == 1:  # one two-valued attribute: always flipped
        np.testing.assert_array_equal(outs, np.broadcast_to(
            1 - labels, outs.shape))


def test_mismatched_multi_hot_labels():
    spec = shapes.LABEL_SPEC
    n = len(spec.names)
    rng = np.random.default_rng(3)
    labels = random_labels(spec, ROWS, rng)
    labels[100:110] = labels[99]  # runs of equal neighbours
    labels[200] = 0.0  # an empty label set
    labels[0] = labels[-1]  # the first row's neighbour is the last
    outs = mismatch_all_seeds(labels, spec)
    assert set(np.unique(outs)) <= {0.0, 1.0}
    previous = np.roll(labels, 1, axis=0)
    same = (previous == labels).all(axis=1)
    assert same[0] and same[101:110].all()
    # A row unlike its neighbour gets the neighbour's real label set.
    np.testing.assert_array_equal(
        outs[:, ~same], np.broadcast_to(previous[~same],
                                        outs[:, ~same].shape))
    # A row equal to it gets one label flipped.
    flips = np.abs(outs[:, same] - labels[same]).sum(axis=-1)
    assert np.all(flips == 1)
    # Identical rows, and a batch of one: a flipped label each, over all
    # the labels.
    for rows in (np.tile(labels[5], (ROWS, 1)), labels[5:6],
                 np.zeros((ROWS, n), "float32")):
        outs = mismatch_all_seeds(rows, spec)
        diff = np.abs(outs - rows)
        assert np.all(diff.sum(axis=-1) == 1)
        assert set(np.unique(outs)) <= {0.0, 1.0}
        if len(rows) > 1:
            assert diff.reshape(-1, n).sum(axis=0).min() > 0


@pytest.mark.parametrize("kind", ["class", "attributes", "multi_hot"])
def test_mismatched_labels_under_tf_function(kind):
    # As train_step calls it: a symbolic batch size.
    spec = LABEL_SPECS[kind]

    @tf.function(input_signature=[
        tf.TensorSpec((None,) + spec.shape, spec.dtype)])
    def mismatch(labels):
        return mismatched_labels(labels, spec, tf.constant([1, 2], "int64"))

    labels = random_labels(spec, 64, np.random.default_rng(4))
    labels[1] = labels[0]
    out = mismatch(labels).numpy()
    differs = out != labels
    assert (differs.any(axis=1) if differs.ndim > 1 else differs).all()
    np.testing.assert_array_equal(out, mismatched_labels(
        tf.constant(labels), spec, tf.constant([1, 2], "int64")).numpy())


# ----------------------------------------------------------------------
# 6. ACGAN's and InfoGAN's losses and codes.

@pytest.mark.parametrize("classify_fakes", [False, True])
def test_acgan_class_loss_weight_is_used(classify_fakes):
    histories = {}
    for weight in (0.0, 1.0, 2.0):
        keras.utils.set_random_seed(0)
        gan, _ = build("acgan", class_loss_weight=weight,
                       classify_fakes=classify_fakes)
        assert gan.class_loss_weight == weight
        assert gan.classify_fakes is classify_fakes
        histories[weight] = eager_step(gan, faces.LABEL_SPEC)
        keras.backend.clear_session(free_memory=False)
    d = {w: h["d_loss"][0] for w, h in histories.items()}
    class_loss = histories[1.0]["class_loss"][0]
    # The tracker shows the real images' classification loss whatever the
    # weight (same initial weights and data).
    assert class_loss > 0
    assert histories[0.0]["class_loss"][0] == pytest.approx(class_loss,
                                                            rel=1e-5)
    # The D loss adds weight * the real images' classification loss, and
    # with classify_fakes the fakes' too.
    added = d[1.0] - d[0.0]
    if classify_fakes:
        assert added > 1.1 * class_loss
    else:
        assert added == pytest.approx(class_loss, rel=1e-3)
    assert d[2.0] - d[0.0] == pytest.approx(2 * added, rel=1e-3)
    # The generator's loss has the fakes' term in both cases.
    assert histories[1.0]["g_loss"][0] > histories[0.0]["g_loss"][0] + 0.1


def test_acgan_heads_follow_the_label_blocks():
    gan, _ = build("acgan")
    names = layer_names(gan.discriminator)
    assert {"hair_head", "eyes_head", "glasses_head",
            "blush_head"} <= names
    assert gan.discriminator.outputs[1].shape[-1] == (
        faces.LABEL_SPEC.encoded_dim)
    shapes_gan, _ = build("acgan", shapes.LABEL_SPEC)
    assert shapes_gan.discriminator.outputs[1].shape[-1] == 24


@pytest.fixture
def infogan():
    gan, _ = build("infogan", info_categorical=(3, 2), info_continuous=2)
    return gan


def test_infogan_holds_its_code_spec(infogan):
    assert infogan.code_spec == CodeSpec(categorical=(3, 2), continuous=2)
    assert infogan.label_spec is None
    assert infogan.categorical_codes == [3, 2]
    assert infogan.continuous_codes == 2
    assert infogan.code_dim == infogan.code_spec.code_dim == 7
    np.testing.assert_array_equal(
        infogan.sample_codes(8, tf.constant([1, 2])),
        infogan.code_spec.sample(8, tf.constant([1, 2])))
    # Unconditional and label-conditional GANs hold no code spec.
    cgan, _ = build("cgan")
    assert cgan.code_spec is None and cgan.label_spec == faces.LABEL_SPEC
    dcgan, _ = build("dcgan")
    assert dcgan.code_spec is None and dcgan.label_spec is None


def test_infogan_sample_codes(infogan):
    assert infogan.code_dim == 3 + 2 + 2
    codes = infogan.sample_codes(4000, tf.constant([5, 6])).numpy()
    assert codes.shape == (4000, 7) and codes.dtype == np.float32
    for start, k in ((0, 3), (3, 2)):
        block = codes[:, start:start + k]
        assert set(np.unique(block)) == {0.0, 1.0}
        assert np.all(block.sum(axis=1) == 1.0)
        frequencies = block.mean(axis=0)
        assert np.all(np.abs(frequencies - 1 / k) < 0.05), frequencies
    continuous = codes[:, 5:]
    assert continuous.min() >= -1.0 and continuous.max() <= 1.0
    assert np.all(np.abs(continuous.mean(axis=0)) < 0.05)
    assert np.all(np.abs(continuous.std(axis=0) - 1 / np.sqrt(3)) < 0.03)
    np.testing.assert_array_equal(
        codes, infogan.sample_codes(4000, tf.constant([5, 6])).numpy())
    assert not np.array_equal(
        codes, infogan.sample_codes(4000, tf.constant([5, 7])).numpy())


def test_infogan_codes_layout(infogan):
    codes = infogan.codes(categories=[[2, 1], [0, 0]],
                          continuous=[[0.5, -0.25], [1.0, -1.0]])
    np.testing.assert_array_equal(codes, [
        [0, 0, 1, 0, 1, 0.5, -0.25],
        [1, 0, 0, 1, 0, 1.0, -1.0],
    ])
    assert codes.dtype == np.float32
    np.testing.assert_array_equal(infogan.codes(num=2),
                                  [[1, 0, 0, 1, 0, 0, 0]] * 2)
    np.testing.assert_allclose(
        infogan.codes(continuous=[[0.3, 0.1]]), [[1, 0, 0, 1, 0, 0.3, 0.1]])
    only_continuous, _ = build("infogan", info_categorical=(),
                               info_continuous=2)
    np.testing.assert_allclose(
        only_continuous.codes(continuous=[[0.3, 0.1]]), [[0.3, 0.1]])
    assert only_continuous.sample_codes(5, tf.constant([0, 0])).shape == (
        5, 2)


def test_infogan_info_loss_and_mse_code_loss():
    for code_loss in ("crossentropy", "mse"):
        gan, _ = check_trains("infogan", "concat", "none", faces.LABEL_SPEC,
                              graph=code_loss == "mse",
                              info_code_loss=code_loss,
                              loss="least_squares")
        assert gan.code_loss == code_loss
        keras.backend.clear_session(free_memory=False)


# ----------------------------------------------------------------------
# 7. Runs through train_lib: resumption, outputs.

def tiny_faces_config(output_dir, **overrides):
    values = dict(model="acgan", dataset="faces", image_size=32,
                  base_width=4, latent_dim=LATENT, batch_size=BATCH,
                  steps_per_epoch=2, export_format=())
    values.update(overrides)
    return tiny_config(output_dir, **values)


@pytest.mark.slow
def test_resumed_acgan_run_continues_where_it_stopped(tmp_path):
    straight, _ = train_lib.train(tiny_faces_config(tmp_path / "a",
                                                    epochs=2))
    train_lib.train(tiny_faces_config(tmp_path / "b", epochs=1))
    resumed, history = train_lib.train(tiny_faces_config(tmp_path / "b",
                                                         epochs=2))
    assert len(history.history["class_loss"]) == 1
    assert int(resumed.g_optimizer.iterations) == 4
    for a, b in zip(generator_weights(straight), generator_weights(resumed)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    for a, b in zip(straight.discriminator.weights,
                    resumed.discriminator.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4,
                                   atol=1e-5)
    rows = (tmp_path / "b" / "history.csv").read_text().strip().splitlines()
    assert len(rows) == 3 and "class_loss" in rows[0]
    samples = set(os.listdir(tmp_path / "b" / "samples"))
    assert {"epoch_0002.png", "epoch_0002_eyes.png",
            "epoch_0002_glasses.png", "epoch_0002_blush.png"} <= samples
    loaded = keras.saving.load_model(str(tmp_path / "b" / "gan.keras"))
    assert loaded.label_spec == faces.LABEL_SPEC


def test_conditional_run_writes_its_grids_and_export(tmp_path):
    train_lib.train(tiny_faces_config(tmp_path, model="cgan",
                                      steps_per_epoch=1,
                                      export_format=("saved_model",)))
    for name in ("gan.keras", "samples/epoch_0001.png",
                 "samples/epoch_0001_eyes.png", "export/keras_gans.json"):
        assert os.path.getsize(tmp_path / name) > 0, name
