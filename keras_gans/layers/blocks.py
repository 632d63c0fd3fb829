"""The building blocks the networks are made of.

Kernel initializers, activation and normalization layers, spectral
normalization, the normalization-then-activation pair and the one-logit
head. The builders of `keras_gans.networks` and the label-conditioning
layers of `keras_gans.layers.conditioning` both use them, so they live
here, below both: a choice such as "spectral" or "batch" means the same
layers (types, names and hyper-parameters) in every network.

Every builder names its choices (activation, normalization, ...) with short
strings; the tuples below are the valid names, so flag enums can be built
from them. Layers are created fresh on every call, one per use.
"""

import keras

from keras_gans import validation

ACTIVATIONS = ("leaky_relu", "relu", "selu")
# After the label layers of the conditioning schemes: "linear" is none.
CONDITION_ACTIVATIONS = ("linear",) + ACTIVATIONS
# The generator's last activation. Anything but tanh only makes sense with
# an image_range it can reach (sigmoid: "unit"; relu: "unit" or "raw").
OUTPUT_ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear")
# The pixel range the networks see: the data pipeline, the pictures and
# every metric stay in [-1, 1]; D's input and G's output are mapped to and
# from this range inside the networks (a fixed affine), which is the same
# as training on data scaled that way ("raw": unnormalized bytes).
IMAGE_RANGES = {"symmetric": (-1.0, 1.0), "unit": (0.0, 1.0),
                "raw": (0.0, 255.0)}
GENERATOR_NORMALIZATIONS = ("batch", "layer", "none")
DISCRIMINATOR_NORMALIZATIONS = ("batch", "layer", "none", "spectral")

LEAKY_RELU_SLOPE = 0.2
# The DCGAN reference implementations (Radford et al.'s Theano code, the
# TensorFlow and PyTorch ports) use momentum 0.9 (PyTorch's 0.1) and
# epsilon 1e-5; Keras' defaults (0.99, 1e-3) make the moving statistics
# that inference uses lag far behind a fast-moving generator.
BN_MOMENTUM = 0.9
NORM_EPSILON = 1e-5


def initializer_factory(kernel_initializer, activation, default):
    """Returns a function that makes a fresh kernel initializer per layer.

    Args:
        kernel_initializer: None, or anything `keras.initializers.get`
            accepts (a name, a config dict or an initializer instance).
        activation: the activation name. With None above, "selu" gets
            "lecun_normal", which self-normalization needs (Klambauer et al.
            2017, arXiv:1706.02515).
        default: what None means for the other activations (an
            identifier, as above).

    Returns:
        A callable with no arguments returning a new initializer. A fresh
        instance per layer avoids sharing one unseeded initializer.
    """
    if kernel_initializer is None:
        kernel_initializer = "lecun_normal" if activation == "selu" else (
            default
        )
    config = keras.initializers.serialize(
        keras.initializers.get(kernel_initializer)
    )
    return lambda: keras.initializers.get(config)


def activation_layer(activation, name):
    """A new activation layer for one of `ACTIVATIONS`."""
    validation.check_choice("activation", activation, ACTIVATIONS)
    if activation == "relu":
        return keras.layers.ReLU(name=name)
    if activation == "leaky_relu":
        return keras.layers.LeakyReLU(
            negative_slope=LEAKY_RELU_SLOPE, name=name
        )
    return keras.layers.Activation("selu", name=name)


def condition_activation(x, activation, name):
    """`x` after one of `CONDITION_ACTIVATIONS` ("linear": unchanged)."""
    validation.check_choice("condition activation", activation,
                            CONDITION_ACTIVATIONS)
    if activation == "linear":
        return x
    return activation_layer(activation, name)(x)


def to_image_range(images, image_range, name="to_image_range"):
    """[-1, 1] images -> `IMAGE_RANGES[image_range]` (float32 Rescaling;
    unchanged for "symmetric")."""
    validation.check_choice("image_range", image_range, tuple(IMAGE_RANGES))
    low, high = IMAGE_RANGES[image_range]
    if (low, high) == (-1.0, 1.0):
        return images
    half = (high - low) / 2.0
    return keras.layers.Rescaling(half, offset=low + half, dtype="float32",
                                  name=name)(images)


def from_image_range(images, image_range, name="from_image_range"):
    """The inverse of `to_image_range`: the generator's output back in the
    library's [-1, 1] (float32)."""
    validation.check_choice("image_range", image_range, tuple(IMAGE_RANGES))
    low, high = IMAGE_RANGES[image_range]
    if (low, high) == (-1.0, 1.0):
        return images
    half = (high - low) / 2.0
    return keras.layers.Rescaling(1.0 / half, offset=-(low + half) / half,
                                  dtype="float32", name=name)(images)


