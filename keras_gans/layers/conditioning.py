"""How labels enter the generator and the discriminator.

Named separately for the two networks, as in StudioGAN:

Generator (`G_SCHEMES`), the condition vector that joins the noise:
- "concat": the encoded label itself (one-hot per class or categorical
  attribute, bits for binary attributes, the multi-hot vector) is
  concatenated to z (Mirza & Osindero 2014).
- "embedding": a learned embedding per attribute (or class, or one shared
  table for multi-hot labels: the sum of the present labels' vectors) of
  `embedding_dim` each, concatenated to z.
- "dense": a Dense layer on the encoded label, then concatenated to z (the
  Linear(24 -> 156) of the multi-label reports).
- "cbn": conditional batch norm; the label is not concatenated but sets
  every batch norm's per-channel scale and shift (de Vries et al. 2017,
  Miyato & Koyama 2018).

Discriminator (`D_SCHEMES`):
- "input": a Dense projection of the encoded label, reshaped to one extra
  image channel, concatenated to the image.
- "first_conv": the same label map, at the resolution of the first
  convolution's output, concatenated there.
- "projection": logit = psi(phi(x)) + <embed(y), phi(x)> (Miyato & Koyama
  2018, arXiv:1802.05637), phi(x) the globally pooled last feature map.
- "none": the discriminator does not see labels (ACGAN and InfoGAN, whose
  heads do the work).

Every network reads raw labels in the dataset's format (`LabelSpec.shape`
and `.dtype`); `EncodeLabels` turns them into the float encoding inside the
model, so exported generators take the labels a client has.
"""

import keras

from keras_gans import validation
from keras_gans.datasets import labels as labels_lib
from keras_gans.layers import blocks

G_SCHEMES = ("concat", "embedding", "dense", "cbn")
D_SCHEMES = ("input", "first_conv", "projection", "none")


@keras.saving.register_keras_serializable(package="keras_gans")
class EncodeLabels(keras.layers.Layer):
    """Raw labels -> `LabelSpec.encode` (one-hot / bits / multi-hot).

    Args:
        label_spec: a `LabelSpec`, or its `to_dict()` (from a config).

    Call arguments:
        labels: (batch,) + `label_spec.shape`, int32 or float32.

    Returns:
        float32 (batch, `label_spec.encoded_dim`).
    """

    def __init__(self, label_spec, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.label_spec = labels_lib.as_label_spec(label_spec)

    def call(self, labels):
        return self.label_spec.encode(labels)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.label_spec.encoded_dim)

    def get_config(self):
        config = super().get_config()
        config["label_spec"] = self.label_spec.to_dict()
        return config


@keras.saving.register_keras_serializable(package="keras_gans")
class LabelEmbedding(keras.layers.Layer):
    """A learned vector per attribute value, concatenated over attributes.

    One table per block of `LabelSpec.blocks`: a class set or categorical
    attribute looks its value up; a binary attribute has a vector for 0
    and one for 1; a multi-hot label sums the vectors of its present
    labels (one shared table). Reads the encoded label, where a lookup is
    a product with the one-hot block.

    Args:
        label_spec: a `LabelSpec` (or its `to_dict()`).
        embedding_dim: the size of each vector.

    Call arguments:
        encoded: float32 (batch, encoded_dim), `LabelSpec.encode`'s output.

    Returns:
        float32 (batch, embedding_dim * len(label_spec.blocks)).
    """

    def __init__(self, label_spec, embedding_dim, **kwargs):
        super().__init__(**kwargs)
        self.label_spec = labels_lib.as_label_spec(label_spec)
        self.embedding_dim = validation.check_int("embedding_dim",
                                                  embedding_dim)
        self.tables = []

    def build(self, input_shape):
        for i, (_, width, exclusive) in enumerate(self.label_spec.blocks):
            rows = width if (exclusive or self.label_spec.kind
                             == "multi_hot") else 2
            self.tables.append(self.add_weight(
                shape=(rows, self.embedding_dim), name=f"table{i}",
                initializer=keras.initializers.RandomNormal(stddev=1.0)))

    def call(self, encoded):
        parts = []
        for table, (start, width, exclusive) in zip(
                self.tables, self.label_spec.blocks):
            block = encoded[:, start:start + width]
            if table.shape[0] == 2 and width == 1:  # a binary attribute
                block = keras.ops.concatenate([1.0 - block, block], axis=1)
            parts.append(keras.ops.matmul(block, table))
        return keras.ops.concatenate(parts, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],
                self.embedding_dim * len(self.label_spec.blocks))

    def get_config(self):
        config = super().get_config()
        config.update(label_spec=self.label_spec.to_dict(),
                      embedding_dim=self.embedding_dim)
        return config


