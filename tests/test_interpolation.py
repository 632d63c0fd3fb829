"""--mode=sample --interpolate: latent walks and class blends."""

import os

import numpy as np
import pytest
from absl import flags
from absl.testing import flagsaver

import run
from flags import config_flags
from keras_gans import interpolation
from keras_gans import noise as noise_lib
from keras_gans import train_lib
from keras_gans.datasets import faces
from keras_gans.datasets import shapes
from keras_gans.datasets.labels import LabelSpec
from tests.helpers import LATENT
from tests.helpers import build
from tests.helpers import data_spec
from tests.helpers import tiny_config

FLAGS = flags.FLAGS
CLASSES = LabelSpec.for_classes(("cat", "dog", "owl", "fox", "eel"))


@pytest.fixture(scope="module")
def ring_run(tmp_path_factory):
    """A run directory of an unconditional GAN on 2-D points."""
    run = tmp_path_factory.mktemp("ring")
    train_lib.train(tiny_config(run, export_format=()))
    return str(run)


def test_slerp_walks_the_sphere_between_its_ends():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 4, 100))
    t = np.linspace(0, 1, 5)
    walk = interpolation.slerp(a, b, t)
    np.testing.assert_allclose(walk[:, 0], a, atol=1e-12)
    np.testing.assert_allclose(walk[:, -1], b, atol=1e-12)
    # The norm goes linearly from |a| to |b|; a straight line's midpoint
    # would fall to about 0.71 of it.
    norms = np.linalg.norm(walk, axis=2)
    expected = (1 - t) * np.linalg.norm(a, axis=1)[:, None] + (
        t * np.linalg.norm(b, axis=1)[:, None])
    np.testing.assert_allclose(norms, expected, rtol=1e-10)
    middle = np.linalg.norm(interpolation.lerp(a, b, t)[:, 2], axis=1)
    assert np.all(middle < 0.85 * norms[:, 2])
    # Parallel ends: no great circle, the straight line.
    np.testing.assert_allclose(interpolation.slerp(a, 2 * a, t),
                               interpolation.lerp(a, 2 * a, t))


def test_uniform_noise_is_walked_in_a_straight_line():
    walk, how = interpolation.latent_walk(
        noise_lib.LatentNoise("uniform"), 0, 3, 8)
    assert how == "linear" and walk.shape == (3, interpolation.STEPS, 8)
    np.testing.assert_allclose(walk[:, 4], (walk[:, 0] + walk[:, -1]) / 2,
                               atol=1e-6)
    assert np.abs(walk).max() <= 1.0  # never leaves the box
    _, how = interpolation.latent_walk(noise_lib.STANDARD, 0, 3, 8)
    assert how == "spherical"


