"""Image folders: a face folder with a `tags.csv`, or class sub-folders.

Two loaders, both returning `(dataset, DataSpec)`:

- `load_tagged_folder`: a folder of images plus an optional `tags.csv`
  whose lines read `id,<tags>` (`12,blue hair red eyes glasses`), `id`
  being an image file's stem (`12.png`); the images may also sit in an
  `images/` sub-folder beside `tags.csv`. The caller's `LabelSpec` parses
  the tags, so the same loader reads face folders ("attributes" labels) and
  shape folders ("multi_hot" labels). Without `tags.csv` the folder is
  unconditional.
- `load_class_folder`: class sub-folders become "class" labels (sorted
  names, as `keras.utils.image_dataset_from_directory`); images directly in
  the folder, with no sub-folders, are unconditional.

Every image is decoded once, at load time, in a parallel tf.data pipeline:
converted to RGB (or grayscale for `channels=1`), centre-cropped to a
square and resized (antialiased) to `image_size`, and kept in memory as
uint8. Files that cannot be decoded are skipped with one warning. The
training stream then shuffles the in-memory images with stateless ops keyed
on `(seed, epoch)`, so it is the same in every run, and a resumed run starts
at any batch without touching the batches before it.

Example:

```python
spec = LabelSpec.for_attributes([
    Attribute("hair", ("blue", "red")), Attribute("glasses")])
dataset, data_spec = load_tagged_folder("faces/", spec, batch_size=64)
images, labels = next(iter(dataset))  # (64, 64, 64, 3), (64, 2) int32
```
"""

import csv
import logging
import os

import keras
import numpy as np
import tensorflow as tf

from keras_gans.datasets import labels as labels_lib
from keras_gans.datasets.spec import DataSpec

log = logging.getLogger("keras_gans")

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
TAGS_FILE = "tags.csv"
IMAGES_SUBDIR = "images"
# Image sides the DCGAN networks build for.
IMAGE_SIZES = (16, 32, 64, 128)

# Paths or ids named in one log line; the rest are counted.
_SHOW = 5
# Folders at least this big show a progress bar while decoding.
_PROGBAR_MIN = 1000
# Files decoded per step of the decoding loop (one numpy copy per step).
_DECODE_BATCH = 256
# Dataset.range needs an end; this epoch is never reached.
_NUM_EPOCHS = 2 ** 40


def check_image_size(image_size):
    """Raises ValueError unless `image_size` is one of `IMAGE_SIZES`."""
    if image_size not in IMAGE_SIZES:
        raise ValueError(
            "--image_size must be one of "
            f"{', '.join(map(str, IMAGE_SIZES))}. "
            f"Received: image_size={image_size!r}"
        )


# Listing (no decoding).


def _check_dir(data_dir):
    """`data_dir` as an absolute path; raises unless it is a folder."""
    if data_dir is None or not os.path.exists(data_dir):
        raise FileNotFoundError(
            f"--data_dir {data_dir} does not exist: expected a folder of "
            f"images. Received: data_dir={data_dir!r}"
        )
    if not os.path.isdir(data_dir):
        raise ValueError(
            f"--data_dir {data_dir} is a file: expected a folder of "
            f"images. Received: data_dir={data_dir!r}"
        )
    return os.path.abspath(data_dir)


def _is_image(name):
    # Hidden files (".DS_Store", macOS "._x.png" forks) are never images.
    return (not name.startswith(".")
            and name.lower().endswith(IMAGE_EXTENSIONS))


def _list_images(folder, recursive=False):
    """Sorted paths of the image files in `folder`."""
    if not recursive:
        return sorted(
            os.path.join(folder, name) for name in os.listdir(folder)
            if _is_image(name) and os.path.isfile(os.path.join(folder, name))
        )
    paths = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        paths.extend(os.path.join(root, f) for f in files if _is_image(f))
    return sorted(paths)


def _no_images_error(folder, where=""):
    return ValueError(
        f"No image files in {folder}{where}: expected files ending in "
        f"{', '.join(IMAGE_EXTENSIONS)} (any case). Received: "
        f"data_dir={folder!r}"
    )


def _first(items, count=_SHOW):
    """`items` joined by commas, the first `count` of them, then "..."."""
    items = [str(item) for item in items]
    shown = ", ".join(items[:count])
    return shown + (", ..." if len(items) > count else "")


