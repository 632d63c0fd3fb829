"""The image backbones, by name: which generator body and discriminator
feature extractor a builder stacks its inputs and heads on.

- "dcgan": `dcgan.dcgan_generator_body` / `dcgan_discriminator_features`
  (Radford et al. 2015): strided (transposed) convolutions.
- "resnet": `resnet.resnet_generator_body` / `resnet_discriminator_features`
  (Miyato et al. 2018, SNGAN; the mimicry ResNets): residual up- and
  down-sampling blocks, global sum pooling in D.

Both take the same core arguments (the input tensor, one width per
resolution, activation, normalization, a conditional-batch-norm condition
in G, a first-block label map and minibatch std in D) and a SAGAN
self-attention layer at `attention_resolution`; the options below are the
ones only DCGAN has.
"""

from keras_gans import validation
from keras_gans.layers import attention
from keras_gans.networks import dcgan
from keras_gans.networks import sizing

ARCHITECTURES = ("dcgan", "resnet")
# Options of the DCGAN bodies that the ResNet blocks fix (3x3 kernels,
# nearest upsampling, tanh output, [-1, 1] pixels).
DCGAN_ONLY_OPTIONS = ("start", "kernel_size", "upsampling",
                      "output_normalization", "output_activation",
                      "image_range", "dropout")
# Each architecture's defaults where the caller leaves an option unset.
DEFAULT_ACTIVATIONS = {
    "dcgan": {"generator": "relu", "discriminator": "leaky_relu"},
    # SNGAN's and mimicry's ResNets use ReLU in both networks.
    "resnet": {"generator": "relu", "discriminator": "relu"},
}


def bodies(architecture, image_size, options):
    """(generator_body, discriminator_features) of `architecture`.

    Args:
        architecture: a name in `ARCHITECTURES`.
        image_size: the image side (for attention_resolution's check).
        options: the body options the caller passes (checked: a ResNet
            refuses the DCGAN-only ones set away from their defaults).

    Raises:
        ValueError: an unknown architecture, a DCGAN-only option on a
            ResNet, or an attention_resolution the network does not have.
    """
    validation.check_choice("architecture", architecture, ARCHITECTURES)
    attention.check_attention_resolution(
        options.get("attention_resolution") or 0,
        sizing.hidden_sides(image_size))
    if architecture == "dcgan":
        return dcgan.dcgan_generator_body, dcgan.dcgan_discriminator_features
    given = sorted(name for name in DCGAN_ONLY_OPTIONS if name in options)
    if given:
        raise ValueError(
            "architecture 'resnet' fixes its blocks (3x3 convolutions, "
            "nearest upsampling, tanh output, pixels in [-1, 1]): "
            f"{', '.join(given)} are options of architecture 'dcgan'. "
            "Received: architecture='resnet', "
            + ", ".join(f"{name}={options[name]!r}" for name in given))
    from keras_gans.networks import resnet

    return resnet.resnet_generator_body, resnet.resnet_discriminator_features
