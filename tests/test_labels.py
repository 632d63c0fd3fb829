"""Tests for keras_gans.datasets.labels: label specs and their tags."""

import numpy as np
import pytest

from keras_gans.datasets.labels import Attribute
from keras_gans.datasets.labels import LabelSpec
from keras_gans.datasets.labels import UnknownTagError

FACES_LIKE = LabelSpec.for_attributes([
    Attribute("hair", ("blue", "red", "light blue")),
    Attribute("eyes", ("red", "green")),
    Attribute("glasses"),
])
MULTI_HOT = LabelSpec.for_multi_hot(
    ["red circle", "blue circle", "red square"]
)
CLASSES = LabelSpec.for_classes(["cat", "dog"])


@pytest.mark.parametrize("spec,shape,dtype,width", [
    (FACES_LIKE, (3,), "int32", 6),
    (MULTI_HOT, (3,), "float32", 3),
    (CLASSES, (), "int32", 2),
])
def test_shape_dtype_width(spec, shape, dtype, width):
    assert spec.shape == shape
    assert spec.dtype == dtype
    assert spec.encoded_dim == width


def test_attribute_tags_round_trip():
    for label in ([0, 0, 0], [1, 1, 1], [2, 0, 1]):
        text = FACES_LIKE.describe(label)
        np.testing.assert_array_equal(FACES_LIKE.parse_tags(text), label)
    assert FACES_LIKE.describe([2, 1, 1]) == (
        "light blue hair green eyes glasses")
    # Commas, any order, a multi-word value.
    np.testing.assert_array_equal(
        FACES_LIKE.parse_tags("glasses, green eyes,light blue hair"),
        [2, 1, 1],
    )


def test_multi_hot_and_class_tags_round_trip():
    label = MULTI_HOT.parse_tags("red square red circle")
    np.testing.assert_array_equal(label, [1, 0, 1])
    assert label.dtype == np.float32
    assert MULTI_HOT.describe(label) == "red circle red square"
    assert CLASSES.parse_tags("dog") == 1
    assert CLASSES.describe(np.int32(0)) == "cat"


@pytest.mark.parametrize("spec,text,match", [
    (FACES_LIKE, "green hair red eyes", "Unknown tag 'green hair'.*"
     "Known tags: 'blue hair', 'red hair', 'light blue hair'"),
    (FACES_LIKE, "blue hair red eyes hat", "Unknown tag 'hat'"),
    (MULTI_HOT, "red triangle", "Unknown tag 'red triangle'"),
    (CLASSES, "bird", "Unknown tag 'bird'.*'cat', 'dog'"),
])
def test_unknown_tags_list_the_known_ones(spec, text, match):
    with pytest.raises(UnknownTagError, match=match):
        spec.parse_tags(text)


def test_categorical_attribute_missing_or_twice():
    with pytest.raises(ValueError, match="No eyes tag"):
        FACES_LIKE.parse_tags("blue hair")
    with pytest.raises(ValueError, match="Two hair tags"):
        FACES_LIKE.parse_tags("blue hair red hair red eyes")
    with pytest.raises(ValueError, match="at least one"):
        MULTI_HOT.parse_tags("  ")


def test_encode():
    encoded = FACES_LIKE.encode(np.array([[2, 1, 1], [0, 0, 0]])).numpy()
    np.testing.assert_array_equal(
        encoded, [[0, 0, 1, 0, 1, 1], [1, 0, 0, 1, 0, 0]]
    )
    np.testing.assert_array_equal(
        CLASSES.encode(np.array([1, 0])).numpy(), [[0, 1], [1, 0]]
    )
    np.testing.assert_array_equal(
        MULTI_HOT.encode(np.array([[1, 0, 1]])).numpy(), [[1, 0, 1]]
    )


@pytest.mark.parametrize("spec", [FACES_LIKE, MULTI_HOT, CLASSES])
def test_dict_round_trip(spec):
    assert LabelSpec.from_dict(spec.to_dict()) == spec


def test_bad_specs():
    with pytest.raises(ValueError, match="Unknown label kind"):
        LabelSpec("bag")
    with pytest.raises(ValueError, match="needs names"):
        LabelSpec.for_multi_hot([])


def test_blocks_describe_the_encoded_columns():
    from keras_gans.datasets import faces, shapes

    blocks = faces.LABEL_SPEC.blocks
    assert blocks == ((0, 12, True), (12, 11, True), (23, 1, False),
                      (24, 1, False))
    assert sum(width for _, width, _ in blocks) == \
        faces.LABEL_SPEC.encoded_dim
    assert shapes.LABEL_SPEC.blocks == ((0, 24, False),)
