"""Export a trained generator for serving: SavedModel (+ ONNX) and metadata.

The export directory holds a TensorFlow SavedModel (`saved_model.pb`
directly inside it), optionally `generator.onnx`, and `keras_gans.json`,
which describes the contract a client needs:

- signature `serving_default`: input `z`, float32 of shape
  (batch, latent_dim), drawn from a standard normal; output dict with one key
  `samples`: uint8 NHWC images in [0, 255] of shape (batch, H, W, C) for
  image generators, float32 points of shape (batch, D) for point generators.
- signature `generate_raw`: same inputs, output `samples` is the generator's
  raw float32 output (images in [-1, 1]).
- `generator.onnx` (when asked for): the `serving_default` computation, the
  same inputs, output `samples`, dynamic batch dimension named `batch`.

Conditional generators take a second input, after `z` (both signatures and
ONNX), with the same batch size as `z`:

- `labels` (cGAN, ACGAN; `metadata["labels"]` is not null): the dataset's
  labels in their raw format, `metadata["labels"]["shape"]` after the batch
  and `metadata["labels"]["dtype"]`:
  - `"class"`: int32 (batch,), the class index in `names`.
  - `"attributes"`: int32 (batch, num_attributes), one column per
    attribute, the value's index in its `values` list; binary attributes
    0/1.
  - `"multi_hot"`: float32 (batch, len(names)), 1.0 where the label is
    present, else 0.0.
  `metadata["labels"]["tags"]` lists the tags ("blue hair", "glasses",
  ...); `LabelSpec.from_dict(metadata["labels"]).parse_tags("blue hair, red
  eyes")` turns text into a label. The SavedModel rejects a wrong rank or
  width at the signature, and a class or attribute index outside [0, n), a
  multi-hot value outside [0, 1] or a batch size other than z's with an
  InvalidArgumentError naming the problem.
- `codes` (InfoGAN; `metadata["codes"]` present): float32 (batch,
  code_dim): each categorical code one-hot over its categories, then the
  continuous codes (uniform in [-1, 1] in training; values outside
  extrapolate). `metadata["codes"]["layout"]` lists which columns are which
  code.

`metadata["inputs"]` describes every input (shape, dtype, description), so
a client can build requests without reading this code. The ONNX model
checks shapes and dtypes only: it does not reject out-of-range label
values (an out-of-range index gives an all-zero one-hot, i.e. garbage).

Example:

```python
metadata = export_generator(
    gan.generator, "exports/dcgan", latent_dim=100, sample_kind="image",
    dataset="mnist", formats=("saved_model", "onnx"))
sample, metadata = load_exported("exports/dcgan")
images = sample(np.random.normal(size=(16, 100)).astype("float32"))
# images: uint8 array of shape (16, 28, 28, 1).

# A conditional export (faces, attributes):
sample, metadata = load_exported("exports/acgan")
labels = np.stack([sample.label_spec.parse_tags("blue hair, red eyes")] * 16)
images = sample(np.random.normal(size=(16, 100)).astype("float32"), labels)
```
"""

import json
import os
import re
import warnings

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_gans import validation
from keras_gans.datasets import labels as labels_lib

FORMAT_VERSION = 1
METADATA_FILENAME = "keras_gans.json"
ONNX_FILENAME = "generator.onnx"
SIGNATURE_NAME = "serving_default"
RAW_SIGNATURE_NAME = "generate_raw"
OUTPUT_KEY = "samples"
Z_INPUT = "z"
LABELS_INPUT = "labels"
CODES_INPUT = "codes"

SAMPLE_KINDS = ("image", "points")
FORMATS = ("saved_model", "onnx")
# Keys of keras_gans.json that `extra_metadata` may not set, beside those
# every export writes ("codes" is only written by code exports).
RESERVED_KEYS = ("codes",)


def postprocess(raw, sample_kind):
    """Turns raw generator output into the served samples.

    Works on backend tensors and on symbolic `keras.KerasTensor`s.

    Args:
        raw: Generator output. Images of shape (batch, H, W, C) in [-1, 1]
            or points of shape (batch, D); any float dtype.
        sample_kind: `"image"` or `"points"`.

    Returns:
        For images, uint8 of shape (batch, H, W, C):
        clip(round((raw + 1) * 127.5), 0, 255), rounding half to even.
        For points, `raw` cast to float32, shape (batch, D).
    """
    validation.check_choice("sample_kind", sample_kind, SAMPLE_KINDS)
    raw = ops.cast(raw, "float32")
    if sample_kind == "points":
        return raw
    pixels = ops.clip(ops.round((raw + 1.0) * 127.5), 0.0, 255.0)
    return ops.cast(pixels, "uint8")


