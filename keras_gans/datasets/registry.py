"""Datasets by name: each gives a batched `tf.data.Dataset` and a spec.

The spec tells models, sample pictures, metrics and the export what the
samples are, so nothing downstream needs to know the dataset's name.
"""

import dataclasses
from typing import Optional

import numpy as np

from keras_gans import choices

from keras_gans.datasets import mixtures


@dataclasses.dataclass(frozen=True)
class DataSpec:
    """What a dataset yields.

    Attributes:
        name: the dataset's name.
        kind: "points" (float vectors) or "image" (H, W, C in [-1, 1]).
        sample_shape: shape of one sample, e.g. (2,) or (64, 64, 3).
        modes: (K, D) array of mixture centers, for points data with known
            modes (mode coverage and scatter plots); else None.
        mode_std: the mixture components' standard deviation, or None.
        label_spec: label names and format for conditional data; None for
            unconditional data (the core datasets).
    """

    name: str
    kind: str
    sample_shape: tuple
    modes: Optional[np.ndarray] = None
    mode_std: Optional[float] = None
    label_spec: Optional[dict] = None


def _mixture_spec(name):
    return DataSpec(
        name=name,
        kind="points",
        sample_shape=(2,),
        modes=mixtures.mixture_modes(name),
        mode_std=mixtures.mixture_std(name),
    )


# name -> (spec function, pipeline function (name, batch_size, seed)).
_DATASETS = {
    name: (_mixture_spec, mixtures.mixture_dataset)
    for name in mixtures.MIXTURE_NAMES
}
DATASET_NAMES = tuple(_DATASETS)


def load_dataset(name, batch_size, seed=0):
    """Returns (dataset, spec) for the dataset called `name`.

    Args:
        name: a name in `DATASET_NAMES`.
        batch_size: rows per batch (static, remainder dropped).
        seed: int, makes the data deterministic.

    Returns:
        (tf.data.Dataset of (batch_size,) + spec.sample_shape float32
        batches, repeating; `DataSpec`).
    """
    spec = dataset_spec(name)  # checks the name
    _, make_dataset = _DATASETS[name]
    return make_dataset(name, batch_size, seed), spec


def dataset_spec(name):
    """The `DataSpec` of `name`, without building its pipeline."""
    choices.check_choice("dataset", name, DATASET_NAMES)
    return _DATASETS[name][0](name)
