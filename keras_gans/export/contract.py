"""The export contract: input names, constants, the served output, the
conditional input (labels or codes) and the metadata (keras_gans.json).

What the writers (`keras_gans.export.writers`) produce and the client
(`keras_gans.export.client`) reads; the package docstring describes it for
clients.
"""

import numpy as np
import tensorflow as tf
from keras import ops

from keras_gans import noise as noise_lib
from keras_gans import validation
from keras_gans.datasets import codes as codes_lib
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


def z_spec(latent_dim):
    """The `z` input's TensorSpec: float32 (batch, latent_dim)."""
    return tf.TensorSpec([None, latent_dim], tf.float32, name=Z_INPUT)


def checked_z(z):
    """`z` after a run-time check that it is finite: NaN or inf noise gives
    an all-black image, not an error, without it."""
    with tf.control_dependencies([tf.debugging.assert_equal(
            tf.reduce_all(tf.math.is_finite(z)), True,
            message=f"{Z_INPUT} must be finite (no NaN or inf)")]):
        return tf.identity(z)


def label_format(label_spec):
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


class Condition:
    """A conditional generator's second input: name, spec, checks and
    metadata.

    Args:
        name: the input's name (`"labels"` or `"codes"`).
        shape: the shape of one sample's condition (after the batch).
        dtype: `"int32"` or `"float32"`.
        description: the human description of a batch (metadata
            "format").
        checks: fn(condition tensor) -> list of assertion ops on its
            values.
        metadata: the metadata entry (`metadata["labels"]` or
            `metadata["codes"]`).
    """

    def __init__(self, name, shape, dtype, description, checks, metadata):
        self.name = name
        self.shape = tuple(shape)  # per sample
        self.dtype = dtype
        self.description = description
        self.metadata = metadata
        self._checks = checks

    def tensor_spec(self):
        """The input's TensorSpec: (batch,) + shape of dtype, named."""
        return tf.TensorSpec([None, *self.shape], self.dtype, name=self.name)

    def input_metadata(self):
        """The input's `metadata["inputs"]` entry."""
        return {"shape": [None, *self.shape], "dtype": self.dtype,
                "description": self.description}

    def checked(self, z, condition):
        """`condition` after run-time assertions: its shape, batch size,
        then values.

        A loaded signature passes tensors of any shape through, and its
        graph takes the rank it was traced with for granted (shape ops on
        it fold to constants): the element count and the sizes after the
        batch are what can be checked at run time.

        Args:
            z: the noise tensor, (batch, latent_dim).
            condition: the condition tensor, (batch,) + shape.

        Returns:
            `condition`, run after its assertions.
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


def label_condition(label_spec):
    """The `labels` input of a label-conditional generator (a LabelSpec)."""
    def checks(labels):
        if label_spec.kind == "multi_hot":
            # Exactly 0 or 1: a 0.7 would feed the generator a label
            # mixture it never trained on.
            return [tf.debugging.assert_equal(
                tf.reduce_all((labels == 0.0) | (labels == 1.0)), True,
                message="labels: multi-hot values must be 0.0 or 1.0 (1.0 "
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

    description = label_format(label_spec)
    metadata = label_spec.to_dict()
    metadata["format"] = description
    metadata["tags"] = list(label_spec.tags)
    return Condition(LABELS_INPUT, label_spec.shape, label_spec.dtype,
                     description, checks, metadata)


def code_condition(code_spec):
    """The `codes` input of an InfoGAN generator (a CodeSpec)."""
    def checks(codes):
        return [tf.debugging.assert_equal(
            tf.reduce_all(tf.math.is_finite(codes)), True,
            message="codes must be finite")]

    metadata = code_spec.to_dict()
    metadata.update(code_dim=code_spec.code_dim, layout=code_spec.layout(),
                    format=code_spec.format)
    return Condition(CODES_INPUT, (code_spec.code_dim,), "float32",
                     code_spec.format, checks, metadata)


def conditional_input(label_spec=None, code_spec=None):
    """The `Condition` of a generator's second input, or None.

    Args:
        label_spec: a `LabelSpec` or its `to_dict()`, or None.
        code_spec: a `CodeSpec` or its `to_dict()`, or None.

    Returns:
        The labels' or codes' `Condition`, None when both are None.

    Raises:
        ValueError: both given, or a bad spec (the message names it).
    """
    if label_spec is not None and code_spec is not None:
        raise ValueError(
            "A generator takes labels or codes, not both: pass label_spec "
            "or code_spec. Received: "
            f"label_spec={label_spec!r}, code_spec={code_spec!r}"
        )
    if label_spec is not None:
        return label_condition(labels_lib.as_label_spec(label_spec))
    if code_spec is not None:
        return code_condition(codes_lib.CodeSpec.from_dict(code_spec))
    return None


def build_metadata(*, latent_dim, sample_kind, sample_shape, dataset,
                   formats, condition=None, extra_metadata=None, noise=None):
    """The `keras_gans.json` dict of an export.

    Args:
        latent_dim: int, size of z.
        sample_kind: `"image"` or `"points"`.
        sample_shape: the generator's per-sample output shape (a list).
        dataset: JSON-serializable description of the training data.
        formats: the formats written (`"saved_model"`, `"onnx"`).
        condition: the conditional input's `Condition`, or None.
        extra_metadata: optional dict merged in; it may not set a key
            written here nor `RESERVED_KEYS`.
        noise: the `keras_gans.noise.LatentNoise` the generator was
            trained on (None: standard normal); clients draw z from it.

    Returns:
        The metadata dict.

    Raises:
        ValueError: `extra_metadata` overriding a reserved key.
    """
    files = {}
    if "saved_model" in formats:
        files["saved_model"] = "saved_model.pb"
    if "onnx" in formats:
        files["onnx"] = ONNX_FILENAME
    is_image = sample_kind == "image"
    noise = noise or noise_lib.STANDARD
    inputs = {
        Z_INPUT: {
            "shape": [None, latent_dim],
            "dtype": "float32",
            "distribution": noise_lib.describe(noise.distribution,
                                               noise.scale),
            # Machine-readable: --mode=eval of an export draws z from it.
            "noise": {"distribution": noise.distribution,
                      "scale": noise.scale},
        }
    }
    if condition is not None:
        inputs[condition.name] = condition.input_metadata()
    labels = condition is not None and condition.name == LABELS_INPUT
    metadata = {
        "format_version": FORMAT_VERSION,
        "latent_dim": latent_dim,
        "sample_kind": sample_kind,
        "sample_shape": sample_shape,
        "output_dtype": "uint8" if is_image else "float32",
        "output_range": [0, 255] if is_image else None,
        "dataset": dataset,
        "labels": condition.metadata if labels else None,
        "inputs": inputs,
        "signature": SIGNATURE_NAME,
        "files": files,
    }
    if condition is not None and condition.name == CODES_INPUT:
        # Only in code exports: unconditional metadata stay as they were.
        metadata["codes"] = condition.metadata
    extra_metadata = dict(extra_metadata or {})
    clash = sorted(set(extra_metadata) & (set(metadata) | set(RESERVED_KEYS)))
    if clash:
        raise ValueError(
            "`extra_metadata` may not override the exported contract. "
            f"Received: extra_metadata keys={clash}"
        )
    metadata.update(extra_metadata)
    return metadata
