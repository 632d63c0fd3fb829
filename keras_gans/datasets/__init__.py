"""Embedded datasets and loaders, all yielding (dataset, DataSpec)."""

from keras_gans.datasets.registry import DATASET_NAMES
from keras_gans.datasets.registry import DataSpec
from keras_gans.datasets.registry import dataset_spec
from keras_gans.datasets.registry import load_dataset
