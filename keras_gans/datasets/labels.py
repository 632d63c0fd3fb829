"""Label specifications: what a conditional dataset's labels mean.

Every loader describes its labels with one `LabelSpec`, which models, sample
grids, tag files and the export metadata read. Three kinds:

- `"class"`: one class per sample (MNIST, CIFAR-10, class sub-folders).
  A label is an int32 scalar in `[0, len(names))`.
- `"attributes"`: several attributes per sample, each categorical (one of
  its `values`, e.g. hair color) or binary (e.g. glasses). A label is an
  int32 vector `(len(attributes),)` holding each attribute's value index
  (0/1 for binary attributes).
- `"multi_hot"`: any subset of `names` (the 24 shape labels, CelebA's 40
  attributes). A label is a float32 0/1 vector `(len(names),)`.

Labels also read and write as tags, the text of a `tags.csv` line or of a
`--condition`: `"blue hair red eyes glasses"`, `"red circle blue square"`,
`"7"`. A categorical attribute's tag is `"<value> <name>"`, a binary one's is
its name, a multi-hot label's is its name.

Example:

```python
spec = LabelSpec.for_attributes([
    Attribute("hair", ("blue", "red")), Attribute("glasses")])
spec.parse_tags("red hair glasses")   # array([1, 1], dtype=int32)
spec.describe([0, 0])                 # "blue hair"
spec.encode(labels)                   # (N, 3) float32 one-hot + bit
```
"""

import dataclasses
import json
import re
import numpy as np
import tensorflow as tf

from keras_gans import validation

LABEL_KINDS = ("class", "attributes", "multi_hot")


@dataclasses.dataclass(frozen=True)
class Attribute:
    """One attribute of an `"attributes"` label.

    Attributes:
        name: e.g. "hair"; a binary attribute's tag is its name.
        values: the categorical values, e.g. ("blue", "red"); () for a
            binary attribute.
    """

    name: str
    values: tuple = ()

    @property
    def binary(self):
        return not self.values

    @property
    def width(self):
        """Columns of this attribute in `LabelSpec.encode`."""
        return 1 if self.binary else len(self.values)

    def tag(self, index):
        """The tag of value `index` ("" for a binary attribute's 0)."""
        if self.binary:
            return self.name if index else ""
        return f"{self.values[index]} {self.name}"


class UnknownTagError(ValueError):
    """A tag that is not in the label specification's vocabulary."""


