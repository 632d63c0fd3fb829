"""Tests for keras_gans.datasets.folders (tiny folders written in tmp_path)."""

import logging
import os

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.datasets import folders
from keras_gans.datasets.labels import Attribute
from keras_gans.datasets.labels import LabelSpec

FACE_SPEC = LabelSpec.for_attributes([
    Attribute("hair", ("blue", "red", "aqua")),
    Attribute("eyes", ("green", "red")),
    Attribute("glasses"),
])
SHAPE_SPEC = LabelSpec.for_multi_hot(
    ["red circle", "blue square", "green triangle"]
)


def _random_images(count, size=16, channels=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (count, size, size, channels), "uint8")


def _write(path, image, fmt="png"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    encode = tf.io.encode_png if fmt == "png" else tf.io.encode_jpeg
    tf.io.write_file(str(path), encode(image))


def _write_tags(folder, lines):
    with open(os.path.join(folder, "tags.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


def _scaled(image):
    return image.astype("float32") / 127.5 - 1.0


def _stream(dataset, num_batches):
    """The first `num_batches` batches as numpy (tuples for labelled)."""
    return [tf.nest.map_structure(lambda t: t.numpy(), batch)
            for batch in dataset.take(num_batches)]


def _face_folder(folder, count=4, size=16):
    images = _random_images(count, size)
    tags = ["blue hair green eyes", "red hair red eyes glasses",
            "aqua hair green eyes glasses", "blue hair red eyes"]
    for i in range(count):
        _write(os.path.join(folder, f"{i}.png"), images[i])
    _write_tags(folder, [f"{i},{tags[i % 4]}" for i in range(count)])
    return images, [FACE_SPEC.parse_tags(tags[i % 4]) for i in range(count)]


# Face folders with tags.csv.


def test_tagged_folder_round_trips_pixels_and_labels(tmp_path, logs):
    images = _random_images(5, size=64)
    tags = ["blue hair green eyes", "red hair, red eyes, glasses",
            "aqua hair green eyes glasses", "blue hair red eyes",
            "red hair green eyes"]
    for i, image in enumerate(images):
        # Ids are file stems; the extension does not matter.
        _write(tmp_path / f"{i + 10}.png", image)
    _write_tags(tmp_path, ["id,tags", ""]
                + [f"{i + 10},{t}" for i, t in enumerate(tags)] + [""])
    dataset, spec = folders.load_tagged_folder(
        tmp_path, FACE_SPEC, batch_size=5, seed=3, image_size=64,
        name="my_faces",
    )
    assert spec.name == "my_faces" and spec.kind == "image"
    assert spec.sample_shape == (64, 64, 3)
    assert spec.label_spec == FACE_SPEC
    [(batch, labels)] = _stream(dataset, 1)
    assert batch.shape == (5, 64, 64, 3) and batch.dtype == np.float32
    assert labels.shape == (5, 3) and labels.dtype == np.int32
    # One batch of 5 is one epoch: each image exactly once, with its tags.
    found = set()
    for image, label in zip(batch, labels):
        [i] = [i for i in range(5)
               if np.array_equal(image, _scaled(images[i]))]
        found.add(i)
        np.testing.assert_array_equal(label, FACE_SPEC.parse_tags(tags[i]))
    assert found == set(range(5))
    assert not any(r.levelno >= logging.WARNING for r in logs.records)
    assert folders.tagged_folder_spec(
        tmp_path, FACE_SPEC, image_size=64, name="my_faces") == spec


def test_tagged_folder_multi_hot_labels(tmp_path):
    images = _random_images(3)
    tags = ["red circle", "blue square green triangle",
            "red circle blue square green triangle"]
    for i, image in enumerate(images):
        _write(tmp_path / f"s{i}.png", image)
    _write_tags(tmp_path, [f"s{i},{t}" for i, t in enumerate(tags)])
    dataset, spec = folders.load_tagged_folder(
        tmp_path, SHAPE_SPEC, batch_size=3, image_size=16, name="shapes"
    )
    assert spec.label_spec == SHAPE_SPEC and spec.name == "shapes"
    [(batch, labels)] = _stream(dataset, 1)
    assert labels.shape == (3, 3) and labels.dtype == np.float32
    for image, label in zip(batch, labels):
        [i] = [i for i in range(3)
               if np.array_equal(image, _scaled(images[i]))]
        np.testing.assert_array_equal(label, SHAPE_SPEC.parse_tags(tags[i]))


def test_folder_without_tags_is_unconditional(tmp_path, logs):
    images = _random_images(3)
    for i, image in enumerate(images):
        _write(tmp_path / f"{i}.png", image)
    dataset, spec = folders.load_tagged_folder(
        tmp_path, FACE_SPEC, batch_size=2, image_size=16
    )
    assert spec.label_spec is None and spec.sample_shape == (16, 16, 3)
    batch = _stream(dataset, 1)[0]
    assert isinstance(batch, np.ndarray) and batch.shape == (2, 16, 16, 3)
    assert "No tags.csv" in logs.text
    assert folders.tagged_folder_spec(
        tmp_path, FACE_SPEC, image_size=16).label_spec is None


def test_unknown_tag_names_line_and_known_tags(tmp_path):
    _face_folder(tmp_path)
    with open(tmp_path / "tags.csv", "a") as f:
        f.write("4,green hair red eyes\n")
    _write(tmp_path / "4.png", _random_images(1)[0])
    pattern = (r"tags\.csv, line 5: Unknown tag 'green hair'.*Known tags: "
               r"'blue hair', 'red hair', 'aqua hair', 'green eyes', "
               r"'red eyes', 'glasses'\. Fix the line, or pass "
               r"ignore_unknown_tags=True to skip lines with unknown tags\. "
               r"Received: line='4,green hair red eyes'")
    with pytest.raises(ValueError, match=pattern):
        folders.tagged_folder_spec(tmp_path, FACE_SPEC, image_size=16)
    with pytest.raises(ValueError, match=pattern):
        folders.load_tagged_folder(tmp_path, FACE_SPEC, 2, image_size=16)


def test_ignore_unknown_tags_skips_the_line(tmp_path, logs):
    images, labels = _face_folder(tmp_path)
    with open(tmp_path / "tags.csv", "a") as f:
        f.write("4,green hair red eyes\n")
    _write(tmp_path / "4.png", _random_images(1, seed=9)[0])
    dataset, spec = folders.load_tagged_folder(
        tmp_path, FACE_SPEC, 4, image_size=16, ignore_unknown_tags=True
    )
    assert spec.label_spec == FACE_SPEC
    [(batch, got)] = _stream(dataset, 1)
    # The skipped line's image is not in the epoch of 4.
    for image, label in zip(batch, got):
        [i] = [i for i in range(4)
               if np.array_equal(image, _scaled(images[i]))]
        np.testing.assert_array_equal(label, labels[i])
    assert "skipped 1 line(s)" in logs.text and "lines 5" in logs.text
    # The untagged image 4.png is ignored too, and said so.
    assert "1 image(s)" in logs.text and "no line in tags.csv" in logs.text


@pytest.mark.parametrize("line, message", [
    ("4,red eyes", r"line 5: No hair tag in 'red eyes'"),
    ("4,blue hair red hair red eyes", r"line 5: Two hair tags"),
    ("4 blue hair red eyes", r"line 5: expected 'id,tags'"),
    (",blue hair red eyes", r"line 5: the id .* is empty"),
    ("0,blue hair red eyes", r"line 5: id '0' is tagged twice"),
])
def test_bad_tags_lines(tmp_path, line, message):
    _face_folder(tmp_path)
    with open(tmp_path / "tags.csv", "a") as f:
        f.write(line + "\n")
    with pytest.raises(ValueError, match=r"tags\.csv, " + message) as info:
        folders.tagged_folder_spec(tmp_path, FACE_SPEC, image_size=16,
                                   ignore_unknown_tags=True)
    assert str(info.value).endswith(f"Received: line={line!r}")


def test_tags_file_that_is_not_utf8_names_file_and_line(tmp_path):
    _face_folder(tmp_path)
    with open(tmp_path / "tags.csv", "ab") as f:
        f.write(b"4,blue hair \xff eyes\n")
    with pytest.raises(ValueError, match=r"tags\.csv, line 5: not UTF-8 "
                       r"text \(byte 0xff at offset \d+\)"):
        folders.tagged_folder_spec(tmp_path, FACE_SPEC, image_size=16)


def test_ids_without_images_and_images_without_tags(tmp_path, logs):
    images, labels = _face_folder(tmp_path, count=3)
    with open(tmp_path / "tags.csv", "a") as f:
        f.write("77,blue hair red eyes\n88,red hair green eyes\n")
    _write(tmp_path / "extra.jpg", _random_images(1)[0], "jpeg")
    dataset, _ = folders.load_tagged_folder(tmp_path, FACE_SPEC, 3,
                                            image_size=16)
    [(batch, got)] = _stream(dataset, 1)
    assert sorted(map(tuple, got)) == sorted(map(tuple, labels))
    assert "2 id(s)" in logs.text and "77, 88" in logs.text
    assert "1 image(s)" in logs.text and "extra" in logs.text
    # No id names an image: an error, not an empty dataset.
    _write_tags(tmp_path, ["77,blue hair red eyes"])
    with pytest.raises(ValueError, match="No line of .*tags.csv names an"):
        folders.tagged_folder_spec(tmp_path, FACE_SPEC, image_size=16)


# Decoding.


def test_mixed_sizes_are_centre_cropped_and_resized(tmp_path):
    # 16 x 48: blue in the middle third, red on the sides.
    wide = np.zeros((16, 48, 3), "uint8")
    wide[:, :, 0] = 255
    wide[:, 16:32] = (0, 0, 255)
    _write(tmp_path / "wide.png", wide)
    _write(tmp_path / "big.jpg", _random_images(1, size=64)[0], "jpeg")
    _write(tmp_path / "tall.png", _random_images(1, size=40)[0][:, :24])
    dataset, spec = folders.load_class_folder(
        tmp_path, batch_size=3, image_size=16
    )
    assert spec.sample_shape == (16, 16, 3) and spec.label_spec is None
    [batch] = _stream(dataset, 1)
    assert batch.shape == (3, 16, 16, 3)
    assert batch.min() >= -1.0 and batch.max() <= 1.0
    blue = np.broadcast_to(_scaled(np.array([0, 0, 255], "uint8")),
                           (16, 16, 3))
    assert sum(np.array_equal(image, blue) for image in batch) == 1


def test_grayscale_and_rgba_become_rgb(tmp_path):
    gray = _random_images(1, channels=1)[0]
    rgba = _random_images(1, channels=4, seed=1)[0]
    _write(tmp_path / "gray.png", gray)
    _write(tmp_path / "rgba.png", rgba)
    dataset, _ = folders.load_class_folder(tmp_path, 2, image_size=16)
    [batch] = _stream(dataset, 1)
    assert batch.shape == (2, 16, 16, 3)
    expected = [_scaled(np.repeat(gray, 3, axis=-1)), _scaled(rgba[..., :3])]
    for image in expected:
        assert sum(np.array_equal(image, b) for b in batch) == 1
    # channels=1: grayscale stays exact, RGB converts.
    dataset, spec = folders.load_class_folder(
        tmp_path, 2, image_size=16, channels=1
    )
    assert spec.sample_shape == (16, 16, 1)
    [batch] = _stream(dataset, 1)
    assert batch.shape == (2, 16, 16, 1)
    assert sum(np.array_equal(_scaled(gray), b) for b in batch) == 1


def test_corrupt_files_are_skipped_with_one_warning(tmp_path, logs):
    images, labels = _face_folder(tmp_path, count=3)
    good = tf.io.encode_png(images[0]).numpy()
    (tmp_path / "3.png").write_bytes(b"not an image at all")
    (tmp_path / "4.jpg").write_bytes(b"")
    (tmp_path / "5.png").write_bytes(good[:len(good) // 2])
    with open(tmp_path / "tags.csv", "a") as f:
        f.write("3,blue hair red eyes\n4,blue hair red eyes\n"
                "5,blue hair red eyes\n")
    dataset, _ = folders.load_tagged_folder(tmp_path, FACE_SPEC, 3,
                                            image_size=16)
    [(batch, got)] = _stream(dataset, 1)
    for image, label in zip(batch, got):
        [i] = [i for i in range(3)
               if np.array_equal(image, _scaled(images[i]))]
        np.testing.assert_array_equal(label, labels[i])
    [warning] = [r for r in logs.records if r.levelno == logging.WARNING]
    assert warning.getMessage() == (
        "Skipped 3 of 6 images that could not be decoded: "
        "3.png, 4.jpg, 5.png"
    )


def test_all_corrupt_is_an_error(tmp_path):
    (tmp_path / "a.png").write_bytes(b"garbage")
    (tmp_path / "b.jpg").write_bytes(b"")
    with pytest.raises(ValueError, match="None of the 2 image files"):
        folders.load_class_folder(tmp_path, 2, image_size=16)


# Class folders.


def test_class_subfolders_become_labels(tmp_path, logs):
    colors = {"zebra": 0, "ant": 100, "moth": 200}
    for name, value in colors.items():
        for i in range(2):
            image = np.full((16, 16, 3), value, "uint8")
            _write(tmp_path / name / f"{i}.png", image)
    # Nested folders count for their class.
    _write(tmp_path / "moth" / "more" / "2.png",
           np.full((16, 16, 3), 200, "uint8"))
    os.makedirs(tmp_path / "empty")
    _write(tmp_path / "loose.png", _random_images(1)[0])
    dataset, spec = folders.load_class_folder(tmp_path, 7, image_size=16,
                                              name="bugs")
    assert spec.name == "bugs"
    assert spec.label_spec == LabelSpec.for_classes(["ant", "moth", "zebra"])
    [(batch, labels)] = _stream(dataset, 1)
    assert labels.shape == (7,) and labels.dtype == np.int32
    assert sorted(labels.tolist()) == [0, 0, 1, 1, 1, 2, 2]
    for image, label in zip(batch, labels):
        value = colors[spec.label_spec.names[label]]
        np.testing.assert_array_equal(
            image, _scaled(np.full((16, 16, 3), value, "uint8"))
        )
    assert "1 sub-folder(s)" in logs.text and "empty" in logs.text
    assert "ignoring the 1 image(s)" in logs.text and "loose" in logs.text
    assert folders.class_folder_spec(tmp_path, image_size=16,
                                     name="bugs") == spec


# Errors of the folder itself.


def test_missing_data_dir(tmp_path):
    missing = str(tmp_path / "nope")
    for call in (
        lambda: folders.load_tagged_folder(missing, FACE_SPEC, 2),
        lambda: folders.tagged_folder_spec(missing, FACE_SPEC),
        lambda: folders.load_class_folder(missing, 2),
        lambda: folders.class_folder_spec(missing),
    ):
        with pytest.raises(FileNotFoundError,
                           match=f"^data_dir {missing} does not exist: "
                                 "expected a folder of images"):
            call()


def test_empty_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("no images here")
    _write_tags(tmp_path, ["0,blue hair red eyes"])
    pattern = r"No image files in .*\.png, \.jpg, \.jpeg, \.bmp, \.gif"
    with pytest.raises(ValueError, match=pattern):
        folders.load_tagged_folder(tmp_path, FACE_SPEC, 2)
    os.makedirs(tmp_path / "empty_class")
    with pytest.raises(ValueError, match=pattern):
        folders.class_folder_spec(tmp_path)


def test_bad_image_size(tmp_path):
    pattern = (r"^image_size must be one of 16, 32, 64, 128\. "
               r"Received: image_size=100$")
    with pytest.raises(ValueError, match=pattern):
        folders.class_folder_spec(tmp_path, image_size=100)
    with pytest.raises(ValueError, match=r"Received: image_size=64\.0$"):
        folders.class_folder_spec(tmp_path, image_size=64.0)


def test_bad_counts_and_channels(tmp_path):
    _write(tmp_path / "0.png", _random_images(1)[0])
    with pytest.raises(ValueError, match="^batch_size must be a positive "
                       "integer. Received: batch_size=2.0$"):
        folders.load_class_folder(tmp_path, 2.0, image_size=16)
    with pytest.raises(ValueError, match="^start_batch must be a "
                       "non-negative integer. Received: start_batch=-1$"):
        folders.load_class_folder(tmp_path, 2, image_size=16,
                                  start_batch=-1)
    for channels in (2, True, 3.0):
        with pytest.raises(ValueError, match=(
                r"^channels must be 1 \(grayscale\) or 3 \(RGB\)\. "
                f"Received: channels={channels!r}$")):
            folders.class_folder_spec(tmp_path, image_size=16,
                                      channels=channels)


# The stream.


def test_seeded_stream_and_start_batch(tmp_path):
    # 5 images in batches of 2: batches run on across epochs.
    images, labels = _face_folder(tmp_path, count=5)
    load = lambda **kw: folders.load_tagged_folder(  # noqa: E731
        tmp_path, FACE_SPEC, 2, image_size=16, **kw)[0]
    stream = _stream(load(seed=1), 6)
    tf.random.set_seed(99)  # The global seed does not matter.
    again = _stream(load(seed=1), 6)
    other = _stream(load(seed=2), 6)
    resumed = _stream(load(seed=1, start_batch=3), 3)
    tf.nest.map_structure(np.testing.assert_array_equal, stream, again)
    tf.nest.map_structure(np.testing.assert_array_equal, stream[3:], resumed)
    assert not all(np.array_equal(a[0], b[0]) for a, b in zip(stream, other))
    # Each epoch (stream items 0-4, 5-9) is a permutation of the 5 images,
    # a different one each epoch.
    items = np.concatenate([b for b, _ in stream])
    ids = [[i for i in range(5) if np.array_equal(x, _scaled(images[i]))][0]
           for x in items]
    assert sorted(ids[:5]) == sorted(ids[5:10]) == list(range(5))
    assert ids[:5] != ids[5:10]