# The conditional input: what it is, its checks and its metadata.


def _label_format(label_spec):
    """The human description of a label batch (metadata "format")."""
    shape = ", ".join(["batch"] + [str(d) for d in label_spec.shape])
    if label_spec.kind == "class":
        return (
            f"int32 ({shape},): the class index in `names`, 0 to "
            f"{len(label_spec.names) - 1}"
        )
    if label_spec.kind == "multi_hot":
        return (
            f"float32 ({shape}): one column per name in `names`, 1.0 where "
            "the label is present, else 0.0"
        )
    binary = [a.name for a in label_spec.attributes if a.binary]
    columns = ", ".join(a.name for a in label_spec.attributes)
    text = (
        f"int32 ({shape}): one column per attribute ({columns}), the "
        "value's index in its `values` list"
    )
    if binary:
        text += f"; binary attributes ({', '.join(binary)}) 0/1"
    return text


def _as_label_spec(label_spec):
    if isinstance(label_spec, dict) and "kind" in label_spec:
        try:
            return labels_lib.LabelSpec.from_dict(label_spec)
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(
                f"`label_spec` is not a LabelSpec dict ({e}). Received: "
                f"label_spec={label_spec!r}"
            ) from e
    if not isinstance(label_spec, labels_lib.LabelSpec):
        raise ValueError(
            "`label_spec` of a conditional generator must be a LabelSpec "
            "(the dataset's `DataSpec.label_spec`) or its `to_dict()`. "
            f"Received: label_spec={label_spec!r}"
        )
    return label_spec


def _check_code_spec(code_spec):
    """(categorical counts, continuous count) of a valid `code_spec`."""
    if not isinstance(code_spec, dict) or set(code_spec) - {
            "categorical", "continuous"}:
        raise ValueError(
            "`code_spec` must be a dict with keys 'categorical' (a list of "
            "category counts) and 'continuous' (how many continuous codes), "
            "e.g. {'categorical': [10], 'continuous': 2}. "
            f"Received: code_spec={code_spec!r}"
        )
    categorical = code_spec.get("categorical", [])
    continuous = code_spec.get("continuous", 0)
    try:
        counts = [int(k) for k in categorical]
        ok = all(int(k) == k for k in categorical) and int(
            continuous) == continuous
    except (TypeError, ValueError):
        ok = False
    if not ok or any(k < 2 for k in counts) or continuous < 0 or not (
            sum(counts) + continuous):
        raise ValueError(
            "`code_spec` needs categorical codes of 2 or more categories "
            "and/or continuous codes >= 1. "
            f"Received: code_spec={code_spec!r}"
        )
    return counts, int(continuous)


def _code_layout(categorical, continuous):
    layout, start = [], 0
    for i, k in enumerate(categorical):
        layout.append({"name": f"categorical{i}", "kind": "categorical",
                       "start": start, "width": k, "categories": k})
        start += k
    for j in range(continuous):
        layout.append({"name": f"continuous{j}", "kind": "continuous",
                       "start": start, "width": 1, "range": [-1.0, 1.0]})
        start += 1
    return layout


def _code_format(categorical, continuous):
    parts, start = [], 0
    for i, k in enumerate(categorical):
        parts.append(
            f"columns {start}-{start + k - 1}: categorical code {i}, one-hot "
            f"over {k} categories")
        start += k
    if continuous:
        last = start + continuous - 1
        where = (f"column {start}" if continuous == 1
                 else f"columns {start}-{last}")
        parts.append(
            f"{where}: continuous code{'s' if continuous > 1 else ''} "
            f"{', '.join(str(j) for j in range(continuous))}, uniform in "
            "[-1, 1] in training (values outside extrapolate)")
    return (f"float32 (batch, {start + continuous}): "
            + "; ".join(parts))


