"""Flags that choose the data."""

from absl import flags

from keras_gans import datasets

flags.DEFINE_enum("dataset", "ring", list(datasets.DATASET_NAMES),
                  "Dataset: ring (8 Gaussians) or grid (25 Gaussians), "
                  "generated on the fly.")
flags.DEFINE_integer("batch_size", 128,
                     "Batch size of each D and G update (a step reads "
                     "n_critic * batch_size real samples).")
flags.DEFINE_integer("latent_dim", None,
                     "Size of the noise z (default: 2 for 2-D data, 100 "
                     "for images).")
flags.DEFINE_integer("seed", 0, "Seed of the data and the noise.")
