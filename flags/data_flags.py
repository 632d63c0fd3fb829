"""Flags that choose the data."""

from absl import flags

from keras_gans import datasets

flags.DEFINE_enum("dataset", "faces", list(datasets.DATASET_NAMES),
                  "ring, grid: 2-D Gaussian mixtures; faces, shapes: "
                  "embedded procedural images (or a tagged folder with "
                  "--data_dir); folder: an image folder (--data_dir); "
                  "iclevr: the iCLEVR course folder (--data_dir); "
                  "mnist, fashion_mnist, cifar10, celeb_a: "
                  "tensorflow-datasets (prepared in --data_dir).")
flags.DEFINE_string("data_dir", None,
                    "Real data: a face folder (images + tags.csv, or "
                    "faces/ + tags_clean.csv; optionally attributes.json) "
                    "for faces/shapes, an image folder for folder, "
                    "objects.json + train.json + iclevr/ for iclevr, the "
                    "tensorflow-datasets directory for the tfds sets.")
flags.DEFINE_integer("image_size", None,
                     "Image side (default: the dataset's: 64, or 32 for "
                     "mnist, fashion_mnist, cifar10).")
flags.DEFINE_boolean("ignore_unknown_tags", False,
                     "Skip tags.csv lines with unknown tags and iCLEVR "
                     "train.json entries with unknown objects (default: "
                     "stop with an error naming the line).")
flags.DEFINE_integer("batch_size", None,
                     "Batch size of each D and G update (a step reads "
                     "n_critic * batch_size real samples; default: the "
                     "dataset's: 128 for 2-D data, 64 for images).")
flags.DEFINE_integer("latent_dim", None,
                     "Size of the noise z (default: 2 for 2-D data, 100 "
                     "for images).")
flags.DEFINE_integer("seed", 0, "Seed of the data and the noise.")
flags.DEFINE_integer("num_images", 1000,
                     "--mode=dump_dataset: images to write.")
