"""Tests for keras_gans.datasets.tfds_loaders.

The pipelines run on `tfds.testing.mock_data`: random examples generated
from each builder's features, no network, no files (mock_data also
replaces any `data_dir` by its own). The "not prepared" error runs without
the mock, on an empty directory.
"""

import os

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_gans.datasets import tfds_loaders

NUM_EXAMPLES = 12
BATCH = 4
# name -> (sample shape, label kind, number of names, label shape, dtype)
EXPECTED = {
    "mnist": ((32, 32, 1), "class", 10, (), np.int32),
    "fashion_mnist": ((32, 32, 1), "class", 10, (), np.int32),
    "cifar10": ((32, 32, 3), "class", 10, (), np.int32),
    "celeb_a": ((64, 64, 3), "multi_hot", 40, (40,), np.float32),
}


@pytest.fixture
def mock_tfds():
    with tfds.testing.mock_data(num_examples=NUM_EXAMPLES):
        yield


def _stream(dataset, num_batches):
    return [(x.numpy(), y.numpy()) for x, y in dataset.take(num_batches)]


def _reference(name, image_size):
    """The mock's examples, prepared independently: (images, labels)."""
    builder = tfds.builder(name)
    raw = builder.as_dataset(
        split="train", decoders={"image": tfds.decode.SkipDecoding()}
    )
    names = tfds_loaders.tfds_spec(name).label_spec.names
    images, labels = [], []
    for example in raw:
        image = tf.io.decode_image(example["image"],
                                   expand_animations=False).numpy()
        if name == "celeb_a":
            image = image[20:198]  # The centre 178 x 178 of 218 x 178.
            label = [float(example["attributes"][k]) for k in names]
        else:
            label = int(example["label"])
        image = tf.image.resize(image.astype("float32"),
                                (image_size, image_size), antialias=True)
        images.append(np.clip(image.numpy(), 0, 255) / 127.5 - 1.0)
        labels.append(np.asarray(label))
    return images, labels


def _match(image, references):
    """Index of the reference image equal (to float rounding) to `image`."""
    errors = [np.abs(image - ref).max() for ref in references]
    assert min(errors) < 1e-4
    return int(np.argmin(errors))


@pytest.mark.parametrize("name", tfds_loaders.TFDS_NAMES)
def test_spec_without_data(name):
    shape, kind, num_names, label_shape, dtype = EXPECTED[name]
    spec = tfds_loaders.tfds_spec(name)
    assert spec.name == name and spec.kind == "image"
    assert spec.sample_shape == shape
    label_spec = spec.label_spec
    assert label_spec.kind == kind and len(label_spec.names) == num_names
    assert label_spec.shape == label_shape
    assert label_spec.dtype == np.dtype(dtype).name
    assert tfds_loaders.tfds_spec(name, image_size=16).sample_shape == (
        (16, 16) + shape[2:])


def test_label_names():
    spec = tfds_loaders.tfds_spec
    assert spec("mnist").label_spec.names == tuple("0123456789")
    assert spec("fashion_mnist").label_spec.names[:2] == (
        "T-shirt/top", "Trouser")
    assert spec("cifar10").label_spec.names[:3] == (
        "airplane", "automobile", "bird")
    names = spec("celeb_a").label_spec.names
    assert names[0] == "5_o_Clock_Shadow" and names[-1] == "Young"
    assert names[15] == "Eyeglasses" and names[20] == "Male"