class _Condition:
    """A conditional generator's second input: name, spec, checks and
    metadata."""

    def __init__(self, name, shape, dtype, description, checks):
        self.name = name
        self.shape = tuple(shape)  # per sample
        self.dtype = dtype
        self.description = description
        self._checks = checks

    def tensor_spec(self):
        return tf.TensorSpec([None, *self.shape], self.dtype, name=self.name)

    def input_metadata(self):
        return {"shape": [None, *self.shape], "dtype": self.dtype,
                "description": self.description}

    def checked(self, z, condition):
        """`condition` after run-time assertions: its shape, batch size,
        then values.

        A loaded signature passes tensors of any shape through, and its
        graph takes the rank it was traced with for granted (shape ops on
        it fold to constants): the element count and the sizes after the
        batch are what can be checked at run time.
        """
        shape = ", ".join(["batch"] + [str(d) for d in self.shape])
        message = f"{self.name} must have shape ({shape})"
        batch = tf.shape(z)[0]
        sizes = tf.shape(condition)
        per_sample = int(np.prod(self.shape, dtype="int64"))
        asserts = [tf.debugging.assert_equal(
            tf.size(tf.reshape(condition, [-1])), batch * per_sample,
            message=f"{message}, batch the size of {Z_INPUT}'s batch")]
        if self.shape:
            asserts.append(tf.debugging.assert_equal(
                sizes[1:], tf.constant(self.shape, sizes.dtype),
                message=message))
        with tf.control_dependencies(asserts):
            condition = tf.identity(condition)
        with tf.control_dependencies(self._checks(condition)):
            return tf.identity(condition)


def _label_condition(label_spec):
    def checks(labels):
        if label_spec.kind == "multi_hot":
            return [tf.debugging.assert_equal(
                tf.reduce_all((labels >= 0.0) & (labels <= 1.0)), True,
                message="labels: multi-hot values must be in [0, 1] (1.0 "
                "where a label is present, 0.0 elsewhere)")]
        if label_spec.kind == "class":
            columns = [(labels, len(label_spec.names),
                        "labels: class index")]
        else:
            columns = [
                (labels[:, i], max(a.width, 2),
                 f"labels[:, {i}] ({a.name}): "
                 + ("binary value" if a.binary else "value index"))
                for i, a in enumerate(label_spec.attributes)
            ]
        out = []
        for column, count, what in columns:
            ok = tf.reduce_all((column >= 0) & (column < count))
            out.append(tf.debugging.assert_equal(
                ok, True, message=f"{what} outside [0, {count})"))
        return out

    return _Condition(LABELS_INPUT, label_spec.shape, label_spec.dtype,
                      _label_format(label_spec), checks)


def _code_condition(categorical, continuous):
    def checks(codes):
        return [tf.debugging.assert_equal(
            tf.reduce_all(tf.math.is_finite(codes)), True,
            message="codes must be finite")]

    return _Condition(CODES_INPUT, (sum(categorical) + continuous,),
                      "float32", _code_format(categorical, continuous),
                      checks)


