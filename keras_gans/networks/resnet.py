"""Residual generator and discriminator (SNGAN / Mimicry ResNets).

The generator starts from a 4x4 map and doubles the side in each
pre-activation residual block (norm - act - nearest upsample - conv3x3 -
norm - act - conv3x3, plus an upsampled 1x1-convolution shortcut); the
discriminator halves it in each block (act - conv3x3 - act - conv3x3 -
average pool, plus a 1x1-convolution average-pooled shortcut) down to 4x4,
then sums its activated features over the positions. Images are
channels-last in [-1, 1]. An optional SAGAN self-attention block
(`keras_gans.layers.attention`) follows the block of a chosen side.

The bodies have the contracts of `dcgan.dcgan_generator_body` and
`dcgan.dcgan_discriminator_features` (same inputs, outputs and
conditioning arguments), so the conditional builders can use either.

Widths: as in `sizing.widths`. In the generator widths[i] is the width at
side 4 * 2**i: the 4x4 map has widths[0], block i outputs widths[i + 1],
and the last block, at the image side that has no entry, keeps
widths[-1]. With image_size=64 and base_width=64 that is 512 (4x4) - 256 -
128 - 64 - 64 (64x64) - conv3x3 to the image. In the discriminator
widths[i] is the output width of block i, as for DCGAN's convolutions:
64 (32x32) - 128 - 256 - 512 (4x4).

References:
    Miyato et al. 2018 (SNGAN), arXiv:1802.05957, appendix B.4.
    Lee & Town 2020, "Mimicry: Towards the Reproducibility of GAN
    Research", arXiv:2005.02494.
    Gulrajani et al. 2017 (the ResNet critic with layer norm),
    arXiv:1704.00028.
"""

import keras

from keras_gans import validation
from keras_gans.layers import attention
from keras_gans.layers import blocks
from keras_gans.layers import conditioning
from keras_gans.layers import minibatch_std as minibatch_std_lib
from keras_gans.networks import sizing

START_SIZE = sizing.START_SIZE

# SNGAN's and Mimicry's initializers: Glorot uniform with gain sqrt(2)
# (variance scale 2) for the convolutions of the residual branches, which
# each follow a ReLU, and plain Glorot uniform for the shortcuts, the
# start Dense, the output convolution and the logit.
RESIDUAL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_avg", "distribution": "uniform",
               "seed": None},
}
PLAIN_INITIALIZER = "glorot_uniform"


def generator_sides(widths):
    """The sides where the generator can attend: the 4x4 start map and
    the block outputs, 4, 8, ... image (a superset of
    `sizing.hidden_sides`, so one attention_resolution fits G and D)."""
    return tuple(START_SIZE * 2**i for i in range(len(widths) + 1))


