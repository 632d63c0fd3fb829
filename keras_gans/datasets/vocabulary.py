"""A tagged folder's own label vocabulary: `attributes.json` beside its tags.

Without this file a face folder is read with the embedded faces' four
attributes (hair, eyes, glasses, blush) and a shape folder with the 24
shape labels. With it, the folder's `LabelSpec` is the one the file
declares, and everything that reads the `LabelSpec` (the cGAN's
conditioning, ACGAN's heads, the sample grids, `--condition`, the
evaluation and the export metadata) follows it. Two shapes:

- attributes (an "attributes" `LabelSpec`, int32 labels (N, attributes)):
  `{"attributes": [{"name": "hair", "values": ["blonde", "blue"]},
  {"name": "eyes", "values": ["red", "green"]}, {"name": "glasses"}]}`.
  An attribute with values is categorical: each image needs exactly one of
  its tags (`blue hair`); one without values (or given as a plain string,
  `"glasses"`) is binary, its tag its name.
- labels (a "multi_hot" `LabelSpec`, float32 labels (N, labels)):
  `{"labels": ["orange hair", ..., "blue eyes"]}`: any subset of the tags,
  e.g. the 23 hair and eye tags as one 23-wide vector with a 1 for every
  tag present.

Names and values are trimmed and their inner spaces collapsed; they may
not hold `,` or `;` (they separate tags in `tags.csv` and conditions in
`--condition`) nor `/` (Keras layer names), and no two tags may be equal.

Example:

```python
spec = read_vocabulary("data/faces/attributes.json")
spec.tags  # ('blonde hair', 'blue hair', 'red eyes', ..., 'glasses')
```
"""

import json
import logging
import os

from keras_gans.datasets import labels as labels_lib

log = logging.getLogger("keras_gans")

VOCABULARY_FILE = "attributes.json"
_KEYS = ("attributes", "labels")
_ATTRIBUTE_KEYS = ("name", "values")
_FORBIDDEN = ",;/"


