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

from keras_gans import eval_lib
from keras_gans import export
from keras_gans import run_dir
from keras_gans import sampling
from keras_gans import train_lib
from keras_gans.datasets.codes import CodeSpec

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
    # The endpoints are also the loaded object's functions, with the
    # signature's argument names.
    np.testing.assert_array_equal(
        loaded.generate_raw(z=tf.constant(z))["samples"].numpy(),
        raw.numpy())
    np.testing.assert_array_equal(
        loaded.serving_default(z=tf.constant(z))["samples"].numpy(),
        loaded.signatures["serving_default"](z=tf.constant(z))[
            "samples"].numpy())


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
            "noise": {"distribution": "normal", "scale": 1.0},
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


@pytest.mark.slow
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
        # An int, not a bool or a whole float.
        ({"latent_dim": True}, ValueError,
         "latent_dim must be a positive integer. Received: latent_dim=True"),
        ({"latent_dim": 8.0}, ValueError,
         "latent_dim must be a positive integer. Received: latent_dim=8.0"),
        (
            {"label_spec": {"num_classes": 10}},
            ValueError,
            r"label_spec is not a LabelSpec dict \('kind'\)\. Received: "
            r"label_spec=\{'num_classes': 10\}",
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


# Conditional generators: labels (cGAN, ACGAN) and codes (InfoGAN).

CONDITIONAL_RUNS = {  # model -> dataset of its tiny run
    "acgan": "faces",  # attributes, int32 (batch, 4)
    "cgan": "shapes",  # multi-hot, float32 (batch, 24)
    "infogan": "faces",  # codes, float32 (batch, 12)
}


def _formats():
    try:
        import onnxruntime  # noqa: F401
        import tf2onnx  # noqa: F401
    except ImportError:
        return ("saved_model",)
    return ("saved_model", "onnx")


@pytest.fixture(scope="module")
def tiny_runs(tmp_path_factory):
    """`get(model)`: (gan, run dir, export dir) of a one-step 32px run,
    trained and exported on first use, shared by the module's tests."""
    from keras_gans import config as config_lib
    cache = {}

    def get(model):
        if model not in cache:
            out = tmp_path_factory.mktemp(f"run_{model}")
            config = config_lib.TrainConfig(
                model=model, dataset=CONDITIONAL_RUNS[model], image_size=32,
                epochs=1, steps_per_epoch=1, batch_size=4, base_width=8,
                output_dir=str(out), export_format=(), verbose=0)
            gan, _ = train_lib.train(config)
            export_dir = run_dir.export_run(
                run_dir.read_config(str(out)), gan=gan,
                export_dir=str(out / "export"), formats=_formats())
            cache[model] = gan, str(out), export_dir
        return cache[model]

    return get


def _conditions(gan, batch, seed=0):
    """Valid labels (or codes) for `gan`, in the dataset's format."""
    rng = np.random.default_rng(seed)
    if gan.code_spec is not None:
        return gan.sample_codes(batch, tf.constant([seed, 1])).numpy()
    spec = gan.label_spec
    if spec.kind == "multi_hot":
        return (rng.uniform(size=(batch, len(spec.names))) < 0.2).astype(
            "float32")
    widths = [max(a.width, 2) for a in spec.attributes]
    return np.stack([rng.integers(0, w, batch) for w in widths],
                    axis=1).astype("int32")


@pytest.fixture(scope="module", params=sorted(CONDITIONAL_RUNS))
def conditional_export(request, tiny_runs):
    gan, _, export_dir = tiny_runs(request.param)
    return request.param, gan, export_dir


def _z_for(gan, batch=5, seed=0):
    return np.random.default_rng(seed).standard_normal(
        (batch, gan.latent_dim)).astype("float32")


def test_conditional_export_matches_generate(conditional_export):
    model, gan, export_dir = conditional_export
    sample_fn, _ = export.load_exported(export_dir)
    name = "codes" if model == "infogan" else "labels"
    assert sample_fn.condition == name
    z, condition = _z_for(gan), _conditions(gan, 5)
    expected = np.asarray(gan.generate(z, condition), "float32")
    signatures = sample_fn.saved_model.signatures
    inputs = {"z": tf.constant(z), name: tf.constant(condition)}
    raw = signatures["generate_raw"](**inputs)["samples"].numpy()
    np.testing.assert_allclose(raw, expected, atol=1e-5)
    served = signatures["serving_default"](**inputs)["samples"].numpy()
    assert served.dtype == np.uint8
    np.testing.assert_array_equal(served, export.postprocess(
        raw, "image").numpy())
    from keras_gans import visualize

    _assert_samples_close(sample_fn(z, condition),
                          visualize.to_uint8(expected), "image")
    for signature in signatures.values():
        _, kwargs = signature.structured_input_signature
        assert set(kwargs) == {"z", name}  # keyword inputs
        assert kwargs[name].shape.as_list() == [None, *condition.shape[1:]]
        assert kwargs[name].dtype == condition.dtype
    # The loaded object's functions take the same keywords.
    np.testing.assert_array_equal(
        sample_fn.saved_model.generate_raw(**inputs)["samples"].numpy(), raw)


def test_conditional_metadata(conditional_export):
    model, gan, export_dir = conditional_export
    with open(os.path.join(export_dir, "keras_gans.json")) as f:
        metadata = json.load(f)
    assert metadata["format_version"] == 1
    assert metadata["model"] == model
    assert metadata["dataset"] == CONDITIONAL_RUNS[model]
    assert "g_conditioning" in metadata and "d_conditioning" in metadata
    assert list(metadata["inputs"])[0] == "z"
    if model == "infogan":
        assert metadata["labels"] is None
        codes = metadata["codes"]
        assert codes["categorical"] == gan.categorical_codes
        assert codes["continuous"] == gan.continuous_codes
        assert codes["code_dim"] == gan.code_dim
        assert CodeSpec.from_dict(codes) == gan.code_spec
        assert codes == {**gan.code_spec.to_dict(),
                         "code_dim": gan.code_spec.code_dim,
                         "layout": gan.code_spec.layout(),
                         "format": gan.code_spec.format}
        assert [(c["kind"], c["start"], c["width"])
                for c in codes["layout"]] == (
            [("categorical", 0, gan.categorical_codes[0])]
            + [("continuous", gan.categorical_codes[0] + j, 1)
               for j in range(gan.continuous_codes)])
        assert metadata["inputs"]["codes"] == {
            "shape": [None, gan.code_dim], "dtype": "float32",
            "description": codes["format"]}
        assert "one-hot" in codes["format"] and "[-1, 1]" in codes["format"]
        return
    from keras_gans.datasets import labels as labels_lib

    spec = gan.label_spec
    labels = metadata["labels"]
    assert "codes" not in metadata
    assert labels_lib.LabelSpec.from_dict(labels) == spec
    assert labels["tags"] == list(spec.tags)
    assert labels["shape"] == list(spec.shape)
    assert labels["dtype"] == spec.dtype
    assert metadata["inputs"]["labels"] == {
        "shape": [None, *spec.shape], "dtype": spec.dtype,
        "description": labels["format"]}
    if model == "acgan":
        assert labels["format"].startswith("int32 (batch, 4): one column "
                                           "per attribute")
        assert "binary attributes (glasses, blush) 0/1" in labels["format"]
    else:
        assert labels["format"].startswith("float32 (batch, 24)")


def test_conditional_signature_rejects_wrong_width(conditional_export):
    model, gan, export_dir = conditional_export
    sample_fn, _ = export.load_exported(export_dir)
    name = sample_fn.condition
    signature = sample_fn.saved_model.signatures["serving_default"]
    z, condition = _z_for(gan, 3), _conditions(gan, 3)
    for bad in (condition[:, :-1], condition[:2], condition[:, :1, None]):
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=f"{name} must have shape"):
            signature(z=tf.constant(z), **{name: tf.constant(bad)})
    with pytest.raises(ValueError, match=rf"Received: {name}.shape=\(3, "):
        sample_fn(z, condition[:, :-1])


