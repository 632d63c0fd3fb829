"""Fully connected generator and discriminator builders.

These are the networks of the 2-D mixture-of-Gaussians experiments (ring
and grid) used to count modes: a generator of four hidden layers of 400
ReLU units with batch normalization and a discriminator of three hidden
layers of 200 units (PacGAN; VEEGAN's setup is the same kind).

The bodies are functions of a tensor (`mlp_body`) so that conditional models
can concatenate labels to the input and reuse them.

Reference: Lin et al. 2018, "PacGAN: The power of two samples in generative
adversarial networks", arXiv:1712.04086 (appendix, 2-D experiments);
Srivastava et al. 2017, "VEEGAN", arXiv:1705.07761.
"""

import keras

from keras_gans import validation
from keras_gans.layers import blocks
from keras_gans.layers import minibatch_std as minibatch_std_lib

MLP_INITIALIZER = "glorot_uniform"


def _check_hidden_units(hidden_units):
    try:
        units = list(hidden_units)
    except TypeError:
        units = None
    if units is None:
        raise ValueError(
            "hidden_units must be a sequence of positive integers. "
            f"Received: hidden_units={hidden_units!r}"
        )
    return [validation.check_int("hidden_units", n) for n in units]


def mlp_body(
    x,
    hidden_units,
    activation="relu",
    normalization="none",
    kernel_initializer=None,
):
    """Stacks Dense -> normalization -> activation for each hidden layer.

    Args:
        x: tensor of shape (batch, features).
        hidden_units: sequence of ints, the width of each hidden layer.
        activation: "relu", "leaky_relu" (slope 0.2) or "selu".
        normalization: "batch", "layer", "none", or "spectral" (each Dense
            wrapped in `keras.layers.SpectralNormalization`).
        kernel_initializer: None, or a Keras initializer identifier. None
            means Glorot uniform, or "lecun_normal" with "selu".

    Returns:
        A tensor of shape (batch, hidden_units[-1]), or `x` itself when
        there are no hidden layers.
    """
    validation.check_choice("activation", activation, blocks.ACTIVATIONS)
    validation.check_choice(
        "normalization", normalization, blocks.DISCRIMINATOR_NORMALIZATIONS
    )
    init = blocks.initializer_factory(
        kernel_initializer, activation, MLP_INITIALIZER
    )
    for i, units in enumerate(_check_hidden_units(hidden_units)):
        prefix = f"hidden{i}"
        dense = keras.layers.Dense(
            units,
            use_bias=blocks.uses_bias(normalization),
            kernel_initializer=init(),
            name=f"{prefix}_dense",
        )
        dense = blocks.maybe_spectral(
            dense, normalization, f"{prefix}_spectral_dense"
        )
        x = blocks.norm_act(dense(x), normalization, activation, prefix)
    return x


def build_mlp_generator(
    latent_dim=2,
    output_dim=2,
    hidden_units=(400, 400, 400, 400),
    activation="relu",
    normalization="batch",
    kernel_initializer=None,
    name="generator",
):
    """Builds a fully connected generator with a linear output.

    Args:
        latent_dim: int, the size of z.
        output_dim: int, the size of a sample.
        hidden_units: sequence of ints, the hidden widths.
        activation: "relu", "leaky_relu" (slope 0.2) or "selu".
        normalization: "batch", "layer" or "none", after each hidden Dense
            and before the activation.
        kernel_initializer: None, or a Keras initializer identifier. None
            means Glorot uniform, or "lecun_normal" with "selu".
        name: the model's name.

    Returns:
        A `keras.Model` mapping float32 (batch, latent_dim) to float32
        (batch, output_dim), float32 under mixed precision too.

    Example:

    >>> g = build_mlp_generator()  # PacGAN's 2-D generator
    >>> g.output.shape
    (None, 2)

    Reference:
        Lin et al. 2018 (PacGAN), arXiv:1712.04086.
    """
    latent_dim = validation.check_int("latent_dim", latent_dim)
    output_dim = validation.check_int("output_dim", output_dim)
    validation.check_choice(
        "normalization", normalization, blocks.GENERATOR_NORMALIZATIONS
    )
    z = keras.Input((latent_dim,), dtype="float32", name="z")
    x = mlp_body(z, hidden_units, activation, normalization,
                 kernel_initializer)
    init = blocks.initializer_factory(
        kernel_initializer, activation, MLP_INITIALIZER
    )
    samples = keras.layers.Dense(
        output_dim, kernel_initializer=init(), dtype="float32",
        name="output_dense",
    )(x)
    return keras.Model(z, samples, name=name)


def build_mlp_discriminator(
    input_dim=2,
    hidden_units=(200, 200, 200),
    activation="relu",
    normalization="none",
    kernel_initializer=None,
    minibatch_std=0,
    name="discriminator",
):
    """Builds a fully connected discriminator: sample -> one logit.

    Args:
        input_dim: int, the size of a sample.
        hidden_units: sequence of ints, the hidden widths.
        activation: "relu", "leaky_relu" (slope 0.2) or "selu".
        normalization: "none", "layer", "batch", or "spectral" (every
            Dense, the output one included, wrapped in
            `keras.layers.SpectralNormalization`).
        kernel_initializer: None, or a Keras initializer identifier. None
            means Glorot uniform, or "lecun_normal" with "selu".
        minibatch_std: 0 (off), or the group size of a minibatch
            standard-deviation unit appended before the logit.
        name: the model's name.

    Returns:
        A `keras.Model` mapping (batch, input_dim) to float32 logits of
        shape (batch, 1) (no sigmoid).

    Reference:
        Lin et al. 2018 (PacGAN), arXiv:1712.04086.
        Miyato et al. 2018 (spectral normalization), arXiv:1802.05957.
    """
    input_dim = validation.check_int("input_dim", input_dim)
    samples = keras.Input((input_dim,), dtype="float32", name="samples")
    x = mlp_body(samples, hidden_units, activation, normalization,
                 kernel_initializer)
    x = minibatch_std_lib.maybe_minibatch_std(x, minibatch_std)
    init = blocks.initializer_factory(
        kernel_initializer, activation, MLP_INITIALIZER
    )
    logits = blocks.logit_head(
        x, normalization=normalization, kernel_initializer=init()
    )
    return keras.Model(samples, logits, name=name)
