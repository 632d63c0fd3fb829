"""Generator and discriminator builders (DCGAN family and MLPs)."""

from keras_gans.networks.dcgan import build_dcgan_discriminator
from keras_gans.networks.dcgan import build_dcgan_generator
from keras_gans.networks.mlp import build_mlp_discriminator
from keras_gans.networks.mlp import build_mlp_generator

__all__ = [
    "build_dcgan_discriminator",
    "build_dcgan_generator",
    "build_mlp_discriminator",
    "build_mlp_generator",
]