def generator_condition(labels, label_spec, scheme, embedding_dim=5,
                        condition_units=128, activation="linear"):
    """The generator's condition vector for raw `labels`.

    Args:
        labels: symbolic raw labels, (batch,) + `label_spec.shape`.
        label_spec: the `LabelSpec`.
        scheme: one of `G_SCHEMES`.
        embedding_dim: "embedding": the size of each attribute's vector.
        condition_units: "dense": the Dense layer's width.
        activation: "dense": one of `blocks.CONDITION_ACTIVATIONS` after
            the Dense layer (the ReLU after Linear(24 -> 156) of the
            multi-label reports).

    Returns:
        float32 (batch, k): k = encoded_dim ("concat", "cbn"),
        embedding_dim * attributes ("embedding"), condition_units
        ("dense").
    """
    validation.check_choice("g_conditioning", scheme, G_SCHEMES)
    encoded = EncodeLabels(label_spec, name="encode_labels")(labels)
    if scheme == "embedding":
        return LabelEmbedding(label_spec, embedding_dim,
                              name="label_embedding")(encoded)
    if scheme == "dense":
        condition_units = validation.check_int("condition_units",
                                               condition_units)
        return blocks.condition_activation(keras.layers.Dense(
            condition_units, name="condition_dense"
        )(encoded), activation, f"condition_{activation}")
    return encoded


def conditional_batch_norm(x, condition, prefix):
    """Batch norm whose scale and shift are functions of the condition.

    y = BN(x) * (1 + gamma(c)) + beta(c), gamma and beta Dense layers
    initialized at zero, so training starts from plain batch norm.

    Args:
        x: (batch, H, W, C) or (batch, C).
        condition: float (batch, k).
        prefix: layer-name prefix.

    Returns:
        A tensor shaped like x.
    """
    channels = x.shape[-1]
    normalized = keras.layers.BatchNormalization(
        momentum=blocks.BN_MOMENTUM, epsilon=blocks.NORM_EPSILON,
        center=False, scale=False, synchronized=True,
        name=f"{prefix}_cbn",
    )(x)
    shape = (1,) * (len(x.shape) - 2) + (channels,)
    gamma = keras.layers.Dense(channels, kernel_initializer="zeros",
                               name=f"{prefix}_cbn_gamma")(condition)
    beta = keras.layers.Dense(channels, kernel_initializer="zeros",
                              name=f"{prefix}_cbn_beta")(condition)
    gamma = keras.layers.Reshape(shape, name=f"{prefix}_cbn_gamma_map")(gamma)
    beta = keras.layers.Reshape(shape, name=f"{prefix}_cbn_beta_map")(beta)
    scaled = keras.layers.Multiply(name=f"{prefix}_cbn_scale")(
        [normalized, gamma])
    return keras.layers.Add(name=f"{prefix}_cbn_shift")(
        [normalized, scaled, beta])


def label_map(encoded, height, width, name, normalization="none",
              activation="linear", label_spec=None):
    """A Dense projection of the encoded label, as (H, W, 1) channels.

    Args:
        encoded: float (batch, encoded_dim).
        height, width: the map's size.
        name: layer-name prefix.
        normalization: "spectral" wraps the Dense in spectral norm (a
            spectrally normalized discriminator stays Lipschitz).
        activation: one of `blocks.CONDITION_ACTIVATIONS` after the Dense
            (the LeakyReLU after D's Linear(24 -> 4096) of the multi-label
            reports).
        label_spec: None (one map of the whole label), or the `LabelSpec`
            whose blocks (`LabelSpec.blocks`: one per attribute) each get
            their own Dense and map.

    Returns:
        float (batch, height, width, m): m = 1, or one channel per block
        of `label_spec`.
    """
    parts = [(name, encoded)]
    if label_spec is not None and len(label_spec.blocks) > 1:
        names = [a.name for a in label_spec.attributes]
        parts = [(f"{name}_{names[i]}", encoded[:, start:start + size])
                 for i, (start, size, _) in enumerate(label_spec.blocks)]
    maps = []
    for prefix, part in parts:
        dense = keras.layers.Dense(height * width, name=f"{prefix}_dense")
        dense = blocks.maybe_spectral(dense, normalization,
                                      f"{prefix}_spectral_dense")
        flat = blocks.condition_activation(dense(part), activation,
                                           f"{prefix}_{activation}")
        maps.append(keras.layers.Reshape(
            (height, width, 1), name=f"{prefix}_reshape")(flat))
    if len(maps) == 1:
        return maps[0]
    return keras.layers.Concatenate(name=f"{name}_channels")(maps)


def projection_logit(features, encoded, normalization="none"):
    """<embed(y), phi(x)>: the projection discriminator's label term.

    Args:
        features: the last feature map (batch, H, W, C) or (batch, C).
        encoded: float (batch, encoded_dim). For a one-hot label the Dense
            below is the class embedding table; for several attributes
            (or multi-hot) it sums their embeddings.
        normalization: "spectral" wraps the embedding in spectral norm,
            as Miyato & Koyama do.

    Returns:
        float32 (batch, 1), to add to the unconditional logit.
    """
    if len(features.shape) > 2:
        # Miyato & Koyama sum-pool; the mean differs by the constant H*W,
        # which the learned embedding absorbs.
        features = keras.layers.GlobalAveragePooling2D(
            name="projection_pool")(features)
    embed = keras.layers.Dense(features.shape[-1], use_bias=False,
                               name="projection_embedding")
    embed = blocks.maybe_spectral(embed, normalization,
                                  "projection_spectral_embedding")
    return keras.layers.Dot(axes=1, dtype="float32", name="projection_dot")(
        [features, embed(encoded)])