def _check_generator(generator, latent_dim, sample_kind, condition=None):
    """Validates the generator and returns its per-sample output shape."""
    if not isinstance(generator, keras.Model):
        raise ValueError(
            "`generator` must be a keras.Model. "
            f"Received: generator={type(generator).__name__}"
        )
    if not generator.built:
        raise ValueError(
            "`generator` must be built (called once or built with its input "
            "shape) so that its weights exist. "
            f"Received: generator={generator.name} (unbuilt)"
        )
    if not isinstance(latent_dim, int) or latent_dim <= 0:
        raise ValueError(
            f"`latent_dim` must be a positive int. Received: "
            f"latent_dim={latent_dim!r}"
        )
    expected = f"one input of shape (batch, latent_dim={latent_dim})"
    if condition is not None:
        shape = ", ".join(["batch"] + [str(d) for d in condition.shape])
        expected = (f"two inputs [z (batch, latent_dim={latent_dim}), "
                    f"{condition.name} ({shape}) {condition.dtype}]")
    inputs = getattr(generator, "inputs", None)
    if inputs:
        shapes = [tuple(x.shape) for x in inputs]
        wanted = [(None, latent_dim)]
        if condition is not None:
            wanted.append((None, *condition.shape))
        if len(shapes) != len(wanted) or any(
                len(s) != len(w) or any(
                    a not in (None, b) for a, b in zip(s[1:], w[1:]))
                for s, w in zip(shapes, wanted)):
            raise ValueError(
                f"`generator` must take {expected}. "
                f"Received: generator input shapes={shapes}"
            )
    spec = keras.KerasTensor((None, latent_dim), dtype="float32")
    called_on = f"z of shape (batch, {latent_dim})"
    if condition is not None:
        called_on = expected
        spec = [spec, keras.KerasTensor((None, *condition.shape),
                                        dtype=condition.dtype)]
    try:
        out = generator.compute_output_spec(spec)
    except Exception as e:  # Any mismatch inside the user's network.
        raise ValueError(
            f"`generator` cannot be called on {called_on}: {e} "
            f"Received: latent_dim={latent_dim}"
        ) from e
    if not isinstance(out, keras.KerasTensor):
        raise ValueError(
            "`generator` must return a single tensor. "
            f"Received: output structure={out}"
        )
    rank = 4 if sample_kind == "image" else 2
    shape = tuple(out.shape)
    if len(shape) != rank or any(d is None for d in shape[1:]):
        expected = "(batch, H, W, C)" if rank == 4 else "(batch, D)"
        raise ValueError(
            f"A generator with sample_kind={sample_kind!r} must return "
            f"{expected} with static sizes after the batch. "
            f"Received: output shape={shape}"
        )
    return [int(d) for d in shape[1:]]


def _z_spec(latent_dim):
    return tf.TensorSpec([None, latent_dim], tf.float32, name=Z_INPUT)


def _write_saved_model(generator, export_dir, latent_dim, sample_kind,
                       condition=None):
    archive = keras.export.ExportArchive()
    # No `archive.track(generator)`: in Keras <= 3.15 (TF backend) tracking
    # stores every weight twice, once per Keras wrapper and once per captured
    # tf.Variable (keras-team/keras#23553): 2x disk and 2x serving memory.
    # The endpoints capture every variable they use, which is all serving
    # needs; only the revived object's `.variables` attribute is lost.

    if condition is None:
        def serve(z):
            raw = generator(z, training=False)
            return {OUTPUT_KEY: postprocess(raw, sample_kind)}

        def generate_raw(z):
            raw = generator(z, training=False)
            return {OUTPUT_KEY: ops.cast(raw, "float32")}

        specs = [_z_spec(latent_dim)]
    else:
        # The argument names are the signature's input names.
        def raw_output(z, labels):
            labels = condition.checked(z, labels)
            return generator([z, labels], training=False)

        if condition.name == LABELS_INPUT:
            def serve(z, labels):
                raw = raw_output(z, labels)
                return {OUTPUT_KEY: postprocess(raw, sample_kind)}

            def generate_raw(z, labels):
                return {OUTPUT_KEY: ops.cast(raw_output(z, labels),
                                             "float32")}
        else:
            def serve(z, codes):
                raw = raw_output(z, codes)
                return {OUTPUT_KEY: postprocess(raw, sample_kind)}

            def generate_raw(z, codes):
                return {OUTPUT_KEY: ops.cast(raw_output(z, codes),
                                             "float32")}

        specs = [_z_spec(latent_dim), condition.tensor_spec()]

    # serving_default is added first and by name, so Keras does not alias
    # another endpoint to it.
    archive.add_endpoint(SIGNATURE_NAME, serve, specs)
    archive.add_endpoint(RAW_SIGNATURE_NAME, generate_raw, specs)
    archive.write_out(export_dir, verbose=False)


