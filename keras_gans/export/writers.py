"""Writing an export: the generator's checks, the SavedModel and ONNX
writers, and `export_generator`, which writes both and the metadata.

The contract they follow (input names, served output, conditional input,
metadata) is `keras_gans.export.contract`.
"""

import inspect
import json
import os
import warnings

import keras
from keras import ops

from keras_gans import validation
from keras_gans.export import contract


def _check_generator(generator, latent_dim, sample_kind, condition=None):
    """Validates the generator and returns its per-sample output shape.

    Args:
        generator: what `export_generator` received.
        latent_dim: int (already checked), size of z.
        sample_kind: `"image"` or `"points"`.
        condition: the conditional input's `contract.Condition`, or None.

    Returns:
        The per-sample output shape, a list of ints: [H, W, C] or [D].

    Raises:
        ValueError: not a built keras.Model, inputs other than z (and the
            condition), or an output of the wrong rank.
    """
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


def _input_specs(latent_dim, condition=None):
    """The inputs' TensorSpecs, in order: z, then the condition's."""
    specs = [contract.z_spec(latent_dim)]
    if condition is not None:
        specs.append(condition.tensor_spec())
    return specs


def _endpoint(generator, sample_kind, condition=None, raw=False):
    """A SavedModel endpoint: fn(z[, labels or codes]) -> {"samples": ...}.

    The SavedModel names a signature's inputs, and the saved function's
    arguments, after the Python function's parameters: one function
    serves every conditional input by declaring its parameter names
    (`z`, then `labels` or `codes`) in `__signature__`, which
    `tf.function` reads.

    Args:
        generator: the generator.
        sample_kind: `"image"` or `"points"`.
        condition: the conditional input's `contract.Condition`, or None.
        raw: return the generator's raw float32 output (`generate_raw`)
            instead of the served samples (`serving_default`).

    Returns:
        The endpoint function, named `generate_raw` or `serve`.
    """
    names = [contract.Z_INPUT] + ([condition.name] if condition else [])
    parameter = inspect.Parameter.POSITIONAL_OR_KEYWORD
    signature = inspect.Signature(
        [inspect.Parameter(name, parameter) for name in names])

    def endpoint(*args, **kwargs):
        inputs = signature.bind(*args, **kwargs).arguments
        z = contract.checked_z(inputs[contract.Z_INPUT])
        generator_inputs = z
        if condition is not None:
            generator_inputs = [z, condition.checked(z,
                                                     inputs[condition.name])]
        out = generator(generator_inputs, training=False)
        out = (ops.cast(out, "float32") if raw
               else contract.postprocess(out, sample_kind))
        return {contract.OUTPUT_KEY: out}

    endpoint.__signature__ = signature
    # The name of the saved functions (`__inference_serve_...`).
    endpoint.__name__ = endpoint.__qualname__ = (
        "generate_raw" if raw else "serve")
    return endpoint


