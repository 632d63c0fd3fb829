"""Image folders: a face folder with a `tags.csv`, or class sub-folders.

Two loaders, both returning `(dataset, DataSpec)`:

- `load_tagged_folder`: a folder of images plus an optional `tags.csv`
  whose lines read `id,<tags>` (`12,blue hair red eyes glasses`), `id`
  being an image file's stem (`12.png`); the images may also sit in an
  `images/` sub-folder beside `tags.csv`. Or, in the 2017 anime-faces
  course's layout, `tags_clean.csv` (`id,tag:count<TAB>tag:count...`) beside
  a `faces/` sub-folder (`tags_clean`: tags outside the vocabulary are
  ignored there). The caller's `LabelSpec` parses the tags, so the same
  loader reads face folders ("attributes" labels) and shape folders
  ("multi_hot" labels), unless the folder declares its own vocabulary in
  an `attributes.json` (`vocabulary`). Without a tag file the folder is
  unconditional.
- `load_class_folder`: class sub-folders become "class" labels (sorted
  names, as `keras.utils.image_dataset_from_directory`); images directly in
  the folder, with no sub-folders, are unconditional.

The loaders list the folder, read its `tags.csv` (`tags_csv.read_tags`)
and pair its ids with the image files; then every image is decoded once,
at load time (`image_files.decode_images`: RGB or grayscale for
`channels=1`, centre-cropped to a square, resized to `image_size`, kept in
memory as uint8; files that cannot be decoded are skipped with one
warning). The training stream (`array_dataset`) then shuffles the
in-memory images with stateless ops keyed on `(seed, epoch)`, so it is the
same in every run, and a resumed run starts at any batch without touching
the batches before it.

Example:

```python
spec = LabelSpec.for_attributes([
    Attribute("hair", ("blue", "red")), Attribute("glasses")])
dataset, data_spec = load_tagged_folder("faces/", spec, batch_size=64)
images, labels = next(iter(dataset))  # (64, 64, 64, 3), (64, 2) int32
```
"""

import logging
import os

import numpy as np
import tensorflow as tf

from keras_gans import validation
from keras_gans.datasets import image_files
from keras_gans.datasets import labels as labels_lib
from keras_gans.datasets import tags_clean
from keras_gans.datasets import tags_csv
from keras_gans.datasets import vocabulary
from keras_gans.datasets.image_files import IMAGE_EXTENSIONS
from keras_gans.datasets.image_files import first_few
from keras_gans.datasets.spec import DataSpec

log = logging.getLogger("keras_gans")

# The images of a tagged folder may sit in this sub-folder beside tags.csv
# (dump_dataset writes it), or in faces/ beside tags_clean.csv (the 2017
# anime-faces course's layout); else in the folder itself.
IMAGES_SUBDIR = "images"
IMAGE_SUBDIRS = (IMAGES_SUBDIR, "faces")
# A folder holding these is an iCLEVR folder (`iclevr.OBJECTS_FILE`, ...;
# named here since iclevr imports this module).
_ICLEVR_FILES = ("objects.json", "train.json")
# Dataset.range needs an end; this epoch is never reached.
_NUM_EPOCHS = 2 ** 40


# Listing (no decoding).


def _tags_file(data_dir):
    """The folder's tag file: tags.csv, else tags_clean.csv, else None."""
    tags_path = os.path.join(data_dir, tags_csv.TAGS_FILE)
    clean_path = os.path.join(data_dir, tags_clean.TAGS_CLEAN_FILE)
    if os.path.exists(tags_path):
        if os.path.exists(clean_path):
            log.info("%s has %s and %s: reading %s (one label per line).",
                     data_dir, tags_csv.TAGS_FILE, tags_clean.TAGS_CLEAN_FILE,
                     tags_csv.TAGS_FILE)
        return tags_path
    if os.path.exists(clean_path):
        return clean_path
    if all(os.path.exists(os.path.join(data_dir, name))
           for name in _ICLEVR_FILES):
        raise ValueError(
            f"{data_dir} holds {' and '.join(_ICLEVR_FILES)}, an iCLEVR "
            f"folder, and no {tags_csv.TAGS_FILE}: read it with "
            f"--dataset=iclevr. Received: data_dir={data_dir!r}"
        )
    return None


