"""GAN models and their named variants."""

from keras_gans.models.conditional import ACGAN
from keras_gans.models.conditional import ConditionalGAN
from keras_gans.models.gan import GAN
from keras_gans.models.infogan import InfoGAN
from keras_gans.models.variants import VARIANTS
from keras_gans.models.variants import Variant

__all__ = ["ACGAN", "ConditionalGAN", "GAN", "InfoGAN", "VARIANTS", "Variant"]
