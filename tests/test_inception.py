"""Tests for keras_gans.metrics.inception, with random weights.

No test downloads anything: the weight files are InceptionV3s with random
weights saved to a temporary folder, in each format a user may hold.
InceptionV3 is slow on a CPU, so each test runs a couple of small images.
"""

import os

import h5py
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans.metrics import inception

IMAGES = np.random.default_rng(0).uniform(
    -1, 1, size=(3, 24, 20, 3)).astype("float32")


def _reference_features(pool_model, images):
    """The standard pipeline written out with TensorFlow ops."""
    x = tf.image.resize(images, (299, 299), method="bilinear")
    x = keras.applications.inception_v3.preprocess_input((x + 1.0) * 127.5)
    return pool_model(x, training=False).numpy()


def _save_legacy_h5(model, path):
    """A weight file in the format of Keras' downloadable ImageNet files."""
    legacy = pytest.importorskip("keras.src.legacy.saving.legacy_h5_format")
    with h5py.File(path, "w") as f:
        legacy.save_weights_to_hdf5_group(f, model)


@pytest.fixture(scope="module")
def weight_files(tmp_path_factory):
    """Random-weight files of InceptionV3 without / with the classifier.

    Returns:
        A dict: file kind -> (path, features of IMAGES from the model that
        saved it).
    """
    folder = tmp_path_factory.mktemp("inception")
    files = {}
    for include_top in (False, True):
        # As in the fetch command (inception.FETCH_COMMAND), no pooling.
        model = keras.applications.InceptionV3(
            include_top=include_top, weights=None)
        if include_top:
            pooled = model.get_layer("avg_pool").output
        else:
            pooled = keras.layers.GlobalAveragePooling2D()(model.output)
        pool = keras.Model(model.input, pooled)
        expected = _reference_features(pool, IMAGES)
        top = "top" if include_top else "notop"
        path = str(folder / f"{top}.weights.h5")
        model.save_weights(path)
        files[f"{top}.weights.h5"] = (path, expected)
        path = str(folder / f"inception_v3_{top}.h5")
        _save_legacy_h5(model, path)
        files[f"{top} legacy .h5"] = (path, expected)
    keras.backend.clear_session()
    return files


@pytest.mark.slow
@pytest.mark.parametrize("kind", [
    "notop.weights.h5", "top.weights.h5", "notop legacy .h5",
    "top legacy .h5"])
def test_loads_the_saved_weights(weight_files, kind):
    path, expected = weight_files[kind]
    model = inception.build_inception_features(path)
    features = inception.inception_features(IMAGES, model, batch_size=2)
    assert features.shape == (3, 2048)
    assert features.dtype == np.float32
    np.testing.assert_allclose(features, expected, rtol=1e-4, atol=1e-5)


def test_batches_grayscale_and_determinism(weight_files):
    path, expected = weight_files["notop.weights.h5"]
    model = inception.build_inception_features(path)
    gray = IMAGES[:2, :, :, :1]
    features = inception.inception_features(gray, model, batch_size=1)
    again = inception.inception_features(gray, model, batch_size=2)
    np.testing.assert_allclose(features, again, rtol=1e-5, atol=1e-6)
    # A one-channel image is its three-channel grey version.
    tiled = model.predict(np.repeat(gray, 3, axis=-1), verbose=0)
    np.testing.assert_allclose(features, tiled, rtol=1e-5, atol=1e-6)
    # And the random weights give image-dependent features.
    assert not np.allclose(features[0], features[1])


def test_default_path_is_the_keras_cache(weight_files, tmp_path,
                                         monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    paths = inception.default_weight_paths()
    assert paths[0] == str(tmp_path / "models" /
                           inception.KERAS_WEIGHT_FILES[0])
    os.makedirs(tmp_path / "models")
    path, expected = weight_files["notop legacy .h5"]
    os.symlink(path, paths[0])
    model = inception.build_inception_features()
    np.testing.assert_allclose(
        inception.inception_features(IMAGES[:1], model), expected[:1],
        rtol=1e-4, atol=1e-5)


def test_missing_file(tmp_path):
    path = str(tmp_path / "inception_v3.weights.h5")
    with pytest.raises(FileNotFoundError, match="save_weights") as info:
        inception.build_inception_features(path)
    assert path in str(info.value)


def test_no_file_in_the_keras_cache(tmp_path, monkeypatch):
    # (Not the real list: Keras' fallback /tmp/.keras may hold a file.)
    monkeypatch.setattr(
        inception, "default_weight_paths",
        lambda: [str(tmp_path / "models" / inception.KERAS_WEIGHT_FILES[0])])
    with pytest.raises(FileNotFoundError, match="save_weights"):
        inception.build_inception_features()


@pytest.mark.parametrize("kind", ["text.h5", "small.weights.h5", "x.bin"])
def test_not_inception_weights(tmp_path, kind):
    path = str(tmp_path / kind)
    if kind == "small.weights.h5":
        small = keras.Sequential([
            keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3),
            keras.layers.BatchNormalization()])
        small.save_weights(path)
    else:
        with open(path, "w") as f:
            f.write("not weights")
    with pytest.raises(ValueError, match="not an InceptionV3 weight file"):
        inception.build_inception_features(path)


def _stand_in_extractor():
    """`InceptionFeatures` over a cheap stand-in for the network: the mean
    and maximum of each channel of its (preprocessed) input."""
    inputs = keras.Input((299, 299, 3))
    outputs = keras.layers.Concatenate()([
        keras.layers.GlobalAveragePooling2D()(inputs),
        keras.layers.GlobalMaxPooling2D()(inputs)])
    return inception.InceptionFeatures(keras.Model(inputs, outputs))


def test_preprocessing_keeps_the_value_range():
    # Constant images: resizing keeps the value and [-1, 1] ->
    # [0, 255] -> preprocess_input is the identity on InceptionV3's scale.
    extractor = _stand_in_extractor()
    values = np.array([-1.0, -0.25, 0.5, 1.0], dtype="float32")
    images = np.ones((4, 16, 16, 1), "float32") * values[:, None, None, None]
    features = inception.inception_features(images, extractor, 3)
    np.testing.assert_allclose(features, np.repeat(values[:, None], 6, 1),
                               atol=1e-6)


@pytest.mark.parametrize("shape", [(2, 16, 16), (2, 16, 16, 2)])
def test_bad_image_shapes(shape):
    with pytest.raises(ValueError, match="Received: images.shape"):
        inception.inception_features(np.zeros(shape, "float32"),
                                     _stand_in_extractor())


@pytest.mark.parametrize("batch_size", [0, 2.0, True])
def test_bad_batch_size(batch_size):
    # 2.0 and True (== 1) used to pass `int(batch_size) != batch_size`.
    with pytest.raises(ValueError,
                       match="batch_size must be a positive integer. "
                             f"Received: batch_size={batch_size!r}"):
        inception.inception_features(np.zeros((2, 8, 8, 3)),
                                     _stand_in_extractor(),
                                     batch_size=batch_size)