def read_json_file(path, what):
    """The parsed JSON of `path`.

    Args:
        path: the file.
        what: what the file should hold, for the messages ("the object
            names and their indices").

    Raises:
        FileNotFoundError: no such file (the message says what it holds).
        ValueError: not UTF-8 or not JSON (the message names the file, the
            line and the column).
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"{path} not found: expected a JSON file of {what}. Received: "
            f"path={path!r}"
        )
    try:
        with open(path, encoding="utf-8-sig") as f:
            return json.load(f)
    except UnicodeDecodeError as e:
        raise ValueError(
            f"{path}: not UTF-8 text ({e.reason} at byte {e.start}): save "
            f"it as UTF-8. Received: path={path!r}"
        ) from None
    except json.JSONDecodeError as e:
        raise ValueError(
            f"{path}, line {e.lineno}, column {e.colno}: not valid JSON "
            f"({e.msg}); expected {what}. Received: path={path!r}"
        ) from None


def _word(path, where, value):
    """`value` as a trimmed tag word, or a ValueError naming `where`."""
    if not isinstance(value, str) or not value.split():
        raise ValueError(
            f"{path}: {where} must be a non-empty string. Received: "
            f"{value!r}"
        )
    bad = [c for c in _FORBIDDEN if c in value]
    if bad:
        raise ValueError(
            f"{path}: {where} may not contain {' or '.join(map(repr, bad))}"
            f" (they separate tags and conditions). Received: {value!r}"
        )
    return " ".join(value.split())


def _attribute(path, number, item):
    """One entry of "attributes" as an `Attribute`."""
    where = f"attribute {number}"
    if isinstance(item, str):
        return labels_lib.Attribute(_word(path, f"{where}'s name", item))
    if not isinstance(item, dict) or "name" not in item:
        raise ValueError(
            f"{path}: {where} must be an object {{\"name\": ..., "
            f"\"values\": [...]}} (no values: binary) or a name. "
            f"Received: {item!r}"
        )
    unknown = sorted(set(item) - set(_ATTRIBUTE_KEYS))
    if unknown:
        raise ValueError(
            f"{path}: {where} has unknown key(s) {unknown}; expected "
            f"{list(_ATTRIBUTE_KEYS)}. Received: {item!r}"
        )
    name = _word(path, f"{where}'s name", item["name"])
    if "values" not in item:
        return labels_lib.Attribute(name)
    values = item["values"]
    if not isinstance(values, list) or not values:
        raise ValueError(
            f"{path}: the values of attribute {name!r} must be a non-empty "
            f"list (leave \"values\" out for a binary attribute). "
            f"Received: values={values!r}"
        )
    values = [_word(path, f"a value of attribute {name!r}", v)
              for v in values]
    return labels_lib.Attribute(name, tuple(values))


def label_spec_from_dict(values, path="the vocabulary"):
    """The `LabelSpec` a vocabulary dict declares (see module docstring).

    Raises:
        ValueError: a malformed vocabulary (the message names `path`).
    """
    if not isinstance(values, dict) or len(set(values) & set(_KEYS)) != 1:
        raise ValueError(
            f"{path}: expected a JSON object with one key, \"attributes\" "
            f"(a list of {{\"name\", \"values\"}}) or \"labels\" (a list of "
            f"multi-hot tags). Received: {str(values)[:80]!r}"
        )
    unknown = sorted(set(values) - set(_KEYS))
    if unknown:
        raise ValueError(
            f"{path}: unknown key(s) {unknown}; expected \"attributes\" or "
            f"\"labels\". Received: keys={sorted(values)}"
        )
    key = next(k for k in _KEYS if k in values)
    items = values[key]
    if not isinstance(items, list) or not items:
        raise ValueError(
            f"{path}: \"{key}\" must be a non-empty list. Received: "
            f"{key}={items!r}"
        )
    if key == "labels":
        spec = labels_lib.LabelSpec.for_multi_hot(
            _word(path, f"label {i}", v) for i, v in enumerate(items))
    else:
        spec = labels_lib.LabelSpec.for_attributes(
            _attribute(path, i, item) for i, item in enumerate(items))
        names = [a.name for a in spec.attributes]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(
                f"{path}: attribute name(s) {twice} given twice. Received: "
                f"names={names}"
            )
    tags = list(spec.tags)
    twice = sorted({t for t in tags if tags.count(t) > 1})
    if twice:
        raise ValueError(
            f"{path}: the tag(s) {twice} occur twice (a value repeated, or "
            f"a binary attribute named like a categorical tag): each tag "
            f"must name one label. Received: tags={tags}"
        )
    return spec


def read_vocabulary(path):
    """The `LabelSpec` an `attributes.json` declares.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not JSON, or not a vocabulary (the message names the
            file and what is wrong).
    """
    return label_spec_from_dict(
        read_json_file(path, "attributes or labels (\"attributes\": "
                       "[{\"name\": \"hair\", \"values\": [...]}, ...])"),
        path)


def vocabulary_to_dict(label_spec):
    """The vocabulary dict of an "attributes" or "multi_hot" `LabelSpec`
    (inverse of `label_spec_from_dict`), e.g. to write an attributes.json."""
    if label_spec.kind == "multi_hot":
        return {"labels": list(label_spec.names)}
    if label_spec.kind != "attributes":
        raise ValueError(
            "A vocabulary holds attributes or multi-hot labels; class "
            "labels come from class sub-folders (--dataset=folder). "
            f"Received: kind={label_spec.kind!r}"
        )
    return {"attributes": [
        {"name": a.name} if a.binary else
        {"name": a.name, "values": list(a.values)}
        for a in label_spec.attributes
    ]}


def folder_label_spec(data_dir, default):
    """The `LabelSpec` of a tagged folder: its attributes.json's, else
    `default` (the dataset's own)."""
    path = os.path.join(data_dir, VOCABULARY_FILE)
    if not os.path.exists(path):
        return default
    spec = read_vocabulary(path)
    log.info("%s: %d label tag(s) (%s).", path, len(spec.tags),
             ", ".join(spec.tags[:6]) + (", ..." if len(spec.tags) > 6
                                         else ""))
    return spec
