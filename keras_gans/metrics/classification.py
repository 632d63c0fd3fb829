"""Scores of a learned evaluator on generated images against their labels.

A conditional generator is asked for labels (`requested`, in a
`LabelSpec`'s format); an evaluator network trained on the real data
reads the generated images and returns `scores` of shape
`(N, label_spec.encoded_dim)`, in the column layout of `LabelSpec.encode`:

- `"class"`: softmax probabilities over the K classes.
- `"attributes"`: per attribute, in order, softmax probabilities over a
  categorical attribute's values, or one sigmoid probability that a binary
  attribute is present.
- `"multi_hot"`: one sigmoid probability per label.

Only the ranking of the columns within a block matters for the argmax and
top-k rules below, so logits work there too; the 0.5 thresholds of binary
and multi-hot columns need probabilities.

Multi-hot accuracy follows the rule of the iCLEVR evaluator used with the
24-label shapes task: for an image asking for k labels, take the
evaluator's k highest-scoring labels and count how many were asked for.

Example:

```python
from keras_gans.datasets.labels import Attribute, LabelSpec
from keras_gans.metrics import classification

spec = LabelSpec.for_attributes([
    Attribute("hair", ("blue", "red")), Attribute("glasses")])
scores = [[0.9, 0.1, 0.8],    # blue hair, glasses
          [0.3, 0.7, 0.2]]    # red hair, no glasses
classification.predict_labels(scores, spec)   # [[0, 1], [1, 0]]
classification.requested_accuracy(scores, [[0, 1], [0, 0]], spec)
# {'accuracy': 0.75, 'all_correct': 0.5, 'accuracy/hair': 0.5,
#  'accuracy/glasses': 1.0}
```

Reference:
    - [Odena et al., 2017](https://arxiv.org/abs/1610.09585) (scoring
      conditional samples with a pre-trained classifier)
"""

import numpy as np


def _check_scores(scores, label_spec):
    """`scores` as a float64 array of shape `(N, encoded_dim)`, N > 0."""
    scores = np.asarray(scores, dtype="float64")
    width = label_spec.encoded_dim
    if scores.ndim != 2 or scores.shape[1] != width or len(scores) == 0:
        raise ValueError(
            f"`scores` must have shape (N, {width}) with N > 0: one column "
            f"per column of the {label_spec.kind!r} label encoding. "
            f"Received: scores.shape={scores.shape}"
        )
    return scores


def _check_requested(requested, scores, label_spec):
    """`requested` checked against the spec and the number of images."""
    requested = np.asarray(requested)
    shape = (len(scores),) + tuple(label_spec.shape)
    if requested.shape != shape:
        raise ValueError(
            f"`requested` must have shape {shape}: one "
            f"{label_spec.kind!r} label per row of `scores`. "
            f"Received: requested.shape={requested.shape}"
        )
    if label_spec.kind == "multi_hot":
        return requested > 0.5
    if label_spec.kind == "class":
        bounds = np.array([len(label_spec.names)])
        columns = requested[:, None]
    else:
        # A binary attribute takes the values 0 and 1.
        bounds = np.array([len(a.values) or 2
                           for a in label_spec.attributes])
        columns = requested
    if np.any(columns != np.round(columns)) or np.any(
            (columns < 0) | (columns >= bounds)):
        raise ValueError(
            "`requested` holds values that are not label indices: each "
            "column must hold integers in [0, n) with n = "
            f"{bounds.tolist()}. Received values in "
            f"[{columns.min()}, {columns.max()}]"
        )
    return requested.astype("int64")


def _blocks(label_spec):
    """(attribute, start column) for each attribute of the encoding."""
    return [(attribute, start) for attribute, (start, _, _) in
            zip(label_spec.attributes, label_spec.blocks)]


def _predict(scores, label_spec):
    """`predict_labels` without the checks (int64 or bool arrays)."""
    if label_spec.kind == "class":
        return np.argmax(scores, axis=1)
    if label_spec.kind == "multi_hot":
        return scores >= 0.5
    columns = []
    for attribute, start in _blocks(label_spec):
        if attribute.binary:
            columns.append((scores[:, start] >= 0.5).astype("int64"))
        else:
            block = scores[:, start:start + attribute.width]
            columns.append(np.argmax(block, axis=1))
    return np.stack(columns, axis=1)


def predict_labels(scores, label_spec):
    """The labels an evaluator sees in the images.

    Args:
        scores: Array-like of shape `(N, label_spec.encoded_dim)`, see the
            module docstring.
        label_spec: The `keras_gans.datasets.labels.LabelSpec` of the
            labels.

    Returns:
        Labels in the spec's format: int32 `(N,)` (argmax class), int32
        `(N, A)` (argmax of each categorical attribute, `score >= 0.5` for
        a binary one) or float32 0/1 `(N, K)` (`score >= 0.5`).

    Raises:
        ValueError: If `scores` does not have that shape.
    """
    scores = _check_scores(scores, label_spec)
    return _predict(scores, label_spec).astype(label_spec.dtype)


