"""What the doctor's rules read: a run's signals as columns over steps.

A `Timeline` is the history of a run as rows at training steps: one row
per epoch when read from history.csv (the epoch means, at the epoch's
last step), or one every N steps when the callback watches more closely
(the means since the previous row). The rules are pure functions of a
`Timeline`, so the live callback and `--mode=diagnose` reach the same
verdicts from the same numbers.

Example:

```python
timeline = Timeline.from_csv("runs/ring/history.csv", steps_per_epoch=500)
timeline.column("d_loss")        # float64 (rows,), NaN where not logged
timeline.steps                   # int64 (rows,): 500, 1000, ...
```
"""

import numpy as np

from keras_gans import history as history_lib

# Rows whose median is a column's "early value", the reference growth and
# falls are measured against: the first few, but never more than a
# quarter of what there is (the rest of the run is what is judged).
EARLY_ROWS = 3


class Timeline:
    """Rows of float signals at increasing training steps.

    Args:
        steps: the global training step of each row (1-based, as
            `callbacks.global_step.GlobalStep` counts).
        columns: {name: values, one per row}; missing or non-numeric
            values are NaN.
    """

    def __init__(self, steps=(), columns=None):
        self.steps = np.asarray(steps, dtype="int64").reshape(-1)
        self._columns = {}
        for name, values in (columns or {}).items():
            self._columns[name] = self._check(name, values)

    def _check(self, name, values):
        values = np.asarray(values, dtype="float64").reshape(-1)
        if len(values) != len(self.steps):
            raise ValueError(
                f"Column {name!r} has {len(values)} values for "
                f"{len(self.steps)} steps.")
        return values

    @classmethod
    def from_csv(cls, csv_path, steps_per_epoch):
        """The history CSV of a run (one row per epoch; the `epoch` column
        is 0-based, so row e ends at step (e + 1) * steps_per_epoch)."""
        header, values = history_lib.read_csv_values(csv_path)
        epochs = values[:, header.index("epoch")]
        steps = (epochs + 1) * int(steps_per_epoch)
        columns = {name: values[:, i] for i, name in enumerate(header)
                   if name != "epoch"}
        return cls(steps, columns)

    def __len__(self):
        return len(self.steps)

    @property
    def names(self):
        return sorted(self._columns)

    def column(self, name):
        """float64 (rows,), or None when the run never logged `name`."""
        return self._columns.get(name)

    def append(self, step, row):
        """Adds a row at `step`; `row` is {name: value} (values that are
        not one number become NaN; names new to the timeline get NaN in
        the earlier rows)."""
        self.steps = np.append(self.steps, int(step))
        for name in set(self._columns) | set(row):
            old = self._columns.get(name)
            if old is None:
                old = np.full(len(self.steps) - 1, np.nan)
            self._columns[name] = np.append(old, _as_float(row.get(name)))

    def early(self, name):
        """The median of the column's first finite values (`EARLY_ROWS`,
        at most a quarter of them), or NaN."""
        values = self.column(name)
        if values is None:
            return float("nan")
        finite = values[np.isfinite(values)]
        if not len(finite):
            return float("nan")
        count = max(1, min(EARLY_ROWS, len(finite) // 4))
        return float(np.median(finite[:count]))


def _as_float(value):
    try:
        value = float(np.asarray(value, dtype="float64").reshape(-1)[0])
    except (TypeError, ValueError, IndexError):
        return float("nan")  # a string, None, an empty array
    return value
