"""Tests for keras_gans.metrics.classification."""

import math

import numpy as np
import pytest

from keras_gans.datasets.labels import Attribute
from keras_gans.datasets.labels import LabelSpec
from keras_gans.metrics.classification import class_histogram
from keras_gans.metrics.classification import distinct_classes
from keras_gans.metrics.classification import per_class_accuracy
from keras_gans.metrics.classification import predict_labels
from keras_gans.metrics.classification import requested_accuracy

CLASSES = LabelSpec.for_classes(["cat", "dog", "bird"])
CLASS_SCORES = np.array([
    [0.7, 0.2, 0.1],  # cat
    [0.1, 0.8, 0.1],  # dog
    [0.5, 0.4, 0.1],  # cat
    [0.2, 0.3, 0.5],  # bird
])
CLASS_REQUESTED = np.array([0, 1, 1, 0])  # Nobody asks for a bird.

# Columns: hair (blue, red, green) | glasses | eyes (brown, gray).
FACES = LabelSpec.for_attributes([
    Attribute("hair", ("blue", "red", "green")),
    Attribute("glasses"),
    Attribute("eyes", ("brown", "gray")),
])
FACE_SCORES = np.array([
    [0.8, 0.1, 0.1, 0.9, 0.6, 0.4],  # blue hair, glasses, brown eyes
    [0.1, 0.7, 0.2, 0.2, 0.3, 0.7],  # red hair, gray eyes
    [0.6, 0.3, 0.1, 0.5, 0.9, 0.1],  # blue hair, glasses (0.5), brown
    [0.2, 0.7, 0.1, 0.1, 0.2, 0.8],  # red hair, gray eyes
])
FACE_REQUESTED = np.array([
    [0, 1, 0],  # all right
    [1, 0, 1],  # all right
    [1, 1, 0],  # hair wrong (blue seen, red asked)
    [2, 1, 0],  # all wrong
])

# The iCLEVR-style objects task: any subset of the labels per image.
OBJECTS = LabelSpec.for_multi_hot(
    ["gray cube", "red cube", "blue sphere", "green cylinder",
     "cyan sphere"])
OBJECT_SCORES = np.array([
    [0.9, 0.2, 0.45, 0.1, 0.0],
    [0.1, 0.2, 0.3, 0.9, 0.4],
    [0.6, 0.7, 0.1, 0.3, 0.65],
    [0.1, 0.1, 0.1, 0.1, 0.1],
])
OBJECT_REQUESTED = np.array([
    [1, 1, 0, 0, 0],  # k=2; top-2 = {0, 2}: 1 of 2 requested found
    [0, 0, 0, 1, 0],  # k=1; top-1 = {3}: 1 of 1
    [1, 0, 1, 0, 1],  # k=3; top-3 = {1, 4, 0}: 2 of 3 (label 2 missed)
    [0, 0, 0, 0, 0],  # k=0: left out
], dtype="float32")


def test_predict_labels():
    np.testing.assert_array_equal(
        predict_labels(CLASS_SCORES, CLASSES), [0, 1, 0, 2])
    np.testing.assert_array_equal(
        predict_labels(FACE_SCORES, FACES),
        [[0, 1, 0], [1, 0, 1], [0, 1, 0], [1, 0, 1]])
    np.testing.assert_array_equal(
        predict_labels(OBJECT_SCORES, OBJECTS),
        [[1, 0, 0, 0, 0], [0, 0, 0, 1, 0], [1, 1, 0, 0, 1],
         [0, 0, 0, 0, 0]])
    for spec, scores in ((CLASSES, CLASS_SCORES), (FACES, FACE_SCORES),
                         (OBJECTS, OBJECT_SCORES)):
        labels = predict_labels(scores, spec)
        assert labels.dtype == spec.dtype
        assert labels.shape == (len(scores),) + spec.shape


