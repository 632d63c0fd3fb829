"""Tests for keras_gans.datasets.shapes."""

import hashlib

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.datasets import procedural
from keras_gans.datasets import shapes

# sha256 of `condition_set(name).tobytes()`: the sets must never change.
_CONDITION_SHA256 = {
    "test": "9455e709f96be424ebc47ba5d75f44b4"
            "6e16f4377e118aaaf32c2e039f0cbf44",
    "new_test": "658c408ff2de9495e1e2e5aaa58329f1"
                "0826cfce2f91c194439e73f5d08171d0",
}


def _label_sets(labels):
    return [tuple(np.flatnonzero(row > 0.5).tolist()) for row in labels]


def _pixel_classes(images):
    """Each pixel's nearest reference colour: 0-7 the palette, 8 the
    background (the image's median colour), -1 for pixels whose 3x3
    neighbourhood is mixed (anti-aliased edges, rims)."""
    rgb = (images + 1.0) / 2.0
    background = np.median(rgb.reshape(len(rgb), -1, 3), axis=1)
    refs = np.concatenate([
        np.broadcast_to(shapes.PALETTE, (len(rgb), 8, 3)),
        background[:, None],
    ], axis=1)
    distance = np.linalg.norm(
        rgb[:, :, :, None, :] - refs[:, None, None], axis=-1
    )
    classes = distance.argmin(-1)
    size = classes.shape[1]
    core = classes[:, 1:-1, 1:-1]
    same = np.ones(core.shape, bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            same &= classes[:, 1 + dy:size - 1 + dy,
                            1 + dx:size - 1 + dx] == core
    return classes, np.where(same, core, -1)


def test_label_names_follow_iclevr_order():
    assert len(shapes.LABEL_NAMES) == 24 == len(set(shapes.LABEL_NAMES))
    for s, shape in enumerate(shapes.SHAPES):
        for c, color in enumerate(shapes.COLORS):
            assert shapes.LABEL_NAMES[s * 8 + c] == f"{color} {shape}"
    assert shapes.LABEL_NAMES[:2] == ("gray square", "red square")
    assert shapes.LABEL_NAMES[-1] == "yellow triangle"
    spec = shapes.LABEL_SPEC
    assert spec.kind == "multi_hot" and spec.shape == (24,)
    label = spec.parse_tags("red circle blue square")
    assert np.flatnonzero(label).tolist() == [2, 9]
    assert spec.describe(label) == "blue square red circle"


@pytest.mark.parametrize("size", shapes.IMAGE_SIZES)
def test_images_and_labels(size):
    images, labels = shapes.render_chunk(1, 2, image_size=size)
    assert images.shape == (procedural.CHUNK_SIZE, size, size, 3)
    assert labels.shape == (procedural.CHUNK_SIZE, 24)
    assert images.dtype == tf.float32 and labels.dtype == tf.float32
    images, labels = images.numpy(), labels.numpy()
    assert images.min() >= -1.0 and images.max() <= 1.0
    # Light background, darker objects: both ends of the range are used.
    assert images.max() > 0.5 and images.min() < -0.5
    assert set(np.unique(labels).tolist()) == {0.0, 1.0}
    assert set(labels.sum(1).tolist()) <= {1.0, 2.0, 3.0}


def test_every_label_and_object_count_appears():
    _, labels = shapes.sample_shapes(384, seed=0, image_size=32)
    assert (labels.sum(0) > 0).all()
    counts = labels.sum(1)
    for n in (1, 2, 3):
        assert 0.2 < (counts == n).mean() < 0.47
    # Single objects of every label (held-out sets have 2 or 3 labels).
    _, labels = shapes.sample_shapes(1024, seed=1, image_size=32)
    alone = labels[labels.sum(1) == 1]
    assert (alone.sum(0) > 0).all()


def test_determinism_and_resume():
    images, labels = shapes.sample_shapes(110, seed=3, image_size=32)
    again, again_labels = shapes.sample_shapes(110, seed=3, image_size=32)
    np.testing.assert_array_equal(images, again)
    np.testing.assert_array_equal(labels, again_labels)
    other, _ = shapes.sample_shapes(110, seed=4, image_size=32)
    assert not np.array_equal(images, other)
    assert len({row.tobytes() for row in images}) == 110

    small = list(shapes.shapes_dataset(16, seed=3, image_size=32).take(6))
    large = list(shapes.shapes_dataset(48, seed=3, image_size=32).take(2))
    for batches in (small, large):
        x = np.concatenate([b[0].numpy() for b in batches])
        y = np.concatenate([b[1].numpy() for b in batches])
        np.testing.assert_array_equal(x, images[:96])
        np.testing.assert_array_equal(y, labels[:96])

    resumed, resumed_labels = shapes.sample_shapes(
        40, seed=3, image_size=32, start_image=70
    )
    np.testing.assert_array_equal(resumed, images[70:110])
    np.testing.assert_array_equal(resumed_labels, labels[70:110])
    x, y = next(iter(shapes.shapes_dataset(
        40, seed=3, image_size=32, start_image=70
    )))
    np.testing.assert_array_equal(x.numpy(), resumed)
    np.testing.assert_array_equal(y.numpy(), resumed_labels)


def test_dataset_is_endless_and_batched():
    dataset = shapes.shapes_dataset(8, seed=0)
    assert dataset.cardinality().numpy() > 10**15
    images_spec, labels_spec = dataset.element_spec
    assert images_spec.shape == (8, 64, 64, 3)
    assert labels_spec.shape == (8, 24)


def test_condition_sets_are_fixed_and_held_out():
    rows = []
    for name in shapes.CONDITION_SETS:
        conditions = shapes.condition_set(name)
        assert conditions.shape == (32, 24)
        assert conditions.dtype == np.float32
        assert set(np.unique(conditions).tolist()) == {0.0, 1.0}
        assert set(conditions.sum(1).tolist()) == {2.0, 3.0}
        # Mostly 3 objects, like iCLEVR's test sets; every label used.
        assert (conditions.sum(1) == 3).sum() >= 16
        assert (conditions.sum(0) > 0).all()
        digest = hashlib.sha256(conditions.tobytes()).hexdigest()
        assert digest == _CONDITION_SHA256[name]
        rows.extend(_label_sets(conditions))
    assert len(set(rows)) == 64
    assert shapes.held_out_combinations() == set(rows)
    np.testing.assert_array_equal(
        np.flatnonzero(shapes.condition_set("test")[0]), [4, 5]
    )
    assert shapes.LABEL_SPEC.describe(shapes.condition_set("new_test")[0]) == (
        "gray square cyan circle yellow triangle"
    )
    # A fresh array each call: callers may modify it.
    shapes.condition_set("test")[:] = 0
    assert shapes.condition_set("test").sum() > 0


def test_unknown_condition_set():
    with pytest.raises(ValueError, match="Received: name='train'"):
        shapes.condition_set("train")


def test_training_scenes_avoid_held_out_combinations():
    held_out = shapes.held_out_combinations()
    _, labels = shapes.sample_shapes(4096, seed=7, image_size=32)
    assert not held_out & set(_label_sets(labels))
    # The label sampler alone, at scale: without rejection about 3% of
    # these would be held out (2,900 in 100,000).
    indices, active = shapes._draw_labels(
        tf.constant([5, 6], "int64"), 100_000
    )
    indices, active = indices.numpy(), active.numpy()
    counts = active.sum(1)
    assert set(counts.tolist()) == {1, 2, 3}
    assert (active[:, 0] & (active[:, 1] >= active[:, 2])).all()
    drawn = {
        tuple(sorted(row[:n].tolist())) for row, n in zip(indices, counts)
    }
    assert not held_out & drawn
    # Distinct labels within a scene.
    assert (indices[:, 0] != indices[:, 1]).all()
    assert (indices[:, 0] != indices[:, 2]).all()
    assert (indices[:, 1] != indices[:, 2]).all()


@pytest.mark.parametrize("size", [32, 64])
def test_objects_never_overlap(size):
    for chunk in range(3):
        _, labels, alphas = shapes._render_layers(
            tf.constant(11, "int64"), tf.constant(chunk, "int64"), size
        )
        labels, alphas = labels.numpy(), alphas.numpy()  # (N, 3, S, S)
        for i, j in ((0, 1), (0, 2), (1, 2)):
            assert np.minimum(alphas[:, i], alphas[:, j]).max() < 1e-5
        # Every labelled object is drawn, whole somewhere, none extra.
        peak = alphas.max(axis=(2, 3))
        np.testing.assert_array_equal((peak > 0).sum(1), labels.sum(1))
        assert ((peak == 0) | (peak == 1)).all()


def test_labels_drive_colours():
    images, labels = shapes.sample_shapes(192, seed=5)
    _, classes = _pixel_classes(images)
    colour_on = labels.reshape(-1, 3, 8).max(1) > 0
    counts = np.stack(
        [(classes == c).sum((1, 2)) for c in range(8)], axis=1
    )
    # Inner pixels of the labelled colours only (at least ~18 per object
    # here, and none of an unlabelled colour).
    assert counts[colour_on].min() >= 8
    assert counts[~colour_on].max() <= 2


def test_labels_drive_shapes():
    images, labels = shapes.sample_shapes(384, seed=6)
    single = np.flatnonzero(labels.sum(1) == 1)
    classes, _ = _pixel_classes(images[single])
    seen = set()
    for mask, label in zip(classes != 8, labels[single]):
        rows, cols = np.nonzero(mask)
        box = mask[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
        height = box.shape[0]
        widths = box.sum(1)
        # A triangle widens downwards; a square fills its box, a circle
        # about pi / 4 of it.
        if widths[int(0.75 * height)] > 1.6 * widths[int(0.25 * height)]:
            shape = "triangle"
        elif box.mean() > 0.88:
            shape = "square"
        else:
            shape = "circle"
        expected = shapes.SHAPES[int(label.argmax()) // 8]
        assert shape == expected
        seen.add(shape)
    assert seen == set(shapes.SHAPES)


@pytest.mark.parametrize("size", [48, 0, "64", True, None, 64.5])
def test_bad_image_size(size):
    match = (r"^image_size of the procedural shapes must be one of 32, "
             rf"64, 128\. Received: image_size={size!r}$")
    with pytest.raises(ValueError, match=match):
        shapes.render_chunk(0, 0, image_size=size)
    with pytest.raises(ValueError, match=match):
        shapes.shapes_dataset(8, image_size=size)
    with pytest.raises(ValueError, match=match):
        shapes.sample_shapes(8, image_size=size)


def test_bad_counts():
    with pytest.raises(ValueError, match="^batch_size must be a positive "
                       "integer. Received: batch_size=0$"):
        shapes.shapes_dataset(0)
    with pytest.raises(ValueError, match="^start_image must be a "
                       "non-negative integer. Received: start_image=-1$"):
        shapes.sample_shapes(4, start_image=-1)
    images, labels = shapes.sample_shapes(0)
    assert images.shape == (0, 64, 64, 3) and labels.shape == (0, 24)
