"""Code specifications: the layout of InfoGAN's latent codes.

An InfoGAN generator reads, beside its noise z, a code vector c of shape
(batch, code_dim): each categorical code one-hot over its categories, then
the continuous codes (uniform in [-1, 1] in training). One `CodeSpec` says
how many codes of each kind there are; the model (`InfoGAN`), the sample
grids, the export (its `codes` input and metadata) and the samplers of
exported generators all read it, so the layout has one home.

Example:

```python
spec = CodeSpec(categorical=(10,), continuous=2)
spec.code_dim                             # 12
spec.encode(categories=[[3]], continuous=[[0.5, -1.0]])  # (1, 12) float32
spec.sample(64, tf.constant([0, 1]))      # (64, 12) tf.float32, stateless
spec.random(64, seed=0)                   # (64, 12) numpy float32
CodeSpec.from_dict(metadata["codes"])     # from an export's keras_gans.json
```
"""

import dataclasses

import numpy as np
import tensorflow as tf

from keras_gans import validation

# The range the continuous codes are drawn from in training.
CONTINUOUS_RANGE = (-1.0, 1.0)
# Keys of the export metadata's "codes" dict beside `to_dict()`'s.
METADATA_KEYS = ("code_dim", "layout", "format")


def _counts(categorical, continuous, received):
    """(category counts as a tuple of ints, continuous count as an int),
    or the one ValueError of an impossible code layout."""
    try:
        categorical = tuple(categorical)
        ok = all(validation.is_int(k) for k in categorical) and (
            validation.is_int(continuous))
    except TypeError:  # not a sequence of counts
        ok = False
    if ok:
        categorical = tuple(int(k) for k in categorical)
        continuous = int(continuous)
        ok = all(k >= 2 for k in categorical) and continuous >= 0 and (
            sum(categorical) + continuous > 0)
    if not ok:
        raise ValueError(
            "InfoGAN needs at least one code: categorical codes of 2 or "
            "more categories and/or continuous codes >= 1 (integers). "
            f"Received: {received}"
        )
    return categorical, continuous