def test_predictions_of_encoded_labels_are_the_labels():
    # `LabelSpec.encode` is a perfect evaluator's output.
    cases = (
        (CLASSES, np.array([2, 0, 1], "int32")),
        (FACES, np.array([[2, 0, 1], [0, 1, 0]], "int32")),
        (OBJECTS, np.array([[0, 1, 1, 0, 1], [1, 0, 0, 0, 0]], "float32")),
    )
    for spec, labels in cases:
        scores = spec.encode(labels).numpy()
        np.testing.assert_array_equal(predict_labels(scores, spec), labels)
        result = requested_accuracy(scores, labels, spec)
        assert result["accuracy"] == 1.0


def test_class_accuracy():
    assert requested_accuracy(CLASS_SCORES, CLASS_REQUESTED, CLASSES) == {
        "accuracy": 0.5}
    rows = per_class_accuracy(CLASS_SCORES, CLASS_REQUESTED, CLASSES)
    assert [(tag, count) for tag, _, count in rows] == [
        ("cat", 2), ("dog", 2), ("bird", 0)]
    assert [accuracy for _, accuracy, _ in rows[:2]] == [0.5, 0.5]
    assert math.isnan(rows[2][1])


def test_attribute_accuracy():
    result = requested_accuracy(FACE_SCORES, FACE_REQUESTED, FACES)
    assert result == pytest.approx({
        "accuracy": 8 / 12,
        "all_correct": 0.5,
        "categorical_correct": 0.5,
        "accuracy/hair": 0.5,
        "accuracy/glasses": 0.75,
        "accuracy/eyes": 0.75,
    })
    rows = per_class_accuracy(FACE_SCORES, FACE_REQUESTED, FACES)
    expected = [
        ("blue hair", 1.0, 1),
        ("red hair", 0.5, 2),
        ("green hair", 0.0, 1),
        ("glasses", 2 / 3, 3),
        ("no glasses", 1.0, 1),
        ("brown eyes", 2 / 3, 3),
        ("gray eyes", 1.0, 1),
    ]
    assert [(tag, count) for tag, _, count in rows] == [
        (tag, count) for tag, _, count in expected]
    np.testing.assert_allclose([a for _, a, _ in rows],
                               [a for _, a, _ in expected])


def test_categorical_correct_ignores_binary_attributes():
    # Image 0 shows blue hair, glasses, brown eyes; asked without glasses,
    # its hair and eyes are right and the image is not all correct.
    result = requested_accuracy(FACE_SCORES[:1], [[0, 0, 0]], FACES)
    assert result["categorical_correct"] == 1.0
    assert result["all_correct"] == 0.0
    binary_only = LabelSpec.for_attributes([Attribute("glasses")])
    assert "categorical_correct" not in requested_accuracy(
        [[0.9]], [[1]], binary_only)


def test_multi_hot_top_k_rule():
    # Worked example (see OBJECT_REQUESTED): found 1 + 1 + 2 = 4 of the
    # 2 + 1 + 3 = 6 requested labels, the iCLEVR evaluator's accuracy.
    # Per image: (1/2 + 1 + 2/3) / 3. The empty request is left out, and
    # the top-k rule ignores the 0.5 threshold (label 2 of image 0 is in
    # its top 2 with 0.45).
    result = requested_accuracy(OBJECT_SCORES, OBJECT_REQUESTED, OBJECTS)
    assert result == pytest.approx({
        "accuracy": 4 / 6,
        "image_accuracy": (1 / 2 + 1 + 2 / 3) / 3,
        "all_correct": 1 / 3,
    })
    rows = per_class_accuracy(OBJECT_SCORES, OBJECT_REQUESTED, OBJECTS)
    assert rows == [
        ("gray cube", 1.0, 2),  # In the top k of images 0 and 2.
        ("red cube", 0.0, 1),  # Image 0's top 2 is gray cube, blue sphere.
        ("blue sphere", 0.0, 1),  # Image 2 scores it lowest.
        ("green cylinder", 1.0, 1),
        ("cyan sphere", 1.0, 1),
    ]


