"""Reading the 2017 anime-faces course's `tags_clean.csv`.

The course's face folder holds `faces/<id>.jpg` beside `tags_clean.csv`,
whose lines read `id,tag:count<TAB>tag:count...`:

    0,blue hair:1234	red eyes:567	long hair:89	smile:12

The tags are an image board's (hundreds of them: `long hair`, `smile`,
character names); only the hair and eye colors are labels. So, unlike
`tags.csv` (`tags_csv`), a tag outside the vocabulary is not an error
here: the tags the `LabelSpec` knows are kept and every other tag is
ignored, and `--ignore_unknown_tags` changes nothing. The counts are read
past and never used: a count says how often the board uses the tag, not
how much of this picture it describes.

The rule per image, by the `LabelSpec`'s kind:

- "attributes" (the faces' hair / eyes / glasses / blush, or a folder's
  attributes.json): each categorical attribute needs exactly one known tag.
  An image with none (the board did not tag its hair color) or with two
  (`blue hair` and `red hair`: two-tone hair or two characters; which
  color the picture shows is unknown, and a count cannot tell) is
  skipped, all such images counted in one warning. Binary attributes are
  1 when their tag is present.
- "multi_hot" (e.g. attributes.json's `"labels"`: the 23 hair and eye
  tags): every known tag present is a 1; an image with no known tag is
  skipped (counted).

Blank lines are skipped, as is a header line `id,tags`; the same id twice
or a line without a comma is an error naming the file and the line.

Example:

```python
labels = read_tags_clean("data/anime/tags_clean.csv", faces.LABEL_SPEC)
labels["0"]  # array([8, 9, 0, 0], dtype=int32): blue hair, red eyes
```
"""

import logging

import numpy as np

from keras_gans.datasets import image_files
from keras_gans.datasets import tags_csv

log = logging.getLogger("keras_gans")

TAGS_CLEAN_FILE = "tags_clean.csv"


def split_tags(text):
    """The tags of a line's `tag:count<TAB>tag:count` part, counts removed.

    Splits on tabs and at each item's last colon, so tags holding colons
    (`re:zero:12`) keep them; an item without a numeric count is all tag.
    """
    tags = []
    for item in text.split("\t"):
        item = item.strip()
        tag, colon, count = item.rpartition(":")
        if colon and count.strip().isdigit():
            item = tag
        item = " ".join(item.split())
        if item:
            tags.append(item)
    return tags


def _tag_index(label_spec):
    """tag -> (column, value) of every tag of `label_spec`."""
    if label_spec.kind == "multi_hot":
        return {name: (i, 1) for i, name in enumerate(label_spec.names)}
    if label_spec.kind == "class":
        return {name: (0, i) for i, name in enumerate(label_spec.names)}
    index = {}
    for i, attribute in enumerate(label_spec.attributes):
        if attribute.binary:
            index[attribute.name] = (i, 1)
        for v in range(len(attribute.values)):
            index[attribute.tag(v)] = (i, v)
    return index


def _label(label_spec, index, tags):
    """(label, None) for an image's known tags, or (None, reason)."""
    label = np.zeros(label_spec.shape, label_spec.dtype)
    if label_spec.kind == "multi_hot":
        if not tags:
            return None, "no known tag"
        for tag in tags:
            label[index[tag][0]] = 1.0
        return label, None
    if label_spec.kind == "class":
        if len(tags) != 1:
            return None, ("no class tag" if not tags
                          else "several class tags")
        return np.asarray(index[tags[0]][1], label_spec.dtype), None
    found = {}
    for tag in tags:
        column, value = index[tag]
        found.setdefault(column, set()).add(value)
        label[column] = value
    for i, attribute in enumerate(label_spec.attributes):
        if attribute.binary:
            continue
        if i not in found:
            return None, f"no {attribute.name} tag"
        if len(found[i]) > 1:
            return None, f"several {attribute.name} tags"
    return label, None


def read_tags_clean(path, label_spec):
    """Reads a `tags_clean.csv` (rules in the module docstring).

    Args:
        path: the file.
        label_spec: the vocabulary: a `labels.LabelSpec`.

    Returns:
        A dict id -> label (numpy, `label_spec.shape`), in file order, of
        the images whose tags make a label.

    Raises:
        ValueError: not UTF-8, a line without a comma or id, an id given
            twice (the message names the file and line), or no image left.
    """
    index = _tag_index(label_spec)
    labels, seen, ids = {}, set(), set()
    skipped = {}  # reason -> ids
    lines = 0
    for number, line in enumerate(tags_csv.read_lines(path), start=1):
        if not line.strip():
            continue
        image_id, comma, text = line.partition(",")
        image_id = image_id.strip()
        if not comma:
            raise ValueError(
                f"{path}, line {number}: expected 'id,tag:count<TAB>"
                f"tag:count...' (e.g. '0,blue hair:1234\\tred eyes:567'), "
                f"found no comma. Received: line={line[:80]!r}"
            )
        if not lines and image_id.lower() == "id":
            continue  # A header line.
        if not image_id:
            raise ValueError(
                f"{path}, line {number}: the id (an image file's name "
                f"without extension) is empty. Received: line={line[:80]!r}"
            )
        if image_id in ids:
            raise ValueError(
                f"{path}, line {number}: id {image_id!r} is tagged twice; "
                f"each image needs exactly one line. Received: "
                f"line={line[:80]!r}"
            )
        lines += 1
        ids.add(image_id)
        tags = [tag for tag in dict.fromkeys(split_tags(text))
                if tag in index]
        seen.update(tags)
        label, reason = _label(label_spec, index, tags)
        if label is None:
            skipped.setdefault(reason, []).append(image_id)
        else:
            labels[image_id] = label
    if skipped:
        log.warning(
            "%s: skipped %d of %d image(s) whose vocabulary tags make no "
            "label: %s.", path, sum(map(len, skipped.values())), lines,
            "; ".join(f"{len(some)} with {reason} (ids "
                      f"{image_files.first_few(some, 3)})"
                      for reason, some in skipped.items()),
        )
    unused = [tag for tag in index if tag not in seen]
    if unused and labels:
        log.warning(
            "%d tag(s) of the vocabulary never occur in %s: %s", len(unused),
            path, image_files.first_few(unused),
        )
    if not labels:
        raise ValueError(
            f"No line of {path} has the tags of a label: each image needs "
            f"{_required(label_spec)} (other tags are ignored). Known "
            f"tags: {image_files.first_few(label_spec.tags, 8)}. "
            f"Received: {lines} line(s)"
        )
    return labels


def _required(label_spec):
    """What an image's tags must hold, for the messages."""
    if label_spec.kind == "attributes":
        names = [a.name for a in label_spec.attributes if not a.binary]
        return f"exactly one {' and one '.join(names)} tag"
    if label_spec.kind == "multi_hot":
        return "at least one known tag"
    return "exactly one class tag"