def _top_k_hits(scores, requested):
    """Which requested labels are among the image's top-k scores.

    Args:
        scores: float64 array of shape `(N, K)`.
        requested: bool array of shape `(N, K)`.

    Returns:
        bool array of shape `(N, K)`: `requested` and among the
        `requested.sum(axis=1)` highest scores of the row. Ties go to the
        lower label index.
    """
    k = requested.sum(axis=1)
    # Stable sort of the negated scores: descending, lower index first.
    order = np.argsort(-scores, axis=1, kind="stable")
    rank = np.argsort(order, axis=1)  # Position of each label in `order`.
    return requested & (rank < k[:, None])


def requested_accuracy(scores, requested, label_spec):
    """How often the evaluator sees the requested labels.

    Args:
        scores: Array-like of shape `(N, label_spec.encoded_dim)`, the
            evaluator's scores of N generated images.
        requested: Array-like of shape `(N,) + label_spec.shape`, the
            labels the images were generated for.
        label_spec: The `LabelSpec` of the labels.

    Returns:
        A dict of floats in [0, 1]:
        - `"class"`: `{"accuracy"}`, the fraction of images whose argmax
          class is the requested one.
        - `"attributes"`: `"accuracy"`, the fraction of (image, attribute)
          pairs predicted right; `"all_correct"`, the fraction of images
          with every attribute right; `"categorical_correct"`, the
          fraction with every categorical (non-binary) attribute right
          (faces: hair and eye colors both); and `"accuracy/<name>"` per
          attribute.
        - `"multi_hot"`: `"accuracy"`, the iCLEVR evaluator's score: with
          k the number of labels an image asks for, the requested labels
          found among its k highest scores, summed over images and
          divided by the total number of requested labels;
          `"image_accuracy"`, the same fraction computed per image and
          averaged over images; `"all_correct"`, the fraction of images
          whose top k are exactly the requested labels. Images asking for
          no label are left out.

    Raises:
        ValueError: If a shape disagrees with the spec, `requested` holds
            an index outside the spec, or (multi-hot) no image asks for any
            label.
    """
    scores = _check_scores(scores, label_spec)
    requested = _check_requested(requested, scores, label_spec)
    if label_spec.kind == "class":
        correct = _predict(scores, label_spec) == requested
        return {"accuracy": float(np.mean(correct))}
    if label_spec.kind == "attributes":
        correct = _predict(scores, label_spec) == requested
        result = {
            "accuracy": float(np.mean(correct)),
            "all_correct": float(np.mean(np.all(correct, axis=1))),
        }
        categorical = [not a.binary for a in label_spec.attributes]
        if any(categorical):
            result["categorical_correct"] = float(np.mean(np.all(
                correct[:, categorical], axis=1)))
        for i, attribute in enumerate(label_spec.attributes):
            result[f"accuracy/{attribute.name}"] = float(
                np.mean(correct[:, i]))
        return result
    k = requested.sum(axis=1)
    asked = k > 0
    if not np.any(asked):
        raise ValueError(
            "No image asks for any label (every row of `requested` is all "
            "zeros), so the top-k accuracy is undefined."
        )
    hits = _top_k_hits(scores, requested).sum(axis=1)[asked]
    k = k[asked]
    return {
        "accuracy": float(hits.sum() / k.sum()),
        "image_accuracy": float(np.mean(hits / k)),
        "all_correct": float(np.mean(hits == k)),
    }


def _fraction(correct, mask):
    """(fraction of `correct` where `mask`, count of `mask`); nan if 0."""
    count = int(np.count_nonzero(mask))
    accuracy = float(np.mean(correct[mask])) if count else float("nan")
    return accuracy, count


