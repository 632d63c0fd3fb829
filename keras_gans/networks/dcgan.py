"""DCGAN-family convolutional generator and discriminator builders.

The generator upsamples a latent vector from a 4x4 feature map with
stride-2 transposed convolutions, halving the width at each block; the
discriminator mirrors it with stride-2 convolutions down to 4x4, doubling
the width, then one linear logit. Images are channels-last in [-1, 1].

The bodies are built as functions of a tensor (`dcgan_generator_body`,
`dcgan_discriminator_features`; the logit head is
`keras_gans.layers.blocks.logit_head`) so that conditional models can
concatenate labels to the latent vector or to a feature map and reuse them.

Reference: Radford et al. 2015, "Unsupervised Representation Learning with
Deep Convolutional Generative Adversarial Networks", arXiv:1511.06434.
"""

import math

import keras

from keras_gans import validation
from keras_gans.layers import blocks
from keras_gans.layers import conditioning
from keras_gans.layers import minibatch_std as minibatch_std_lib

STARTS = ("dense", "conv_transpose")
START_SIZE = 4

# Radford et al.: "All weights were initialized from a zero-centered Normal
# distribution with standard deviation 0.02."
DCGAN_INITIALIZER = {
    "class_name": "RandomNormal",
    "config": {"mean": 0.0, "stddev": 0.02, "seed": None},
}


