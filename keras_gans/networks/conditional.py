"""Conditional DCGAN-family networks: label-conditioned generators, label-
reading discriminators and discriminators with extra heads (ACGAN's
classifier, InfoGAN's Q network).

Generators take two inputs, `[z, condition]`: raw labels in the dataset's
format (cGAN, ACGAN) or InfoGAN's code vector. See
`keras_gans.layers.conditioning` for the schemes.
"""

import keras

from keras_gans import validation
from keras_gans.layers import blocks
from keras_gans.layers import conditioning
from keras_gans.networks import backbones
from keras_gans.networks import dcgan
from keras_gans.networks import sizing

# How the discriminator's label maps read a label of several attributes.
LABEL_MAPS = ("joint", "per_attribute")
# Width of the hidden layer of InfoGAN's Q head (Chen et al. 2016, table 1:
# FC 128 - BN - lReLU before the code outputs).
Q_HIDDEN_UNITS = 128


def _generator(z, condition_input, condition, scheme, image_size, channels,
               base_width, activation, normalization, name, filters=None,
               architecture="dcgan", **body_options):
    widths = sizing.widths(image_size, base_width, None, filters, grow=False)
    if scheme == "cbn":
        body_input, cbn = z, condition
    else:
        body_input = keras.layers.Concatenate(name="z_and_condition")(
            [z, condition])
        cbn = None
    body, _ = backbones.bodies(architecture, image_size, body_options)
    images = body(
        body_input, widths, channels=channels, activation=activation,
        normalization=normalization, condition=cbn, **body_options,
    )
    return keras.Model([z, condition_input], images, name=name)


def build_conditional_generator(
    label_spec,
    scheme="concat",
    image_size=64,
    latent_dim=100,
    channels=3,
    base_width=64,
    embedding_dim=5,
    condition_units=128,
    activation="relu",
    normalization="batch",
    condition_activation="linear",
    filters=None,
    architecture="dcgan",
    name="generator",
    **body_options,
):
    """A generator conditioned on labels: [z, labels] -> images.

    Args:
        label_spec: the dataset's `LabelSpec`.
        scheme: one of `conditioning.G_SCHEMES`.
        image_size, latent_dim, channels, base_width, filters, activation,
        normalization: as in `dcgan.build_dcgan_generator`.
        embedding_dim: "embedding": the vector size per attribute.
        condition_units: "dense": the condition Dense layer's width.
        condition_activation: "dense": the activation after that layer
            (`blocks.CONDITION_ACTIVATIONS`).
        architecture: a name in `backbones.ARCHITECTURES`.
        name: the model's name.
        **body_options: the architecture's other options (DCGAN: start,
            kernel_size, upsampling, output_normalization,
            output_activation, image_range, attention_resolution).

    Returns:
        A `keras.Model` mapping [float32 z (batch, latent_dim), labels
        (batch,) + label_spec.shape of label_spec.dtype] to float32 images
        (batch, image_size, image_size, channels) in [-1, 1].

    Example:

    >>> g = build_conditional_generator(faces.LABEL_SPEC, "embedding",
    ...                                 image_size=32)
    >>> g([np.zeros((2, 100)), np.zeros((2, 4), "int32")]).shape
    TensorShape([2, 32, 32, 3])
    """
    validation.check_choice("g_conditioning", scheme, conditioning.G_SCHEMES)
    latent_dim = validation.check_int("latent_dim", latent_dim)
    z = keras.Input((latent_dim,), dtype="float32", name="z")
    labels = keras.Input(label_spec.shape, dtype=label_spec.dtype,
                         name="labels")
    condition = conditioning.generator_condition(
        labels, label_spec, scheme, embedding_dim=embedding_dim,
        condition_units=condition_units, activation=condition_activation)
    return _generator(z, labels, condition, scheme, image_size, channels,
                      base_width, activation, normalization, name,
                      filters=filters, architecture=architecture,
                      **body_options)


def build_code_generator(code_dim, image_size=64, latent_dim=100,
                         channels=3, base_width=64, activation="relu",
                         normalization="batch", filters=None,
                         architecture="dcgan", name="generator",
                         **body_options):
    """InfoGAN's generator: [z, codes] -> images, codes concatenated to z.

    Args:
        code_dim: width of the code vector (one-hot categorical codes,
            then the continuous ones).
        others: as in `build_conditional_generator`.

    Returns:
        A `keras.Model` mapping [z (batch, latent_dim), codes (batch,
        code_dim)], both float32, to images in [-1, 1].
    """
    code_dim = validation.check_int("code_dim", code_dim)
    latent_dim = validation.check_int("latent_dim", latent_dim)
    z = keras.Input((latent_dim,), dtype="float32", name="z")
    codes = keras.Input((code_dim,), dtype="float32", name="codes")
    return _generator(z, codes, codes, "concat", image_size, channels,
                      base_width, activation, normalization, name,
                      filters=filters, architecture=architecture,
                      **body_options)