@pytest.mark.parametrize("name", tfds_loaders.TFDS_NAMES)
def test_batches(name, mock_tfds, tmp_path):
    shape, _, _, label_shape, dtype = EXPECTED[name]
    dataset, spec = tfds_loaders.load_tfds(
        name, BATCH, seed=1, data_dir=str(tmp_path)
    )
    assert spec == tfds_loaders.tfds_spec(name)
    stream = _stream(dataset, 2 * NUM_EXAMPLES // BATCH)
    references, reference_labels = _reference(name, shape[0])
    seen = []
    for images, labels in stream:
        assert images.shape == (BATCH,) + shape
        assert images.dtype == np.float32
        assert images.min() >= -1.0 and images.max() <= 1.0
        assert labels.shape == (BATCH,) + label_shape
        assert labels.dtype == dtype
        # Each image comes with its own label.
        for image, label in zip(images, labels):
            i = _match(image, references)
            np.testing.assert_array_equal(label, reference_labels[i])
            seen.append(i)
    # Two epochs, each a permutation of the examples, each its own.
    assert sorted(seen[:NUM_EXAMPLES]) == list(range(NUM_EXAMPLES))
    assert sorted(seen[NUM_EXAMPLES:]) == list(range(NUM_EXAMPLES))
    assert seen[:NUM_EXAMPLES] != seen[NUM_EXAMPLES:]


@pytest.mark.parametrize("name", tfds_loaders.TFDS_NAMES)
def test_seed_and_start_batch(name, mock_tfds):
    def stream(num_batches, **kwargs):
        dataset, _ = tfds_loaders.load_tfds(name, BATCH, **kwargs)
        return _stream(dataset, num_batches)

    first = stream(6, seed=5)
    # The global seed does not change the stream.
    tf.random.set_seed(1234)
    tf.nest.map_structure(np.testing.assert_array_equal,
                          first, stream(6, seed=5))
    # 3 batches per epoch: batch 4 is the second of epoch 1.
    tf.nest.map_structure(np.testing.assert_array_equal,
                          first[4:], stream(2, seed=5, start_batch=4))
    other = stream(6, seed=6)
    assert not all(np.array_equal(a[0], b[0]) for a, b in zip(first, other))


def test_shuffle_windows(mock_tfds, monkeypatch):
    # Windows of 5, 5 and 2 examples: still a permutation per epoch.
    monkeypatch.setattr(tfds_loaders, "SHUFFLE_WINDOW", 5)
    dataset, _ = tfds_loaders.load_tfds("mnist", 6, seed=2)
    references, _ = _reference("mnist", 32)
    seen = [_match(image, references)
            for images, _ in _stream(dataset, 4) for image in images]
    for epoch in (seen[:12], seen[12:]):
        assert sorted(epoch) == list(range(12))
        assert sorted(epoch[:5]) == sorted(seen[:5])  # The first window.
    assert seen[:12] != seen[12:]
    resumed, _ = tfds_loaders.load_tfds("mnist", 6, seed=2, start_batch=3)
    assert [_match(image, references)
            for image in next(iter(resumed))[0].numpy()] == seen[18:]


def test_image_size_override(mock_tfds):
    dataset, spec = tfds_loaders.load_tfds("celeb_a", 2, image_size=16)
    assert spec.sample_shape == (16, 16, 3)
    images, labels = next(iter(dataset))
    assert images.shape == (2, 16, 16, 3) and labels.shape == (2, 40)


@pytest.mark.parametrize("call, pattern", [
    (lambda: tfds_loaders.tfds_spec("mnist", image_size=48),
     r"^image_size must be one of 16, 32, 64, 128\. Received: "
     "image_size=48$"),
    (lambda: tfds_loaders.tfds_spec("svhn"), "Received: dataset='svhn'"),
    (lambda: tfds_loaders.load_tfds("mnist", 0),
     "^batch_size must be a positive integer. Received: batch_size=0$"),
    (lambda: tfds_loaders.load_tfds("mnist", 4.0),
     "^batch_size must be a positive integer. Received: batch_size=4.0$"),
    (lambda: tfds_loaders.load_tfds("mnist", 4, start_batch=-1),
     "^start_batch must be a non-negative integer. Received: "
     "start_batch=-1$"),
])
def test_bad_arguments(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


@pytest.mark.parametrize("name", tfds_loaders.TFDS_NAMES)
def test_data_not_prepared(name, tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        tfds_loaders.load_tfds(name, 4, data_dir=str(tmp_path))
    message = str(info.value)
    assert f"for dataset {name!r} in {tmp_path}" in message
    assert (f"tfds.builder('{name}', data_dir='DIR')"
            ".download_and_prepare()") in message
    assert f"tfds build {name} --data_dir=DIR" in message
    assert "pass data_dir=DIR" in message
    assert ("Google Drive" in message) == (name == "celeb_a")
    assert message.endswith(f"Received: data_dir={str(tmp_path)!r}")
    assert os.listdir(tmp_path) == []  # Nothing written, nothing fetched.
