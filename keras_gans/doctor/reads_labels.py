"""Does a cGAN's discriminator read the labels?

A discriminator that judges (image, labels) pairs can learn to ignore the
labels and judge the image alone; the generator then has no reason to
draw them. The check: on real images, how often D scores the true labels
above the same labels with one attribute (or the class) moved to another
value, uniformly. 1/2 means D ignores that attribute; near 1, it reads it.
A discriminator that reads an attribute the generator still does not draw
points at the generator's side.

`benchmarks/conditioning.py` prints it per run; the training doctor
(`keras_gans.doctor.probe`) follows it during training.
"""

import numpy as np

# Images per discriminator call.
BATCH = 250


def moved_columns(label_spec):
    """(name, column or None for a class label, value count) of each
    label part that can be moved to another value: the class, or each
    categorical attribute. None for multi-hot labels (no single value to
    move)."""
    if label_spec.kind == "class":
        return [("class", None, len(label_spec.names))]
    if label_spec.kind == "attributes":
        return [(a.name, i, max(a.width, 2))
                for i, a in enumerate(label_spec.attributes)
                if not a.binary]
    return None


def discriminator_reads_labels(discriminator, images, labels, label_spec,
                               seed=0):
    """How often D prefers the true labels, per movable label part.

    Args:
        discriminator: keras.Model, [images, labels] -> logits (N, 1).
        images: real images (N, H, W, C) in the range D trains on.
        labels: their labels, (N,) + label_spec.shape.
        label_spec: the `LabelSpec`.
        seed: numpy seed of the wrong values.

    Returns:
        {"d_reads/<name>": fraction in [0, 1]} per `moved_columns` entry;
        {} for multi-hot labels.
    """
    columns = moved_columns(label_spec)
    if not columns:
        return {}
    labels = np.asarray(labels)

    def logits(y):
        return np.concatenate([np.asarray(discriminator(
            [images[i:i + BATCH], y[i:i + BATCH]], training=False))[:, 0]
            for i in range(0, len(images), BATCH)])

    true = logits(labels)
    rng = np.random.default_rng(seed)
    out = {}
    for name, column, width in columns:
        wrong = labels.copy()
        shift = rng.integers(1, width, len(labels))
        if column is None:
            wrong = (wrong + shift) % width
        else:
            wrong[:, column] = (wrong[:, column] + shift) % width
        out[f"d_reads/{name}"] = float(np.mean(true > logits(wrong)))
    return out