def _read_tags(path, label_spec, ignore_unknown_tags):
    """Reads `tags.csv`.

    Returns:
        A dict id -> label (numpy, `label_spec.shape`), in file order.

    Raises:
        ValueError: a line without a comma or id, a repeated id, an
            unknown tag (unless `ignore_unknown_tags`), or tags that do not
            make a label (a missing or repeated hair tag).
    """
    tags = {}
    skipped = []
    # utf-8-sig: spreadsheet programs start CSV files with a byte-order mark.
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        # The csv module unquotes `12,"blue hair, red eyes"`; the tags may
        # themselves contain commas, so every field after the id is tags.
        fields = next(csv.reader([line]))
        if len(fields) < 2:
            raise ValueError(
                f"{path}, line {number}: expected 'id,tags' (e.g. "
                f"'12,blue hair red eyes'), found no comma. "
                f"Received: line={line!r}"
            )
        image_id, text = fields[0].strip(), ",".join(fields[1:])
        if not tags and not skipped and image_id.lower() == "id":
            continue  # The header line "id,tags".
        if not image_id:
            raise ValueError(
                f"{path}, line {number}: the id (an image file's name "
                f"without extension) is empty. Received: line={line!r}"
            )
        if image_id in tags:
            raise ValueError(
                f"{path}, line {number}: id {image_id!r} is tagged twice; "
                f"each image needs exactly one line. Received: "
                f"line={line!r}"
            )
        try:
            tags[image_id] = label_spec.parse_tags(text)
        except labels_lib.UnknownTagError as error:
            if ignore_unknown_tags:
                skipped.append(number)
                continue
            raise ValueError(
                f"{path}, line {number}: {error}. Fix the line, or pass "
                f"--ignore_unknown_tags to skip lines with unknown tags. "
                f"Received: line={line!r}"
            ) from None
        except ValueError as error:
            raise ValueError(
                f"{path}, line {number}: {error} Received: line={line!r}"
            ) from None
    if skipped:
        log.warning(
            "--ignore_unknown_tags: skipped %d line(s) of %s with unknown "
            "tags (lines %s).", len(skipped), path, _first(skipped),
        )
    return tags