@pytest.mark.parametrize("model, column, value, match", [
    ("acgan", 0, 12, r"labels\[:, 0\] \(hair\): value index outside "
                     r"\[0, 12\)"),
    ("acgan", 1, -1, r"labels\[:, 1\] \(eyes\): value index outside"),
    ("acgan", 2, 2, r"labels\[:, 2\] \(glasses\): binary value outside "
                    r"\[0, 2\)"),
    ("cgan", 5, 2.0, r"labels: multi-hot values must be 0.0 or 1.0"),
    ("cgan", 5, 0.7, r"labels: multi-hot values must be 0.0 or 1.0"),
    ("infogan", 0, np.nan, "codes must be finite"),
])
def test_out_of_range_conditions_rejected(tiny_runs, model, column, value,
                                          match):
    gan, _, export_dir = tiny_runs(model)
    sample_fn, _ = export.load_exported(export_dir)
    z, condition = _z_for(gan, 3), _conditions(gan, 3)
    condition[1, column] = value
    signatures = sample_fn.saved_model.signatures
    for name in ("serving_default", "generate_raw"):
        with pytest.raises(tf.errors.InvalidArgumentError, match=match):
            signatures[name](z=tf.constant(z), **{
                sample_fn.condition: tf.constant(condition)})
    with pytest.raises(ValueError, match=f"Rejected by the export: {match}"):
        sample_fn(z, condition)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_noise_rejected(exported, tiny_runs, bad):
    """NaN or inf in z gave an all-black image; every export refuses it,
    at the signature and in the client."""
    _, _, unconditional_dir, _ = exported
    gan, _, conditional_dir = tiny_runs("acgan")
    for export_dir, labels in ((unconditional_dir, None),
                               (conditional_dir, _conditions(gan, 2))):
        sample_fn, metadata = export.load_exported(export_dir)
        z = np.zeros((2, metadata["latent_dim"]), "float32")
        z[1, 0] = bad
        inputs = {} if labels is None else {"labels": tf.constant(labels)}
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="z must be finite"):
            sample_fn.saved_model.signatures["serving_default"](
                z=tf.constant(z), **inputs)
        with pytest.raises(ValueError, match="`z` must be finite"):
            sample_fn(z, labels)


