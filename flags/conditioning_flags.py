"""Flags of the conditional models: cgan, acgan and infogan.

    python run.py --model=cgan --g_conditioning=embedding \
        --d_conditioning=first_conv --matching_aware
    python run.py --model=cgan --base_model=wgan_gp     # conditional WGAN-GP
    python run.py --model=acgan --class_loss_weight=2
    python run.py --model=infogan --info_categorical=10 --info_continuous=2
    python run.py --mode=sample --output_dir=runs/default \
        --condition="blue hair,red eyes"
"""

from absl import flags

from keras_gans import layers
from keras_gans.models import variants

flags.DEFINE_enum(
    "base_model", None, list(variants.UNCONDITIONAL),
    "Conditional models: the variant whose game (loss, penalty, n_critic, "
    "optimizer, D normalization) they play; default dcgan's.")
flags.DEFINE_enum(
    "g_conditioning", None, list(layers.G_SCHEMES),
    "How labels enter the generator: concat (one-/multi-hot to z), "
    "embedding (a learned vector per attribute), dense (a Dense layer on "
    "the labels, then concat), cbn (conditional batch norm). Default: the "
    "model's (concat).")
flags.DEFINE_enum(
    "d_conditioning", None, list(layers.D_SCHEMES),
    "How labels enter the discriminator: input (a label map as an extra "
    "image channel), first_conv (a label map after the first conv), "
    "projection (Miyato & Koyama), none (acgan, infogan). Default: "
    "projection for cgan.")
flags.DEFINE_integer("embedding_dim", 5,
                     "--g_conditioning=embedding: size of each attribute's "
                     "learned vector.")
flags.DEFINE_integer("condition_units", 128,
                     "--g_conditioning=dense: width of the Dense layer on "
                     "the labels.")
flags.DEFINE_boolean(
    "matching_aware", False,
    "cgan: also show D real images with wrong labels as fakes (Reed et "
    "al. 2016).")
flags.DEFINE_float("class_loss_weight", 1.0,
                   "acgan: weight of the classification loss (real and "
                   "fake).")
flags.DEFINE_boolean(
    "classify_fakes", False,
    "acgan: the discriminator's classification loss covers the fakes too "
    "(Odena et al.); off by default, since D and G can then agree on a "
    "code of their own that real-data classifiers do not see.")
flags.DEFINE_list("info_categorical", ["10"],
                  "infogan: categories of each categorical code, e.g. 10 "
                  "or 10,4; empty for none.")
flags.DEFINE_integer("info_continuous", 2,
                     "infogan: number of continuous codes, uniform in "
                     "[-1, 1].")
flags.DEFINE_float("info_categorical_weight", 1.0,
                   "infogan: weight of the categorical codes' loss.")
flags.DEFINE_float("info_continuous_weight", 1.0,
                   "infogan: weight of the continuous codes' loss (mean "
                   "squared error).")
flags.DEFINE_enum("info_code_loss", "crossentropy", ["crossentropy", "mse"],
                  "infogan: loss of the categorical codes (mse: squared "
                  "error of the softmax, as in the all-MSE report; pair it "
                  "with --loss=least_squares).")
flags.DEFINE_string(
    "condition", None,
    "--mode=sample of a conditional model: the labels to draw, by name, "
    'e.g. "blue hair,red eyes" or "red circle,blue square"; several '
    'conditions separated by ";" give one row each.')