def _write_saved_model(generator, export_dir, latent_dim, sample_kind,
                       condition=None):
    archive = keras.export.ExportArchive()
    # No `archive.track(generator)`: in Keras <= 3.15 (TF backend) tracking
    # stores every weight twice, once per Keras wrapper and once per captured
    # tf.Variable (keras-team/keras#23553): 2x disk and 2x serving memory.
    # The endpoints capture every variable they use, which is all serving
    # needs; only the revived object's `.variables` attribute is lost.
    specs = _input_specs(latent_dim, condition)
    # serving_default is added first and by name, so Keras does not alias
    # another endpoint to it.
    for name, raw in ((contract.SIGNATURE_NAME, False),
                      (contract.RAW_SIGNATURE_NAME, True)):
        archive.add_endpoint(
            name, _endpoint(generator, sample_kind, condition, raw), specs)
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
    z = keras.Input((latent_dim,), dtype="float32", name=contract.Z_INPUT)
    if condition is None:
        inputs = generator_inputs = z
        signature = _input_specs(latent_dim)
    else:
        # No value checks here: tf2onnx has no Assert; the SavedModel has
        # them.
        second = keras.Input(condition.shape, dtype=condition.dtype,
                             name=condition.name)
        inputs = generator_inputs = [z, second]
        # A multi-input model takes its inputs as one (list) argument.
        signature = [_input_specs(latent_dim, condition)]
    samples = contract.postprocess(
        generator(generator_inputs, training=False), sample_kind)
    wrapper = keras.Model(inputs, {contract.OUTPUT_KEY: samples},
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


def _policies_to_float32(config):
    """A copy of a serialized Keras config with every dtype policy float32."""
    if isinstance(config, list):
        return [_policies_to_float32(item) for item in config]
    if not isinstance(config, dict):
        return config
    if config.get("class_name") in ("DTypePolicy", "FloatDTypePolicy"):
        return dict(config, config=dict(config["config"], name="float32"))
    return {key: _policies_to_float32(value) for key, value in config.items()}


def float32_generator(generator):
    """`generator`, or a float32 copy when its layers compute in a mixed
    policy (--precision): the served model computes in float32 whatever
    the training precision (ONNX runtimes mostly lack bfloat16 kernels,
    and clients get full-precision samples). The variables are float32 in
    every policy, so the copy takes the same weights."""
    if all(layer.compute_dtype == "float32"
           for layer in generator._flatten_layers(include_self=False)):
        return generator
    config = _policies_to_float32(
        keras.saving.serialize_keras_object(generator))
    copy = keras.saving.deserialize_keras_object(config)
    copy.set_weights(generator.get_weights())
    return copy


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
    noise=None,
):
    """Exports a generator for serving, with a metadata JSON beside it.

    Args:
        generator: A built `keras.Model` mapping float32 z of shape
            (batch, latent_dim) to images of shape (batch, H, W, C) in
            [-1, 1] (`sample_kind="image"`) or points of shape (batch, D)
            (`sample_kind="points"`); with `label_spec` or `code_spec`, it
            takes `[z, labels]` or `[z, codes]` instead. One built under a
            mixed precision policy is exported as its float32 copy
            (`float32_generator`).
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
            label_spec.dtype (see the package docstring).
        code_spec: For an InfoGAN generator: its `CodeSpec`
            (`InfoGAN.code_spec`) or `CodeSpec.to_dict()`, e.g.
            `{"categorical": [10], "continuous": 2}` (category count of
            each categorical code, number of continuous codes). The second
            input is `codes`, float32 (batch, code_dim). Not with
            `label_spec`.
        formats: Iterable of `"saved_model"` and/or `"onnx"`.
        extra_metadata: Optional dict merged into the metadata (e.g. model
            name, training step). It may not override the keys written here
            (nor "codes").
        noise: the `keras_gans.noise.LatentNoise` the generator was trained
            on (None: standard normal), written into the z input's entry.

    Returns:
        The metadata dict written to `keras_gans.json`.

    Raises:
        ValueError: Unknown `sample_kind` or format, a `latent_dim` that
            is not a positive integer, a generator that does not take
            (batch, latent_dim) (and the conditional input) or returns the
            wrong rank, a bad `label_spec` or `code_spec`, both of them,
            or `extra_metadata` overriding a reserved key.
        ImportError: `"onnx"` asked for without tf2onnx / onnx installed.
    """
    validation.check_choice("sample_kind", sample_kind,
                            contract.SAMPLE_KINDS)
    if isinstance(formats, str):
        formats = (formats,)
    formats = tuple(formats)
    if not formats:
        raise ValueError(
            "`formats` must name at least one of: "
            f"{', '.join(contract.FORMATS)}. Received: formats={formats}"
        )
    for fmt in formats:
        validation.check_choice("format", fmt, contract.FORMATS)
    latent_dim = validation.check_int("latent_dim", latent_dim)
    condition = contract.conditional_input(label_spec, code_spec)
    sample_shape = _check_generator(generator, latent_dim, sample_kind,
                                    condition)
    generator = float32_generator(generator)
    metadata = contract.build_metadata(
        latent_dim=latent_dim, sample_kind=sample_kind,
        sample_shape=sample_shape, dataset=dataset, formats=formats,
        condition=condition, extra_metadata=extra_metadata, noise=noise)
    text = json.dumps(metadata, indent=2)  # Fails early if not JSON-able.

    export_dir = os.fspath(export_dir)
    os.makedirs(export_dir, exist_ok=True)
    if "saved_model" in formats:
        _write_saved_model(generator, export_dir, latent_dim, sample_kind,
                           condition)
    if "onnx" in formats:
        _write_onnx(
            generator,
            os.path.join(export_dir, contract.ONNX_FILENAME),
            latent_dim,
            sample_kind,
            condition,
        )
    with open(os.path.join(export_dir, contract.METADATA_FILENAME),
              "w") as f:
        f.write(text + "\n")
    return metadata
