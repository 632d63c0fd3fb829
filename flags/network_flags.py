"""Flags of the networks' architecture and of the noise z.

Each maps onto the `TrainConfig` field of the same name; the library's
builders (`keras_gans.builders.image_network_options`) read them. Options
the chosen architecture or data do not have are refused at start-up,
naming the flags.
"""

from absl import flags

from keras_gans import noise
from keras_gans.layers import blocks
from keras_gans.networks import backbones
from keras_gans.networks import conditional
from keras_gans.networks import dcgan

flags.DEFINE_enum("architecture", "dcgan", list(backbones.ARCHITECTURES),
                  "Image backbone of both networks: dcgan (strided "
                  "convolutions) or resnet (SNGAN's residual blocks, ReLU "
                  "in both networks, global sum pooling in D).")
flags.DEFINE_integer("attention_resolution", 0,
                     "A SAGAN self-attention layer after the block whose "
                     "feature map has this side, in G and in D (e.g. 16 or "
                     "32 at 64x64; 0: none).")
flags.DEFINE_list("g_filters", None,
                  "The generator's widths, one per resolution from the 4x4 "
                  "map on (e.g. 512,256,128,64 at 64x64); overrides "
                  "--base_width for G.")
flags.DEFINE_list("d_filters", None,
                  "The discriminator's widths, one per convolution (e.g. "
                  "32,64,128,256 at 64x64); overrides --base_width for D.")
flags.DEFINE_enum("d_activation", None, list(blocks.ACTIVATIONS),
                  "The discriminator's hidden activation (default: "
                  "leaky_relu for dcgan, relu for resnet).")
flags.DEFINE_integer("kernel_size", None,
                     "dcgan: the kernel of both networks' stride-2 layers "
                     "(default 4).")
flags.DEFINE_float("d_dropout", 0.0,
                   "dcgan: the rate of a SpatialDropout2D after each "
                   "discriminator block (PyTorch-GAN's Dropout2d(0.25)); "
                   "0: none.")
flags.DEFINE_enum("g_upsampling", "conv_transpose", list(dcgan.UPSAMPLINGS),
                  "dcgan: the generator's x2 upsampling: a stride-2 "
                  "transposed convolution, or nearest-neighbour upsampling "
                  "then a convolution (no checkerboard).")
flags.DEFINE_boolean("g_output_normalization", False,
                     "dcgan: batch norm between the generator's last "
                     "convolution and its output activation.")
flags.DEFINE_enum("g_output_activation", "tanh",
                  list(blocks.OUTPUT_ACTIVATIONS),
                  "dcgan: the generator's output activation (pair sigmoid "
                  "with --image_range=unit, relu with raw).")
flags.DEFINE_enum("image_range", "symmetric", list(blocks.IMAGE_RANGES),
                  "dcgan: the pixel range both networks work in: symmetric "
                  "[-1, 1], unit [0, 1] or raw [0, 255] (unnormalized "
                  "inputs); pictures and metrics are unchanged.")
flags.DEFINE_enum("g_condition_activation", "linear",
                  list(blocks.CONDITION_ACTIVATIONS),
                  "--g_conditioning=dense: the activation after the label "
                  "Dense layer (e.g. relu).")
flags.DEFINE_enum("d_condition_activation", "linear",
                  list(blocks.CONDITION_ACTIVATIONS),
                  "--d_conditioning=input or first_conv: the activation "
                  "after the label map's Dense layer (e.g. leaky_relu).")
flags.DEFINE_enum("d_label_maps", "joint", list(conditional.LABEL_MAPS),
                  "--d_conditioning=input or first_conv: one label map of "
                  "the whole label, or one per attribute (hair, eyes, ...).")
flags.DEFINE_enum("latent_distribution", "normal", list(noise.DISTRIBUTIONS),
                  "The noise z: normal N(0, scale^2) or uniform "
                  "U(-scale, scale) per coordinate.")
flags.DEFINE_float("latent_scale", 1.0,
                   "The noise's standard deviation (normal) or half-width "
                   "(uniform).")
