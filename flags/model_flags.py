"""Flags that choose the GAN variant and override its paper defaults.

Flags left unset (None) take the variant's value, listed in
keras_gans/models/variants.py.
"""

from absl import flags

from keras_gans import losses
from keras_gans import penalties
from keras_gans.models import variants

flags.DEFINE_enum("model", "dcgan", list(variants.VARIANTS),
                  "GAN variant: a preset of loss, penalty, clipping, "
                  "n_critic and optimizer.")
flags.DEFINE_enum("loss", None, list(losses.LOSSES),
                  "Adversarial loss (default: the variant's).")
flags.DEFINE_enum("penalty", None, list(penalties.PENALTIES),
                  "Discriminator gradient penalty (default: the variant's).")
flags.DEFINE_float("gp_weight", None, "Penalty weight lambda.")
flags.DEFINE_integer("n_critic", None,
                     "Discriminator updates per step (default: the "
                     "variant's).")
flags.DEFINE_integer("g_updates", 1,
                     "Generator updates per step: the D/G update ratio is "
                     "n_critic / g_updates (e.g. --n_critic=1 "
                     "--g_updates=5 for 0.2).")
flags.DEFINE_float("clip_value", None,
                   "WGAN weight clipping bound c (D weights in [-c, c]).")
flags.DEFINE_boolean("generator_first", False,
                     "Update the generator before the discriminator.")
flags.DEFINE_float("label_smoothing", 0.0,
                   "BCE losses: real targets 1 - label_smoothing / 2.")
flags.DEFINE_list("real_label_range", None,
                  "BCE losses: noisy real targets drawn from LOW,HIGH "
                  "(e.g. 0.7,1.2).")
flags.DEFINE_list("fake_label_range", None,
                  "BCE losses: noisy fake targets drawn from LOW,HIGH "
                  "(e.g. 0.0,0.3).")
flags.DEFINE_enum("optimizer", None, ["adam", "rmsprop"],
                  "Optimizer of both networks (default: the variant's).")
flags.DEFINE_float("d_learning_rate", None, "Discriminator learning rate.")
flags.DEFINE_float("g_learning_rate", None, "Generator learning rate.")
flags.DEFINE_float("beta_1", None, "Adam beta_1.")
flags.DEFINE_float("beta_2", None, "Adam beta_2.")
_SCHEDULES = ["none", "linear", "step", "exponential", "cosine"]
flags.DEFINE_enum("lr_decay", "linear", _SCHEDULES,
                  "Learning-rate schedule of both networks: linear and "
                  "cosine reach 0 at the last of --epochs * "
                  "--steps_per_epoch steps; step multiplies the rate by "
                  "--lr_gamma every --lr_step_size steps, exponential "
                  "does so smoothly; none keeps it.")
flags.DEFINE_enum("d_lr_decay", None, _SCHEDULES,
                  "The discriminator's schedule (default: --lr_decay).")
flags.DEFINE_enum("g_lr_decay", None, _SCHEDULES,
                  "The generator's schedule (default: --lr_decay).")
flags.DEFINE_integer("lr_step_size", 1000,
                     "Steps per --lr_gamma factor (step, exponential).")
flags.DEFINE_float("lr_gamma", 0.1,
                   "Factor per --lr_step_size steps (step, exponential); "
                   "above 1 grows the rate.")
flags.DEFINE_enum("d_normalization", None,
                  ["batch", "layer", "none", "spectral"],
                  "Discriminator normalization (default: the variant's).")
flags.DEFINE_enum("g_normalization", "batch", ["batch", "layer", "none"],
                  "Generator normalization.")
flags.DEFINE_integer("base_width", None,
                     "Image networks: channels of the widest-resolution "
                     "layer (DCGAN: 64).")
flags.DEFINE_enum("activation", None, ["relu", "leaky_relu", "selu"],
                  "The generator's hidden activation (default: relu); on "
                  "2-D points the discriminator's too, unless "
                  "--d_activation is set.")
