"""The one check behind every "unknown name" error of the library."""


def check_choice(name, value, valid):
    """Raises ValueError listing `valid` unless `value` is one of them.

    Args:
        name: the argument's (and flag's) name, e.g. "loss".
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
