"""The graded score of multi-label generation: the evaluator's top-k
accuracy on fixed condition sets.

The multi-object course (iCLEVR) grades a conditional generator this way:
for each condition of a fixed set (`test.json`, `new_test.json`: lists of
2-3 object names), generate one image; a learned evaluator scores the 24
labels; with k the number of objects asked for, count the asked-for labels
among the image's k highest scores; the accuracy is the count summed over
the set divided by the number of objects asked for
(`metrics.classification.requested_accuracy`'s "accuracy"). The reference
report reached 0.65278 on `test` and 0.76190 on `new_test`.

One image per condition makes the score depend on the noise drawn: here
each condition is generated `draws` times (noise seeds `seed`, `seed + 1`,
...) and the report gives the mean accuracy over the draws with their
spread (std, min, max), so two runs can be told apart from noise.

Example:

```python
sets = graded.condition_sets(spec)            # shapes: test, new_test
scores = graded.graded_accuracy(sample_for, evaluator, sets)
scores["test"]["accuracy"], scores["test"]["std"]
```
"""

import os

import numpy as np

from keras_gans import samplers
from keras_gans import validation
from keras_gans.metrics import classification

# Noise draws per condition: the std of the mean over 32 conditions and
# 10 draws is about a third of one draw's.
DEFAULT_DRAWS = 10


def condition_sets(spec, data_dir=None, condition_file=None):
    """The graded condition sets of a multi-hot dataset.

    Args:
        spec: the run's `DataSpec` (its `label_spec` must be "multi_hot").
        data_dir: the run's data folder: an iCLEVR folder's `test.json`
            and `new_test.json` (dataset "iclevr"); None: the embedded
            shapes' sets. Other folders have no fixed sets.
        condition_file: None, or a JSON list of object-name lists (the
            iCLEVR format) scored as one more set, named by its file stem.

    Returns:
        {set name: float32 multi-hot array (N, labels)}; empty when the
        data have no fixed sets and no file is given.

    Raises:
        ValueError: labels that are not multi-hot, or a bad condition file
            (the message names it).
    """
    label_spec = spec.label_spec
    if label_spec is None or label_spec.kind != "multi_hot":
        if condition_file is None:
            return {}
        raise ValueError(
            "condition_file lists multi-label conditions (object names, "
            "the iCLEVR format) to grade a multi-label generator; dataset "
            f"{spec.name!r} has "
            + ("no labels" if label_spec is None else
               f"{label_spec.kind} labels")
            + f". Received: condition_file={condition_file!r}")
    sets = {}
    if data_dir is None and spec.name == "shapes":
        from keras_gans.datasets import shapes

        sets = {name: shapes.condition_set(name)
                for name in shapes.CONDITION_SETS}
    elif spec.name == "iclevr" and data_dir is not None:
        from keras_gans.datasets import iclevr

        sets = iclevr.condition_sets(data_dir)
    if condition_file is not None:
        from keras_gans.datasets import iclevr

        name = os.path.splitext(os.path.basename(condition_file))[0]
        sets[name] = iclevr.read_condition_file(condition_file, label_spec)
    return sets


def graded_accuracy(sample_for, evaluator, sets, draws=DEFAULT_DRAWS,
                    seed=0):
    """The top-k accuracy of each condition set, over `draws` noise draws.

    Args:
        sample_for: `sample_for(conditions) -> Sampler`: a sampler that
            generates for exactly these conditions, in order
            (`samplers.generator_sampler` with a fixed `condition_fn`).
        evaluator: the `evaluators.Evaluator` that scores the images.
        sets: {name: multi-hot conditions (N, labels)}.
        draws: noise draws per condition (>= 1).
        seed: the first draw's noise seed.

    Returns:
        {name: {"accuracy": mean over draws, "std", "min", "max",
        "draws", "conditions"}}.
    """
    draws = validation.check_int("condition_draws", draws)
    out = {}
    for name, conditions in sets.items():
        conditions = np.asarray(conditions, "float32")
        sampler = sample_for(conditions)
        values = []
        for draw in range(draws):
            images, _ = sampler.sample(len(conditions), seed + draw)
            scores = evaluator.scores(samplers.as_float_images(images))
            values.append(classification.requested_accuracy(
                scores, conditions, evaluator.label_spec)["accuracy"])
        values = np.asarray(values)
        out[name] = {"accuracy": float(values.mean()),
                     "std": float(values.std()),
                     "min": float(values.min()), "max": float(values.max()),
                     "draws": draws, "conditions": len(conditions)}
    return out


def table_lines(graded):
    """Markdown table rows of `graded_accuracy`'s result."""
    lines = ["| condition set | conditions | draws | accuracy (mean) | std "
             "| min - max |", "|---|---|---|---|---|---|"]
    for name, g in graded.items():
        lines.append(
            f"| {name} | {g['conditions']} | {g['draws']} | "
            f"{g['accuracy']:.4f} | {g['std']:.4f} | {g['min']:.4f} - "
            f"{g['max']:.4f} |")
    return lines
