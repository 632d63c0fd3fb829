"""Turns the parsed flags into one `TrainConfig`, and checks it at start-up.

Importing this module defines every flag of run.py (it imports the flag
modules) and registers one multi-flag validator that resolves the config, so
an impossible combination fails before any work, with a message naming the
flags (the config fields carry the flags' names).
"""

import dataclasses
import re

from absl import flags

from flags import conditioning_flags  # noqa: F401 (defines flags)
from flags import data_flags  # noqa: F401
from flags import eval_flags  # noqa: F401
from flags import export_flags  # noqa: F401
from flags import model_flags  # noqa: F401
from flags import network_flags  # noqa: F401
from flags import remedy_flags  # noqa: F401
from flags import train_flags  # noqa: F401
from keras_gans import config as config_lib

_RANGE_FLAGS = ("real_label_range", "fake_label_range")
CONFIG_FLAGS = tuple(
    f.name for f in dataclasses.fields(config_lib.TrainConfig)
)


def _parse_range(name, value):
    if value is None:
        return None
    try:
        low, high = (float(v) for v in value)
    except ValueError:
        raise flags.ValidationError(
            f"--{name} takes two numbers LOW,HIGH (e.g. 0.7,1.2). "
            f"Received: {name}={','.join(value)}"
        ) from None
    return (low, high)


def _parse_counts(name, value, what="category counts",
                  example="10 or 10,4"):
    try:
        return tuple(int(v) for v in value or ())
    except ValueError:
        raise flags.ValidationError(
            f"--{name} takes {what} separated by commas (e.g. {example}). "
            f"Received: {name}={','.join(value)}"
        ) from None


def to_config(values):
    """A `TrainConfig` from a dict of flag values (name -> value)."""
    kwargs = {name: values[name] for name in CONFIG_FLAGS if name in values}
    for name in _RANGE_FLAGS:
        kwargs[name] = _parse_range(name, kwargs.get(name))
    if "info_categorical" in kwargs:
        kwargs["info_categorical"] = _parse_counts(
            "info_categorical", kwargs["info_categorical"])
    kwargs["export_format"] = tuple(kwargs.get("export_format") or ())
    if kwargs.get("diff_augment") is not None:
        kwargs["diff_augment"] = tuple(kwargs["diff_augment"])
    for name in ("g_filters", "d_filters"):
        if kwargs.get(name) is not None:
            kwargs[name] = _parse_counts(name, kwargs[name], "widths",
                                         "512,256,128,64")
    return config_lib.TrainConfig(**kwargs)


def with_flag_names(message, flag_values=flags.FLAGS):
    """`message` with the flags' names in its "Received:" part.

    The library names its arguments (`image_size`); on the command line
    they are flags: "Received: image_size=48" -> "Received:
    --image_size=48". Names that are not flags are left as they are.
    """
    head, sep, received = message.rpartition("Received: ")
    if not sep:
        return message

    def flag(match):
        name = match.group(2)
        if name in flag_values:
            return f"{match.group(1)}--{name}="
        return match.group(0)

    received = re.sub(r"(^|, )([a-z][a-z0-9_]*)=", flag, received)
    return head + sep + received


# The message of the last failed config check (see `validation_error`).
_last_error = []


def validation_error():
    """The last config check's message alone, or None. absl reports a
    multi-flag validator's failure after a dump of every flag's value;
    `run.py` shows this one line instead."""
    return _last_error[-1] if _last_error else None


def _check(values):
    _last_error.clear()
    try:
        config_lib.resolve(to_config(values))
    except ValueError as e:
        _last_error.append(with_flag_names(str(e)))
        raise flags.ValidationError(_last_error[-1]) from None
    return True


flags.register_multi_flags_validator(
    [name for name in CONFIG_FLAGS if name in flags.FLAGS], _check
)


def config_from_flags(flag_values=flags.FLAGS):
    """The `TrainConfig` of the parsed flags."""
    return to_config({name: flag_values[name].value for name in flag_values})
