"""The evaluator network: a small CNN classifier of a dataset's labels.

Its penultimate layer gives the features of the Frechet distance, KID and
precision/recall; its head gives one logit column per column of
`LabelSpec.encode` (a softmax block per class or categorical attribute, a
sigmoid column per binary attribute or multi-hot label).

Layout for 64x64 inputs (`width=32`): conv 3x3 (32) at full resolution, then
four stride-2 convs (32, 64, 128, 128) to 4x4, global average pooling,
Dense(256) -> features, Dense(encoded_dim) -> logits. About 0.3 M
parameters (1.2 MB of float32): small enough to ship inside the package.
Batch norm after every conv; inference uses the moving statistics, so an
image's features do not depend on the rest of its batch.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gans import losses

FEATURE_DIM = 256
DEFAULT_WIDTH = 32


def _conv_block(x, filters, strides, name):
    x = keras.layers.Conv2D(filters, 3, strides=strides, padding="same",
                            use_bias=False, name=f"{name}_conv")(x)
    x = keras.layers.BatchNormalization(momentum=0.9, name=f"{name}_bn")(x)
    return keras.layers.ReLU(name=f"{name}_relu")(x)


def build_evaluator_network(image_shape, encoded_dim, width=DEFAULT_WIDTH,
                            feature_dim=FEATURE_DIM):
    """A classifier with a features output.

    Args:
        image_shape: (S, S, C) of its inputs, images in [-1, 1]; S >= 16.
        encoded_dim: logit columns (`LabelSpec.encoded_dim`).
        width: filters of the first convs (doubled twice on the way down).
        feature_dim: units of the penultimate (feature) layer.

    Returns:
        A `keras.Model` mapping images (N, S, S, C) to a dict
        `{"features": (N, feature_dim), "logits": (N, encoded_dim)}`.
    """
    size = image_shape[0]
    inputs = keras.Input(tuple(image_shape), name="images")
    x = _conv_block(inputs, width, 1, "block0")
    filters = (width, 2 * width, 4 * width, 4 * width)
    # Halve down to 4x4 (at least once, for 16x16 inputs).
    num_down = max(1, int(np.log2(size // 4)))
    for i in range(num_down):
        x = _conv_block(x, filters[min(i, len(filters) - 1)], 2,
                        f"block{i + 1}")
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    features = keras.layers.Dense(feature_dim, activation="relu",
                                  name="features")(x)
    logits = keras.layers.Dense(encoded_dim, name="logits")(features)
    return keras.Model(inputs, {"features": features, "logits": logits},
                       name="evaluator")


def scores_from_logits(logits, label_spec):
    """Probabilities in `encode`'s layout: softmax per categorical block,
    sigmoid per binary or multi-hot column.

    Args:
        logits: float (N, encoded_dim).
        label_spec: the `LabelSpec`.

    Returns:
        float32 tensor (N, encoded_dim).
    """
    parts = []
    for start, width, exclusive in label_spec.blocks:
        block = logits[:, start:start + width]
        parts.append(tf.nn.softmax(block) if exclusive
                     else tf.sigmoid(block))
    return tf.concat(parts, axis=1)


def evaluator_loss(label_spec):
    """A Keras loss `(encoded targets, logits) -> (N,)`: the sum over the
    label's blocks of softmax cross-entropy (classes, categorical
    attributes) and mean sigmoid cross-entropy (binary attributes, the
    multi-hot columns); see `losses.classification_loss`."""
    def loss(targets, logits):
        return losses.classification_loss(label_spec, targets, logits)

    return loss
