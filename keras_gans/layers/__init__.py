"""Layers and layer stacks the networks are built from.

`blocks`: initializers, activations, normalizations, spectral norm and the
logit head every builder shares. `conditioning`: the layers that feed
labels into the networks (exported below). `attention`: SAGAN's
self-attention. Neither imports
`keras_gans.networks`, which builds on both.
"""

from keras_gans.layers.attention import SelfAttention
from keras_gans.layers.conditioning import D_SCHEMES
from keras_gans.layers.conditioning import EncodeLabels
from keras_gans.layers.conditioning import G_SCHEMES
from keras_gans.layers.conditioning import LabelEmbedding
from keras_gans.layers.conditioning import conditional_batch_norm
from keras_gans.layers.conditioning import generator_condition
from keras_gans.layers.conditioning import label_map
from keras_gans.layers.conditioning import projection_logit

__all__ = [
    "D_SCHEMES",
    "EncodeLabels",
    "G_SCHEMES",
    "LabelEmbedding",
    "SelfAttention",
    "conditional_batch_norm",
    "generator_condition",
    "label_map",
    "projection_logit",
]
