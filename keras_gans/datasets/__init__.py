"""Embedded datasets and loaders, all yielding (dataset, DataSpec).

The registry's names load on first use (PEP 562), so importing one loader
module (e.g. `keras_gans.datasets.labels`) does not import all the others.
"""

import importlib

from keras_gans.datasets.labels import Attribute  # noqa: F401
from keras_gans.datasets.labels import LabelSpec  # noqa: F401
from keras_gans.datasets.spec import DataSpec  # noqa: F401

_REGISTRY_NAMES = (
    "DATASET_NAMES", "check_options", "dataset_defaults", "dataset_spec",
    "load_dataset",
)


def __getattr__(name):
    if name in _REGISTRY_NAMES:
        registry = importlib.import_module("keras_gans.datasets.registry")
        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
