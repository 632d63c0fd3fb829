"""tensorflow-datasets images: MNIST, Fashion-MNIST, CIFAR-10, CelebA.

The data must already be prepared in a tfds data directory: the loaders
only read it, never download, so a run never hangs on the network. When
the data are missing, `load_tfds` raises FileNotFoundError with the one
command that prepares them on a machine with internet. `tfds_spec` needs
no data: label names and shapes come from the builders' code.

| name | image | default size | labels |
|---|---|---|---|
| mnist, fashion_mnist | 28x28 grayscale | 32x32x1 | class (10) |
| cifar10 | 32x32 RGB | 32x32x3 | class (10) |
| celeb_a | 218x178 RGB, centre crop 178x178 | 64x64x3 | multi-hot (40) |

Example:

```python
dataset, spec = load_tfds("mnist", batch_size=64, data_dir="~/tfds")
images, labels = next(iter(dataset))  # (64, 32, 32, 1), (64,) int32
spec.label_spec.names                   # ("0", "1", ..., "9")
```
"""

import logging

import tensorflow as tf
import tensorflow_datasets as tfds

from keras_gans import validation
from keras_gans.datasets import labels as labels_lib
from keras_gans.datasets.spec import DataSpec

log = logging.getLogger("keras_gans")

TFDS_NAMES = ("mnist", "fashion_mnist", "cifar10", "celeb_a")
DEFAULT_IMAGE_SIZES = {
    "mnist": 32, "fashion_mnist": 32, "cifar10": 32, "celeb_a": 64,
}
# Examples shuffled together: each epoch permutes every window of this
# many consecutive examples (tfds stores them in random order already).
# They stay encoded in the window (a few KB each).
SHUFFLE_WINDOW = 10_000
# Dataset.range needs an end; this epoch is never reached.
_NUM_EPOCHS = 2 ** 40
# CIFAR-10's builder reads its class names from the downloaded files, so
# without them `info` says "0" ... "9"; these are the files' names.
_CIFAR10_NAMES = (
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
    "ship", "truck",
)
_CELEB_A_DOCS = "https://www.tensorflow.org/datasets/catalog/celeb_a"


def _check_name(name):
    validation.check_choice("dataset", name, TFDS_NAMES)


def _image_size(name, image_size):
    if image_size is None:
        return DEFAULT_IMAGE_SIZES[name]
    return validation.check_image_size(image_size)


def _label_spec(name, info):
    """The `LabelSpec` of `name` from its builder's info (no data read)."""
    if name == "celeb_a":
        # The feature dict's order is the attribute file's column order.
        return labels_lib.LabelSpec.for_multi_hot(
            tuple(info.features["attributes"].keys())
        )
    if name == "cifar10":
        return labels_lib.LabelSpec.for_classes(_CIFAR10_NAMES)
    return labels_lib.LabelSpec.for_classes(info.features["label"].names)


def tfds_spec(name, image_size=None):
    """The `DataSpec` of a tfds dataset, from its builder's code: no data
    files needed.

    Args:
        name: one of `TFDS_NAMES`.
        image_size: the image side (default `DEFAULT_IMAGE_SIZES[name]`);
            one of `validation.IMAGE_SIZES`.

    Raises:
        ValueError: an unknown name or a bad image size.
    """
    _check_name(name)
    image_size = _image_size(name, image_size)
    info = tfds.builder(name).info
    channels = info.features["image"].shape[-1]
    return DataSpec(
        name=name, kind="image",
        sample_shape=(image_size, image_size, channels),
        label_spec=_label_spec(name, info),
    )


def _not_prepared(name, builder, data_dir):
    message = (
        f"No prepared tensorflow-datasets data for dataset {name!r} in "
        f"{builder.data_dir}, and keras_gans never downloads. On a "
        f"machine with internet, run once:\n"
        f"  python -c \"import tensorflow_datasets as tfds; "
        f"tfds.builder('{name}', data_dir='DIR').download_and_prepare()\"\n"
        f"(or `tfds build {name} --data_dir=DIR`, whose command line needs "
        f"`pip install apache-beam` in tensorflow-datasets 4.9), then copy "
        f"DIR here and pass data_dir=DIR."
    )
    if name == "celeb_a":
        message += (
            " CelebA's files come from Google Drive, which often refuses "
            "with a quota error: then download them by hand as its page "
            f"says ({_CELEB_A_DOCS})."
        )
    return FileNotFoundError(message + f" Received: data_dir={data_dir!r}")


