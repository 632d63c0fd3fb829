"""Tests for keras_gans.datasets.codes: InfoGAN's CodeSpec."""

import dataclasses
import json

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.datasets.codes import CodeSpec

# What the export wrote for {"categorical": [3, 2], "continuous": 2} before
# CodeSpec existed (keras_gans/export.py's _code_layout and _code_format).
LAYOUT_3_2_2 = [
    {"name": "categorical0", "kind": "categorical", "start": 0, "width": 3,
     "categories": 3},
    {"name": "categorical1", "kind": "categorical", "start": 3, "width": 2,
     "categories": 2},
    {"name": "continuous0", "kind": "continuous", "start": 5, "width": 1,
     "range": [-1.0, 1.0]},
    {"name": "continuous1", "kind": "continuous", "start": 6, "width": 1,
     "range": [-1.0, 1.0]},
]
UNIFORM = "uniform in [-1, 1] in training (values outside extrapolate)"
FORMATS = {
    ((3, 2), 2): (
        "float32 (batch, 7): columns 0-2: categorical code 0, one-hot over "
        "3 categories; columns 3-4: categorical code 1, one-hot over 2 "
        f"categories; columns 5-6: continuous codes 0, 1, {UNIFORM}"),
    ((), 1): f"float32 (batch, 1): column 0: continuous code 0, {UNIFORM}",
    ((10,), 0): (
        "float32 (batch, 10): columns 0-9: categorical code 0, one-hot over "
        "10 categories"),
    ((4,), 1): (
        "float32 (batch, 5): columns 0-3: categorical code 0, one-hot over "
        f"4 categories; column 4: continuous code 0, {UNIFORM}"),
}