def _list_tagged_folder(data_dir, label_spec, ignore_unknown_tags):
    """(paths, labels or None, label_spec) of a face folder, not decoded.

    `labels` is a `(N,) + label_spec.shape` array matching `paths`, or None
    when the folder has no tag file; `label_spec` is the folder's
    attributes.json's when it has one, else the argument.
    """
    data_dir = image_files.check_dir(data_dir)
    tags_path = _tags_file(data_dir)
    image_dir = data_dir
    for name in IMAGE_SUBDIRS:
        if os.path.isdir(os.path.join(data_dir, name)):
            image_dir = os.path.join(data_dir, name)
            break
    images = image_files.list_images(image_dir)
    if not images:
        raise image_files.no_images_error(image_dir)
    if tags_path is None:
        log.info(
            "No %s or %s in %s: its %d images are unconditional (no "
            "labels).", tags_csv.TAGS_FILE, tags_clean.TAGS_CLEAN_FILE,
            data_dir, len(images),
        )
        return images, None, label_spec
    label_spec = vocabulary.folder_label_spec(data_dir, label_spec)
    if os.path.basename(tags_path) == tags_clean.TAGS_CLEAN_FILE:
        # Unknown tags are the norm there, never an error (tags_clean).
        tags = tags_clean.read_tags_clean(tags_path, label_spec)
    else:
        tags = tags_csv.read_tags(tags_path, label_spec,
                                  ignore_unknown_tags)

    by_id = {}
    duplicates = []
    # Sorted by name, then `IMAGE_EXTENSIONS` order: "12.png" before
    # "12.jpg" whatever the listing order.
    order = {ext: i for i, ext in enumerate(IMAGE_EXTENSIONS)}
    for path in sorted(images, key=lambda p: (
            os.path.splitext(os.path.basename(p))[0],
            order[os.path.splitext(p)[1].lower()])):
        stem = os.path.splitext(os.path.basename(path))[0]
        if stem in by_id:
            duplicates.append(os.path.basename(path))
        else:
            by_id[stem] = path
    if duplicates:
        log.warning(
            "%d image file(s) in %s have the name of another image with "
            "another extension; using the first in the order %s, "
            "ignoring: %s",
            len(duplicates), image_dir, ", ".join(IMAGE_EXTENSIONS),
            first_few(duplicates),
        )

    missing = [image_id for image_id in tags if image_id not in by_id]
    if missing:
        log.warning(
            "%d id(s) of %s have no image file in %s; skipped: %s",
            len(missing), tags_path, image_dir, first_few(missing),
        )
    untagged = [stem for stem in by_id if stem not in tags]
    if untagged:
        # tags_clean.csv's skipped lines are counted in its own warning.
        log.warning(
            "%d image(s) in %s have no %sline in %s; ignored: %s",
            len(untagged), image_dir,
            "usable " if tags_path.endswith(tags_clean.TAGS_CLEAN_FILE)
            else "", os.path.basename(tags_path), first_few(untagged),
        )
    ids = [image_id for image_id in tags if image_id in by_id]
    if not ids:
        raise ValueError(
            f"No line of {tags_path} names an image file in {image_dir}: "
            f"an id is the file's name without extension ('12' for "
            f"12.png). Received: data_dir={data_dir!r}"
        )
    paths = [by_id[image_id] for image_id in ids]
    labels = np.stack([tags[image_id] for image_id in ids]).astype(
        label_spec.dtype)
    return paths, labels, label_spec


def _list_class_folder(data_dir):
    """(paths, labels or None, class names or None), without decoding."""
    data_dir = image_files.check_dir(data_dir)
    subdirs = sorted(
        name for name in os.listdir(data_dir)
        if not name.startswith(".")
        and os.path.isdir(os.path.join(data_dir, name))
    )
    names, paths, labels, empty = [], [], [], []
    for name in subdirs:
        # Nested folders belong to their class, as in
        # `keras.utils.image_dataset_from_directory`.
        found = image_files.list_images(os.path.join(data_dir, name),
                                        recursive=True)
        if not found:
            empty.append(name)
            continue
        labels.extend([len(names)] * len(found))
        names.append(name)
        paths.extend(found)
    if empty:
        log.info(
            "Ignoring %d sub-folder(s) of %s with no images: %s",
            len(empty), data_dir, first_few(empty),
        )
    loose = image_files.list_images(data_dir)
    if names:
        if loose:
            log.warning(
                "%s has class sub-folders: ignoring the %d image(s) "
                "directly in it: %s", data_dir, len(loose),
                first_few(os.path.basename(p) for p in loose),
            )
        log.info(
            "%s: %d images in %d classes (%s).", data_dir, len(paths),
            len(names), first_few(names),
        )
        return paths, np.asarray(labels, "int32"), tuple(names)
    if not loose:
        raise image_files.no_images_error(data_dir, " or its sub-folders")
    log.info(
        "%s has no class sub-folders: its %d images are unconditional (no "
        "labels).", data_dir, len(loose),
    )
    return loose, None, None