def _write_onnx(generator, path, latent_dim, sample_kind, condition=None):
    try:
        import onnx
        import tf2onnx  # noqa: F401  (used by Keras' ONNX export)
    except ImportError as e:
        raise ImportError(
            "ONNX export needs tf2onnx and onnx: "
            'pip install "keras_gans[onnx]". '
            f"Original error: {e}"
        ) from e

    # A functional wrapper whose call is generator + post-processing, so
    # Keras' own ONNX export (via tf2onnx) converts the served computation.
    z = keras.Input((latent_dim,), dtype="float32", name=Z_INPUT)
    if condition is None:
        inputs, generator_inputs = z, z
        signature = [_z_spec(latent_dim)]
    else:
        # No value checks here: tf2onnx has no Assert; the SavedModel has
        # them.
        second = keras.Input(condition.shape, dtype=condition.dtype,
                             name=condition.name)
        inputs = generator_inputs = [z, second]
        # A multi-input model takes its inputs as one (list) argument.
        signature = [[_z_spec(latent_dim), condition.tensor_spec()]]
    samples = postprocess(generator(generator_inputs, training=False),
                          sample_kind)
    wrapper = keras.Model(inputs, {OUTPUT_KEY: samples},
                          name="serving_wrapper")
    with warnings.catch_warnings():
        # Keras' numpy-2 patch for tf2onnx probes `np.object`.
        warnings.filterwarnings(
            "ignore", message=".*np.object.*", category=FutureWarning
        )
        wrapper.export(
            path,
            format="onnx",
            verbose=False,
            input_signature=signature,
        )
    # tf2onnx names the dynamic batch dimension `unk__N` (one name per
    # tensor); call it `batch` on every input and output so runtimes know
    # they are the same size.
    model = onnx.load(path)
    for value in list(model.graph.input) + list(model.graph.output):
        dims = value.type.tensor_type.shape.dim
        if dims and not dims[0].HasField("dim_value"):
            dims[0].dim_param = "batch"
    onnx.save(model, path)


def export_generator(
    generator,
    export_dir,
    *,
    latent_dim,
    sample_kind,
    dataset,
    label_spec=None,
    code_spec=None,
    formats=("saved_model",),
    extra_metadata=None,
):
    """Exports a generator for serving, with a metadata JSON beside it.

    Args:
        generator: A built `keras.Model` mapping float32 z of shape
            (batch, latent_dim) to images of shape (batch, H, W, C) in
            [-1, 1] (`sample_kind="image"`) or points of shape (batch, D)
            (`sample_kind="points"`); with `label_spec` or `code_spec`, it
            takes `[z, labels]` or `[z, codes]` instead.
        export_dir: Directory to write (created if missing). Gets
            `saved_model.pb` (+ `variables/`), `generator.onnx` when asked
            for, and `keras_gans.json`.
        latent_dim: int, size of z.
        sample_kind: `"image"` or `"points"`.
        dataset: JSON-serializable description of the training data
            (usually its name), stored in the metadata.
        label_spec: For a label-conditional generator (cGAN, ACGAN): its
            `LabelSpec` (or `LabelSpec.to_dict()`). The generator's second
            input is `labels`, (batch,) + label_spec.shape of
            label_spec.dtype (see the module docstring).
        code_spec: For an InfoGAN generator: a dict `{"categorical": [10],
            "continuous": 2}` (category count of each categorical code,
            number of continuous codes). The second input is `codes`,
            float32 (batch, code_dim). Not with `label_spec`.
        formats: Iterable of `"saved_model"` and/or `"onnx"`.
        extra_metadata: Optional dict merged into the metadata (e.g. model
            name, training step). It may not override the keys written here
            (nor "codes").

    Returns:
        The metadata dict written to `keras_gans.json`.

    Raises:
        ValueError: Unknown `sample_kind` or format, a generator that does
            not take (batch, latent_dim) (and the conditional input) or
            returns the wrong rank, a bad `label_spec` or `code_spec`,
            both of them, or `extra_metadata` overriding a reserved key.
        ImportError: `"onnx"` asked for without tf2onnx / onnx installed.
    """
    validation.check_choice("sample_kind", sample_kind, SAMPLE_KINDS)
    if isinstance(formats, str):
        formats = (formats,)
    formats = tuple(formats)
    if not formats:
        raise ValueError(
            f"`formats` must name at least one of: {', '.join(FORMATS)}. "
            f"Received: formats={formats}"
        )
    for fmt in formats:
        validation.check_choice("format", fmt, FORMATS)
    if label_spec is not None and code_spec is not None:
        raise ValueError(
            "A generator takes labels or codes, not both: pass label_spec "
            "or code_spec. Received: "
            f"label_spec={label_spec!r}, code_spec={code_spec!r}"
        )
    condition = labels_metadata = codes_metadata = None
    if label_spec is not None:
        label_spec = _as_label_spec(label_spec)
        condition = _label_condition(label_spec)
        labels_metadata = label_spec.to_dict()
        labels_metadata["format"] = condition.description
        labels_metadata["tags"] = list(label_spec.tags)
    elif code_spec is not None:
        categorical, continuous = _check_code_spec(code_spec)
        condition = _code_condition(categorical, continuous)
        codes_metadata = {
            "categorical": categorical,
            "continuous": continuous,
            "code_dim": sum(categorical) + continuous,
            "layout": _code_layout(categorical, continuous),
            "format": condition.description,
        }
    sample_shape = _check_generator(generator, latent_dim, sample_kind,
                                    condition)

    files = {}
    if "saved_model" in formats:
        files["saved_model"] = "saved_model.pb"
    if "onnx" in formats:
        files["onnx"] = ONNX_FILENAME
    is_image = sample_kind == "image"
    inputs = {
        Z_INPUT: {
            "shape": [None, latent_dim],
            "dtype": "float32",
            "distribution": "standard normal",
        }
    }
    if condition is not None:
        inputs[condition.name] = condition.input_metadata()
    metadata = {
        "format_version": FORMAT_VERSION,
        "latent_dim": latent_dim,
        "sample_kind": sample_kind,
        "sample_shape": sample_shape,
        "output_dtype": "uint8" if is_image else "float32",
        "output_range": [0, 255] if is_image else None,
        "dataset": dataset,
        "labels": labels_metadata,
        "inputs": inputs,
        "signature": SIGNATURE_NAME,
        "files": files,
    }
    if codes_metadata is not None:
        # Only in code exports: unconditional metadata stay as they were.
        metadata["codes"] = codes_metadata
    extra_metadata = dict(extra_metadata or {})
    clash = sorted(set(extra_metadata) & (set(metadata) | set(RESERVED_KEYS)))
    if clash:
        raise ValueError(
            "`extra_metadata` may not override the exported contract. "
            f"Received: extra_metadata keys={clash}"
        )
    metadata.update(extra_metadata)
    text = json.dumps(metadata, indent=2)  # Fails early if not JSON-able.

    export_dir = os.fspath(export_dir)
    os.makedirs(export_dir, exist_ok=True)
    if "saved_model" in formats:
        _write_saved_model(generator, export_dir, latent_dim, sample_kind,
                           condition)
    if "onnx" in formats:
        _write_onnx(
            generator,
            os.path.join(export_dir, ONNX_FILENAME),
            latent_dim,
            sample_kind,
            condition,
        )
    with open(os.path.join(export_dir, METADATA_FILENAME), "w") as f:
        f.write(text + "\n")
    return metadata