def discriminator_sides(image_size, widths):
    """The sides of the discriminator's block outputs: image / 2 ... 4."""
    return tuple(image_size // 2**(i + 1) for i in range(len(widths)))


def _conv(filters, kernel_size, initializer, normalization, name,
          use_bias=True):
    """A "same" Conv2D, spectrally normalized when normalization says so."""
    conv = keras.layers.Conv2D(
        filters, kernel_size, padding="same", use_bias=use_bias,
        kernel_initializer=initializer, data_format="channels_last",
        name=name)
    return blocks.maybe_spectral(conv, normalization, f"{name}_spectral")


def _generator_norm_act(x, normalization, activation, condition, prefix):
    """norm - act, the norm conditional batch norm when a condition is set."""
    if condition is None:
        return blocks.norm_act(x, normalization, activation, prefix)
    x = conditioning.conditional_batch_norm(x, condition, prefix)
    return blocks.activation_layer(activation, f"{prefix}_{activation}")(x)


def resnet_generator_body(
    z,
    widths,
    channels=3,
    activation="relu",
    normalization="batch",
    condition=None,
    attention_resolution=None,
    kernel_initializer=None,
):
    """Maps a latent tensor to images (the generator without its Input).

    Args:
        z: tensor of shape (batch, latent_dim).
        widths: widths[i] is the width at side 4 * 2**i (module
            docstring); the image side is `4 * 2**len(widths)`.
        channels, activation, normalization: as in
            `build_resnet_generator`.
        condition: None, or a float (batch, k) condition vector that sets
            every batch norm's scale and shift (conditional batch norm;
            needs normalization "batch").
        attention_resolution: None or 0, or the side of the map that
            self-attention follows: 4 (the start map), or the output side
            of a block (8, 16, ... the image side).
        kernel_initializer: None (SNGAN's Glorot uniform, gain sqrt(2) in
            the residual branches), or a Keras initializer identifier for
            every layer.

    Returns:
        A float32 tensor of shape (batch, side, side, channels) in [-1, 1].
    """
    validation.check_choice("activation", activation, blocks.ACTIVATIONS)
    validation.check_choice(
        "normalization", normalization, blocks.GENERATOR_NORMALIZATIONS)
    if condition is not None and normalization != "batch":
        raise ValueError(
            "Conditional batch norm replaces the generator's batch norm: "
            "it needs g_normalization='batch'. Received: "
            f"normalization={normalization!r}")
    widths = [validation.check_int("widths", width) for width in widths]
    attention_resolution = attention.check_attention_resolution(
        attention_resolution, generator_sides(widths))
    residual_init = blocks.initializer_factory(
        kernel_initializer, activation, RESIDUAL_INITIALIZER)
    plain_init = blocks.initializer_factory(
        kernel_initializer, activation, PLAIN_INITIALIZER)
    # A convolution followed by batch norm needs no bias of its own.
    norm_bias = blocks.uses_bias(normalization)

    x = keras.layers.Dense(
        START_SIZE * START_SIZE * widths[0], kernel_initializer=plain_init(),
        name="start_dense")(z)
    x = keras.layers.Reshape(
        (START_SIZE, START_SIZE, widths[0]), name="start_reshape")(x)
    x = attention.maybe_self_attention(
        x, attention_resolution, normalization, "start_attention")
    out_widths = widths[1:] + widths[-1:]
    for i, width in enumerate(out_widths):
        prefix = f"block{i}"
        h = _generator_norm_act(x, normalization, activation, condition,
                                f"{prefix}_in")
        h = keras.layers.UpSampling2D(
            2, interpolation="nearest", name=f"{prefix}_upsample")(h)
        h = _conv(width, 3, residual_init(), "none", f"{prefix}_conv1",
                  use_bias=norm_bias)(h)
        h = _generator_norm_act(h, normalization, activation, condition,
                                f"{prefix}_mid")
        h = _conv(width, 3, residual_init(), "none", f"{prefix}_conv2")(h)
        shortcut = keras.layers.UpSampling2D(
            2, interpolation="nearest", name=f"{prefix}_shortcut_upsample")(x)
        shortcut = _conv(width, 1, plain_init(), "none",
                         f"{prefix}_shortcut_conv")(shortcut)
        x = keras.layers.Add(name=f"{prefix}_add")([h, shortcut])
        x = attention.maybe_self_attention(
            x, attention_resolution, normalization, f"{prefix}_attention")
    x = _generator_norm_act(x, normalization, activation, condition,
                            "output")
    return keras.layers.Conv2D(
        channels, 3, padding="same", activation="tanh",
        kernel_initializer=plain_init(), data_format="channels_last",
        dtype="float32", name="output_conv")(x)


def build_resnet_generator(
    image_size=64,
    latent_dim=128,
    channels=3,
    base_width=64,
    filters=None,
    activation="relu",
    normalization="batch",
    attention_resolution=None,
    name="generator",
):
    """Builds a ResNet generator (SNGAN / Mimicry): latent -> image.

    A Dense layer maps z to a 4x4 map; each residual up-block doubles the
    side; batch norm - activation - conv3x3 - tanh give the image. With
    image_size=64 and base_width=64 the widths are 512 (4x4), 256, 128,
    64 and 64 (64x64).

    Args:
        image_size: int, the image side: 16, 32, 64 or 128.
        latent_dim: int, the size of z.
        channels: int, the image channels.
        base_width: int, the width at image_size / 2 (and image_size);
            each lower side is twice as wide.
        filters: None, or log2(image_size / 4) widths, filters[i] at side
            4 * 2**i; overrides base_width.
        activation: "relu", "leaky_relu" (slope 0.2) or "selu".
        normalization: "batch", "layer" or "none", before every activation.
        attention_resolution: None or 0 (no self-attention), or the side
            (4 ... image_size) of the map (the 4x4 start, or a block's
            output) that a SAGAN self-attention layer follows.
        name: the model's name.

    Returns:
        A `keras.Model` mapping float32 (batch, latent_dim) to float32
        (batch, image_size, image_size, channels) in [-1, 1]. The output
        layer is float32 under mixed precision too.

    Example:

    >>> g = build_resnet_generator(image_size=32, base_width=32,
    ...                            attention_resolution=16)
    >>> g.output.shape
    (None, 32, 32, 3)

    Reference:
        Miyato et al. 2018, arXiv:1802.05957.
    """
    widths = sizing.widths(image_size, base_width, None, filters, grow=False)
    latent_dim = validation.check_int("latent_dim", latent_dim)
    channels = validation.check_int("channels", channels)
    z = keras.Input((latent_dim,), dtype="float32", name="z")
    images = resnet_generator_body(
        z, widths, channels=channels, activation=activation,
        normalization=normalization,
        attention_resolution=attention_resolution)
    return keras.Model(z, images, name=name)


def _discriminator_norm_act(x, normalization, activation, prefix):
    """norm - act; spectral norm lives in the convolutions instead."""
    norm = "none" if normalization == "spectral" else normalization
    return blocks.norm_act(x, norm, activation, prefix)


def resnet_discriminator_features(
    images,
    widths,
    activation="relu",
    normalization="spectral",
    first_conv_labels=None,
    minibatch_std=0,
    attention_resolution=None,
    kernel_initializer=None,
    label_map_options=None,
):
    """The discriminator's residual blocks and sum pooling (no logit head).

    Block 0 is SNGAN's optimized first block (conv3x3 - act - conv3x3 -
    average pool, shortcut average pool - conv1x1), without normalization
    (it reads the image); every later block is act - conv3x3 - act -
    conv3x3 - average pool with a conv1x1 - average pool shortcut, "batch"
    and "layer" normalizing before each of its activations (WGAN-GP's
    critic). "spectral" wraps every convolution instead.

    Args:
        images: tensor of shape (batch, side, side, channels).
        widths: the output width of each block; each halves the side.
        activation, normalization, attention_resolution: as in
            `build_resnet_discriminator`.
        first_conv_labels: None, or encoded labels (batch, k): a label map
            (`conditioning.label_map`) is concatenated to the first
            block's output as one more channel (one per attribute with
            per-attribute maps).
        minibatch_std: 0, or the group size of a `MinibatchStdDev`
            channel appended to the last block's output.
        kernel_initializer: None (SNGAN's initializers), or a Keras
            initializer identifier for every convolution.
        label_map_options: keyword arguments of `conditioning.label_map`
            (activation, label_spec for per-attribute maps).

    Returns:
        A tensor of shape (batch, 1, 1, widths[-1]) (one more channel with
        minibatch_std): the activated last map summed over its positions,
        kept 4-D so that `blocks.logit_head` flattens it and
        `conditioning.projection_logit`'s average pool is the identity.
    """
    validation.check_choice("activation", activation, blocks.ACTIVATIONS)
    validation.check_choice(
        "normalization", normalization, blocks.DISCRIMINATOR_NORMALIZATIONS)
    widths = [validation.check_int("widths", width) for width in widths]
    attention_resolution = attention.check_attention_resolution(
        attention_resolution, discriminator_sides(images.shape[1], widths))
    residual_init = blocks.initializer_factory(
        kernel_initializer, activation, RESIDUAL_INITIALIZER)
    plain_init = blocks.initializer_factory(
        kernel_initializer, activation, PLAIN_INITIALIZER)
    norm_bias = blocks.uses_bias(normalization)

    def pool(name):
        return keras.layers.AveragePooling2D(2, name=name)

    # Block 0, SNGAN's optimized block: the image is not activated first.
    h = _conv(widths[0], 3, residual_init(), normalization,
              "block0_conv1")(images)
    h = blocks.activation_layer(activation, f"block0_{activation}")(h)
    h = _conv(widths[0], 3, residual_init(), normalization,
              "block0_conv2")(h)
    h = pool("block0_pool")(h)
    shortcut = pool("block0_shortcut_pool")(images)
    shortcut = _conv(widths[0], 1, plain_init(), normalization,
                     "block0_shortcut_conv")(shortcut)
    x = keras.layers.Add(name="block0_add")([h, shortcut])
    if first_conv_labels is not None:
        side = x.shape[1]
        x = keras.layers.Concatenate(name="first_conv_with_labels")([
            x, conditioning.label_map(first_conv_labels, side, side,
                                      "first_conv_label_map",
                                      normalization=normalization,
                                      **(label_map_options or {}))])
    x = attention.maybe_self_attention(
        x, attention_resolution, normalization, "block0_attention")

    for i, width in enumerate(widths[1:], start=1):
        prefix = f"block{i}"
        h = _discriminator_norm_act(x, normalization, activation,
                                    f"{prefix}_in")
        h = _conv(width, 3, residual_init(), normalization,
                  f"{prefix}_conv1", use_bias=norm_bias)(h)
        h = _discriminator_norm_act(h, normalization, activation,
                                    f"{prefix}_mid")
        h = _conv(width, 3, residual_init(), normalization,
                  f"{prefix}_conv2")(h)
        h = pool(f"{prefix}_pool")(h)
        # SNGAN convolves before pooling in the shortcut of these blocks
        # (the same result as after, 1x1 and average being linear).
        shortcut = _conv(width, 1, plain_init(), normalization,
                         f"{prefix}_shortcut_conv")(x)
        shortcut = pool(f"{prefix}_shortcut_pool")(shortcut)
        x = keras.layers.Add(name=f"{prefix}_add")([h, shortcut])
        x = attention.maybe_self_attention(
            x, attention_resolution, normalization, f"{prefix}_attention")

    x = minibatch_std_lib.maybe_minibatch_std(x, minibatch_std)
    x = blocks.activation_layer(activation, f"features_{activation}")(x)
    # SNGAN sums over the positions; sum = mean * H * W.
    side = x.shape[1]
    x = keras.layers.GlobalAveragePooling2D(
        keepdims=True, name="features_mean_pool")(x)
    return keras.layers.Rescaling(side * side, name="features_sum_pool")(x)


def build_resnet_discriminator(
    image_size=64,
    channels=3,
    base_width=64,
    filters=None,
    activation="relu",
    normalization="spectral",
    attention_resolution=None,
    minibatch_std=0,
    name="discriminator",
):
    """Builds a ResNet discriminator (SNGAN / Mimicry): image -> logit.

    Residual down-blocks halve the side down to 4x4 while the width
    doubles (64-128-256-512 for 64x64 images and base_width=64); the
    activated last map is summed over positions and a Dense layer gives
    one logit.

    Args:
        image_size: int, the image side: 16, 32, 64 or 128.
        channels: int, the image channels.
        base_width: int, the width of the first block.
        filters: None, or log2(image_size / 4) block widths; overrides
            base_width.
        activation: "relu", "leaky_relu" (slope 0.2) or "selu".
        normalization: "spectral" (every convolution and the logit Dense
            spectrally normalized, SNGAN), "batch", "layer" (before the
            activations of the blocks after the first) or "none".
        attention_resolution: None or 0 (no self-attention), or the side
            (image_size / 2 ... 4) after whose block a SAGAN
            self-attention layer sits.
        minibatch_std: 0 (off), or the group size of a minibatch
            standard-deviation channel on the 4x4 map.
        name: the model's name.

    Returns:
        A `keras.Model` mapping (batch, image_size, image_size, channels)
        to float32 logits of shape (batch, 1).

    Reference:
        Miyato et al. 2018, arXiv:1802.05957.
    """
    widths = sizing.widths(image_size, base_width, None, filters, grow=True)
    channels = validation.check_int("channels", channels)
    images = keras.Input(
        (image_size, image_size, channels), dtype="float32", name="images")
    features = resnet_discriminator_features(
        images, widths, activation=activation, normalization=normalization,
        minibatch_std=minibatch_std,
        attention_resolution=attention_resolution)
    init = blocks.initializer_factory(None, activation, PLAIN_INITIALIZER)
    logits = blocks.logit_head(
        features, normalization=normalization, kernel_initializer=init())
    return keras.Model(images, logits, name=name)