def per_class_accuracy(scores, requested, label_spec):
    """Accuracy per requested class or tag, for a bar chart.

    Args:
        scores: Array-like of shape `(N, label_spec.encoded_dim)`.
        requested: Array-like of shape `(N,) + label_spec.shape`.
        label_spec: The `LabelSpec` of the labels.

    Returns:
        A list of `(tag, accuracy, count)` tuples, `count` being the
        number of images asking for that tag and `accuracy` NaN when it is
        0:
        - `"class"`: per class, the fraction of the images asking for it
          that the evaluator classifies as it.
        - `"attributes"`: per value of each categorical attribute (tag
          e.g. `"blue hair"`), the fraction of the images asking for that
          value whose predicted value of the attribute is it; per binary
          attribute, the same for images asking for it present (tag: its
          name) and absent (tag: `"no <name>"`).
        - `"multi_hot"`: per label, the fraction of the images asking for
          it that have it among their top k (the rule of
          `requested_accuracy`).

    Raises:
        ValueError: If a shape disagrees with the spec or `requested` holds
            an index outside the spec.
    """
    scores = _check_scores(scores, label_spec)
    requested = _check_requested(requested, scores, label_spec)
    rows = []
    if label_spec.kind == "class":
        correct = _predict(scores, label_spec) == requested
        for c, name in enumerate(label_spec.names):
            rows.append((name,) + _fraction(correct, requested == c))
    elif label_spec.kind == "attributes":
        correct = _predict(scores, label_spec) == requested
        for i, attribute in enumerate(label_spec.attributes):
            if attribute.binary:
                values = [(1, attribute.name), (0, f"no {attribute.name}")]
            else:
                values = [(v, attribute.tag(v))
                          for v in range(len(attribute.values))]
            for value, tag in values:
                rows.append(
                    (tag,) + _fraction(correct[:, i], requested[:, i] == value)
                )
    else:
        hits = _top_k_hits(scores, requested)
        for j, name in enumerate(label_spec.names):
            rows.append((name,) + _fraction(hits[:, j], requested[:, j]))
    return rows


def distinct_classes(scores, label_spec):
    """How many different classes or values the evaluator sees.

    A mode-collapse check for unconditional (or conditional) generators.

    Args:
        scores: Array-like of shape `(N, label_spec.encoded_dim)`.
        label_spec: The `LabelSpec` of the labels.

    Returns:
        A dict of ints:
        - `"class"`: `"distinct_classes"`, the number of different argmax
          classes, and `"num_classes"`, K.
        - `"attributes"`: per categorical attribute, `"distinct/<name>"`
          (different predicted values) and `"num_values/<name>"`; when
          there are categorical attributes, `"distinct_combinations"`
          (different predicted tuples of all categorical attributes) and
          `"num_combinations"` (the product of their value counts).
        - `"multi_hot"`: `"distinct_classes"`, the number of labels
          predicted present (score >= 0.5) in at least one image, and
          `"num_classes"`, K.

    Raises:
        ValueError: If `scores` does not have the spec's shape.
    """
    scores = _check_scores(scores, label_spec)
    predicted = _predict(scores, label_spec)
    if label_spec.kind == "class":
        return {"distinct_classes": int(len(np.unique(predicted))),
                "num_classes": len(label_spec.names)}
    if label_spec.kind == "multi_hot":
        return {"distinct_classes": int(np.count_nonzero(
                    np.any(predicted, axis=0))),
                "num_classes": len(label_spec.names)}
    result = {}
    categorical = [i for i, a in enumerate(label_spec.attributes)
                   if not a.binary]
    for i in categorical:
        attribute = label_spec.attributes[i]
        result[f"distinct/{attribute.name}"] = int(
            len(np.unique(predicted[:, i])))
        result[f"num_values/{attribute.name}"] = len(attribute.values)
    if categorical:
        result["distinct_combinations"] = int(
            len(np.unique(predicted[:, categorical], axis=0)))
        result["num_combinations"] = int(np.prod(
            [len(label_spec.attributes[i].values) for i in categorical]))
    return result


def class_histogram(scores, label_spec):
    """What the evaluator sees in the images, as fractions per tag.

    For a bar chart of what a generator (typically an unconditional one)
    produces.

    Args:
        scores: Array-like of shape `(N, label_spec.encoded_dim)`.
        label_spec: The `LabelSpec` of the labels.

    Returns:
        A list of `(tag, fraction)` tuples in `label_spec.tags` order:
        - `"class"`: the fraction of images classified as each class (they
          sum to 1).
        - `"attributes"`: per categorical attribute, the fraction of images
          predicted to have each value (summing to 1 within the attribute);
          per binary attribute, the fraction predicted to have it.
        - `"multi_hot"`: per label, the fraction of images predicted to
          have it (score >= 0.5).

    Raises:
        ValueError: If `scores` does not have the spec's shape.
    """
    scores = _check_scores(scores, label_spec)
    predicted = _predict(scores, label_spec)
    if label_spec.kind == "class":
        counts = np.bincount(predicted, minlength=len(label_spec.names))
        fractions = counts / len(predicted)
    elif label_spec.kind == "multi_hot":
        fractions = np.mean(predicted, axis=0)
    else:
        parts = []
        for i, attribute in enumerate(label_spec.attributes):
            if attribute.binary:
                parts.append([np.mean(predicted[:, i])])
            else:
                counts = np.bincount(predicted[:, i],
                                     minlength=len(attribute.values))
                parts.append(counts / len(predicted))
        fractions = np.concatenate(parts)
    return [(tag, float(f)) for tag, f in zip(label_spec.tags, fractions)]
