"""Shared test set-up: quiet TensorFlow, a fresh Keras session per test.

Shared builders of tiny networks, configs and data are in tests/helpers.py.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _clear_keras_session():
    yield
    keras.backend.clear_session()