def _list_tagged_folder(data_dir, label_spec, ignore_unknown_tags):
    """(paths, labels or None) of a face folder, without decoding.

    `labels` is a `(N,) + label_spec.shape` array matching `paths`, or None
    when the folder has no tags.csv.
    """
    data_dir = _check_dir(data_dir)
    # The images may sit in an images/ sub-folder beside tags.csv: the
    # layout of the anime-faces course's extra data and of dump_dataset.
    image_dir = os.path.join(data_dir, IMAGES_SUBDIR)
    if not os.path.isdir(image_dir):
        image_dir = data_dir
    images = _list_images(image_dir)
    if not images:
        raise _no_images_error(image_dir)
    tags_path = os.path.join(data_dir, TAGS_FILE)
    if not os.path.exists(tags_path):
        log.info(
            "No %s in %s: its %d images are unconditional (no labels).",
            TAGS_FILE, data_dir, len(images),
        )
        return images, None
    tags = _read_tags(tags_path, label_spec, ignore_unknown_tags)

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
            _first(duplicates),
        )

    missing = [image_id for image_id in tags if image_id not in by_id]
    if missing:
        log.warning(
            "%d id(s) of %s have no image file in %s; skipped: %s",
            len(missing), tags_path, image_dir, _first(missing),
        )
    untagged = [stem for stem in by_id if stem not in tags]
    if untagged:
        log.warning(
            "%d image(s) in %s have no line in %s; ignored: %s",
            len(untagged), image_dir, TAGS_FILE, _first(untagged),
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
    return paths, labels


def _list_class_folder(data_dir):
    """(paths, labels or None, class names or None), without decoding."""
    data_dir = _check_dir(data_dir)
    subdirs = sorted(
        name for name in os.listdir(data_dir)
        if not name.startswith(".")
        and os.path.isdir(os.path.join(data_dir, name))
    )
    names, paths, labels, empty = [], [], [], []
    for name in subdirs:
        # Nested folders belong to their class, as in
        # `keras.utils.image_dataset_from_directory`.
        found = _list_images(os.path.join(data_dir, name), recursive=True)
        if not found:
            empty.append(name)
            continue
        labels.extend([len(names)] * len(found))
        names.append(name)
        paths.extend(found)
    if empty:
        log.info(
            "Ignoring %d sub-folder(s) of %s with no images: %s",
            len(empty), data_dir, _first(empty),
        )
    loose = _list_images(data_dir)
    if names:
        if loose:
            log.warning(
                "%s has class sub-folders: ignoring the %d image(s) "
                "directly in it: %s", data_dir, len(loose),
                _first(os.path.basename(p) for p in loose),
            )
        log.info(
            "%s: %d images in %d classes (%s).", data_dir, len(paths),
            len(names), _first(names),
        )
        return paths, np.asarray(labels, "int32"), tuple(names)
    if not loose:
        raise _no_images_error(data_dir, " or its sub-folders")
    log.info(
        "%s has no class sub-folders: its %d images are unconditional (no "
        "labels).", data_dir, len(loose),
    )
    return loose, None, None


# Decoding.


def square_resize(image, image_size):
    """Centre-crops an image to a square and resizes it.

    Args:
        image: (H, W, C) tensor of any real or integer dtype, values in
            [0, 255].
        image_size: the output side.

    Returns:
        float32 tensor (image_size, image_size, C), values in [0, 255].
    """
    shape = tf.shape(image)
    height, width = shape[0], shape[1]
    side = tf.minimum(height, width)
    image = image[(height - side) // 2:(height - side) // 2 + side,
                  (width - side) // 2:(width - side) // 2 + side]
    # Antialiasing: a 1024 px photo shrunk to 64 px without it aliases.
    image = tf.image.resize(
        tf.cast(image, "float32"), (image_size, image_size), antialias=True
    )
    return tf.clip_by_value(image, 0.0, 255.0)


def _decode_file(path, image_size, channels):
    """One file -> (image_size, image_size, channels) uint8."""
    # channels=3 for every file: GIFs decode as RGB only, and grayscale
    # and RGBA files become RGB (the alpha is dropped).
    image = tf.io.decode_image(
        tf.io.read_file(path), channels=3, expand_animations=False
    )
    image = square_resize(image, image_size)
    if channels == 1:
        image = tf.image.rgb_to_grayscale(image)
    image = tf.cast(tf.round(image), "uint8")
    return tf.ensure_shape(image, (image_size, image_size, channels))


def decode_images(paths, image_size, channels, data_dir):
    """Decodes image files into memory, skipping those that fail.

    Args:
        paths: N file paths.
        image_size: the side of the square output.
        channels: 3 (RGB) or 1 (grayscale).
        data_dir: the folder, for messages (paths show relative to it).

    Returns:
        (images, ok): uint8 array (M, image_size, image_size, channels) of
        the M files that decoded, in `paths` order, and a bool array (N,)
        that is True for those files.

    Raises:
        ValueError: no file could be decoded.
    """
    count = len(paths)
    indices = tf.data.Dataset.range(count)
    files = tf.data.Dataset.from_tensor_slices(tf.constant(paths))
    dataset = tf.data.Dataset.zip((indices, files)).map(
        lambda i, path: (i, _decode_file(path, image_size, channels)),
        # Each image lands at its index: the order they arrive in is free.
        num_parallel_calls=tf.data.AUTOTUNE, deterministic=False,
    )
    # A file that fails to read or decode drops out of the stream; its
    # index, missing from what arrives, says which one it was.
    dataset = dataset.ignore_errors().batch(_DECODE_BATCH)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    images = np.zeros((count, image_size, image_size, channels), "uint8")
    ok = np.zeros(count, bool)
    progbar = None
    if count >= _PROGBAR_MIN:
        log.info("Decoding the %d images of %s.", count, data_dir)
        progbar = keras.utils.Progbar(count, unit_name="image")
    for index, batch in dataset:
        index = index.numpy()
        images[index] = batch.numpy()
        ok[index] = True
        if progbar is not None:
            progbar.add(len(index))
    failed = [paths[i] for i in np.flatnonzero(~ok)]
    if progbar is not None and failed:
        progbar.update(count)  # The failures count as done.
    if failed:
        log.warning(
            "Skipped %d of %d images that could not be decoded: %s",
            len(failed), count,
            _first(os.path.relpath(p, data_dir) for p in failed),
        )
    if not ok.any():
        raise ValueError(
            f"None of the {count} image files in {data_dir} could be "
            f"decoded (corrupt, truncated or not images). Received: "
            f"data_dir={data_dir!r}"
        )
    return (images if ok.all() else images[ok]), ok


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
    if int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(
            "`batch_size` must be a positive int. "
            f"Received: batch_size={batch_size}"
        )
    if int(start_batch) != start_batch or start_batch < 0:
        raise ValueError(
            "`start_batch` must be a non-negative int. "
            f"Received: start_batch={start_batch}"
        )
    count = len(images)
    start = int(start_batch) * int(batch_size)
    images = tf.constant(images)
    labels = None if labels is None else tf.constant(labels)
    seed = tf.constant(int(seed), "int64")

    def permutation(epoch):
        return tf.random.experimental.stateless_shuffle(
            tf.range(count, dtype="int64"), seed=tf.stack([seed, epoch])
        )

    order = tf.data.Dataset.range(start // count, _NUM_EPOCHS)
    order = order.map(permutation).unbatch().skip(start % count)
    order = order.batch(int(batch_size), drop_remainder=True)

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
    images, ok = decode_images(paths, image_size, channels, data_dir)
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
    check_image_size(image_size)
    _, labels = _list_tagged_folder(data_dir, label_spec,
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
        data_dir: the folder: image files (`IMAGE_EXTENSIONS`) and
            optionally `tags.csv`, lines `id,<tags>` where `id` is an
            image's file name without extension; an optional header line
            `id,tags` and blank lines are skipped. Tagged ids without an
            image and images without tags are skipped (and logged).
        label_spec: a `labels.LabelSpec` whose `parse_tags` reads the tags.
        batch_size: images per batch.
        seed: int: the same seed gives the same batches.
        image_size: side of the (square, RGB) images.
        start_batch: the first batch: `start_batch=k` yields batches
            `k, k + 1, ...` of `start_batch=0`.
        ignore_unknown_tags: skip (and count) tags.csv lines with unknown
            tags instead of raising.
        name: the `DataSpec`'s name.

    Returns:
        (dataset, spec): a repeating `tf.data.Dataset` of (images float32
        (batch_size, S, S, 3) in [-1, 1], labels (batch_size,) +
        label_spec.shape of label_spec.dtype) batches, or of images only
        when the folder has no tags.csv (then `spec.label_spec` is None);
        and the `DataSpec`.

    Raises:
        FileNotFoundError: `data_dir` does not exist.
        ValueError: no image files, no file decodes, or a bad tags.csv line
            (the message names the file and line).
    """
    check_image_size(image_size)
    paths, labels = _list_tagged_folder(data_dir, label_spec,
                                        ignore_unknown_tags)
    spec = DataSpec(
        name=name, kind="image", sample_shape=(image_size, image_size, 3),
        label_spec=None if labels is None else label_spec,
    )
    dataset = _decode_and_batch(
        paths, labels, _check_dir(data_dir), batch_size, seed, image_size,
        start_batch, channels=3,
    )
    return dataset, spec


def class_folder_spec(data_dir, image_size=64, channels=3, name="folder"):
    """The `DataSpec` of an image folder: lists it, decodes no image.

    Arguments as in `load_class_folder`.
    """
    check_image_size(image_size)
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
        image_size: side of the square images.
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
        ValueError: no image files, or none decodes.
    """
    check_image_size(image_size)
    _check_channels(channels)
    paths, labels, names = _list_class_folder(data_dir)
    spec = DataSpec(
        name=name, kind="image",
        sample_shape=(image_size, image_size, channels),
        label_spec=(None if names is None
                    else labels_lib.LabelSpec.for_classes(names)),
    )
    dataset = _decode_and_batch(
        paths, labels, _check_dir(data_dir), batch_size, seed, image_size,
        start_batch, channels,
    )
    return dataset, spec


def _check_channels(channels):
    if channels not in (1, 3):
        raise ValueError(
            "`channels` must be 1 (grayscale) or 3 (RGB). "
            f"Received: channels={channels!r}"
        )
