"""Tests for keras_gans.validation: the argument checks and their
messages."""

import numpy as np
import pytest

from keras_gans import validation


@pytest.mark.parametrize("value, expected", [
    (3, True), (0, True), (-2, True), (np.int64(3), True),
    (np.int32(3), True), (np.uint8(3), True),
    (True, False), (False, False), (np.bool_(True), False),
    (2.0, False), (np.float64(2.0), False), ("2", False), (None, False),
])
def test_is_int(value, expected):
    assert validation.is_int(value) is expected


@pytest.mark.parametrize("value", [1, 7, np.int64(7), np.int32(1)])
def test_check_int_returns_a_python_int(value):
    result = validation.check_int("batch_size", value)
    assert result == value and type(result) is int


@pytest.mark.parametrize("value", [True, False, 2.0, 1.5, "2", None,
                                   np.float32(2.0)])
def test_check_int_refuses_what_is_not_an_integer(value):
    with pytest.raises(ValueError,
                       match=r"^batch_size must be a positive integer\. "
                             r"Received: batch_size="):
        validation.check_int("batch_size", value)


@pytest.mark.parametrize("kwargs, value, expected", [
    (dict(), 0, "a positive integer"),
    (dict(minimum=0), -1, "a non-negative integer"),
    (dict(minimum=2), 1, "an integer >= 2"),
    (dict(minimum=None, maximum=3), 4, "an integer <= 3"),
    (dict(minimum=1, maximum=3), 4, r"an integer in \[1, 3\]"),
    (dict(minimum=None), 2.0, "an integer"),
])
def test_check_int_says_what_was_expected(kwargs, value, expected):
    with pytest.raises(ValueError,
                       match=rf"^n must be {expected}\. "
                             rf"Received: n={value!r}$"):
        validation.check_int("n", value, **kwargs)


def test_check_int_bounds_are_inclusive():
    assert validation.check_int("n", 1, minimum=1, maximum=3) == 1
    assert validation.check_int("n", 3, minimum=1, maximum=3) == 3
    assert validation.check_int("n", -5, minimum=None) == -5
    assert validation.check_int("n", 0, minimum=0) == 0


def test_check_int_none_and_what():
    assert validation.check_int("n", None, allow_none=True) is None
    with pytest.raises(ValueError, match="Received: n=None"):
        validation.check_int("n", None)
    with pytest.raises(
            ValueError,
            match=r"^every must be a non-negative integer \(0: never\)\. "
                  r"Received: every=-1$"):
        validation.check_int("every", -1, minimum=0, what="(0: never)")


@pytest.mark.parametrize("value", [16, 32, 64, 128, np.int64(64)])
def test_check_image_size_accepts_the_sizes(value):
    result = validation.check_image_size(value)
    assert result == value and type(result) is int


@pytest.mark.parametrize("value", [48, 256, 0, 32.0, True, "32", None])
def test_check_image_size_refuses_others(value):
    with pytest.raises(ValueError,
                       match=r"^image_size must be one of 16, 32, 64, 128\. "
                             rf"Received: image_size={value!r}$"):
        validation.check_image_size(value)


def test_check_image_size_other_sizes_and_names():
    assert validation.check_image_size(32, valid=(32, 64)) == 32
    with pytest.raises(ValueError,
                       match=r"^image_size of the procedural faces must be "
                             r"one of 32, 64\. Received: image_size=16$"):
        validation.check_image_size(16, valid=(32, 64),
                                    what="the procedural faces")
    with pytest.raises(ValueError, match=r"^side must be one of 16, 32, 64, "
                                         r"128\. Received: side=8$"):
        validation.check_image_size(8, name="side")


def test_check_choice():
    validation.check_choice("loss", "hinge", ("hinge", "wasserstein"))
    validation.check_choice("loss", "hinge", {"hinge": 1})
    with pytest.raises(ValueError,
                       match=r"^Unknown loss\. Valid names: 'hinge', "
                             r"'wasserstein'\. Received: loss='foo'$"):
        validation.check_choice("loss", "foo", ("hinge", "wasserstein"))


@pytest.mark.parametrize("value, kwargs, expected", [
    (-1.0, dict(low=0.0), r"a number >= 0"),
    (1.0, dict(low=0.0, high=1.0, high_open=True), r"a number in \[0, 1\)"),
    (0.0, dict(low=0.0, low_open=True), r"a number > 0"),
    (float("nan"), dict(), r"a finite number"),
    (float("inf"), dict(low=0.0), r"a number >= 0"),
    (True, dict(), r"a finite number"),
    ("0.5", dict(), r"a finite number"),
    (None, dict(), r"a finite number"),
])
def test_check_number_refuses(value, kwargs, expected):
    with pytest.raises(ValueError, match=rf"^beta_1 must be {expected}\. "
                                         rf"Received: beta_1="):
        validation.check_number("beta_1", value, **kwargs)


def test_check_number_accepts():
    assert validation.check_number("x", 0, low=0.0) == 0.0
    assert validation.check_number("x", 0.999, low=0.0, high=1.0,
                                   high_open=True) == 0.999
    assert validation.check_number("x", np.float32(2.5)) == 2.5
    assert validation.check_number("x", None, allow_none=True) is None
    with pytest.raises(ValueError, match=r"\(a loss weight\)\. Received"):
        validation.check_number("x", -1, low=0.0, what="(a loss weight)")