def test_fields_code_dim_and_normalized_counts():
    spec = CodeSpec(categorical=[3, np.int64(2)], continuous=np.int32(2))
    assert spec.categorical == (3, 2) and spec.continuous == 2
    assert all(type(k) is int for k in spec.categorical)
    assert type(spec.continuous) is int
    assert spec.code_dim == 7
    assert spec == CodeSpec((3, 2), 2)
    assert hash(spec) == hash(CodeSpec((3, 2), 2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.continuous = 3
    assert CodeSpec(continuous=1).categorical == ()
    assert CodeSpec((10,)).continuous == 0


@pytest.mark.parametrize("categorical, continuous", [
    ((1,), 2),  # fewer than 2 categories
    ((), 0),  # no code at all
    ((10,), -1),
    ((2.5,), 0),  # counts are integers: no float
    ((2.0,), 0),
    ((True, 3), 0),  # nor bool
    ((10,), 1.0),
    ((10,), True),
    ("ab", 0),
    (10, 0),  # not a sequence
    (None, 1),
])
def test_impossible_layouts_raise_one_message(categorical, continuous):
    needs = ("InfoGAN needs at least one code: categorical codes of 2 or "
             "more categories and/or continuous codes >= 1 (integers). ")
    with pytest.raises(ValueError) as error:
        CodeSpec(categorical, continuous)
    assert str(error.value) == needs + (
        f"Received: categorical={categorical!r}, continuous={continuous!r}")
    with pytest.raises(ValueError) as error:
        CodeSpec.from_counts(categorical, continuous,
                             names=("categorical_codes", "continuous_codes"))
    assert str(error.value) == needs + (
        f"Received: categorical_codes={categorical!r}, "
        f"continuous_codes={continuous!r}")
    value = {"categorical": categorical, "continuous": continuous}
    with pytest.raises(ValueError) as error:
        CodeSpec.from_dict(value)
    assert str(error.value) == needs + f"Received: code_spec={value!r}"


def test_layout_and_format_are_what_the_export_wrote():
    spec = CodeSpec((3, 2), 2)
    assert spec.layout() == LAYOUT_3_2_2
    for (categorical, continuous), text in FORMATS.items():
        assert CodeSpec(categorical, continuous).format == text
    assert CodeSpec(continuous=1).layout() == [
        {"name": "continuous0", "kind": "continuous", "start": 0,
         "width": 1, "range": [-1.0, 1.0]}]
    json.dumps(spec.layout())  # JSON-able


def test_to_dict_from_dict_round_trip():
    spec = CodeSpec((3, 2), 2)
    assert spec.to_dict() == {"categorical": [3, 2], "continuous": 2}
    assert CodeSpec.from_dict(spec.to_dict()) == spec
    assert CodeSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    assert CodeSpec.from_dict(spec) is spec
    # Missing keys default to no code of that kind.
    assert CodeSpec.from_dict({"continuous": 2}) == CodeSpec((), 2)
    assert CodeSpec.from_dict({"categorical": [10]}) == CodeSpec((10,), 0)
    # An export's metadata["codes"] also reads back.
    metadata = {**spec.to_dict(), "code_dim": 7, "layout": spec.layout(),
                "format": spec.format}
    assert CodeSpec.from_dict(metadata) == spec


@pytest.mark.parametrize("value, match", [
    ([10], r"code_spec must be a CodeSpec or a dict with keys 'categorical' "
           r".*Received: code_spec=\[10\]"),
    ({"categorical": [10], "discrete": 2}, r"keys 'categorical' .*"
                                           r"'discrete': 2\}"),
    ({"categorical": [10], "code_dim": 11},
     r"code_spec's code_dim does not match its codes \(10 columns\)"),
])
def test_from_dict_refuses_other_values(value, match):
    with pytest.raises(ValueError, match=match):
        CodeSpec.from_dict(value)
    with pytest.raises(ValueError, match="Received: codes="):
        CodeSpec.from_dict(value, name="codes")


def test_encode():
    spec = CodeSpec((3, 2), 2)
    codes = spec.encode(categories=[[2, 1], [0, 0]],
                        continuous=[[0.5, -0.25], [1.0, -1.0]])
    assert codes.dtype == np.float32
    np.testing.assert_array_equal(codes, [
        [0, 0, 1, 0, 1, 0.5, -0.25],
        [1, 0, 0, 1, 0, 1.0, -1.0],
    ])
    np.testing.assert_array_equal(spec.encode(num=2),
                                  [[1, 0, 0, 1, 0, 0, 0]] * 2)
    np.testing.assert_allclose(spec.encode(continuous=[[0.3, 0.1]]),
                               [[1, 0, 0, 1, 0, 0.3, 0.1]])
    np.testing.assert_allclose(
        CodeSpec(continuous=2).encode(continuous=[[0.3, 0.1]]), [[0.3, 0.1]])
    assert CodeSpec((4,)).encode(categories=[[3]]).tolist() == [[0, 0, 0, 1]]


def _check_codes(codes, spec, num):
    """Shape, dtype, one-hot blocks, continuous range."""
    assert codes.shape == (num, spec.code_dim)
    assert codes.dtype == np.float32
    start = 0
    for k in spec.categorical:
        block = codes[:, start:start + k]
        assert set(np.unique(block)) <= {0.0, 1.0}
        np.testing.assert_array_equal(block.sum(axis=1), 1.0)
        start += k
    continuous = codes[:, start:]
    assert continuous.shape == (num, spec.continuous)
    assert continuous.min(initial=0) >= -1 and continuous.max(initial=0) <= 1


@pytest.mark.parametrize("categorical, continuous", [
    ((3, 2), 2), ((), 2), ((10,), 0)])
def test_sample_and_random_shapes(categorical, continuous):
    spec = CodeSpec(categorical, continuous)
    sampled = spec.sample(500, tf.constant([5, 6]))
    assert isinstance(sampled, tf.Tensor)
    _check_codes(sampled.numpy(), spec, 500)
    _check_codes(spec.random(500, seed=3), spec, 500)
    # Seeded: the same codes for a seed, others for another.
    np.testing.assert_array_equal(
        sampled, spec.sample(500, tf.constant([5, 6])))
    assert not np.array_equal(sampled, spec.sample(500, tf.constant([5, 7])))
    np.testing.assert_array_equal(spec.random(500, 3), spec.random(500, 3))
    assert not np.array_equal(spec.random(500, 3), spec.random(500, 4))


def test_sample_in_a_graph():
    spec = CodeSpec((3,), 1)

    @tf.function
    def draw(batch_size, seed):
        return spec.sample(batch_size, seed)

    np.testing.assert_array_equal(
        draw(tf.constant(6), tf.constant([1, 2])),
        spec.sample(6, tf.constant([1, 2])))


# Values of the code before CodeSpec, for these seeds:
# InfoGAN.sample_codes (stateless TF) and train_lib._random_codes (numpy).
OLD_SAMPLE_3_2_2 = [  # batch 4, seed tf.constant([5, 6])
    [0, 1, 0, 0, 1, 0.7137539386749268, -0.07700347900390625],
    [0, 1, 0, 1, 0, 0.20992565155029297, 0.6880972385406494],
    [1, 0, 0, 0, 1, 0.7274866104125977, -0.5322728157043457],
    [0, 1, 0, 0, 1, 0.4236581325531006, -0.8157835006713867],
]
OLD_SAMPLE_3_2_2_INT64 = [  # batch 3, seed np.asarray([7, 0], "int64")
    [0, 1, 0, 0, 1, 0.12734270095825195, -0.6773922443389893],
    [0, 0, 1, 0, 1, 0.844409704208374, -0.9154222011566162],
    [0, 0, 1, 0, 1, 0.14324569702148438, -0.22162818908691406],
]
OLD_SAMPLE_CONTINUOUS_2 = [  # batch 4, seed tf.constant([5, 6])
    [0.1880948543548584, -0.6528148651123047],
    [-0.7124722003936768, -0.7042145729064941],
    [-0.6150972843170166, 0.8923230171203613],
    [0.5835006237030029, 0.9852240085601807],
]
OLD_RANDOM_3_2_2 = [  # num 4, seed 3
    [1, 0, 0, 1, 0, -0.6508171558380127, -0.4498656094074249],
    [1, 0, 0, 1, 0, 0.016739584505558014, 0.6269890666007996],
    [0, 1, 0, 0, 1, 0.7612730860710144, -0.6139470934867859],
    [0, 0, 1, 0, 1, 0.023266829550266266, -0.7259976267814636],
]
OLD_RANDOM_CONTINUOUS_2 = [  # num 4, seed 3
    [-0.5021832585334778, 0.5251585841178894],
    [-0.755170464515686, 0.7189436554908752],
    [-0.6508171558380127, -0.4498656094074249],
    [0.016739584505558014, 0.6269890666007996],
]


def _float32(values):
    return np.asarray(values, "float64").astype("float32")


def test_sample_is_what_infogan_sample_codes_gave():
    spec = CodeSpec((3, 2), 2)
    np.testing.assert_array_equal(
        spec.sample(4, tf.constant([5, 6])).numpy(),
        _float32(OLD_SAMPLE_3_2_2))
    np.testing.assert_array_equal(
        spec.sample(3, np.asarray([7, 0], "int64")).numpy(),
        _float32(OLD_SAMPLE_3_2_2_INT64))
    np.testing.assert_array_equal(
        CodeSpec(continuous=2).sample(4, tf.constant([5, 6])).numpy(),
        _float32(OLD_SAMPLE_CONTINUOUS_2))
    categories = CodeSpec((10,)).sample(4, tf.constant([5, 6])).numpy()
    assert categories.argmax(axis=1).tolist() == [5, 4, 3, 4]


def test_random_is_what_train_lib_random_codes_gave():
    np.testing.assert_array_equal(CodeSpec((3, 2), 2).random(4, 3),
                                  _float32(OLD_RANDOM_3_2_2))
    np.testing.assert_array_equal(CodeSpec(continuous=2).random(4, 3),
                                  _float32(OLD_RANDOM_CONTINUOUS_2))
    categories = CodeSpec((10,)).random(4, 3)
    assert categories.argmax(axis=1).tolist() == [2, 2, 4, 7]