def uses_bias(normalization):
    """Whether a layer followed by `normalization` needs its own bias.

    Only batch norm subtracts each unit's own mean, which cancels a bias.
    Layer norm subtracts the mean over all units, so per-unit biases still
    matter; without them a layer-normalized first layer sees only the
    direction of its input: D(c * x) = D(x) for every c > 0, which makes a
    2-D critic blind to how far a point lies from the origin.
    """
    return normalization != "batch"


def normalization_layer(normalization, name):
    """A new normalization layer, or None for "none" and "spectral".

    "layer" normalizes each sample over all its non-batch axes with one
    scale and offset per channel: for a (batch, H, W, C) feature map that is
    the layer normalization of WGAN-GP's critic (Gulrajani et al. 2017,
    arXiv:1704.00028), which Keras spells `GroupNormalization(groups=1)`;
    `LayerNormalization(axis=[1, 2, 3])` would instead learn H*W*C scales
    and tie the layer to one image size. On (batch, units) tensors both
    agree.
    """
    if normalization == "batch":
        return keras.layers.BatchNormalization(
            momentum=BN_MOMENTUM, epsilon=NORM_EPSILON, name=name,
            # Statistics over the global batch: otherwise each replica
            # keeps its own moving averages and the copies drift apart.
            synchronized=True,
        )
    if normalization == "layer":
        return keras.layers.GroupNormalization(
            groups=1, epsilon=NORM_EPSILON, name=name
        )
    return None


def maybe_spectral(layer, normalization, name, dtype=None):
    """Wraps `layer` in `SpectralNormalization` when normalization says so.

    Args:
        layer: a layer with a `kernel` (Dense, Conv2D, ...).
        normalization: the builder's normalization name.
        name: the wrapper's name (the bare layer keeps its own).
        dtype: the wrapper's dtype policy. The wrapper casts its output to
            its input's dtype, so a float32 output layer needs a float32
            wrapper under mixed precision.

    Returns:
        The wrapper, or `layer` itself when normalization is not
        "spectral".
    """
    if normalization != "spectral":
        return layer
    return keras.layers.SpectralNormalization(layer, name=name, dtype=dtype)


def norm_act(x, normalization, activation, prefix):
    """Applies the normalization (if any) then the activation to `x`."""
    norm = normalization_layer(normalization, f"{prefix}_norm")
    if norm is not None:
        x = norm(x)
    return activation_layer(activation, f"{prefix}_{activation}")(x)


def logit_head(features, normalization="none", kernel_initializer=None):
    """Flattens `features` into one float32 logit per sample.

    Args:
        features: tensor of shape (batch, ...).
        normalization: "spectral" wraps the Dense in `SpectralNormalization`;
            anything else leaves it bare.
        kernel_initializer: a Keras initializer identifier, or None for
            Glorot uniform.

    Returns:
        A float32 tensor of shape (batch, 1): logits, no sigmoid.
    """
    if len(features.shape) > 2:
        features = keras.layers.Flatten(name="flatten")(features)
    dense = keras.layers.Dense(
        1,
        kernel_initializer=kernel_initializer or "glorot_uniform",
        dtype="float32",
        name="logit_dense",
    )
    dense = maybe_spectral(
        dense, normalization, "logit_spectral_dense", dtype="float32"
    )
    return dense(features)


LOGIT_LAYER_NAMES = ("logit_spectral_dense", "logit_dense")


def logit_features_model(discriminator):
    """A model from the discriminator's inputs to what its logit reads.

    The features are the input of `logit_head`'s Dense layer (found by
    name), so they share the discriminator's layers and weights: feature
    matching (Salimans et al. 2016) trains the generator on them.

    Args:
        discriminator: a functional model with a `logit_head`.

    Returns:
        A `keras.Model` with the discriminator's inputs and one output,
        float (batch, units).

    Raises:
        ValueError: no logit layer of that name (a discriminator built
            another way).
    """
    names = {layer.name for layer in discriminator.layers}
    for name in LOGIT_LAYER_NAMES:
        if name in names:
            layer = discriminator.get_layer(name)
            inputs = discriminator.inputs
            return keras.Model(inputs if len(inputs) > 1 else inputs[0],
                               layer.input,
                               name=f"{discriminator.name}_features")
    raise ValueError(
        "Feature matching reads the discriminator's features where its "
        "logit layer reads them, a layer named "
        f"{' or '.join(map(repr, LOGIT_LAYER_NAMES))} "
        "(`keras_gans.layers.blocks.logit_head` builds it). Received: a "
        f"discriminator {discriminator.name!r} without one"
    )