def test_multi_hot_ties_go_to_the_lower_index():
    scores = np.array([[0.5, 0.5, 0.5, 0.5, 0.5]])
    asked_first = np.array([[1, 0, 0, 0, 0]])
    asked_last = np.array([[0, 0, 0, 0, 1]])
    assert requested_accuracy(scores, asked_first, OBJECTS)["accuracy"] == 1
    assert requested_accuracy(scores, asked_last, OBJECTS)["accuracy"] == 0


def test_multi_hot_all_empty_requests():
    with pytest.raises(ValueError, match="No image asks for any label"):
        requested_accuracy(OBJECT_SCORES, np.zeros((4, 5)), OBJECTS)


def test_distinct_classes():
    assert distinct_classes(CLASS_SCORES, CLASSES) == {
        "distinct_classes": 3, "num_classes": 3}
    assert distinct_classes(CLASS_SCORES[:3], CLASSES) == {
        "distinct_classes": 2, "num_classes": 3}
    # Predicted: hair blue, red, blue, red; eyes brown, gray, brown, gray;
    # so two (hair, eyes) combinations out of 3 * 2.
    assert distinct_classes(FACE_SCORES, FACES) == {
        "distinct/hair": 2, "num_values/hair": 3,
        "distinct/eyes": 2, "num_values/eyes": 2,
        "distinct_combinations": 2, "num_combinations": 6,
    }
    # Present (>= 0.5): {0}, {3}, {0, 1, 4}, {} -> 4 of 5 labels.
    assert distinct_classes(OBJECT_SCORES, OBJECTS) == {
        "distinct_classes": 4, "num_classes": 5}


def test_class_histogram():
    assert class_histogram(CLASS_SCORES, CLASSES) == [
        ("cat", 0.5), ("dog", 0.25), ("bird", 0.25)]
    assert class_histogram(FACE_SCORES, FACES) == [
        ("blue hair", 0.5), ("red hair", 0.5), ("green hair", 0.0),
        ("glasses", 0.5), ("brown eyes", 0.5), ("gray eyes", 0.5)]
    assert class_histogram(OBJECT_SCORES, OBJECTS) == [
        ("gray cube", 0.5), ("red cube", 0.25), ("blue sphere", 0.0),
        ("green cylinder", 0.25), ("cyan sphere", 0.25)]


SPECS = {"class": (CLASSES, CLASS_SCORES, CLASS_REQUESTED),
         "attributes": (FACES, FACE_SCORES, FACE_REQUESTED),
         "multi_hot": (OBJECTS, OBJECT_SCORES, OBJECT_REQUESTED)}


@pytest.mark.parametrize("kind", sorted(SPECS))
@pytest.mark.parametrize("function", [
    predict_labels, distinct_classes, class_histogram])
def test_bad_scores(kind, function):
    spec, scores, _ = SPECS[kind]
    for bad in (scores[:, :-1], scores[0], scores[:0]):
        with pytest.raises(ValueError, match="Received: scores.shape"):
            function(bad, spec)


@pytest.mark.parametrize("kind", sorted(SPECS))
@pytest.mark.parametrize("function", [
    requested_accuracy, per_class_accuracy])
def test_bad_requested(kind, function):
    spec, scores, requested = SPECS[kind]
    with pytest.raises(ValueError, match="Received: requested.shape"):
        function(scores, requested[:-1], spec)
    with pytest.raises(ValueError, match="Received: scores.shape"):
        function(scores[:, :-1], requested, spec)


@pytest.mark.parametrize("spec,requested", [
    (CLASSES, [0, 1, 3, 0]),  # Class 3 of 3.
    (CLASSES, [0, 1, -1, 0]),
    (FACES, [[0, 1, 0], [1, 2, 1], [1, 1, 0], [2, 1, 0]]),  # Binary 2.
    (FACES, [[0, 1, 0], [1, 0, 1], [1, 1, 0], [2, 1, 2]]),  # 2 of 2 eyes.
])
def test_requested_index_out_of_range(spec, requested):
    scores = CLASS_SCORES if spec is CLASSES else FACE_SCORES
    with pytest.raises(ValueError, match="not label indices"):
        requested_accuracy(scores, requested, spec)
