"""Tests for keras_gans.export: SavedModel, ONNX and metadata round trips."""

import json
import os
import shutil
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import export

LATENT_DIM = 8


def _tiny_generator(sample_kind, latent_dim=LATENT_DIM):
    """A tiny functional generator: images (4, 4, 3) in [-1, 1] or 2-D."""
    z = keras.Input((latent_dim,))
    if sample_kind == "image":
        # A large kernel spreads outputs over the whole tanh range, so the
        # uint8 conversion sees values near -1, 0 and 1.
        x = keras.layers.Dense(
            4 * 4 * 3,
            kernel_initializer=keras.initializers.RandomNormal(stddev=1.0),
        )(z)
        x = keras.layers.Reshape((4, 4, 3))(x)
        x = keras.layers.Activation("tanh")(x)
    else:
        x = keras.layers.Dense(2)(z)
    return keras.Model(z, x, name=f"tiny_{sample_kind}_generator")


class TinySubclassedGenerator(keras.Model):
    """A subclassed points generator: no `inputs` to read latent_dim from."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)

    def call(self, z):
        return self.dense(z)


def _expected_samples(generator, z, sample_kind):
    raw = np.asarray(generator(z, training=False), dtype="float32")
    if sample_kind == "points":
        return raw
    return np.clip(np.round((raw + 1.0) * 127.5), 0, 255).astype("uint8")


def _z(batch=5, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((batch, LATENT_DIM)).astype("float32")


def _assert_samples_close(actual, expected, sample_kind):
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    if sample_kind == "image":
        # Float rounding may differ between runtimes right at .5 boundaries.
        diff = np.abs(actual.astype(int) - expected.astype(int))
        assert diff.max() <= 1
    else:
        np.testing.assert_allclose(actual, expected, atol=1e-5)


@pytest.fixture(scope="module", params=["image", "points"])
def exported(request, tmp_path_factory):
    """Exports one tiny generator per sample kind (SavedModel + ONNX)."""
    sample_kind = request.param
    formats = ["saved_model"]
    try:
        import onnxruntime  # noqa: F401
        import tf2onnx  # noqa: F401

        formats.append("onnx")
    except ImportError:
        pass
    keras.utils.set_random_seed(1)
    generator = _tiny_generator(sample_kind)
    export_dir = str(tmp_path_factory.mktemp(f"export_{sample_kind}"))
    metadata = export.export_generator(
        generator,
        export_dir,
        latent_dim=LATENT_DIM,
        sample_kind=sample_kind,
        dataset="tiny",
        formats=formats,
        extra_metadata={"model": "tiny", "step": 3},
    )
    return sample_kind, generator, export_dir, metadata


def test_serving_default_matches_generator(exported):
    sample_kind, generator, export_dir, _ = exported
    loaded = tf.saved_model.load(export_dir)
    signature = loaded.signatures["serving_default"]
    z = _z()
    out = signature(z=tf.constant(z))
    assert set(out) == {"samples"}
    samples = out["samples"].numpy()
    if sample_kind == "image":
        assert samples.dtype == np.uint8
        assert samples.shape == (5, 4, 4, 3)
        # The conversion covers the range, not a constant.
        assert samples.min() < 64 and samples.max() > 192
    else:
        assert samples.dtype == np.float32
        assert samples.shape == (5, 2)
    _assert_samples_close(
        samples, _expected_samples(generator, z, sample_kind), sample_kind
    )


def test_signature_specs_and_raw_endpoint(exported):
    sample_kind, generator, export_dir, _ = exported
    loaded = tf.saved_model.load(export_dir)
    for name in ("serving_default", "generate_raw"):
        _, kwargs = loaded.signatures[name].structured_input_signature
        assert list(kwargs) == ["z"]
        assert kwargs["z"].shape.as_list() == [None, LATENT_DIM]
        assert kwargs["z"].dtype == tf.float32
    z = _z(batch=3, seed=1)
    raw = loaded.signatures["generate_raw"](z=tf.constant(z))["samples"]
    assert raw.dtype == tf.float32
    np.testing.assert_allclose(
        raw.numpy(), np.asarray(generator(z, training=False)), atol=1e-6
    )


def test_weights_stored_once(exported):
    # Guards against keras-team/keras#23553 (ExportArchive.track() stores
    # every weight twice).
    _, generator, export_dir, _ = exported
    stored = tf.train.list_variables(
        os.path.join(export_dir, "variables", "variables")
    )
    n_values = sum(
        int(np.prod(shape)) for name, shape in stored
        if "OBJECT_GRAPH" not in name
    )
    assert n_values == generator.count_params()


def test_metadata_json(exported):
    sample_kind, _, export_dir, metadata = exported
    with open(os.path.join(export_dir, "keras_gans.json")) as f:
        on_disk = json.load(f)
    assert on_disk == metadata
    is_image = sample_kind == "image"
    assert on_disk["format_version"] == 1
    assert on_disk["latent_dim"] == LATENT_DIM
    assert on_disk["sample_kind"] == sample_kind
    assert on_disk["sample_shape"] == ([4, 4, 3] if is_image else [2])
    assert on_disk["output_dtype"] == ("uint8" if is_image else "float32")
    assert on_disk["output_range"] == ([0, 255] if is_image else None)
    assert on_disk["dataset"] == "tiny"
    assert on_disk["labels"] is None
    assert on_disk["inputs"] == {
        "z": {
            "shape": [None, LATENT_DIM],
            "dtype": "float32",
            "distribution": "standard normal",
        }
    }
    assert on_disk["signature"] == "serving_default"
    assert on_disk["files"]["saved_model"] == "saved_model.pb"
    assert os.path.exists(os.path.join(export_dir, "saved_model.pb"))
    for name in on_disk["files"].values():
        assert os.path.exists(os.path.join(export_dir, name))
    assert on_disk["model"] == "tiny" and on_disk["step"] == 3


def test_load_exported(exported):
    sample_kind, generator, export_dir, metadata = exported
    sample_fn, loaded_metadata = export.load_exported(export_dir)
    assert loaded_metadata == metadata
    z = _z(batch=2, seed=2)
    _assert_samples_close(
        sample_fn(z), _expected_samples(generator, z, sample_kind),
        sample_kind,
    )
    with pytest.raises(ValueError, match="Received: z.shape"):
        sample_fn(np.zeros((2, LATENT_DIM + 1), "float32"))


def test_onnx_matches_saved_model(exported):
    pytest.importorskip("tf2onnx")
    ort = pytest.importorskip("onnxruntime")
    sample_kind, _, export_dir, metadata = exported
    assert metadata["files"]["onnx"] == "generator.onnx"
    session = ort.InferenceSession(
        os.path.join(export_dir, "generator.onnx"),
        providers=["CPUExecutionProvider"],
    )
    [onnx_input] = session.get_inputs()
    [onnx_output] = session.get_outputs()
    assert onnx_input.name == "z"
    assert onnx_input.shape == ["batch", LATENT_DIM]
    assert onnx_output.name == "samples"
    z = _z(batch=7, seed=3)
    [onnx_samples] = session.run(None, {"z": z})
    signature = tf.saved_model.load(export_dir).signatures["serving_default"]
    tf_samples = signature(z=tf.constant(z))["samples"].numpy()
    _assert_samples_close(onnx_samples, tf_samples, sample_kind)


def test_saved_model_cli_sees_signature(tmp_path):
    generator = _tiny_generator("points")
    export_dir = str(tmp_path / "export")
    export.export_generator(
        generator, export_dir, latent_dim=LATENT_DIM, sample_kind="points",
        dataset="tiny",
    )
    if shutil.which("saved_model_cli"):
        cmd = ["saved_model_cli"]
    else:
        cmd = [sys.executable, "-m", "tensorflow.python.tools.saved_model_cli"]
    result = subprocess.run(
        cmd + ["show", "--dir", export_dir, "--all"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    serving = out[out.index("signature_def['serving_default']"):]
    serving = serving[:serving.index("Method name is")]
    assert "inputs['z'] tensor_info:" in serving
    assert "dtype: DT_FLOAT" in serving
    assert f"shape: (-1, {LATENT_DIM})" in serving
    assert "outputs['samples'] tensor_info:" in serving
    assert "signature_def['generate_raw']" in out


def test_onnx_only_export(tmp_path):
    pytest.importorskip("tf2onnx")
    generator = _tiny_generator("points")
    export_dir = str(tmp_path / "export")
    metadata = export.export_generator(
        generator, export_dir, latent_dim=LATENT_DIM, sample_kind="points",
        dataset="tiny", formats="onnx",
    )
    assert metadata["files"] == {"onnx": "generator.onnx"}
    assert os.path.exists(os.path.join(export_dir, "generator.onnx"))
    assert not os.path.exists(os.path.join(export_dir, "saved_model.pb"))
    with pytest.raises(ValueError, match="no SavedModel"):
        export.load_exported(export_dir)


def test_onnx_without_tf2onnx_asks_for_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "tf2onnx", None)  # import -> error
    with pytest.raises(ImportError, match=r"keras_gans\[onnx\]"):
        export.export_generator(
            _tiny_generator("points"), str(tmp_path), latent_dim=LATENT_DIM,
            sample_kind="points", dataset="tiny", formats=("onnx",),
        )


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"sample_kind": "video"},
            ValueError,
            r"'image', 'points'\. Received: sample_kind='video'",
        ),
        (
            {"formats": ("saved_model", "tflite")},
            ValueError,
            r"'saved_model', 'onnx'\. Received: format='tflite'",
        ),
        ({"formats": ()}, ValueError, "Received: formats=()"),
        ({"latent_dim": LATENT_DIM + 1}, ValueError, "latent_dim=9"),
        ({"latent_dim": 0}, ValueError, "Received: latent_dim=0"),
        (
            {"label_spec": {"num_classes": 10}},
            NotImplementedError,
            "conditional",
        ),
        (
            {"extra_metadata": {"latent_dim": 3}},
            ValueError,
            r"Received: extra_metadata keys=\['latent_dim'\]",
        ),
    ],
)
def test_bad_arguments_raise(tmp_path, kwargs, error, match):
    args = dict(
        latent_dim=LATENT_DIM, sample_kind="image", dataset="tiny"
    )
    args.update(kwargs)
    with pytest.raises(error, match=match):
        export.export_generator(
            _tiny_generator("image"), str(tmp_path), **args
        )
    assert not os.listdir(tmp_path)  # Nothing written on a bad call.


def test_wrong_generator_raises(tmp_path):
    kwargs = dict(latent_dim=LATENT_DIM, dataset="tiny")
    # A points generator is rank 2, not an image generator.
    with pytest.raises(ValueError, match=r"Received: output shape=\(None, 2"):
        export.export_generator(
            _tiny_generator("points"), str(tmp_path), sample_kind="image",
            **kwargs,
        )
    # A subclassed generator that is not built has no weights to export.
    with pytest.raises(ValueError, match="must be built"):
        export.export_generator(
            TinySubclassedGenerator(), str(tmp_path), sample_kind="points",
            **kwargs,
        )
    # Built on a different latent size: the symbolic call fails.
    built_on_4 = TinySubclassedGenerator()
    built_on_4(np.zeros((1, 4), "float32"))
    with pytest.raises(ValueError, match="cannot be called on z"):
        export.export_generator(
            built_on_4, str(tmp_path), sample_kind="points", **kwargs
        )
    assert not os.listdir(tmp_path)


def test_subclassed_generator_exports(tmp_path):
    generator = TinySubclassedGenerator()
    generator(np.zeros((1, LATENT_DIM), "float32"))
    export.export_generator(
        generator, str(tmp_path), latent_dim=LATENT_DIM,
        sample_kind="points", dataset="tiny",
    )
    sample_fn, metadata = export.load_exported(str(tmp_path))
    assert metadata["sample_shape"] == [2]
    z = _z(batch=3)
    np.testing.assert_allclose(
        sample_fn(z), np.asarray(generator(z)), atol=1e-5
    )
