"""Reading an export: `load_exported` turns an export directory into a
checked sampling function and its metadata.

The contract it reads is `keras_gans.export.contract`.
"""

import json
import os
import re

import numpy as np
import tensorflow as tf

from keras_gans.datasets import labels as labels_lib
from keras_gans.export import contract


def _condition_of(metadata):
    """(input name, per-sample shape, dtype, LabelSpec or None) of an
    export's conditional input, or None for an unconditional export."""
    if metadata.get("labels"):
        labels = metadata["labels"]
        return (contract.LABELS_INPUT, tuple(labels["shape"]),
                labels["dtype"], labels_lib.LabelSpec.from_dict(labels))
    if metadata.get("codes"):
        return (contract.CODES_INPUT, (int(metadata["codes"]["code_dim"]),),
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
    meta_path = os.path.join(export_dir, contract.METADATA_FILENAME)
    if not os.path.exists(meta_path):
        raise ValueError(
            f"No {contract.METADATA_FILENAME} in the export directory. "
            f"Received: export_dir={export_dir!r}"
        )
    with open(meta_path) as f:
        metadata = json.load(f)
    version = metadata.get("format_version")
    if version != contract.FORMAT_VERSION:
        raise ValueError(
            "Unsupported export format_version (this version of keras_gans "
            f"reads {contract.FORMAT_VERSION}). "
            f"Received: format_version={version!r}"
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
        if not np.all(np.isfinite(z)):
            raise ValueError(
                "`z` must be finite (the noise of metadata['inputs']['z']). "
                "Received: z "
                f"with {int(np.sum(~np.isfinite(z)))} NaN or inf values"
            )
        inputs = {contract.Z_INPUT: tf.constant(z)}
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
            return signature(**inputs)[contract.OUTPUT_KEY].numpy()
        except tf.errors.InvalidArgumentError as e:
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
