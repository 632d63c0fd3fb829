"""Image files: listing a folder's images and decoding them into memory.

Used by the folder loaders (`keras_gans.datasets.folders`). Listing needs
no decoding: `list_images` finds the files by extension. `decode_images`
then decodes them all once, in a parallel tf.data pipeline: each converted
to RGB (or grayscale for `channels=1`), centre-cropped to a square and
resized (antialiased) by `square_resize`, and kept as uint8. Files that
cannot be decoded are skipped and counted in one warning.

Example:

```python
paths = list_images(check_dir("faces/"))
images, ok = decode_images(paths, 64, 3, "faces/")  # (M, 64, 64, 3) uint8
```
"""

import logging
import os

import keras
import numpy as np
import tensorflow as tf

log = logging.getLogger("keras_gans")

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")

# Paths or ids named in one log line; the rest are counted.
_SHOW = 5
# Folders at least this big show a progress bar while decoding.
_PROGBAR_MIN = 1000
# Files decoded per step of the decoding loop (one numpy copy per step).
_DECODE_BATCH = 256


def first_few(items, count=_SHOW):
    """`items` joined by commas, the first `count` of them, then "..."."""
    items = [str(item) for item in items]
    shown = ", ".join(items[:count])
    return shown + (", ..." if len(items) > count else "")


# Listing (no decoding).


def check_dir(data_dir):
    """`data_dir` as an absolute path.

    Raises:
        FileNotFoundError: `data_dir` is None or does not exist.
        ValueError: `data_dir` is a file.
    """
    if data_dir is None or not os.path.exists(data_dir):
        raise FileNotFoundError(
            f"data_dir {data_dir} does not exist: expected a folder of "
            f"images. Received: data_dir={data_dir!r}"
        )
    if not os.path.isdir(data_dir):
        raise ValueError(
            f"data_dir {data_dir} is a file: expected a folder of "
            f"images. Received: data_dir={data_dir!r}"
        )
    return os.path.abspath(data_dir)


def _is_image(name):
    # Hidden files (".DS_Store", macOS "._x.png" forks) are never images.
    return (not name.startswith(".")
            and name.lower().endswith(IMAGE_EXTENSIONS))


def list_images(folder, recursive=False):
    """Sorted paths of the image files (`IMAGE_EXTENSIONS`, any case) in
    `folder`, and with `recursive` in its non-hidden sub-folders."""
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


def no_images_error(folder, where=""):
    """The ValueError of a folder without image files (`where`: words
    after the folder's name, e.g. " or its sub-folders")."""
    return ValueError(
        f"No image files in {folder}{where}: expected files ending in "
        f"{', '.join(IMAGE_EXTENSIONS)} (any case). Received: "
        f"data_dir={folder!r}"
    )


# Decoding.


def square_resize(image, image_size, crop=True):
    """Centre-crops an image to a square and resizes it.

    Args:
        image: (H, W, C) tensor of any real or integer dtype, values in
            [0, 255].
        image_size: the output side.
        crop: False resizes the whole image, squashing its aspect ratio:
            for scenes whose objects may sit near the sides (iCLEVR's
            320x240 pictures), where a crop would cut labelled objects off.

    Returns:
        float32 tensor (image_size, image_size, C), values in [0, 255].
    """
    if crop:
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


def _decode_file(path, image_size, channels, crop=True):
    """One file -> (image_size, image_size, channels) uint8."""
    # channels=3 for every file: GIFs decode as RGB only, and grayscale
    # and RGBA files become RGB (the alpha is dropped).
    image = tf.io.decode_image(
        tf.io.read_file(path), channels=3, expand_animations=False
    )
    image = square_resize(image, image_size, crop)
    if channels == 1:
        image = tf.image.rgb_to_grayscale(image)
    image = tf.cast(tf.round(image), "uint8")
    return tf.ensure_shape(image, (image_size, image_size, channels))


def decode_images(paths, image_size, channels, data_dir, crop=True):
    """Decodes image files into memory, skipping those that fail.

    Args:
        paths: N file paths.
        image_size: the side of the square output.
        channels: 3 (RGB) or 1 (grayscale).
        data_dir: the folder, for messages (paths show relative to it).
        crop: centre-crop to a square before resizing (False: squash the
            whole image, see `square_resize`).

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
        lambda i, path: (i, _decode_file(path, image_size, channels,
                                         crop)),
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
            first_few(os.path.relpath(p, data_dir) for p in failed),
        )
    if not ok.any():
        raise ValueError(
            f"None of the {count} image files in {data_dir} could be "
            f"decoded (corrupt, truncated or not images). Received: "
            f"data_dir={data_dir!r}"
        )
    return (images if ok.all() else images[ok]), ok
