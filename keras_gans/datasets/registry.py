"""Datasets by name: each gives a batched `tf.data.Dataset` and a spec.

The spec tells models, sample pictures, metrics and the export what the
samples are, so nothing downstream needs to know the dataset's name.

- `ring`, `grid`: generated 2-D mixtures, (2,) points, no labels.
- `faces`: procedural anime faces, or a face folder (`data_dir`): images
  with hair, eyes, glasses and blush labels.
- `shapes`: procedural scenes of 1-3 objects, or a tagged folder: images
  with 24 multi-hot labels.
- `folder`: an image folder (`data_dir`); class sub-folders are labels.
- `iclevr`: the iCLEVR course folder (`data_dir`: objects.json,
  train.json, iclevr/*.png): multi-hot labels named by objects.json.
- `mnist`, `fashion_mnist`, `cifar10`, `celeb_a`: tensorflow-datasets,
  class or multi-hot labels.
"""

import dataclasses
import logging
from typing import Optional

from keras_gans import validation
# DataSpec first: the loaders below import it from here.
from keras_gans.datasets.spec import DataSpec
from keras_gans.datasets.spec import mixture_spec

from keras_gans.datasets import faces
from keras_gans.datasets import folders
from keras_gans.datasets import iclevr
from keras_gans.datasets import mixtures
from keras_gans.datasets import shapes
from keras_gans.datasets import tfds_loaders

log = logging.getLogger("keras_gans")


@dataclasses.dataclass(frozen=True)
class DatasetDefaults:
    """Training defaults of a dataset, known from its name alone.

    Attributes:
        kind: "points" or "image".
        image_size: default image side (None for points).
        batch_size, epochs, steps_per_epoch: the run's length by default.
        conditional_epochs: epochs of the conditional models (cgan, acgan,
            infogan), None: `epochs`. Following the labels takes longer
            than making faces.
        remedies: (TrainConfig field, value) pairs: the mode-collapse
            remedies a run on these data gets unless it sets them
            (`config.REMEDIES_OFF` for the others).
        conditional_remedies: the same for the conditional models, None:
            `remedies`. They never pack (their discriminators read or
            predict each sample's labels or codes).
    """

    kind: str
    image_size: Optional[int]
    batch_size: int
    epochs: int
    steps_per_epoch: int
    conditional_epochs: Optional[int] = None
    remedies: tuple = ()
    conditional_remedies: Optional[tuple] = None


# The mixtures' settings are the mode-coverage benchmark's (PacGAN): 6,000
# steps of 128. Images: DCGAN's batch of 64. On the embedded sets, 900
# steps give recognizable DCGAN faces in 7.5 minutes on a 2-core CPU; 1,500
# gave worse ones (the discriminator wins: d_loss 0.05, noisy, collapsing).
# ACGAN on faces (64x64, evaluated every 600 steps of a 3,000-step run):
# the evaluator named the requested hair and eyes in 51%, 84% and 95% of
# its faces after 600, 1,200 and 1,800 steps; 2,400 steps keep the default
# run within 30 minutes on a 2-core CPU (README: Conditional generation).
_POINTS = DatasetDefaults("points", None, 128, 5, 1200)
# Faces: the unconditional discriminator judges pairs (PacGAN, pack=2). In
# the collapse study (README, "Mode collapse"; 900 steps, two seeds) it
# took the DCGAN's MS-SSIM of random pairs from 0.48 to 0.28-0.29 (real
# faces: 0.20) and its FD from 202 to 156-170, in 27% less time (D reads
# half as many inputs). The conditional models cannot pack; the quick
# start's ACGAN (2,400 steps, 10,000 samples) drew from a moving average of
# G more varied faces per label (MS-SSIM 0.488 against 0.515 for its own
# trained weights; real: 0.394), with recall 0.48 against 0.41 and both
# colors right in 94.7% against 93.7%, at an FID of 19.2 against 14.9.
_FACES_REMEDIES = (("pack", 2),)
_FACES_CONDITIONAL_REMEDIES = (("ema_decay", 0.995), ("ema_start", 300))
_DEFAULTS = {
    "ring": _POINTS,
    "grid": _POINTS,
    "faces": DatasetDefaults("image", 64, 64, 3, 300, conditional_epochs=8,
                             remedies=_FACES_REMEDIES,
                             conditional_remedies=_FACES_CONDITIONAL_REMEDIES),
    "shapes": DatasetDefaults("image", 64, 64, 3, 300, conditional_epochs=8),
    "folder": DatasetDefaults("image", 64, 64, 5, 1000),
    "iclevr": DatasetDefaults("image", 64, 64, 5, 1000),
    "mnist": DatasetDefaults("image", 32, 64, 5, 1000),
    "fashion_mnist": DatasetDefaults("image", 32, 64, 5, 1000),
    "cifar10": DatasetDefaults("image", 32, 64, 5, 1000),
    "celeb_a": DatasetDefaults("image", 64, 64, 5, 1000),
}
DATASET_NAMES = tuple(_DEFAULTS)
PROCEDURAL = {"faces": faces, "shapes": shapes}


def dataset_defaults(name):
    """The `DatasetDefaults` of `name` (no data read)."""
    validation.check_choice("dataset", name, DATASET_NAMES)
    return _DEFAULTS[name]