def _preprocess(name, info, image_size, label_spec):
    """The map from one tfds example (image still encoded) to
    (image float32 (S, S, C) in [-1, 1], label)."""
    height, width, channels = info.features["image"].shape
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2

    def prepare(example):
        image = tf.io.decode_image(
            example["image"], channels=channels, expand_animations=False
        )
        image = tf.ensure_shape(image, (height, width, channels))
        # CelebA: the centre 178 x 178 of the 218 x 178 photo.
        image = tf.cast(image[top:top + side, left:left + side], "float32")
        if side != image_size:
            image = tf.clip_by_value(tf.image.resize(
                image, (image_size, image_size), antialias=True
            ), 0.0, 255.0)
        image = image / 127.5 - 1.0
        if name == "celeb_a":
            attributes = example["attributes"]
            label = tf.stack([tf.cast(attributes[key], "float32")
                              for key in label_spec.names])
        else:
            label = tf.cast(example["label"], "int32")
        return image, label

    return prepare


def _shuffled_epochs(dataset, seed, first_epoch):
    """`dataset` repeated from epoch `first_epoch` on, each epoch permuting
    every `SHUFFLE_WINDOW` window with stateless ops keyed on (seed, epoch,
    window): the stream depends on `seed` alone, not on the global
    TensorFlow seed (which `dataset.shuffle(seed=...)` mixes in)."""
    seed = tf.constant(int(seed), "int64")

    def epoch(index):
        def permute(window_index, window):
            size = tf.shape(tf.nest.flatten(window)[0])[0]
            key = tf.random.experimental.stateless_fold_in(
                tf.stack([seed, index]), window_index
            )
            order = tf.random.experimental.stateless_shuffle(
                tf.range(size), seed=key
            )
            return tf.nest.map_structure(
                lambda t: tf.gather(t, order), window
            )

        windows = dataset.batch(SHUFFLE_WINDOW).enumerate()
        return windows.map(permute).unbatch()

    return tf.data.Dataset.range(first_epoch, _NUM_EPOCHS).flat_map(epoch)


def load_tfds(name, batch_size, seed=0, image_size=None, start_batch=0,
              data_dir=None):
    """A tensorflow-datasets image set's training split, never downloading.

    The stream: each epoch shuffles the examples (still encoded) in
    windows of `SHUFFLE_WINDOW`, with a permutation keyed on `(seed,
    epoch, window)`; then they are decoded, cropped, resized and batched
    (batches run on across epochs). The same seed gives the same stream in
    any run. `start_batch=k` gives exactly batches `k, k + 1, ...`: it
    starts at the epoch of batch `k` and skips, undecoded, the examples of
    that epoch before it.

    Args:
        name: one of `TFDS_NAMES`.
        batch_size: images per batch (remainder dropped).
        seed: int.
        image_size: image side (default `DEFAULT_IMAGE_SIZES[name]`).
        start_batch: the first batch.
        data_dir: the tfds data directory (default ~/tensorflow_datasets).

    Returns:
        (dataset, spec): a repeating `tf.data.Dataset` of (images float32
        (batch_size, S, S, C) in [-1, 1], labels (batch_size,) +
        spec.label_spec.shape) batches: int32 class indices, or CelebA's
        40 attributes as float32 0/1; and the `DataSpec`.

    Raises:
        ValueError: an unknown name, a bad image size or batch size.
        FileNotFoundError: the data are not prepared in `data_dir`.
    """
    spec = tfds_spec(name, image_size)
    image_size = spec.sample_shape[0]
    batch_size = validation.check_int("batch_size", batch_size)
    start_batch = validation.check_int("start_batch", start_batch, minimum=0)
    builder = tfds.builder(name, data_dir=data_dir)
    try:
        # SkipDecoding: the windows and the skip hold the encoded bytes;
        # only the images that are used get decoded.
        dataset = builder.as_dataset(
            split="train", shuffle_files=False,
            decoders={"image": tfds.decode.SkipDecoding()},
        )
    except AssertionError as error:
        # tfds's "Dataset mnist: could not find data in DIR" (4.9).
        if "could not find data" not in str(error):
            raise
        raise _not_prepared(name, builder, data_dir) from None
    label_key = "attributes" if name == "celeb_a" else "label"
    # Only what the map reads travels through the windows.
    dataset = dataset.map(
        lambda example: {"image": example["image"],
                         label_key: example[label_key]}
    )
    count = int(dataset.cardinality())
    if count == 0:
        raise ValueError(
            f"The train split of dataset {name!r} in {builder.data_dir} is "
            f"empty. Received: data_dir={data_dir!r}"
        )
    log.info(
        "--dataset=%s: tensorflow-datasets %s from %s, %dx%d.", name,
        builder.info.version, builder.data_dir, image_size, image_size,
    )
    start = start_batch * batch_size
    # tfds gives the cardinality; were it unknown, start at epoch 0.
    first_epoch, skip = divmod(start, count) if count > 0 else (0, start)
    dataset = _shuffled_epochs(dataset, seed, first_epoch).skip(skip)
    dataset = dataset.map(
        _preprocess(name, builder.info, image_size, spec.label_spec),
        num_parallel_calls=tf.data.AUTOTUNE, deterministic=True,
    )
    dataset = dataset.batch(batch_size, drop_remainder=True)
    return dataset.prefetch(tf.data.AUTOTUNE), spec
