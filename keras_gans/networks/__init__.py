"""Generator and discriminator builders: DCGAN family, SNGAN ResNets
(`backbones` names them), their conditional forms, and MLPs."""

from keras_gans.networks.conditional import build_code_generator
from keras_gans.networks.conditional import build_conditional_discriminator
from keras_gans.networks.conditional import build_conditional_generator
from keras_gans.networks.conditional import build_discriminator_with_heads
from keras_gans.networks.dcgan import build_dcgan_discriminator
from keras_gans.networks.dcgan import build_dcgan_generator
from keras_gans.networks.mlp import build_mlp_discriminator
from keras_gans.networks.mlp import build_mlp_generator
from keras_gans.networks.resnet import build_resnet_discriminator
from keras_gans.networks.resnet import build_resnet_generator

__all__ = [
    "build_code_generator",
    "build_conditional_discriminator",
    "build_conditional_generator",
    "build_discriminator_with_heads",
    "build_dcgan_discriminator",
    "build_dcgan_generator",
    "build_mlp_discriminator",
    "build_mlp_generator",
    "build_resnet_discriminator",
    "build_resnet_generator",
]