@dataclasses.dataclass(frozen=True)
class LabelSpec:
    """Names and format of a dataset's labels (see the module docstring).

    Attributes:
        kind: one of `LABEL_KINDS`.
        names: class names ("class") or label names ("multi_hot").
        attributes: the `Attribute`s of an "attributes" label.
    """

    kind: str
    names: tuple = ()
    attributes: tuple = ()

    def __post_init__(self):
        validation.check_choice("label kind", self.kind, LABEL_KINDS)
        object.__setattr__(self, "names", tuple(self.names))
        object.__setattr__(self, "attributes", tuple(self.attributes))
        if self.kind == "attributes" and not self.attributes:
            raise ValueError("An 'attributes' LabelSpec needs attributes.")
        if self.kind != "attributes" and not self.names:
            raise ValueError(
                f"A {self.kind!r} LabelSpec needs names. Received: names=()"
            )

    @classmethod
    def for_classes(cls, names):
        return cls("class", names=tuple(names))

    @classmethod
    def for_attributes(cls, attributes):
        return cls("attributes", attributes=tuple(attributes))

    @classmethod
    def for_multi_hot(cls, names):
        return cls("multi_hot", names=tuple(names))

    # Shapes and dtypes of one label.

    @property
    def shape(self):
        """Shape of one label: (), (num_attributes,) or (num_names,)."""
        if self.kind == "class":
            return ()
        if self.kind == "attributes":
            return (len(self.attributes),)
        return (len(self.names),)

    @property
    def dtype(self):
        return "float32" if self.kind == "multi_hot" else "int32"

    @property
    def encoded_dim(self):
        """Width of `encode`'s output."""
        if self.kind == "attributes":
            return sum(a.width for a in self.attributes)
        return len(self.names)

    @property
    def blocks(self):
        """`encode`'s columns as blocks: a tuple of (start, width,
        exclusive) per class set, attribute or (multi-hot) label vector.
        `exclusive` blocks hold one-hot values (a classifier's softmax),
        the others independent bits (sigmoids)."""
        if self.kind == "class":
            return ((0, len(self.names), True),)
        if self.kind == "multi_hot":
            return ((0, len(self.names), False),)
        blocks, start = [], 0
        for attribute in self.attributes:
            blocks.append((start, attribute.width, not attribute.binary))
            start += attribute.width
        return tuple(blocks)

    def encode(self, labels):
        """One-hot (class), concatenated one-hot + bits (attributes) or the
        multi-hot vector itself, as float32: what a conditional network
        reads.

        Args:
            labels: a batch of labels, shape (N,) + `self.shape`.

        Returns:
            float32 tensor of shape (N, `encoded_dim`).
        """
        if self.kind == "multi_hot":
            return tf.cast(labels, "float32")
        if self.kind == "class":
            return tf.one_hot(tf.cast(labels, "int32"), len(self.names))
        labels = tf.cast(labels, "int32")
        parts = []
        for i, attribute in enumerate(self.attributes):
            column = labels[:, i]
            if attribute.binary:
                parts.append(tf.cast(column, "float32")[:, None])
            else:
                parts.append(tf.one_hot(column, len(attribute.values)))
        return tf.concat(parts, axis=1)

    # Tags: the text form of a label.

    @property
    def tags(self):
        """Every known tag, in label order."""
        if self.kind == "attributes":
            return tuple(
                a.name if a.binary else f"{v} {a.name}"
                for a in self.attributes
                for v in (a.values or (None,))
            )
        return self.names

    def describe(self, label):
        """The tags of one label, space-separated ("blue hair red eyes")."""
        label = np.asarray(label)
        if self.kind == "class":
            return self.names[int(label)]
        if self.kind == "multi_hot":
            return " ".join(
                name for name, on in zip(self.names, label) if on > 0.5
            )
        return " ".join(
            tag for tag in (
                a.tag(int(v)) for a, v in zip(self.attributes, label)
            ) if tag
        )

    def parse_tags(self, text):
        """The label that `text` describes (inverse of `describe`).

        Args:
            text: tags separated by spaces and/or commas, e.g.
                "blue hair, red eyes". A class label is its class name.

        Returns:
            A numpy label of shape `self.shape` and dtype `self.dtype`.

        Raises:
            UnknownTagError: a tag outside the vocabulary (the message lists
                the known tags).
            ValueError: a categorical attribute missing or given twice, or
                an empty multi-hot label.
        """
        text = text.strip()
        if self.kind == "class":
            if text not in self.names:
                raise UnknownTagError(self._unknown(text))
            return np.asarray(self.names.index(text), "int32")
        phrases = self._match(text)
        if self.kind == "multi_hot":
            if not phrases:
                raise ValueError(
                    f"No labels in {text!r}: a multi-hot label needs at "
                    f"least one of {self._known()}."
                )
            label = np.zeros(len(self.names), "float32")
            label[[self.names.index(p) for p in phrases]] = 1.0
            return label
        label = np.zeros(len(self.attributes), "int32")
        seen = {}
        for phrase in phrases:
            for i, attribute in enumerate(self.attributes):
                if attribute.binary and phrase == attribute.name:
                    label[i] = 1
                elif not attribute.binary and phrase.endswith(
                        " " + attribute.name) and phrase[
                        :-len(attribute.name) - 1] in attribute.values:
                    if attribute.name in seen:
                        raise ValueError(
                            f"Two {attribute.name} tags in {text!r}: "
                            f"{seen[attribute.name]!r} and {phrase!r}."
                        )
                    seen[attribute.name] = phrase
                    label[i] = attribute.values.index(
                        phrase[:-len(attribute.name) - 1]
                    )
        missing = [a.name for a in self.attributes
                   if not a.binary and a.name not in seen]
        if missing:
            raise ValueError(
                f"No {' or '.join(missing)} tag in {text!r}: each label "
                f"needs one of each. Known tags: {self._known()}"
            )
        return label

    def _match(self, text):
        """Splits `text` into known tags, longest match first."""
        words = re.split(r"[\s,]+", text.strip(" ,"))
        words = [w for w in words if w]
        known = set(self.tags)
        longest = max(len(t.split()) for t in known)
        phrases, i = [], 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 0, -1):
                phrase = " ".join(words[i:i + n])
                if phrase in known:
                    phrases.append(phrase)
                    i += n
                    break
            else:
                # Name "green hair" rather than "green" when the next word
                # does not start a tag of its own.
                tag = words[i]
                starts = {t.split()[0] for t in known}
                if (longest > 1 and i + 1 < len(words)
                        and words[i + 1] not in starts):
                    tag = f"{tag} {words[i + 1]}"
                raise UnknownTagError(self._unknown(tag, text))
        return phrases

    def _known(self):
        return ", ".join(repr(t) for t in self.tags)

    def _unknown(self, tag, text=None):
        where = f" in {text!r}" if text is not None and text != tag else ""
        return f"Unknown tag {tag!r}{where}. Known tags: {self._known()}"

    # Serialization (the export metadata, config files).

    def to_dict(self):
        out = {"kind": self.kind, "shape": list(self.shape),
               "dtype": self.dtype}
        if self.kind == "attributes":
            out["attributes"] = [
                {"name": a.name, "values": list(a.values),
                 "binary": a.binary}
                for a in self.attributes
            ]
        else:
            out["names"] = list(self.names)
        return out

    @classmethod
    def from_dict(cls, values):
        if values["kind"] == "attributes":
            return cls.for_attributes(
                Attribute(a["name"], tuple(a["values"]))
                for a in values["attributes"]
            )
        return cls(values["kind"], names=tuple(values["names"]))

    def to_json(self):
        return json.dumps(self.to_dict())


def as_label_spec(label_spec, name="label_spec"):
    """`label_spec` as a `LabelSpec`: a LabelSpec, or its `to_dict()`.

    The one coercion every label-reading piece (layers, models, export)
    uses, so a dict from a config or JSON file works wherever a spec does.

    Raises:
        ValueError: anything else, or a dict that is not a spec's.
    """
    if isinstance(label_spec, LabelSpec):
        return label_spec
    if isinstance(label_spec, dict):
        try:
            return LabelSpec.from_dict(label_spec)
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(
                f"{name} is not a LabelSpec dict ({e}). Received: "
                f"{name}={label_spec!r}"
            ) from e
    raise ValueError(
        f"{name} must be a LabelSpec (the dataset's `DataSpec.label_spec`) "
        f"or its `to_dict()`. Received: {name}={label_spec!r}"
    )