def _condition_of(metadata):
    """(input name, per-sample shape, dtype, LabelSpec or None) of an
    export's conditional input, or None for an unconditional export."""
    if metadata.get("labels"):
        labels = metadata["labels"]
        return (LABELS_INPUT, tuple(labels["shape"]), labels["dtype"],
                labels_lib.LabelSpec.from_dict(labels))
    if metadata.get("codes"):
        return (CODES_INPUT, (int(metadata["codes"]["code_dim"]),),
                "float32", None)
    return None


def _assertion_text(error):
    """The message of a signature's failed assertion ("labels[:, 0]
    (hair): value index outside [0, 12)"), else the error's text."""
    text = str(getattr(error, "message", error)).strip()
    found = re.search(r"assertion failed: \[(.*?)\] \[Condition", text)
    if found:
        return found.group(1)
    lines = [line for line in text.splitlines()
             if line.strip() and "Graph execution error" not in line]
    return lines[0].strip() if lines else type(error).__name__


def load_exported(export_dir):
    """Loads an export written by `export_generator`.

    Args:
        export_dir: The export directory.

    Returns:
        A tuple `(sample_fn, metadata)`. `sample_fn(z, labels=None)` takes
        a float array z of shape (batch, latent_dim) and, for a conditional
        export, its labels ((batch,) + `metadata["labels"]["shape"]`) or
        InfoGAN codes ((batch, code_dim)) as `labels`; it returns a numpy
        array of samples from the `serving_default` signature: uint8
        (batch, H, W, C) images or float32 (batch, D) points.
        `sample_fn.saved_model` is the loaded SavedModel,
        `sample_fn.condition` the conditional input's name (`"labels"`,
        `"codes"` or None) and `sample_fn.label_spec` the `LabelSpec` of a
        label-conditional export (None otherwise). `metadata` is the
        `keras_gans.json` dict.

    Raises:
        ValueError: The directory holds no metadata, an unknown
            `format_version`, or no SavedModel. `sample_fn` raises
            ValueError for z of the wrong shape, labels (or codes) missing
            from a conditional export (the message names the expected
            shape and format), given to an unconditional one, of the wrong
            shape or, for int32 labels, not integers, and for values the
            export rejects ("Rejected by the export: labels[:, 0] (hair):
            value index outside [0, 12)").
    """
    export_dir = os.fspath(export_dir)
    meta_path = os.path.join(export_dir, METADATA_FILENAME)
    if not os.path.exists(meta_path):
        raise ValueError(
            f"No {METADATA_FILENAME} in the export directory. "
            f"Received: export_dir={export_dir!r}"
        )
    with open(meta_path) as f:
        metadata = json.load(f)
    version = metadata.get("format_version")
    if version != FORMAT_VERSION:
        raise ValueError(
            f"Unsupported export format_version (this version of keras_gans "
            f"reads {FORMAT_VERSION}). Received: format_version={version!r}"
        )
    if "saved_model" not in metadata.get("files", {}):
        raise ValueError(
            "The export holds no SavedModel (it was exported with "
            f"formats={sorted(metadata.get('files', {}))}). "
            f"Received: export_dir={export_dir!r}"
        )
    loaded = tf.saved_model.load(export_dir)
    signature = loaded.signatures[metadata["signature"]]
    latent_dim = metadata["latent_dim"]
    condition = _condition_of(metadata)

    def check_condition(labels, batch):
        name, shape, dtype, label_spec = condition
        expected = ", ".join([str(batch)] + [str(d) for d in shape])
        expected = f"({expected},)" if not shape else f"({expected})"
        how = (f"{metadata['labels']['format']}; use "
               "LabelSpec.parse_tags (here sample_fn.label_spec.parse_tags)"
               " to make a label from tags such as "
               f"{', '.join(repr(t) for t in label_spec.tags[:3])}"
               if label_spec is not None
               else metadata["codes"]["format"])
        if labels is None:
            raise ValueError(
                f"This export is conditional: sample_fn(z, {name}) needs "
                f"{name} of shape {expected} (z has {batch} rows), "
                f"{how}. Received: {name}=None"
            )
        labels = np.asarray(labels)
        if labels.shape != (batch, *shape):
            raise ValueError(
                f"`{name}` must have shape {expected} (z has {batch} "
                f"rows), {how}. Received: {name}.shape={labels.shape}"
            )
        if dtype == "int32":
            if not (np.issubdtype(labels.dtype, np.integer) or np.all(
                    np.asarray(labels, "float64") % 1 == 0)):
                raise ValueError(
                    f"`{name}` must hold integer indices: {how}. "
                    f"Received: {name} of dtype {labels.dtype}"
                )
        return tf.constant(labels.astype(dtype))

    def sample_fn(z, labels=None):
        z = np.asarray(z, dtype="float32")
        if z.ndim != 2 or z.shape[1] != latent_dim:
            raise ValueError(
                f"`z` must have shape (batch, {latent_dim}). "
                f"Received: z.shape={z.shape}"
            )
        inputs = {Z_INPUT: tf.constant(z)}
        if condition is None:
            if labels is not None:
                raise ValueError(
                    "This export is unconditional: its generator takes z "
                    "only. Received: labels of shape "
                    f"{np.shape(labels)}"
                )
        else:
            inputs[condition[0]] = check_condition(labels, len(z))
        try:
            return signature(**inputs)[OUTPUT_KEY].numpy()
        except tf.errors.InvalidArgumentError as e:
            if condition is None:
                raise
            # The signature's value checks (indices out of range, ...).
            raise ValueError(
                f"Rejected by the export: {_assertion_text(e)}"
            ) from e

    # Keep the loaded object alive with the function: a signature whose
    # loaded object was garbage collected loses its variables. Also handy
    # for clients who want `sample_fn.saved_model.signatures["generate_raw"]`.
    sample_fn.saved_model = loaded
    sample_fn.condition = None if condition is None else condition[0]
    sample_fn.label_spec = None if condition is None else condition[3]
    return sample_fn, metadata