# The training stream.


def array_dataset(images, labels, batch_size, seed=0, start_batch=0):
    """A repeating, shuffled, batched dataset of in-memory images.

    Epoch `e` visits the images in the order of a stateless permutation
    keyed on `(seed, e)`, so the stream depends on `seed` alone (not on the
    global TensorFlow seed), and batches run on across epochs (batch
    `k` holds stream items `k * batch_size ... (k + 1) * batch_size - 1`).
    A resumed run starts at `start_batch` by computing that batch's epoch
    and offset; no earlier image is read.

    Args:
        images: uint8 array (N, S, S, C).
        labels: array (N,) + label shape, or None (unlabelled).
        batch_size: images per batch (static; a batch may span epochs).
        seed: int.
        start_batch: index of the first batch.

    Returns:
        A `tf.data.Dataset` of float32 images (batch_size, S, S, C) in
        [-1, 1], paired with (batch_size,) + label shape labels when
        `labels` is not None.
    """
    batch_size = validation.check_int("batch_size", batch_size)
    start_batch = validation.check_int("start_batch", start_batch, minimum=0)
    count = len(images)
    start = start_batch * batch_size
    images = tf.constant(images)
    labels = None if labels is None else tf.constant(labels)
    seed = tf.constant(int(seed), "int64")

    def permutation(epoch):
        return tf.random.experimental.stateless_shuffle(
            tf.range(count, dtype="int64"), seed=tf.stack([seed, epoch])
        )

    order = tf.data.Dataset.range(start // count, _NUM_EPOCHS)
    order = order.map(permutation).unbatch().skip(start % count)
    order = order.batch(batch_size, drop_remainder=True)

    def gather(index):
        batch = tf.cast(tf.gather(images, index), "float32") / 127.5 - 1.0
        if labels is None:
            return batch
        return batch, tf.gather(labels, index)

    dataset = order.map(
        gather, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True
    )
    return dataset.prefetch(tf.data.AUTOTUNE)


def _decode_and_batch(paths, labels, data_dir, batch_size, seed,
                      image_size, start_batch, channels):
    images, ok = image_files.decode_images(paths, image_size, channels,
                                           data_dir)
    if labels is not None:
        labels = labels[ok]
    return array_dataset(images, labels, batch_size, seed, start_batch)


# The loaders.


def tagged_folder_spec(data_dir, label_spec, image_size=64, name="faces",
                       ignore_unknown_tags=False):
    """The `DataSpec` of a face folder: lists it and reads its tags.csv,
    decodes no image.

    Arguments as in `load_tagged_folder`; raises the same errors, except
    those of decoding.
    """
    image_size = validation.check_image_size(image_size)
    _, labels, label_spec = _list_tagged_folder(data_dir, label_spec,
                                                ignore_unknown_tags)
    return DataSpec(
        name=name, kind="image", sample_shape=(image_size, image_size, 3),
        label_spec=None if labels is None else label_spec,
    )


def load_tagged_folder(data_dir, label_spec, batch_size, seed=0,
                       image_size=64, start_batch=0,
                       ignore_unknown_tags=False, name="faces"):
    """A face folder: images plus an optional tags.csv.

    Args:
        data_dir: the folder: image files (`IMAGE_EXTENSIONS`, in it or
            in `images/` or `faces/`) and optionally `tags.csv`, lines
            `id,<tags>` where `id` is an image's file name without
            extension (an optional header line `id,tags` and blank lines
            are skipped), or `tags_clean.csv` (`tags_clean`), and
            optionally `attributes.json` (`vocabulary`). Tagged ids
            without an image and images without tags are skipped (and
            logged).
        label_spec: a `labels.LabelSpec` whose `parse_tags` reads the tags
            (the folder's attributes.json replaces it).
        batch_size: images per batch.
        seed: int: the same seed gives the same batches.
        image_size: side of the (square, RGB) images, one of
            `validation.IMAGE_SIZES`.
        start_batch: the first batch: `start_batch=k` yields batches
            `k, k + 1, ...` of `start_batch=0`.
        ignore_unknown_tags: skip (and count) tags.csv lines with unknown
            tags instead of raising.
        name: the `DataSpec`'s name.

    Returns:
        (dataset, spec): a repeating `tf.data.Dataset` of (images float32
        (batch_size, S, S, 3) in [-1, 1], labels (batch_size,) +
        label_spec.shape of label_spec.dtype) batches, or of images only
        when the folder has no tag file (then `spec.label_spec` is None);
        and the `DataSpec` (`spec.label_spec`: the one the labels follow).

    Raises:
        FileNotFoundError: `data_dir` does not exist.
        ValueError: a bad argument, no image files, no file decodes, a
            bad tag-file line (the message names the file and line), a bad
            attributes.json, or an iCLEVR folder (use `iclevr`).
    """
    image_size = validation.check_image_size(image_size)
    paths, labels, label_spec = _list_tagged_folder(data_dir, label_spec,
                                                    ignore_unknown_tags)
    spec = DataSpec(
        name=name, kind="image", sample_shape=(image_size, image_size, 3),
        label_spec=None if labels is None else label_spec,
    )
    dataset = _decode_and_batch(
        paths, labels, image_files.check_dir(data_dir), batch_size, seed,
        image_size, start_batch, channels=3,
    )
    return dataset, spec


def class_folder_spec(data_dir, image_size=64, channels=3, name="folder"):
    """The `DataSpec` of an image folder: lists it, decodes no image.

    Arguments as in `load_class_folder`.
    """
    image_size = validation.check_image_size(image_size)
    _check_channels(channels)
    _, _, names = _list_class_folder(data_dir)
    return DataSpec(
        name=name, kind="image",
        sample_shape=(image_size, image_size, channels),
        label_spec=(None if names is None
                    else labels_lib.LabelSpec.for_classes(names)),
    )


def load_class_folder(data_dir, batch_size, seed=0, image_size=64,
                      start_batch=0, channels=3, name="folder"):
    """An image folder; its class sub-folders, if any, are the labels.

    Args:
        data_dir: a folder of class sub-folders of images (nested folders
            count for their class; sub-folders without images are
            ignored), or of images directly (unconditional). When both
            exist the sub-folders win and the loose images are ignored.
        batch_size: images per batch.
        seed: int: the same seed gives the same batches.
        image_size: side of the square images, one of
            `validation.IMAGE_SIZES`.
        start_batch: the first batch (see `load_tagged_folder`).
        channels: 3 (RGB) or 1 (grayscale).
        name: the `DataSpec`'s name.

    Returns:
        (dataset, spec): batches of (images float32 (batch_size, S, S,
        channels) in [-1, 1], int32 class indices (batch_size,)), classes
        being the sorted sub-folder names (`spec.label_spec.names`); or
        images only, for a folder without class sub-folders.

    Raises:
        FileNotFoundError: `data_dir` does not exist.
        ValueError: a bad argument, no image files, or none decodes.
    """
    image_size = validation.check_image_size(image_size)
    _check_channels(channels)
    paths, labels, names = _list_class_folder(data_dir)
    spec = DataSpec(
        name=name, kind="image",
        sample_shape=(image_size, image_size, channels),
        label_spec=(None if names is None
                    else labels_lib.LabelSpec.for_classes(names)),
    )
    dataset = _decode_and_batch(
        paths, labels, image_files.check_dir(data_dir), batch_size, seed,
        image_size, start_batch, channels,
    )
    return dataset, spec


def _check_channels(channels):
    if not validation.is_int(channels) or channels not in (1, 3):
        raise ValueError(
            "channels must be 1 (grayscale) or 3 (RGB). "
            f"Received: channels={channels!r}"
        )
