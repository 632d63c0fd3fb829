"""The input check shared by the feature-set metrics (private)."""

import numpy as np


def check_feature_pair(a, b, names=("features_a", "features_b")):
    """Two feature sets as arrays (N, D) and (M, D).

    Raises:
        ValueError: an input that is not 2-D, or different feature
            dimensions (the message names the arguments and shapes).
    """
    a, b = np.asarray(a), np.asarray(b)
    for name, value in zip(names, (a, b)):
        if value.ndim != 2:
            raise ValueError(
                f"`{name}` must be a 2-D array of shape (num_samples, "
                f"feature_dim). Received: {name}.shape={value.shape}"
            )
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"`{names[0]}` and `{names[1]}` must have the same feature "
            f"dimension. Received: {names[0]}.shape={a.shape}, "
            f"{names[1]}.shape={b.shape}"
        )
    return a, b