@pytest.mark.parametrize("model, label_spec, scheme", [
    ("cgan", faces.LABEL_SPEC, "concat"),
    ("acgan", shapes.LABEL_SPEC, "embedding"),
    ("cgan", CLASSES, "cbn"),
    ("acgan", CLASSES, "dense"),
])
def test_class_blend_goes_from_one_condition_to_the_next(
        tmp_path, model, label_spec, scheme):
    gan, _ = build(model, label_spec, g_conditioning=scheme)
    rng = np.random.default_rng(0)
    for weight in gan.inference_generator.weights:
        # Conditional batch norm starts as plain batch norm (its label
        # Dense layers are zero): give the label a say.
        if len(weight.shape) == 2 and not np.any(weight.numpy()):
            weight.assign(rng.normal(0, 0.5, weight.shape))
    spec = data_spec(label_spec)
    path, samples = interpolation.class_picture(
        gan, spec, LATENT, str(tmp_path / "blend.png"), seed=2)
    assert os.path.getsize(path) > 0
    steps = interpolation.STEPS
    samples = samples.reshape(-1, steps, *samples.shape[1:])
    rows = len(samples)
    z = noise_lib.STANDARD.sample(2, rows, LATENT)
    distinct = interpolation._distinct_conditions(gan, spec, LATENT, 2)
    starts = np.stack(distinct[:rows])
    ends = np.stack(distinct[1:rows + 1])
    # Both ends are the generator's own pictures of those labels, with
    # the row's noise: the blend runs through its layers after the
    # label encoder, and raw integer labels never need blending.
    np.testing.assert_allclose(samples[:, 0], gan.generate(z, starts),
                               atol=1e-5)
    np.testing.assert_allclose(samples[:, -1], gan.generate(z, ends),
                               atol=1e-5)
    middle = samples[:, steps // 2]
    assert np.abs(middle - samples[:, 0]).max() > 1e-6
    assert np.abs(middle - samples[:, -1]).max() > 1e-6


def test_class_blend_between_two_named_conditions(tmp_path):
    gan, _ = build("cgan")
    spec = data_spec(faces.LABEL_SPEC)
    _, samples = interpolation.class_picture(
        gan, spec, LATENT, str(tmp_path / "blend.png"),
        condition="blue hair, red eyes; red hair, red eyes")
    samples = samples.reshape(-1, interpolation.STEPS, *samples.shape[1:])
    assert len(samples) == interpolation.ROWS  # one noise vector a row
    red = faces.LABEL_SPEC.parse_tags("red hair, red eyes")
    z = noise_lib.STANDARD.sample(0, interpolation.ROWS, LATENT)
    np.testing.assert_allclose(
        samples[:, -1],
        gan.generate(z, np.stack([red] * interpolation.ROWS)), atol=1e-5)
    with pytest.raises(ValueError, match="names its two ends.*it names 3"):
        interpolation.class_picture(
            gan, spec, LATENT, str(tmp_path / "x.png"),
            condition="blue hair, red eyes; red hair, red eyes; "
                      "pink hair, red eyes")


def test_infogan_blends_its_categorical_code(tmp_path):
    gan, _ = build("infogan", info_categorical=(3,), info_continuous=1)
    _, samples = interpolation.class_picture(
        gan, data_spec(faces.LABEL_SPEC), LATENT, str(tmp_path / "c.png"))
    samples = samples.reshape(-1, interpolation.STEPS, *samples.shape[1:])
    assert len(samples) == 2  # categories 0 -> 1, 1 -> 2
    z = noise_lib.STANDARD.sample(0, 2, LATENT)
    codes = gan.code_spec.encode(categories=np.array([[1], [2]]),
                                 continuous=np.zeros((2, 1)))
    np.testing.assert_allclose(samples[:, -1], gan.generate(z, codes),
                               atol=1e-5)


def test_latent_walk_of_a_conditional_model_keeps_each_rows_label(
        tmp_path):
    gan, _ = build("acgan", CLASSES)
    spec = data_spec(CLASSES)
    _, samples = interpolation.latent_picture(
        gan, spec, LATENT, str(tmp_path / "walk.png"), seed=1)
    samples = samples.reshape(interpolation.ROWS, interpolation.STEPS,
                              *samples.shape[1:])
    walk, _ = interpolation.latent_walk(noise_lib.STANDARD, 1,
                                        interpolation.ROWS, LATENT)
    labels = np.arange(interpolation.ROWS) % len(CLASSES.names)
    np.testing.assert_allclose(
        samples[:, -1], gan.generate(walk[:, -1], labels.astype("int32")),
        atol=1e-5)


def test_a_run_directory_and_the_unconditional_refusal(ring_run):
    path = interpolation.interpolate(ring_run, "latent")
    assert path == os.path.join(ring_run, "samples",
                                "interpolation_latent.png")
    assert os.path.getsize(path) > 0
    assert interpolation.interpolate(ring_run, "none") is None
    with pytest.raises(ValueError) as error:
        interpolation.interpolate(ring_run, "class")
    message = str(error.value)
    assert "model 'wgan_gp' is unconditional" in message
    # On the command line the flag is named.
    assert config_flags.with_flag_names(message).endswith(
        "Received: --interpolate='class'")
    with pytest.raises(ValueError, match="Unknown interpolate"):
        interpolation.interpolate(ring_run, "classes")


@flagsaver.flagsaver
def test_sample_mode_writes_the_interpolation(ring_run, capsys):
    FLAGS.unparse_flags()
    FLAGS(["run.py", "--mode=sample", f"--output_dir={ring_run}",
           "--interpolate=latent", "--num_samples=10"])
    run._run_mode(config_flags.config_from_flags(FLAGS))
    out = capsys.readouterr().out
    assert "Interpolation written to" in out and "Samples written to" in out
    assert tuple(FLAGS["interpolate"].parser.enum_values) == (
        interpolation.KINDS)