def check_options(name, data_dir, image_size):
    """Checks the options against the dataset (no data read).

    Returns:
        The image size (the dataset's default when `image_size` is None),
        or None for point data.

    Raises:
        ValueError: an option that does not apply or a size the dataset
            cannot give.
    """
    defaults = dataset_defaults(name)
    if defaults.kind == "points":
        for arg, value in (("data_dir", data_dir),
                           ("image_size", image_size)):
            if value is not None:
                raise ValueError(
                    f"dataset {name!r} is a generated 2-D mixture: "
                    f"{arg} does not apply. Received: {arg}={value!r}"
                )
        return None
    if name == "folder" and data_dir is None:
        raise ValueError(
            "dataset 'folder' reads images from data_dir (class "
            "sub-folders become labels): set it. Received: data_dir=None"
        )
    if name == "iclevr" and data_dir is None:
        raise ValueError(
            "dataset 'iclevr' reads data_dir (objects.json, train.json and "
            "iclevr/*.png): set it. Received: data_dir=None"
        )
    image_size = image_size or defaults.image_size
    # The procedural sets draw at their own sizes; the other loaders resize
    # to any side the networks build.
    valid = (PROCEDURAL[name].IMAGE_SIZES if name in PROCEDURAL
             and data_dir is None else validation.IMAGE_SIZES)
    return validation.check_image_size(image_size, valid=valid,
                                       what=f"dataset {name!r}")


def dataset_spec(name, data_dir=None, image_size=None,
                 ignore_unknown_tags=False):
    """The `DataSpec` of a dataset without building its pipeline.

    Folders are listed and their tags.csv read, but no image is decoded.
    Arguments as in `load_dataset`.
    """
    image_size = check_options(name, data_dir, image_size)
    if name in mixtures.MIXTURE_NAMES:
        return mixture_spec(name)
    if name in PROCEDURAL and data_dir is None:
        return DataSpec(name, "image", (image_size, image_size, 3),
                        label_spec=PROCEDURAL[name].LABEL_SPEC)
    if name in PROCEDURAL:
        return folders.tagged_folder_spec(
            data_dir, PROCEDURAL[name].LABEL_SPEC, image_size=image_size,
            name=name, ignore_unknown_tags=ignore_unknown_tags,
        )
    if name == "folder":
        return folders.class_folder_spec(data_dir, image_size=image_size)
    if name == "iclevr":
        return iclevr.iclevr_spec(data_dir, image_size=image_size,
                                  ignore_unknown_tags=ignore_unknown_tags)
    return tfds_loaders.tfds_spec(name, image_size=image_size)


def load_dataset(name, batch_size, seed=0, data_dir=None, image_size=None,
                 start_batch=0, ignore_unknown_tags=False):
    """Returns (dataset, spec) for the dataset called `name`.

    Args:
        name: a name in `DATASET_NAMES`.
        batch_size: rows per batch (static, remainder dropped).
        seed: int, makes the data (and their order) deterministic.
        data_dir: where real data live: a face folder (`faces`, `shapes`:
            images + tags.csv or tags_clean.csv, optionally
            attributes.json), an iCLEVR folder (`iclevr`), an image folder
            (`folder`), or the tensorflow-datasets directory. For `faces`
            and `shapes`, None means the embedded procedural set.
        image_size: side of the images (default: the dataset's).
        start_batch: batches to skip: a resumed run continues the stream
            where its checkpoint left it.
        ignore_unknown_tags: skip tags.csv lines with unknown tags instead
            of raising.

    Returns:
        (tf.data.Dataset, `DataSpec`). The dataset repeats and yields
        batches of `(batch_size,) + spec.sample_shape` float32 samples
        (images in [-1, 1]), paired with `(batch_size,) +
        spec.label_spec.shape` labels when `spec.label_spec` is set.

    Raises:
        ValueError: an unknown name, an option that does not apply, or bad
            data (see the folder and tfds loaders).
        FileNotFoundError: `data_dir` missing, or tfds data not prepared.
    """
    image_size = check_options(name, data_dir, image_size)
    if name in mixtures.MIXTURE_NAMES:
        dataset = mixtures.mixture_dataset(name, batch_size, seed)
        return dataset.skip(start_batch), mixture_spec(name)
    if name in PROCEDURAL and data_dir is None:
        log.info(
            "--dataset=%s without --data_dir: the embedded procedural %s "
            "(%dx%d, generated on the fly, seed %d).", name, name,
            image_size, image_size, seed,
        )
        module = PROCEDURAL[name]
        dataset = getattr(module, f"{name}_dataset")(
            batch_size, seed=seed, image_size=image_size,
            start_image=start_batch * batch_size,
        )
        spec = DataSpec(name, "image", (image_size, image_size, 3),
                        label_spec=module.LABEL_SPEC)
        return dataset, spec
    if name in PROCEDURAL:
        return folders.load_tagged_folder(
            data_dir, PROCEDURAL[name].LABEL_SPEC, batch_size, seed=seed,
            image_size=image_size, start_batch=start_batch,
            ignore_unknown_tags=ignore_unknown_tags, name=name,
        )
    if name == "iclevr":
        return iclevr.load_iclevr(
            data_dir, batch_size, seed=seed, image_size=image_size,
            start_batch=start_batch,
            ignore_unknown_tags=ignore_unknown_tags,
        )
    if name == "folder":
        return folders.load_class_folder(
            data_dir, batch_size, seed=seed, image_size=image_size,
            start_batch=start_batch,
        )
    return tfds_loaders.load_tfds(
        name, batch_size, seed=seed, image_size=image_size,
        start_batch=start_batch, data_dir=data_dir,
    )
