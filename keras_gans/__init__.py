"""keras_gans: classic GANs as Keras 3 models, trained with `fit`.

    from keras_gans.models import GAN
    from keras_gans import train_lib, TrainConfig
"""

from keras_gans.config import TrainConfig

__version__ = "0.1.0"
