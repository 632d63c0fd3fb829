"""Export a trained generator for serving: SavedModel (+ ONNX) and metadata.

The export directory holds a TensorFlow SavedModel (`saved_model.pb`
directly inside it), optionally `generator.onnx`, and `keras_gans.json`,
which describes the contract a client needs:

- signature `serving_default`: input `z`, float32 of shape
  (batch, latent_dim), drawn from a standard normal; output dict with one key
  `samples`: uint8 NHWC images in [0, 255] of shape (batch, H, W, C) for
  image generators, float32 points of shape (batch, D) for point generators.
- signature `generate_raw`: same input, output `samples` is the generator's
  raw float32 output (images in [-1, 1]).
- `generator.onnx` (when asked for): the `serving_default` computation, input
  `z`, output `samples`, dynamic batch dimension named `batch`.

Example:

```python
metadata = export_generator(
    gan.generator, "exports/dcgan", latent_dim=100, sample_kind="image",
    dataset="mnist", formats=("saved_model", "onnx"))
sample, metadata = load_exported("exports/dcgan")
images = sample(np.random.normal(size=(16, 100)).astype("float32"))
# images: uint8 array of shape (16, 28, 28, 1).
```
"""

import json
import os
import warnings

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_gans import choices

FORMAT_VERSION = 1
METADATA_FILENAME = "keras_gans.json"
ONNX_FILENAME = "generator.onnx"
SIGNATURE_NAME = "serving_default"
RAW_SIGNATURE_NAME = "generate_raw"
OUTPUT_KEY = "samples"

SAMPLE_KINDS = ("image", "points")
FORMATS = ("saved_model", "onnx")


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
    choices.check_choice("sample_kind", sample_kind, SAMPLE_KINDS)
    raw = ops.cast(raw, "float32")
    if sample_kind == "points":
        return raw
    pixels = ops.clip(ops.round((raw + 1.0) * 127.5), 0.0, 255.0)
    return ops.cast(pixels, "uint8")