def _num_blocks(image_size, num_blocks):
    """Checks image_size and num_blocks; returns log2(image_size / 4)."""
    image_size = validation.check_image_size(image_size)
    expected = int(math.log2(image_size // START_SIZE))
    if num_blocks is not None and (not validation.is_int(num_blocks)
                                   or num_blocks != expected):
        raise ValueError(
            f"num_blocks must be log2(image_size / {START_SIZE}) = "
            f"{expected} for image_size={image_size}: every block doubles "
            f"(or halves) the resolution from a {START_SIZE}x{START_SIZE} "
            f"map. Leave it None. Received: num_blocks={num_blocks!r}"
        )
    return expected


def _widths(image_size, base_width, num_blocks, filters, grow):
    """The hidden widths, one per resolution, in network order.

    Args:
        image_size: the image side.
        base_width: width at the highest hidden resolution.
        num_blocks: None or the expected number of stride-2 layers.
        filters: None, or a list overriding the computed widths.
        grow: True for the discriminator (64, 128, ...), False for the
            generator (..., 128, 64).

    Returns:
        A list of `num_blocks` positive ints.
    """
    n = _num_blocks(image_size, num_blocks)
    if filters is not None:
        filters = list(filters)
        if len(filters) != n:
            raise ValueError(
                f"filters must list {n} widths for image_size="
                f"{image_size} (one per resolution from "
                f"{START_SIZE}x{START_SIZE} up to {image_size // 2}x"
                f"{image_size // 2}; the image channels are not included). "
                f"Received: filters={filters!r}"
            )
        return [validation.check_int("filters", width) for width in filters]
    base_width = validation.check_int("base_width", base_width)
    widths = [base_width * 2**i for i in range(n)]
    return widths if grow else widths[::-1]


def dcgan_generator_body(
    z,
    widths,
    channels=3,
    activation="relu",
    normalization="batch",
    start="dense",
    kernel_size=4,
    kernel_initializer=None,
    condition=None,
):
    """Maps a latent tensor to images (the generator without its Input).

    Args:
        z: tensor of shape (batch, latent_dim).
        widths: hidden widths from the 4x4 stage on; the image side is
            `4 * 2**len(widths)`.
        channels, activation, normalization, start, kernel_size,
        kernel_initializer: as in `build_dcgan_generator`.
        condition: None, or a float (batch, k) condition vector that sets
            every batch norm's scale and shift (conditional batch norm;
            needs normalization "batch").

    Returns:
        A float32 tensor of shape (batch, side, side, channels) in [-1, 1].
    """
    validation.check_choice("start", start, STARTS)
    validation.check_choice("activation", activation, blocks.ACTIVATIONS)
    validation.check_choice(
        "normalization", normalization, blocks.GENERATOR_NORMALIZATIONS
    )
    kernel_size = validation.check_int("kernel_size", kernel_size)
    init = blocks.initializer_factory(
        kernel_initializer, activation, DCGAN_INITIALIZER
    )
    use_bias = blocks.uses_bias(normalization)
    if condition is not None and normalization != "batch":
        raise ValueError(
            "Conditional batch norm replaces the generator's batch norm: "
            "it needs g_normalization='batch'. Received: "
            f"normalization={normalization!r}"
        )

    def norm_act(x, prefix):
        if condition is None:
            return blocks.norm_act(x, normalization, activation, prefix)
        x = conditioning.conditional_batch_norm(x, condition, prefix)
        return blocks.activation_layer(activation,
                                       f"{prefix}_{activation}")(x)

    if start == "dense":
        x = keras.layers.Dense(
            START_SIZE * START_SIZE * widths[0],
            use_bias=use_bias,
            kernel_initializer=init(),
            name="start_dense",
        )(z)
        x = keras.layers.Reshape(
            (START_SIZE, START_SIZE, widths[0]), name="start_reshape"
        )(x)
    else:
        x = keras.layers.Reshape((1, 1, z.shape[-1]), name="start_reshape")(z)
        x = keras.layers.Conv2DTranspose(
            widths[0],
            START_SIZE,
            strides=1,
            padding="valid",
            use_bias=use_bias,
            kernel_initializer=init(),
            data_format="channels_last",
            name="start_conv_transpose",
        )(x)
    x = norm_act(x, "start")
    for i, width in enumerate(widths[1:], start=1):
        x = keras.layers.Conv2DTranspose(
            width,
            kernel_size,
            strides=2,
            padding="same",
            use_bias=use_bias,
            kernel_initializer=init(),
            data_format="channels_last",
            name=f"block{i}_conv_transpose",
        )(x)
        x = norm_act(x, f"block{i}")
    return keras.layers.Conv2DTranspose(
        channels,
        kernel_size,
        strides=2,
        padding="same",
        activation="tanh",
        kernel_initializer=init(),
        data_format="channels_last",
        dtype="float32",
        name="output_conv_transpose",
    )(x)


def build_dcgan_generator(
    image_size=64,
    latent_dim=100,
    channels=3,
    base_width=64,
    num_blocks=None,
    filters=None,
    activation="relu",
    normalization="batch",
    start="dense",
    kernel_size=4,
    kernel_initializer=None,
    name="generator",
):
    """Builds a DCGAN generator: latent vector -> image in [-1, 1].

    A 4x4 map of width `filters[0]` is upsampled by stride-2
    `Conv2DTranspose` layers ("same" padding), each followed by the
    normalization and the activation, to the image; the last layer has
    `channels` filters, a tanh and no normalization. With image_size=64 and
    base_width=64 this is the classic 100 -> 4x4x512 -> 8x8x256 ->
    16x16x128 -> 32x32x64 -> 64x64x3.

    Args:
        image_size: int, the image side: 16, 32, 64 or 128.
        latent_dim: int, the size of z.
        channels: int, the image channels.
        base_width: int, the width of the last hidden layer; each earlier
            one is twice as wide (width at 4x4 is
            `base_width * 2**(num_blocks - 1)`).
        num_blocks: None, or the number of stride-2 upsampling layers
            including the output layer, which must be log2(image_size / 4).
        filters: None, or a list of `num_blocks` widths from the 4x4 stage
            on (image channels excluded); overrides base_width.
        activation: "relu", "leaky_relu" (slope 0.2) or "selu".
        normalization: "batch", "layer" (over H, W and C per sample, one
            scale per channel) or "none"; applied after each hidden layer,
            before the activation.
        start: "dense" (Dense to 4*4*filters[0] and a reshape) or
            "conv_transpose" (z as a 1x1 map, then a 4x4 stride-1 "valid"
            `Conv2DTranspose`, as in the PyTorch DCGAN tutorial).
        kernel_size: int, the kernel of the stride-2 layers.
        kernel_initializer: None, or a Keras initializer identifier. None
            means N(0, 0.02) as in DCGAN, or "lecun_normal" with "selu".
        name: the model's name.

    Returns:
        A `keras.Model` mapping float32 (batch, latent_dim) to float32
        (batch, image_size, image_size, channels). The output layer is
        float32 under mixed precision too.

    Example:

    >>> g = build_dcgan_generator(
    ...     image_size=32, filters=[256, 128, 64], activation="selu",
    ...     normalization="none")
    >>> g.output.shape
    (None, 32, 32, 3)

    Reference:
        Radford et al. 2015, arXiv:1511.06434.
    """
    widths = _widths(image_size, base_width, num_blocks, filters, grow=False)
    latent_dim = validation.check_int("latent_dim", latent_dim)
    channels = validation.check_int("channels", channels)
    z = keras.Input((latent_dim,), dtype="float32", name="z")
    images = dcgan_generator_body(
        z,
        widths,
        channels=channels,
        activation=activation,
        normalization=normalization,
        start=start,
        kernel_size=kernel_size,
        kernel_initializer=kernel_initializer,
    )
    return keras.Model(z, images, name=name)


def dcgan_discriminator_features(
    images,
    widths,
    activation="leaky_relu",
    normalization="batch",
    kernel_size=4,
    kernel_initializer=None,
    first_conv_labels=None,
    minibatch_std=0,
):
    """The discriminator's convolutions (no logit head).

    Args:
        images: tensor of shape (batch, side, side, channels).
        widths: one width per stride-2 convolution.
        activation, normalization, kernel_size, kernel_initializer: as in
            `build_dcgan_discriminator`.
        first_conv_labels: None, or encoded labels (batch, k): a label map
            (`conditioning.label_map`) is concatenated to the first
            convolution's output as one more channel.
        minibatch_std: 0, or the group size of a `MinibatchStdDev`
            channel appended to the last feature map (Karras et al. 2018).

    Returns:
        A tensor of shape (batch, side / 2**len(widths), same, widths[-1]),
        one more channel with minibatch_std.
    """
    validation.check_choice("activation", activation, blocks.ACTIVATIONS)
    validation.check_choice(
        "normalization", normalization, blocks.DISCRIMINATOR_NORMALIZATIONS
    )
    kernel_size = validation.check_int("kernel_size", kernel_size)
    init = blocks.initializer_factory(
        kernel_initializer, activation, DCGAN_INITIALIZER
    )
    x = images
    for i, width in enumerate(widths):
        # As in DCGAN, the first convolution is not normalized.
        norm = normalization if i > 0 else "none"
        prefix = f"block{i}"
        conv = keras.layers.Conv2D(
            width,
            kernel_size,
            strides=2,
            padding="same",
            use_bias=blocks.uses_bias(norm),
            kernel_initializer=init(),
            data_format="channels_last",
            name=f"{prefix}_conv",
        )
        conv = blocks.maybe_spectral(
            conv, normalization, f"{prefix}_spectral_conv"
        )
        x = conv(x)
        x = blocks.norm_act(x, norm, activation, prefix)
        if i == 0 and first_conv_labels is not None:
            side = x.shape[1]
            x = keras.layers.Concatenate(name="first_conv_with_labels")([
                x, conditioning.label_map(first_conv_labels, side, side,
                                          "first_conv_label_map",
                                          normalization=normalization)])
    return minibatch_std_lib.maybe_minibatch_std(x, minibatch_std)


def build_dcgan_discriminator(
    image_size=64,
    channels=3,
    base_width=64,
    num_blocks=None,
    filters=None,
    activation="leaky_relu",
    normalization="batch",
    kernel_size=4,
    kernel_initializer=None,
    minibatch_std=0,
    name="discriminator",
):
    """Builds a DCGAN discriminator: image -> one real/fake logit.

    Stride-2 `Conv2D` layers ("same" padding) halve the resolution down to
    4x4 while the width doubles (64-128-256-512 for 64x64 images and
    base_width=64); each is followed by the normalization (none on the
    first, as in DCGAN) and the activation. A Dense layer maps the
    flattened 4x4 map to one logit (the same as DCGAN's final 4x4 "valid"
    convolution).

    Args:
        image_size: int, the image side: 16, 32, 64 or 128.
        channels: int, the image channels.
        base_width: int, the width of the first convolution.
        num_blocks: None, or the number of stride-2 convolutions, which must
            be log2(image_size / 4).
        filters: None, or a list of `num_blocks` widths; overrides
            base_width.
        activation: "leaky_relu" (slope 0.2), "relu" or "selu".
        normalization: "batch", "layer" (over H, W and C per sample, one
            scale per channel, as in WGAN-GP's critic), "none", or
            "spectral": every Conv2D and the final Dense wrapped in
            `keras.layers.SpectralNormalization` and no other normalization
            (SNGAN).
        kernel_size: int, the kernel of the convolutions.
        kernel_initializer: None, or a Keras initializer identifier. None
            means N(0, 0.02) as in DCGAN, or "lecun_normal" with "selu".
        minibatch_std: 0 (off), or the group size of a minibatch
            standard-deviation channel before the logit (Karras et al.
            2018; `keras_gans.layers.minibatch_std`).
        name: the model's name.

    Returns:
        A `keras.Model` mapping (batch, image_size, image_size, channels)
        to float32 logits of shape (batch, 1).

    Note:
        Keras' `SpectralNormalization` divides the kernel by its spectral
        norm and writes the result back into the kernel variable at every
        training call; gradients do not flow through the norm as in
        Miyato et al.'s formulation.

    Reference:
        Radford et al. 2015, arXiv:1511.06434.
        Miyato et al. 2018 (spectral normalization), arXiv:1802.05957.
    """
    widths = _widths(image_size, base_width, num_blocks, filters, grow=True)
    channels = validation.check_int("channels", channels)
    images = keras.Input(
        (image_size, image_size, channels), dtype="float32", name="images"
    )
    features = dcgan_discriminator_features(
        images,
        widths,
        activation=activation,
        normalization=normalization,
        kernel_size=kernel_size,
        kernel_initializer=kernel_initializer,
        minibatch_std=minibatch_std,
    )
    init = blocks.initializer_factory(
        kernel_initializer, activation, DCGAN_INITIALIZER
    )
    logits = blocks.logit_head(
        features, normalization=normalization, kernel_initializer=init()
    )
    return keras.Model(images, logits, name=name)