def build_conditional_discriminator(
    label_spec,
    scheme="projection",
    image_size=64,
    channels=3,
    base_width=64,
    activation="leaky_relu",
    normalization="batch",
    minibatch_std=0,
    filters=None,
    architecture="dcgan",
    image_range="symmetric",
    condition_activation="linear",
    label_maps="joint",
    name="discriminator",
    **body_options,
):
    """A discriminator that reads labels: [images, labels] -> logit.

    Args:
        label_spec: the dataset's `LabelSpec`.
        scheme: "input", "first_conv" or "projection"
            (`conditioning.D_SCHEMES` less "none").
        image_size, channels, base_width, filters, activation,
        normalization, minibatch_std, image_range: as in
            `dcgan.build_dcgan_discriminator`.
        architecture: a name in `backbones.ARCHITECTURES`.
        condition_activation: "input", "first_conv": the activation after
            the label map's Dense (`blocks.CONDITION_ACTIVATIONS`).
        label_maps: "input", "first_conv": "joint" (one map of the whole
            label) or "per_attribute" (one map each, `LABEL_MAPS`).
        name: the model's name.
        **body_options: the architecture's other options (DCGAN:
            kernel_size, dropout, attention_resolution).

    Returns:
        A `keras.Model` mapping [images (batch, size, size, channels),
        labels (batch,) + label_spec.shape] to float32 logits (batch, 1).
    """
    valid = tuple(s for s in conditioning.D_SCHEMES if s != "none")
    validation.check_choice("d_conditioning", scheme, valid)
    validation.check_choice("d_label_maps", label_maps, LABEL_MAPS)
    widths = sizing.widths(image_size, base_width, None, filters, grow=True)
    _, features_fn = backbones.bodies(architecture, image_size, body_options)
    images = keras.Input((image_size, image_size, channels),
                         dtype="float32", name="images")
    labels = keras.Input(label_spec.shape, dtype=label_spec.dtype,
                         name="labels")
    encoded = conditioning.EncodeLabels(label_spec, name="encode_labels")(
        labels)
    map_options = dict(
        activation=condition_activation,
        label_spec=label_spec if label_maps == "per_attribute" else None)
    x = blocks.to_image_range(images, image_range)
    if scheme == "input":
        x = keras.layers.Concatenate(name="images_with_labels")([
            x, conditioning.label_map(
                encoded, image_size, image_size, "input_label_map",
                normalization=normalization, **map_options)])
    if scheme == "first_conv":
        body_options = dict(body_options, label_map_options=map_options)
    features = features_fn(
        x, widths, activation=activation, normalization=normalization,
        first_conv_labels=encoded if scheme == "first_conv" else None,
        minibatch_std=minibatch_std, **body_options,
    )
    init = blocks.initializer_factory(None, activation,
                                      dcgan.DCGAN_INITIALIZER)
    logits = blocks.logit_head(features, normalization=normalization,
                               kernel_initializer=init())
    if scheme == "projection":
        logits = keras.layers.Add(
            dtype="float32", name="logit_plus_projection")(
                [logits, conditioning.projection_logit(features, encoded,
                                                       normalization)])
    return keras.Model([images, labels], logits, name=name)


def build_discriminator_with_heads(
    heads,
    image_size=64,
    channels=3,
    base_width=64,
    activation="leaky_relu",
    normalization="batch",
    q_hidden_units=None,
    minibatch_std=0,
    filters=None,
    architecture="dcgan",
    image_range="symmetric",
    name="discriminator",
    **body_options,
):
    """A DCGAN discriminator with extra linear heads on its body.

    ACGAN: one head per attribute (its logits), concatenated in
    `LabelSpec.encode`'s column order. InfoGAN: the Q network, a hidden
    layer (`q_hidden_units`) then one head per code.

    Args:
        heads: a list of (name, width) pairs.
        q_hidden_units: None (heads read the flattened features), or the
            width of a Dense - norm - activation layer between the body
            and the heads.
        others: as in `build_conditional_discriminator`.

    Returns:
        A `keras.Model` mapping images (batch, size, size, channels) to
        [logits (batch, 1), head outputs (batch, sum of widths)], float32.
    """
    widths = sizing.widths(image_size, base_width, None, filters, grow=True)
    _, features_fn = backbones.bodies(architecture, image_size, body_options)
    images = keras.Input((image_size, image_size, channels),
                         dtype="float32", name="images")
    features = features_fn(
        blocks.to_image_range(images, image_range), widths,
        activation=activation, normalization=normalization,
        minibatch_std=minibatch_std, **body_options)
    init = blocks.initializer_factory(None, activation,
                                      dcgan.DCGAN_INITIALIZER)
    logits = blocks.logit_head(features, normalization=normalization,
                               kernel_initializer=init())
    flat = keras.layers.Flatten(name="head_flatten")(features)
    if q_hidden_units:
        dense = blocks.maybe_spectral(
            keras.layers.Dense(q_hidden_units,
                               use_bias=blocks.uses_bias(normalization),
                               name="q_dense"),
            normalization, "q_spectral_dense")
        # Batch norm would mix the real and fake batches' statistics into
        # the code predictions; the body's normalization choice says which
        # per-example norm to use, and batch norm falls back to none.
        norm = "none" if normalization in ("batch", "spectral") else (
            normalization)
        flat = blocks.norm_act(dense(flat), norm, activation, "q")
    outputs = []
    for head_name, width in heads:
        dense = keras.layers.Dense(width, dtype="float32",
                                   name=f"{head_name}_head")
        outputs.append(blocks.maybe_spectral(
            dense, normalization, f"{head_name}_spectral_head",
            dtype="float32")(flat))
    aux = outputs[0] if len(outputs) == 1 else keras.layers.Concatenate(
        dtype="float32", name="heads")(outputs)
    return keras.Model(images, [logits, aux], name=name)