def _check_generator(generator, latent_dim, sample_kind):
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
    inputs = getattr(generator, "inputs", None)
    if inputs:
        shapes = [tuple(x.shape) for x in inputs]
        if len(shapes) != 1 or len(shapes[0]) != 2 or (
            shapes[0][-1] not in (None, latent_dim)
        ):
            raise ValueError(
                "`generator` must take one input of shape (batch, "
                f"latent_dim={latent_dim}). Received: generator input "
                f"shapes={shapes}"
            )
    spec = keras.KerasTensor((None, latent_dim), dtype="float32")
    try:
        out = generator.compute_output_spec(spec)
    except Exception as e:  # Any mismatch inside the user's network.
        raise ValueError(
            f"`generator` cannot be called on z of shape (batch, "
            f"{latent_dim}): {e} Received: latent_dim={latent_dim}"
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
    return tf.TensorSpec([None, latent_dim], tf.float32, name="z")


def _write_saved_model(generator, export_dir, latent_dim, sample_kind):
    archive = keras.export.ExportArchive()
    # No `archive.track(generator)`: in Keras <= 3.15 (TF backend) tracking
    # stores every weight twice, once per Keras wrapper and once per captured
    # tf.Variable (keras-team/keras#23553): 2x disk and 2x serving memory.
    # The endpoints capture every variable they use, which is all serving
    # needs; only the revived object's `.variables` attribute is lost.

    def serve(z):
        raw = generator(z, training=False)
        return {OUTPUT_KEY: postprocess(raw, sample_kind)}

    def generate_raw(z):
        raw = generator(z, training=False)
        return {OUTPUT_KEY: ops.cast(raw, "float32")}

    # serving_default is added first and by name, so Keras does not alias
    # another endpoint to it.
    archive.add_endpoint(SIGNATURE_NAME, serve, [_z_spec(latent_dim)])
    archive.add_endpoint(
        RAW_SIGNATURE_NAME, generate_raw, [_z_spec(latent_dim)]
    )
    archive.write_out(export_dir, verbose=False)


def _write_onnx(generator, path, latent_dim, sample_kind):
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
    z = keras.Input((latent_dim,), dtype="float32", name="z")
    samples = postprocess(generator(z, training=False), sample_kind)
    wrapper = keras.Model(z, {OUTPUT_KEY: samples}, name="serving_wrapper")
    with warnings.catch_warnings():
        # Keras' numpy-2 patch for tf2onnx probes `np.object`.
        warnings.filterwarnings(
            "ignore", message=".*np.object.*", category=FutureWarning
        )
        wrapper.export(
            path,
            format="onnx",
            verbose=False,
            input_signature=[_z_spec(latent_dim)],
        )
    # tf2onnx names the dynamic batch dimension `unk__N`; call it `batch`
    # on the input and output so runtimes know they are the same size.
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
    formats=("saved_model",),
    extra_metadata=None,
):
    """Exports a generator for serving, with a metadata JSON beside it.

    Args:
        generator: A built `keras.Model` mapping float32 z of shape
            (batch, latent_dim) to images of shape (batch, H, W, C) in
            [-1, 1] (`sample_kind="image"`) or points of shape (batch, D)
            (`sample_kind="points"`).
        export_dir: Directory to write (created if missing). Gets
            `saved_model.pb` (+ `variables/`), `generator.onnx` when asked
            for, and `keras_gans.json`.
        latent_dim: int, size of z.
        sample_kind: `"image"` or `"points"`.
        dataset: JSON-serializable description of the training data
            (usually its name), stored in the metadata.
        label_spec: Reserved for conditional generators; must be None.
        formats: Iterable of `"saved_model"` and/or `"onnx"`.
        extra_metadata: Optional dict merged into the metadata (e.g. model
            name, training step). It may not override the keys written here.

    Returns:
        The metadata dict written to `keras_gans.json`.

    Raises:
        ValueError: Unknown `sample_kind` or format, a generator that does
            not take (batch, latent_dim) or returns the wrong rank, or
            `extra_metadata` overriding a reserved key.
        NotImplementedError: `label_spec` is not None.
        ImportError: `"onnx"` asked for without tf2onnx / onnx installed.
    """
    choices.check_choice("sample_kind", sample_kind, SAMPLE_KINDS)
    if isinstance(formats, str):
        formats = (formats,)
    formats = tuple(formats)
    if not formats:
        raise ValueError(
            f"`formats` must name at least one of: {', '.join(FORMATS)}. "
            f"Received: formats={formats}"
        )
    for fmt in formats:
        choices.check_choice("format", fmt, FORMATS)
    if label_spec is not None:
        raise NotImplementedError(
            "Exporting conditional generators (with a `labels` input) is not "
            "supported yet; pass label_spec=None. "
            f"Received: label_spec={label_spec!r}"
        )
    sample_shape = _check_generator(generator, latent_dim, sample_kind)

    files = {}
    if "saved_model" in formats:
        files["saved_model"] = "saved_model.pb"
    if "onnx" in formats:
        files["onnx"] = ONNX_FILENAME
    is_image = sample_kind == "image"
    metadata = {
        "format_version": FORMAT_VERSION,
        "latent_dim": latent_dim,
        "sample_kind": sample_kind,
        "sample_shape": sample_shape,
        "output_dtype": "uint8" if is_image else "float32",
        "output_range": [0, 255] if is_image else None,
        "dataset": dataset,
        "labels": None,
        "inputs": {
            "z": {
                "shape": [None, latent_dim],
                "dtype": "float32",
                "distribution": "standard normal",
            }
        },
        "signature": SIGNATURE_NAME,
        "files": files,
    }
    extra_metadata = dict(extra_metadata or {})
    clash = sorted(set(extra_metadata) & set(metadata))
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
        _write_saved_model(generator, export_dir, latent_dim, sample_kind)
    if "onnx" in formats:
        _write_onnx(
            generator,
            os.path.join(export_dir, ONNX_FILENAME),
            latent_dim,
            sample_kind,
        )
    with open(os.path.join(export_dir, METADATA_FILENAME), "w") as f:
        f.write(text + "\n")
    return metadata


def load_exported(export_dir):
    """Loads an export written by `export_generator`.

    Args:
        export_dir: The export directory.

    Returns:
        A tuple `(sample_fn, metadata)`. `sample_fn(z)` takes a float array
        of shape (batch, latent_dim) and returns a numpy array of samples
        from the `serving_default` signature: uint8 (batch, H, W, C) images
        or float32 (batch, D) points; `sample_fn.saved_model` is the loaded
        SavedModel. `metadata` is the `keras_gans.json` dict.

    Raises:
        ValueError: The directory holds no metadata, an unknown
            `format_version`, or no SavedModel.
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

    def sample_fn(z):
        z = np.asarray(z, dtype="float32")
        if z.ndim != 2 or z.shape[1] != latent_dim:
            raise ValueError(
                f"`z` must have shape (batch, {latent_dim}). "
                f"Received: z.shape={z.shape}"
            )
        return signature(z=tf.constant(z))[OUTPUT_KEY].numpy()

    # Keep the loaded object alive with the function: a signature whose
    # loaded object was garbage collected loses its variables. Also handy
    # for clients who want `sample_fn.saved_model.signatures["generate_raw"]`.
    sample_fn.saved_model = loaded
    return sample_fn, metadata
