"""Self-attention: every position of a feature map sees every other one.

Convolutions only mix neighbouring positions, so a GAN learns long-range
structure (two eyes that match, legs that belong to one body) only
through many layers. SAGAN adds one self-attention block to both networks
at a middle resolution: each position takes a learned, softmax-weighted
average of the features of all positions, added to its own features with
a learned weight `gamma` that starts at 0, so the network starts out as
the plain convolutional one and lets attention in as it learns.

Reference: Zhang et al. 2019, "Self-Attention Generative Adversarial
Networks", arXiv:1805.08318.
"""

import keras
from keras import ops

from keras_gans import validation

# SAGAN's C-bar = C / k with k = 8 for the query and key projections.
KEY_DIVISOR = 8
# The official SAGAN code and BigGAN give the values C / 2 channels.
VALUE_DIVISOR = 2


@keras.saving.register_keras_serializable(package="keras_gans")
class SelfAttention(keras.layers.Layer):
    """SAGAN's self-attention block: y = x + gamma * o(attend(x)).

    For a (batch, H, W, C) map x, 1x1 convolutions give queries f(x) and
    keys g(x) of max(1, C // 8) channels and values h(x) of
    max(1, C // 2); each position's output is the softmax (over positions)
    of its query's dot products with the keys, times the values, projected
    back to C channels by a 1x1 convolution o. gamma is one scalar weight
    initialized at 0, so the layer starts as the identity.

    This is the variant of the official SAGAN code and of BigGAN (Brock et
    al. 2019, arXiv:1809.11096): values of C / 2 channels, and with
    `pooling` the keys and values are 2x2 max-pooled. Pooling makes the
    attention matrix (H*W) x (H*W / 4) instead of (H*W)^2, a quarter of
    the memory and of the two matmuls, which dominate at 32x32 and above;
    every query still sees the whole image.

    Args:
        spectral: wrap the four convolutions in
            `keras.layers.SpectralNormalization` (as SAGAN does, and as a
            spectrally normalized discriminator needs to stay Lipschitz).
        pooling: 2x2 max-pool the keys and values (needs even H and W).

    Call arguments:
        x: (batch, H, W, C), H and W known; the batch may be unknown.

    Returns:
        A tensor shaped like x, of the layer's compute dtype. Under mixed
        precision the attention logits are cast to float32 for the
        softmax: a sum over H*W terms in bfloat16 keeps only about three
        significant digits.

    Example:

    >>> layer = SelfAttention(spectral=True)
    >>> layer(np.zeros((2, 16, 16, 64), "float32")).shape
    TensorShape([2, 16, 16, 64])
    """

    def __init__(self, spectral=False, pooling=True, **kwargs):
        super().__init__(**kwargs)
        self.spectral = bool(spectral)
        self.pooling = bool(pooling)

    def _conv(self, filters, name):
        conv = keras.layers.Conv2D(
            filters, 1, use_bias=False, kernel_initializer="glorot_uniform",
            dtype=self.dtype_policy, name=name)
        if self.spectral:
            conv = keras.layers.SpectralNormalization(
                conv, dtype=self.dtype_policy, name=f"spectral_{name}")
        return conv

    def build(self, input_shape):
        if len(input_shape) != 4 or None in tuple(input_shape[1:]):
            raise ValueError(
                "SelfAttention needs a (batch, H, W, C) feature map with "
                "known H, W and C. Received: input_shape="
                f"{tuple(input_shape)}")
        _, height, width, channels = input_shape
        if self.pooling and (height % 2 or width % 2):
            raise ValueError(
                "SelfAttention(pooling=True) 2x2-pools the keys and values: "
                "it needs even H and W (or pooling=False). Received: "
                f"input_shape={tuple(input_shape)}")
        self.key_channels = max(1, channels // KEY_DIVISOR)
        self.value_channels = max(1, channels // VALUE_DIVISOR)
        self.query_conv = self._conv(self.key_channels, "query_conv")
        self.key_conv = self._conv(self.key_channels, "key_conv")
        self.value_conv = self._conv(self.value_channels, "value_conv")
        self.output_conv = self._conv(channels, "output_conv")
        # Built here, not on first call, so that every variable exists
        # after `build` (loading a saved model builds, then reads weights).
        for conv in (self.query_conv, self.key_conv, self.value_conv):
            conv.build(input_shape)
        self.output_conv.build(
            (input_shape[0], height, width, self.value_channels))
        self.gamma = self.add_weight(
            shape=(), initializer="zeros", name="gamma")

    def _positions(self, x):
        """(batch, H, W, c) -> (batch, H*W, c)."""
        _, height, width, channels = x.shape
        return ops.reshape(x, (-1, height * width, channels))

    def call(self, x):
        queries = self._positions(self.query_conv(x))
        keys = self.key_conv(x)
        values = self.value_conv(x)
        if self.pooling:
            keys = ops.max_pool(keys, 2, strides=2,
                                data_format="channels_last")
            values = ops.max_pool(values, 2, strides=2,
                                  data_format="channels_last")
        keys = self._positions(keys)
        values = self._positions(values)
        # (batch, H*W, positions of the keys): one row per query.
        logits = ops.matmul(queries, ops.transpose(keys, (0, 2, 1)))
        attention = ops.softmax(ops.cast(logits, "float32"), axis=-1)
        attended = ops.matmul(ops.cast(attention, values.dtype), values)
        _, height, width, _ = x.shape
        attended = ops.reshape(
            attended, (-1, height, width, self.value_channels))
        gamma = ops.cast(self.gamma, x.dtype)
        return x + gamma * ops.cast(self.output_conv(attended), x.dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(spectral=self.spectral, pooling=self.pooling)
        return config


def check_attention_resolution(attention_resolution, resolutions):
    """Returns the side to attend at, None for no self-attention.

    Args:
        attention_resolution: None or 0 (off), or a feature-map side.
        resolutions: the feature-map sides the network has where it can
            attend, e.g. (8, 16, 32).

    Returns:
        An int from `resolutions`, or None.

    Raises:
        ValueError: "attention_resolution must be one of the network's
            feature-map sides (8, 16, 32), or None or 0 for none.
            Received: attention_resolution=5".
    """
    if attention_resolution is None or (
            validation.is_int(attention_resolution)
            and attention_resolution == 0):
        return None
    resolutions = tuple(int(side) for side in resolutions)
    if (not validation.is_int(attention_resolution)
            or attention_resolution not in resolutions):
        sides = ", ".join(map(str, resolutions))
        raise ValueError(
            "attention_resolution must be one of the network's feature-map "
            f"sides ({sides}), or None or 0 for none. Received: "
            f"attention_resolution={attention_resolution!r}")
    return int(attention_resolution)


def maybe_self_attention(x, resolution, normalization, name):
    """`x` through a new `SelfAttention` if its side is `resolution`.

    Args:
        x: (batch, H, W, C).
        resolution: None or 0 (never), or the side H to attend at.
        normalization: the network's normalization name; "spectral" gives
            spectrally normalized attention convolutions.
        name: the layer's name.

    Returns:
        `x` itself, or the attention layer's output (same shape).
    """
    if not resolution or x.shape[1] != resolution:
        return x
    return SelfAttention(spectral=normalization == "spectral", name=name)(x)
