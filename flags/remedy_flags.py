"""Flags of the mode-collapse remedies (keras_gans.models.remedies).

Unset, each takes the dataset's default (`DatasetDefaults.remedies`) or is
off; `--diff_augment=` (empty) turns DiffAugment off explicitly.
"""

from absl import flags

from keras_gans import augment
from keras_gans import losses

flags.DEFINE_integer(
    "minibatch_std", None,
    "Group size of a minibatch standard-deviation feature before the "
    "discriminator's logit (Karras et al. 2018; 0: off, 4 is usual).")
flags.DEFINE_integer(
    "pack", None,
    "PacGAN: the discriminator judges this many samples at once, stacked "
    "along channels (images) or features (points); unconditional models "
    "(Lin et al. 2018; 1: off, 2-4 usual). --batch_size must be a "
    "multiple.")
flags.DEFINE_list(
    "diff_augment", None,
    "DiffAugment policies applied to every image the discriminator sees, "
    f"real and fake (Zhao et al. 2020): any of {','.join(augment.POLICIES)}"
    " (empty: off).")
flags.DEFINE_enum(
    "generator_objective", None, list(losses.GENERATOR_OBJECTIVES),
    "What the generator is trained on: fooling the discriminator, feature "
    "matching (the mean of the features its logit reads, Salimans et al. "
    "2016), or both.")
flags.DEFINE_float(
    "ema_decay", None,
    "Keep a moving average of the generator's weights with this decay "
    "(0: off; 0.999 averages about the last 1,000 updates); pictures, "
    "--mode=sample/eval and the export use it unless --raw_generator.")
flags.DEFINE_integer(
    "ema_start", None,
    "Generator updates before the moving average starts (it copies the "
    "generator until then).")
flags.DEFINE_boolean(
    "raw_generator", False,
    "--mode=sample/eval/export and the export after training: use the "
    "trained generator, not its moving average (--ema_decay).")
