"""The argument checks every part of the library shares.

Each check raises a ValueError that names the argument (as the Python API
spells it: `image_size`, not the flag `--image_size`), says what was
expected, and ends with "Received: name=value". `run.py` adds the flag's
name when it reports one of these errors.
"""

import math
import numbers

# Image sides the DCGAN networks build for (a 4x4 start, doubled per block)
# and so the sides every real loader resizes to.
IMAGE_SIZES = (16, 32, 64, 128)


def _refuse(name, value, expected, what=None):
    """Raises "<name> must be <expected> <what>. Received: name=value"."""
    note = f" {what}" if what else ""
    raise ValueError(
        f"{name} must be {expected}{note}. Received: {name}={value!r}"
    )


def check_choice(name, value, valid):
    """Raises ValueError listing `valid` unless `value` is one of them.

    Args:
        name: the argument's name, e.g. "loss".
        value: what was received.
        valid: the accepted values (a dict's keys work).

    Raises:
        ValueError: "Unknown loss. Valid names: 'hinge', ... Received:
            loss='foo'".
    """
    if value not in valid:
        names = ", ".join(repr(v) for v in valid)
        raise ValueError(
            f"Unknown {name}. Valid names: {names}. "
            f"Received: {name}={value!r}"
        )


def is_int(value):
    """True for Python and numpy integers; False for bools and floats
    (also 2.0: a float that happens to be whole is still a float)."""
    return isinstance(value, numbers.Integral) and not isinstance(
        value, bool)


def check_int(name, value, minimum=1, maximum=None, allow_none=False,
              what=None):
    """Returns `value` as a Python int, or raises ValueError.

    Args:
        name: the argument's name, e.g. "batch_size".
        value: what was received. Bools and floats (also 2.0) are refused.
        minimum: the smallest accepted value (None: no bound).
        maximum: the largest accepted value (None: no bound).
        allow_none: accept None (returned as None).
        what: optional words on what the argument does, put after the
            expectation ("(0: no evaluation during training)").

    Returns:
        int(value), or None when `allow_none` and value is None.

    Raises:
        ValueError: "batch_size must be an integer >= 1. Received:
            batch_size=0".
    """
    if value is None and allow_none:
        return None
    ok = is_int(value) and (minimum is None or value >= minimum) and (
        maximum is None or value <= maximum)
    if not ok:
        if minimum is not None and maximum is not None:
            expected = f"an integer in [{minimum}, {maximum}]"
        elif minimum == 1:
            expected = "a positive integer"
        elif minimum == 0:
            expected = "a non-negative integer"
        elif minimum is not None:
            expected = f"an integer >= {minimum}"
        elif maximum is not None:
            expected = f"an integer <= {maximum}"
        else:
            expected = "an integer"
        _refuse(name, value, expected, what)
    return int(value)


def check_image_size(image_size, valid=IMAGE_SIZES, what=None,
                     name="image_size"):
    """Returns `image_size` as an int, or raises ValueError.

    Args:
        image_size: the requested image side.
        valid: the accepted sides (default `IMAGE_SIZES`).
        what: optional words on what is being sized, e.g. "the procedural
            faces" ("image_size of the procedural faces must be ...").
        name: the argument's name.

    Raises:
        ValueError: "image_size must be one of 16, 32, 64, 128. Received:
            image_size=48".
    """
    if not is_int(image_size) or image_size not in valid:
        of = f" of {what}" if what else ""
        raise ValueError(
            f"{name}{of} must be one of {', '.join(map(str, valid))}. "
            f"Received: {name}={image_size!r}"
        )
    return int(image_size)


def check_number(name, value, low=None, high=None, low_open=False,
                 high_open=False, allow_none=False, what=None):
    """Returns `value` as a float, or raises ValueError.

    Args:
        name: the argument's name, e.g. "beta_1".
        value: what was received: an int or float (not a bool), finite.
        low, high: the bounds (None: unbounded on that side).
        low_open, high_open: exclude the bound itself (beta_1 in [0, 1)).
        allow_none: accept None (returned as None).
        what: optional words on what the argument does, put after the
            expectation.

    Raises:
        ValueError: "beta_1 must be a number in [0, 1). Received:
            beta_1=1.0".
    """
    if value is None and allow_none:
        return None
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if ok:
        value = float(value)
        ok = math.isfinite(value) and (
            low is None or (value > low if low_open else value >= low)) and (
            high is None or (value < high if high_open else value <= high))
    if not ok:
        if low is not None and high is not None:
            expected = (f"a number in {'(' if low_open else '['}{low:g}, "
                        f"{high:g}{')' if high_open else ']'}")
        elif low is not None:
            expected = f"a number {'>' if low_open else '>='} {low:g}"
        elif high is not None:
            expected = f"a number {'<' if high_open else '<='} {high:g}"
        else:
            expected = "a finite number"
        _refuse(name, value, expected, what)
    return value