def test_sample_fn_without_labels_says_what_it_needs(conditional_export):
    model, gan, export_dir = conditional_export
    sample_fn, _ = export.load_exported(export_dir)
    z = _z_for(gan, 3)
    if model == "infogan":
        match = (rf"needs codes of shape \(3, {gan.code_dim}\) .*"
                 r"categorical code 0, one-hot")
    else:
        match = (rf"needs labels of shape \(3, {gan.label_spec.shape[0]}\)"
                 r" .*parse_tags")
    with pytest.raises(ValueError, match=match):
        sample_fn(z)


def test_conditional_onnx_matches_saved_model(conditional_export):
    pytest.importorskip("tf2onnx")
    ort = pytest.importorskip("onnxruntime")
    model, gan, export_dir = conditional_export
    sample_fn, metadata = export.load_exported(export_dir)
    assert metadata["files"]["onnx"] == "generator.onnx"
    session = ort.InferenceSession(
        os.path.join(export_dir, "generator.onnx"),
        providers=["CPUExecutionProvider"])
    name = sample_fn.condition
    inputs = session.get_inputs()
    assert [i.name for i in inputs] == ["z", name]
    assert [i.shape[0] for i in inputs] == ["batch", "batch"]
    z, condition = _z_for(gan, 4, seed=5), _conditions(gan, 4, seed=5)
    [samples] = session.run(None, {"z": z, name: condition})
    _assert_samples_close(samples, sample_fn(z, condition), "image")