@dataclasses.dataclass(frozen=True)
class CodeSpec:
    """InfoGAN's codes: how many, of which kind, in which columns.

    Columns: categorical code i takes `categorical[i]` one-hot columns, in
    order, then each continuous code one column.

    Attributes:
        categorical: tuple of ints >= 2, the category count of each
            categorical code, e.g. (10,) (MNIST digits).
        continuous: int >= 0, how many continuous codes.

    Raises:
        ValueError: no code at all, a count that is not an integer (bools
            and floats are refused), a categorical code of fewer than 2
            categories or a negative continuous count.
    """

    categorical: tuple = ()
    continuous: int = 0

    def __post_init__(self):
        categorical, continuous = _counts(
            self.categorical, self.continuous,
            f"categorical={self.categorical!r}, "
            f"continuous={self.continuous!r}")
        object.__setattr__(self, "categorical", categorical)
        object.__setattr__(self, "continuous", continuous)

    @classmethod
    def from_counts(cls, categorical, continuous,
                    names=("categorical", "continuous")):
        """A CodeSpec whose error names the caller's arguments.

        Args:
            categorical: the category counts (any sequence).
            continuous: the continuous count.
            names: the two arguments' names, for the error message (e.g.
                `("categorical_codes", "continuous_codes")`).

        Raises:
            ValueError: as the constructor, "Received: <names[0]>=...,
                <names[1]>=...".
        """
        categorical, continuous = _counts(
            categorical, continuous,
            f"{names[0]}={categorical!r}, {names[1]}={continuous!r}")
        return cls(categorical, continuous)

    @property
    def code_dim(self):
        """Columns of a code vector: sum(categorical) + continuous."""
        return sum(self.categorical) + self.continuous

    def layout(self):
        """Which columns are which code (the export metadata's "layout").

        Returns:
            A list of dicts, one per code in column order: `name`
            ("categorical0", ..., "continuous0", ...), `kind`
            ("categorical" or "continuous"), `start` and `width` (its
            columns), and `categories` (categorical) or `range` ([-1.0,
            1.0], continuous).
        """
        layout, start = [], 0
        for i, k in enumerate(self.categorical):
            layout.append({"name": f"categorical{i}", "kind": "categorical",
                           "start": start, "width": k, "categories": k})
            start += k
        for j in range(self.continuous):
            layout.append({"name": f"continuous{j}", "kind": "continuous",
                           "start": start, "width": 1,
                           "range": list(CONTINUOUS_RANGE)})
            start += 1
        return layout

    @property
    def format(self):
        """The human description of a code batch ("float32 (batch, 12):
        columns 0-9: categorical code 0, one-hot over 10 categories;
        ...")."""
        parts, start = [], 0
        for i, k in enumerate(self.categorical):
            parts.append(
                f"columns {start}-{start + k - 1}: categorical code {i}, "
                f"one-hot over {k} categories")
            start += k
        continuous = self.continuous
        if continuous:
            last = start + continuous - 1
            where = (f"column {start}" if continuous == 1
                     else f"columns {start}-{last}")
            parts.append(
                f"{where}: continuous code{'s' if continuous > 1 else ''} "
                f"{', '.join(str(j) for j in range(continuous))}, uniform "
                "in [-1, 1] in training (values outside extrapolate)")
        return f"float32 (batch, {self.code_dim}): " + "; ".join(parts)

    def to_dict(self):
        """`{"categorical": [...], "continuous": n}` (JSON-serializable)."""
        return {"categorical": list(self.categorical),
                "continuous": self.continuous}

    @classmethod
    def from_dict(cls, code_spec, name="code_spec"):
        """A CodeSpec from `to_dict()`'s dict (or a CodeSpec, returned).

        Also reads an export's `metadata["codes"]`, whose `code_dim`,
        `layout` and `format` keys are checked (`code_dim`) or skipped.

        Args:
            code_spec: a CodeSpec, or a dict with the optional keys
                "categorical" (a list of category counts, default []) and
                "continuous" (how many continuous codes, default 0).
            name: the argument's name, for the error messages.

        Raises:
            ValueError: anything else: not a dict, another key, or counts
                the constructor refuses (the message names `name`).
        """
        if isinstance(code_spec, CodeSpec):
            return code_spec
        keys = {"categorical", "continuous"}
        if not isinstance(code_spec, dict) or set(code_spec) - keys - set(
                METADATA_KEYS):
            raise ValueError(
                f"{name} must be a CodeSpec or a dict with keys "
                "'categorical' (a list of category counts) and "
                "'continuous' (how many continuous codes), e.g. "
                "{'categorical': [10], 'continuous': 2}. "
                f"Received: {name}={code_spec!r}"
            )
        received = f"{name}={code_spec!r}"
        spec = cls(*_counts(code_spec.get("categorical", ()),
                            code_spec.get("continuous", 0), received))
        if "code_dim" in code_spec and code_spec["code_dim"] != (
                spec.code_dim):
            raise ValueError(
                f"{name}'s code_dim does not match its codes "
                f"({spec.code_dim} columns). Received: {received}"
            )
        return spec

    def encode(self, categories=None, continuous=None, num=None):
        """Code vectors from their values (numpy), e.g. for traversals.

        Args:
            categories: ints of shape (num, len(categorical)), each code's
                category, or None (all 0).
            continuous: floats of shape (num, continuous), or None (all 0).
            num: rows, when both are None.

        Returns:
            float32 of shape (num, code_dim).
        """
        if num is None:
            num = len(categories if categories is not None else continuous)
        categories = np.zeros((num, len(self.categorical)), "int64") \
            if categories is None else np.asarray(categories)
        continuous = np.zeros((num, self.continuous), "float32") \
            if continuous is None else np.asarray(continuous, "float32")
        parts = [np.eye(k, dtype="float32")[categories[:, i]]
                 for i, k in enumerate(self.categorical)]
        parts.append(continuous.reshape(num, self.continuous))
        return np.concatenate(parts, axis=1)

    def sample(self, batch_size, seed):
        """Random codes from a stateless seed (TensorFlow, in graphs too).

        Each categorical code uniform over its categories (one-hot), then
        the continuous codes uniform in [-1, 1].

        Args:
            batch_size: rows (int or scalar int tensor).
            seed: stateless seed, int tensor of shape (2,).

        Returns:
            tf.float32 of shape (batch_size, code_dim).
        """
        seeds = tf.unstack(tf.random.experimental.stateless_split(
            seed, len(self.categorical) + 1))
        parts = [
            tf.one_hot(tf.random.stateless_uniform(
                [batch_size], s, minval=0, maxval=k, dtype="int32"), k)
            for k, s in zip(self.categorical, seeds)
        ]
        if self.continuous:
            parts.append(tf.random.stateless_uniform(
                [batch_size, self.continuous], seeds[-1],
                minval=CONTINUOUS_RANGE[0], maxval=CONTINUOUS_RANGE[1]))
        return tf.concat(parts, axis=1)

    def random(self, num, seed):
        """Random codes from numpy (e.g. the input of an exported
        generator): uniform categories one-hot, then U[-1, 1].

        Args:
            num: rows.
            seed: int seed.

        Returns:
            float32 of shape (num, code_dim).
        """
        rng = np.random.default_rng([seed, 17])
        parts = [np.eye(k, dtype="float32")[rng.integers(0, k, num)]
                 for k in self.categorical]
        parts.append(rng.uniform(*CONTINUOUS_RANGE, (num, self.continuous))
                     .astype("float32"))
        return np.concatenate(parts, axis=1)
