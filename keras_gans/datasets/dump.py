"""Writes a dataset's samples to disk as PNG files plus their labels.

So people (and other tools) can look at the data and reuse it. The layout is
the one the folder loaders read back:

    DIR/images/<i>.png, DIR/tags.csv     attribute or multi-hot labels
                                         (`--dataset=faces|shapes
                                         --data_dir=DIR`)
    DIR/images/<class>/<i>.png           class labels
                                         (`--dataset=folder
                                         --data_dir=DIR/images`)
    DIR/images/<i>.png                   no labels
    DIR/preview.png                      a grid of the first 64 images

`tags.csv` lines read `<i>,<tags>`, e.g. `12,blue hair red eyes glasses`:
the format of the anime-faces course datasets.
"""

import logging
import os

import keras
import numpy as np
import tensorflow as tf

from keras_gans import validation
from keras_gans import visualize
from keras_gans.datasets import folders
from keras_gans.datasets import registry
from keras_gans.datasets import tags_csv

TAGS_FILE = tags_csv.TAGS_FILE
IMAGES_DIR = folders.IMAGES_SUBDIR
PREVIEW_FILE = "preview.png"
_BATCH = 64

log = logging.getLogger("keras_gans")


def dump_dataset(name, num_images, output_dir, seed=0, data_dir=None,
                 image_size=None, ignore_unknown_tags=False, verbose=1):
    """Writes the first `num_images` samples of a dataset into `output_dir`.

    Args:
        name: an image dataset of `registry.DATASET_NAMES`.
        num_images: how many images, >= 1.
        output_dir: a new or empty directory.
        seed, data_dir, image_size, ignore_unknown_tags: as in
            `registry.load_dataset`.
        verbose: 1 shows a progress bar.

    Returns:
        The `DataSpec` of the written data.

    Raises:
        ValueError: point data, num_images < 1, or a non-empty output_dir
            (nothing is overwritten).
    """
    num_images = validation.check_int("num_images", num_images)
    if registry.dataset_defaults(name).kind != "image":
        raise ValueError(
            f"dump_dataset writes images; dataset {name!r} is 2-D "
            f"points. Received: dataset={name!r}"
        )
    if os.path.isdir(output_dir) and os.listdir(output_dir):
        raise ValueError(
            f"output_dir {output_dir} is not empty, and dump_dataset "
            "overwrites nothing: choose a new or empty directory. "
            f"Received: output_dir={output_dir!r}"
        )
    batch_size = min(_BATCH, num_images)
    dataset, spec = registry.load_dataset(
        name, batch_size, seed=seed, data_dir=data_dir,
        image_size=image_size, ignore_unknown_tags=ignore_unknown_tags,
    )
    label_spec = spec.label_spec
    image_dir = os.path.join(output_dir, IMAGES_DIR)
    os.makedirs(image_dir, exist_ok=True)
    if label_spec is not None and label_spec.kind == "class":
        for class_name in label_spec.names:
            os.makedirs(os.path.join(image_dir, class_name), exist_ok=True)
    tag_lines, preview = [], []
    progress = keras.utils.Progbar(num_images, verbose=verbose,
                                   unit_name="image")
    written = 0
    for batch in dataset:
        images, labels = batch if label_spec is not None else (batch, None)
        images = visualize.to_uint8(images.numpy())
        for j in range(min(len(images), num_images - written)):
            index = written + j
            file_name = f"{index}.png"
            if label_spec is not None and label_spec.kind == "class":
                file_name = os.path.join(
                    label_spec.names[int(labels[j])], file_name
                )
            elif label_spec is not None:
                tag_lines.append(
                    f"{index},{label_spec.describe(labels[j].numpy())}\n"
                )
            tf.io.write_file(os.path.join(image_dir, file_name),
                             tf.io.encode_png(images[j]))
            if len(preview) < 64:
                preview.append(images[j])
        written += min(len(images), num_images - written)
        progress.update(written)
        if written >= num_images:
            break
    if tag_lines:
        with open(os.path.join(output_dir, TAGS_FILE), "w") as f:
            f.writelines(tag_lines)
    visualize.save_image_grid(
        np.stack(preview), os.path.join(output_dir, PREVIEW_FILE),
        title=f"{name}: first {len(preview)} images, seed {seed}",
    )
    log.info("Wrote %d %s images to %s.", written, name, output_dir)
    return spec


def read_back_command(name, spec, output_dir):
    """The run.py command that trains on a dump, or None if none reads it.

    A dump of `faces` or `shapes` reads back as that dataset's tagged
    folder, class labels as class sub-folders, no labels as a plain folder;
    other tag vocabularies (CelebA's) have no tagged-folder reader.
    """
    label_spec = spec.label_spec
    if name in registry.PROCEDURAL:
        return f"python run.py --dataset={name} --data_dir={output_dir}"
    if label_spec is None or label_spec.kind == "class":
        image_dir = os.path.join(output_dir, IMAGES_DIR)
        return f"python run.py --dataset=folder --data_dir={image_dir}"
    return None