def _tiny_class_generator(num_classes=3):
    """A tiny [z, class index] -> (4, 4, 3) image generator."""
    z = keras.Input((LATENT_DIM,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    embedded = keras.layers.Embedding(num_classes, 4)(labels)
    x = keras.layers.Concatenate()([z, embedded])
    x = keras.layers.Dense(4 * 4 * 3, activation="tanh")(x)
    x = keras.layers.Reshape((4, 4, 3))(x)
    return keras.Model([z, labels], x, name="tiny_class_generator")


def test_class_label_export_round_trip(tmp_path):
    from keras_gans.datasets import labels as labels_lib

    spec = labels_lib.LabelSpec.for_classes(["cat", "dog", "fox"])
    generator = _tiny_class_generator()
    metadata = export.export_generator(
        generator, str(tmp_path), latent_dim=LATENT_DIM,
        sample_kind="image", dataset="pets", label_spec=spec)
    assert metadata["labels"]["format"] == (
        "int32 (batch,): the class index in `names`, 0 to 2")
    assert metadata["inputs"]["labels"]["shape"] == [None]
    sample_fn, _ = export.load_exported(str(tmp_path))
    z = _z(batch=3)
    labels = np.stack([spec.parse_tags(t) for t in ("fox", "cat", "dog")])
    _assert_samples_close(
        sample_fn(z, labels),
        _expected_samples(generator, [z, labels], "image"), "image")
    with pytest.raises(ValueError, match=r"class index outside \[0, 3\)"):
        sample_fn(z, np.array([0, 3, 1]))
    with pytest.raises(ValueError, match="integer indices"):
        sample_fn(z, np.array([0.5, 1.0, 1.0]))
    with pytest.raises(ValueError, match=r"labels.shape=\(2,\)"):
        sample_fn(z, labels[:2])


def _tiny_code_generator(code_dim):
    """A tiny [z, codes (batch, code_dim)] -> (4, 4, 3) image generator."""
    z = keras.Input((LATENT_DIM,), name="z")
    codes = keras.Input((code_dim,), name="codes")
    x = keras.layers.Concatenate()([z, codes])
    x = keras.layers.Dense(4 * 4 * 3, activation="tanh")(x)
    x = keras.layers.Reshape((4, 4, 3))(x)
    return keras.Model([z, codes], x, name="tiny_code_generator")


def test_code_export_takes_a_code_spec_or_its_dict(tmp_path):
    spec = CodeSpec(categorical=(3, 2), continuous=2)
    generator = _tiny_code_generator(spec.code_dim)
    exports = {}
    for how, code_spec in (("spec", spec), ("dict", spec.to_dict())):
        exports[how] = export.export_generator(
            generator, str(tmp_path / how), latent_dim=LATENT_DIM,
            sample_kind="image", dataset="tiny", code_spec=code_spec,
            formats=("saved_model",))
    assert exports["spec"] == exports["dict"]
    codes = exports["spec"]["codes"]
    assert list(codes) == ["categorical", "continuous", "code_dim",
                           "layout", "format"]
    assert codes["categorical"] == [3, 2] and codes["continuous"] == 2
    assert codes["code_dim"] == 7
    assert codes["layout"] == spec.layout()
    assert codes["format"] == spec.format
    # A client rebuilds the spec from the metadata.
    assert CodeSpec.from_dict(codes) == spec
    sample_fn, _ = export.load_exported(str(tmp_path / "dict"))
    z = _z(batch=4)
    condition = CodeSpec.from_dict(codes).random(4, seed=0)
    _assert_samples_close(
        sample_fn(z, condition),
        _expected_samples(generator, [z, condition], "image"), "image")


@pytest.mark.parametrize("kwargs, match", [
    ({"label_spec": "faces"}, "must be a LabelSpec"),
    ({"code_spec": {"categorical": [1]}}, "2 or more categories"),
    ({"code_spec": {"categorical": [10], "discrete": 2}},
     "keys 'categorical'"),
    ({"code_spec": [10]}, r"must be a CodeSpec or a dict .*code_spec=\[10\]"),
    ({"code_spec": {"continuous": 0}}, "continuous codes >= 1"),
    ({"code_spec": {"categorical": [2.0]}},
     r"\(integers\)\. Received: code_spec=\{'categorical': \[2\.0\]\}"),
    ({"code_spec": CodeSpec(continuous=2)},
     r"must take two inputs \[z \(batch, latent_dim=8\), codes \(batch, "
     r"2\) float32\]"),
    ({"code_spec": {"continuous": 2}},
     r"must take two inputs \[z \(batch, latent_dim=8\), codes \(batch, "
     r"2\) float32\]"),
    ({"label_spec": {"kind": "class", "names": ["a", "b"]},
      "code_spec": {"continuous": 2}}, "labels or codes, not both"),
    ({"extra_metadata": {"codes": 1}}, r"extra_metadata keys=\['codes'\]"),
])
def test_bad_conditional_arguments_raise(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        export.export_generator(
            _tiny_generator("image"), str(tmp_path), latent_dim=LATENT_DIM,
            sample_kind="image", dataset="tiny", **kwargs)
    assert not os.listdir(tmp_path)


def test_unconditional_sample_fn_refuses_labels(exported):
    _, _, export_dir, _ = exported
    sample_fn, _ = export.load_exported(export_dir)
    assert sample_fn.condition is None and sample_fn.label_spec is None
    with pytest.raises(ValueError, match="export is unconditional"):
        sample_fn(_z(batch=2), np.zeros((2, 4), "int32"))


# sampling.sample of conditional runs.


def test_sample_with_a_condition(tiny_runs, tmp_path):
    gan, run_dir, _ = tiny_runs("acgan")
    path = str(tmp_path / "blue.png")
    samples, written = sampling.sample(
        run_dir, 6, seed=1, path=path, condition="blue hair, red eyes")
    assert written == path and os.path.getsize(path) > 0
    assert samples.shape == (6, 32, 32, 3) and samples.dtype == np.uint8
    np.testing.assert_array_equal(np.load(tmp_path / "blue.npy"), samples)
    labels = np.load(tmp_path / "blue_labels.npy")
    expected = gan.label_spec.parse_tags("blue hair, red eyes")
    assert labels.shape == (6, 4) and labels.dtype == np.int32
    assert (labels == expected).all()
    # Several conditions: a row each, the same noise in every row.
    samples, _ = sampling.sample(
        run_dir, 3, seed=1, path=str(tmp_path / "rows.png"),
        condition="blue hair, red eyes; green hair blue eyes glasses")
    labels = np.load(tmp_path / "rows_labels.npy")
    assert samples.shape == (6, 32, 32, 3)
    assert labels.tolist() == [expected.tolist()] * 3 + [
        gan.label_spec.parse_tags("green hair blue eyes glasses").tolist()
    ] * 3


def test_sample_with_an_unknown_tag_lists_known_tags(tiny_runs, tmp_path):
    from keras_gans.datasets import labels as labels_lib

    _, run_dir, _ = tiny_runs("acgan")
    with pytest.raises(labels_lib.UnknownTagError,
                       match="Unknown tag 'plaid hair'.*Known tags: "
                             "'orange hair'.*'blue eyes', 'glasses'"):
        sampling.sample(run_dir, 2, path=str(tmp_path / "x.png"),
                         condition="plaid hair, red eyes")
    assert not os.path.exists(tmp_path / "x.png")


def test_sample_without_condition_writes_the_grids(tiny_runs, tmp_path):
    from keras_gans import sample_grids
    gan, run_dir, _ = tiny_runs("acgan")
    samples, path = sampling.sample(run_dir, 4, path=str(
        tmp_path / "grid.png"))
    assert path == str(tmp_path / "grid.png")
    columns = sample_grids.COLUMNS
    # faces: hair (12 rows), eyes (11), glasses and blush (2 each).
    assert len(samples) == (12 + 11 + 2 + 2) * columns
    assert sorted(os.listdir(tmp_path)) == [
        "grid.npy", "grid.png", "grid_blush.png", "grid_eyes.png",
        "grid_glasses.png", "grid_labels.npy"]
    labels = np.load(tmp_path / "grid_labels.npy")
    assert labels.shape == (len(samples), 4)
    assert set(labels[:12 * columns, 0]) == set(range(12))


@pytest.mark.parametrize("model", ["infogan", "unconditional"])
def test_sample_condition_of_a_model_without_labels(tiny_runs, tmp_path,
                                                   model):
    from keras_gans import config as config_lib
    if model == "infogan":
        gan, run_dir, _ = tiny_runs("infogan")
        samples, path = sampling.sample(run_dir, 5, path=str(
            tmp_path / "codes.png"))
        assert samples.shape == (5, 32, 32, 3)
        codes = np.load(tmp_path / "codes_codes.npy")
        assert codes.shape == (5, gan.code_dim)
        match = "model 'infogan' takes InfoGAN codes, not labels"
    else:
        run_dir = str(tmp_path / "ring")
        train_lib.train(config_lib.TrainConfig(
            model="dcgan", dataset="ring", epochs=1, steps_per_epoch=1,
            batch_size=8, output_dir=run_dir, export_format=(),
            verbose=0))
        match = "model 'dcgan' is unconditional"
    with pytest.raises(ValueError, match=match):
        sampling.sample(run_dir, 2, condition="blue hair, red eyes")


def test_evaluate_an_infogan_export_draws_random_codes(tiny_runs, tmp_path):
    from keras_gans import config as config_lib
    _, _, export_dir = tiny_runs("infogan")
    result, path = eval_lib.evaluate(
        config_lib.TrainConfig(), export_dir=export_dir, num_samples=20,
        report_dir=str(tmp_path))
    assert os.path.exists(path)
    metrics = result["metrics"]
    assert "fd" in metrics and "distinct/hair" in metrics
    assert not any(k.startswith("accuracy") for k in metrics)
