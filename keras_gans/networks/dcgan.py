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

import keras

from keras_gans import validation
from keras_gans.layers import attention
from keras_gans.layers import blocks
from keras_gans.layers import conditioning
from keras_gans.layers import minibatch_std as minibatch_std_lib
from keras_gans.networks import sizing

STARTS = ("dense", "conv_transpose")
# How the generator doubles its resolution: a stride-2 transposed
# convolution (DCGAN), or nearest-neighbour upsampling then a stride-1
# convolution, which avoids the checkerboard of overlapping strides
# (Odena et al. 2016, "Deconvolution and Checkerboard Artifacts").
UPSAMPLINGS = ("conv_transpose", "nearest")
START_SIZE = 4

# Radford et al.: "All weights were initialized from a zero-centered Normal
# distribution with standard deviation 0.02."
DCGAN_INITIALIZER = {
    "class_name": "RandomNormal",
    "config": {"mean": 0.0, "stddev": 0.02, "seed": None},
}


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
    upsampling="conv_transpose",
    output_normalization=False,
    output_activation="tanh",
    image_range="symmetric",
    attention_resolution=0,
):
    """Maps a latent tensor to images (the generator without its Input).

    Args:
        z: tensor of shape (batch, latent_dim).
        widths: hidden widths from the 4x4 stage on; the image side is
            `4 * 2**len(widths)`.
        channels, activation, normalization, start, kernel_size,
        kernel_initializer, upsampling, output_normalization,
        output_activation, image_range, attention_resolution: as in
            `build_dcgan_generator`.
        condition: None, or a float (batch, k) condition vector that sets
            every batch norm's scale and shift (conditional batch norm;
            needs normalization "batch").

    Returns:
        A float32 tensor of shape (batch, side, side, channels): in
        [-1, 1] with tanh and image_range "symmetric"; otherwise the
        output activation's values mapped from image_range to the [-1, 1]
        scale (relu on "raw" gives [-1, inf)).
    """
    validation.check_choice("start", start, STARTS)
    validation.check_choice("upsampling", upsampling, UPSAMPLINGS)
    validation.check_choice("output_activation", output_activation,
                            blocks.OUTPUT_ACTIVATIONS)
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
    x = attention.maybe_self_attention(x, attention_resolution, "none",
                                       "start_attention")

    def upsample(x, width, prefix, **kwargs):
        if upsampling == "conv_transpose":
            return keras.layers.Conv2DTranspose(
                width, kernel_size, strides=2, padding="same",
                kernel_initializer=init(), data_format="channels_last",
                name=f"{prefix}_conv_transpose", **kwargs)(x)
        x = keras.layers.UpSampling2D(2, interpolation="nearest",
                                      name=f"{prefix}_upsample")(x)
        return keras.layers.Conv2D(
            width, kernel_size, padding="same", kernel_initializer=init(),
            data_format="channels_last", name=f"{prefix}_conv", **kwargs)(x)

    for i, width in enumerate(widths[1:], start=1):
        x = upsample(x, width, f"block{i}", use_bias=use_bias)
        x = norm_act(x, f"block{i}")
        x = attention.maybe_self_attention(x, attention_resolution, "none",
                                           f"block{i}_attention")
    if not output_normalization and output_activation == "tanh" and (
            image_range == "symmetric"):
        # The classic layer, named as before so saved runs still load.
        return upsample(x, channels, "output", activation="tanh",
                        dtype="float32")
    x = upsample(x, channels, "output", use_bias=not output_normalization)
    if output_normalization:
        # One course report's generator: batch norm right before tanh.
        x = keras.layers.BatchNormalization(
            momentum=blocks.BN_MOMENTUM, epsilon=blocks.NORM_EPSILON,
            synchronized=True, name="output_norm")(x)
    x = keras.layers.Activation(output_activation, dtype="float32",
                                name=f"output_{output_activation}")(x)
    return blocks.from_image_range(x, image_range)


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
    upsampling="conv_transpose",
    output_normalization=False,
    output_activation="tanh",
    image_range="symmetric",
    attention_resolution=0,
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
        upsampling: one of `UPSAMPLINGS`: "conv_transpose" (stride 2), or
            "nearest" (x2 nearest-neighbour, then a stride-1 Conv2D).
        output_normalization: batch norm between the output convolution
            and the output activation.
        output_activation: one of `blocks.OUTPUT_ACTIVATIONS`.
        image_range: a key of `blocks.IMAGE_RANGES`: the range the output
            activation works in, mapped back to [-1, 1] by a fixed
            Rescaling (a relu generator of "raw" pixels is G trained on
            unnormalized images).
        attention_resolution: 0, or a hidden side (8, 16, ...) after whose
            block a SAGAN self-attention layer sits
            (`keras_gans.layers.attention`).
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
    widths = sizing.widths(image_size, base_width, num_blocks, filters, grow=False)
    latent_dim = validation.check_int("latent_dim", latent_dim)
    channels = validation.check_int("channels", channels)
    z = keras.Input((latent_dim,), dtype="float32", name="z")
    attention.check_attention_resolution(
        attention_resolution, sizing.hidden_sides(image_size))
    images = dcgan_generator_body(
        z,
        widths,
        channels=channels,
        activation=activation,
        normalization=normalization,
        start=start,
        kernel_size=kernel_size,
        kernel_initializer=kernel_initializer,
        upsampling=upsampling,
        output_normalization=output_normalization,
        output_activation=output_activation,
        image_range=image_range,
        attention_resolution=attention_resolution,
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
    dropout=0.0,
    attention_resolution=0,
    label_map_options=None,
):
    """The discriminator's convolutions (no logit head).

    Args:
        images: tensor of shape (batch, side, side, channels).
        widths: one width per stride-2 convolution.
        activation, normalization, kernel_size, kernel_initializer,
        dropout, attention_resolution: as in `build_dcgan_discriminator`.
        first_conv_labels: None, or encoded labels (batch, k): a label map
            (`conditioning.label_map`) is concatenated to the first
            convolution's output as one more channel (one per attribute
            with per-attribute maps).
        label_map_options: keyword arguments of `conditioning.label_map`
            (activation, label_spec for per-attribute maps).
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
        if dropout:
            # PyTorch-GAN's Dropout2d: whole feature maps are dropped.
            x = keras.layers.SpatialDropout2D(dropout,
                                              name=f"{prefix}_dropout")(x)
        x = attention.maybe_self_attention(x, attention_resolution,
                                           normalization,
                                           f"{prefix}_attention")
        if i == 0 and first_conv_labels is not None:
            side = x.shape[1]
            x = keras.layers.Concatenate(name="first_conv_with_labels")([
                x, conditioning.label_map(first_conv_labels, side, side,
                                          "first_conv_label_map",
                                          normalization=normalization,
                                          **(label_map_options or {}))])
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
    dropout=0.0,
    image_range="symmetric",
    attention_resolution=0,
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
        dropout: 0, or the rate of a `SpatialDropout2D` after each
            block's activation (PyTorch-GAN's `Dropout2d(0.25)`).
        image_range: a key of `blocks.IMAGE_RANGES`: the [-1, 1] input is
            mapped to that range before the first convolution.
        attention_resolution: 0, or a feature-map side after whose block
            a SAGAN self-attention layer sits.
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
    widths = sizing.widths(image_size, base_width, num_blocks, filters, grow=True)
    channels = validation.check_int("channels", channels)
    images = keras.Input(
        (image_size, image_size, channels), dtype="float32", name="images"
    )
    attention.check_attention_resolution(
        attention_resolution, sizing.hidden_sides(image_size))
    features = dcgan_discriminator_features(
        blocks.to_image_range(images, image_range),
        widths,
        activation=activation,
        normalization=normalization,
        kernel_size=kernel_size,
        kernel_initializer=kernel_initializer,
        minibatch_std=minibatch_std,
        dropout=dropout,
        attention_resolution=attention_resolution,
    )
    init = blocks.initializer_factory(
        kernel_initializer, activation, DCGAN_INITIALIZER
    )
    logits = blocks.logit_head(
        features, normalization=normalization, kernel_initializer=init()
    )
    return keras.Model(images, logits, name=name)
