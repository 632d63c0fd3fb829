"""`Evaluator`: a trained evaluator network with its label specification.

An evaluator directory holds

    evaluator.json          name, label spec, image shape, architecture,
                            how it was trained and its held-out accuracy
    evaluator.weights.h5    the weights

The package ships one per embedded dataset (`faces`, `shapes`) under
`keras_gans/evaluators/shipped/<name>/`; `python run.py
--mode=train_evaluator` writes one for any labelled dataset (and reproduces
the shipped ones).

Example:

```python
from keras_gans import evaluators
from keras_gans.datasets import faces

evaluator = evaluators.load_shipped("faces")
images, labels = faces.sample_faces(256, seed=123)
features, scores = evaluator.features_and_scores(images)
# features (256, 256) float32, scores (256, 25) probabilities
```
"""

import json
import os

import numpy as np
import tensorflow as tf

from keras_gans.datasets import labels as labels_lib
from keras_gans.evaluators import network

CONFIG_FILE = "evaluator.json"
WEIGHTS_FILE = "evaluator.weights.h5"
SHIPPED_DIR = os.path.join(os.path.dirname(__file__), "shipped")
SHIPPED_NAMES = ("faces", "shapes")


class Evaluator:
    """A classifier of a dataset's labels whose penultimate layer gives
    features.

    Attributes:
        name: the dataset it was trained on (e.g. "faces").
        label_spec: the `LabelSpec` it predicts.
        image_shape: (S, S, C) of its network's input; other sizes are
            resized (bilinear, antialiased) on the way in.
        model: the Keras model (images -> {"features", "logits"}).
        info: the rest of evaluator.json (training, held-out accuracy).
    """

    def __init__(self, name, label_spec, image_shape, model, info=None):
        self.name = name
        self.label_spec = label_spec
        self.image_shape = tuple(image_shape)
        self.model = model
        self.info = dict(info or {})
        self._predict = tf.function(self._forward, jit_compile=False,
                                    reduce_retracing=True)

    @classmethod
    def create(cls, name, label_spec, image_shape,
               width=network.DEFAULT_WIDTH):
        """A new, untrained evaluator."""
        model = network.build_evaluator_network(
            image_shape, label_spec.encoded_dim, width=width
        )
        return cls(name, label_spec, image_shape, model,
                   info={"width": width})

    @property
    def feature_name(self):
        """How the metrics on its features are named, e.g. "FID (faces
        evaluator)": they are not Inception's FID."""
        return f"{self.name} evaluator"

    def _forward(self, images):
        images = tf.cast(images, "float32")
        size, _, channels = self.image_shape
        if images.shape[-1] != channels:
            if channels == 3 and images.shape[-1] == 1:
                images = tf.tile(images, [1, 1, 1, 3])
            else:
                raise ValueError(
                    f"The {self.name} evaluator reads images with "
                    f"{channels} channel(s). Received shape {images.shape}"
                )
        if images.shape[1] != size or images.shape[2] != size:
            images = tf.image.resize(images, (size, size),
                                     antialias=True)
        outputs = self.model(images, training=False)
        return (outputs["features"],
                network.scores_from_logits(outputs["logits"],
                                           self.label_spec))

    def features_and_scores(self, images, batch_size=500):
        """Features and label probabilities of images, in batches.

        Args:
            images: float (N, H, W, C) in [-1, 1], or uint8 (N, H, W, C)
                in [0, 255] (converted).
            batch_size: images per forward pass.

        Returns:
            (features float32 (N, 256), scores float32 (N, encoded_dim)):
            scores in `LabelSpec.encode`'s layout (softmax per categorical
            block, sigmoid per binary/multi-hot column).
        """
        images = np.asarray(images)
        if images.ndim != 4:
            raise ValueError(
                "Evaluator inputs are image batches (N, H, W, C). "
                f"Received shape {images.shape}"
            )
        if images.dtype == np.uint8:
            images = images.astype("float32") / 127.5 - 1.0
        features, scores = [], []
        for start in range(0, len(images), batch_size):
            batch = images[start:start + batch_size]
            f, s = self._predict(tf.constant(batch, "float32"))
            features.append(f.numpy())
            scores.append(s.numpy())
        if not features:
            return (np.zeros((0, network.FEATURE_DIM), "float32"),
                    np.zeros((0, self.label_spec.encoded_dim), "float32"))
        return np.concatenate(features), np.concatenate(scores)

    def features(self, images, batch_size=500):
        """Penultimate-layer features (N, 256) of images (see
        `features_and_scores`)."""
        return self.features_and_scores(images, batch_size)[0]

    def scores(self, images, batch_size=500):
        """Label probabilities (N, encoded_dim) of images."""
        return self.features_and_scores(images, batch_size)[1]

    def save(self, directory):
        """Writes evaluator.json and evaluator.weights.h5 to `directory`."""
        os.makedirs(directory, exist_ok=True)
        config = dict(self.info)
        config.update({
            "name": self.name,
            "label_spec": self.label_spec.to_dict(),
            "image_shape": list(self.image_shape),
            "feature_dim": network.FEATURE_DIM,
        })
        with open(os.path.join(directory, CONFIG_FILE), "w") as f:
            json.dump(config, f, indent=2, sort_keys=True)
        self.model.save_weights(os.path.join(directory, WEIGHTS_FILE))


def load_evaluator(directory):
    """The `Evaluator` saved in `directory` (see `Evaluator.save`).

    Raises:
        FileNotFoundError: no evaluator.json / evaluator.weights.h5 there.
    """
    config_path = os.path.join(directory, CONFIG_FILE)
    weights_path = os.path.join(directory, WEIGHTS_FILE)
    for path in (config_path, weights_path):
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"{path} not found: {directory} is not an evaluator "
                "directory (write one with `python run.py "
                "--mode=train_evaluator --dataset=... --output_dir=DIR`)."
            )
    with open(config_path) as f:
        config = json.load(f)
    label_spec = labels_lib.as_label_spec(config.pop("label_spec"))
    name = config.pop("name")
    image_shape = tuple(config.pop("image_shape"))
    evaluator = Evaluator.create(name, label_spec, image_shape,
                                 width=config.get("width",
                                                  network.DEFAULT_WIDTH))
    evaluator.model.load_weights(weights_path)
    evaluator.info.update(config)
    return evaluator


def shipped_dir(name):
    """Directory of the evaluator shipped for the embedded dataset
    `name`."""
    return os.path.join(SHIPPED_DIR, name)


def load_shipped(name):
    """The evaluator shipped with the package for `faces` or `shapes`.

    Raises:
        ValueError: `name` has no shipped evaluator.
    """
    if name not in SHIPPED_NAMES:
        raise ValueError(
            f"Evaluators ship for {', '.join(SHIPPED_NAMES)}; other data "
            "need one trained on them (`training.train_evaluator`, or "
            "`python run.py --mode=train_evaluator`). "
            f"Received: name={name!r}"
        )
    return load_evaluator(shipped_dir(name))


def default_evaluator_dir(dataset, data_dir):
    """Where `--mode=train_evaluator` writes and `--mode=eval` looks by
    default: the shipped evaluator for an embedded procedural set, else
    next to the real data, `<data_dir>/keras_gans_evaluator_<dataset>`
    (tfds data: in ~/tensorflow_datasets when `data_dir` is None)."""
    if data_dir is None and dataset in SHIPPED_NAMES:
        return shipped_dir(dataset)
    if data_dir is None:
        data_dir = os.path.join(os.path.expanduser("~"),
                                "tensorflow_datasets")
    return os.path.join(data_dir, f"keras_gans_evaluator_{dataset}")


def find_evaluator(spec, data_dir=None, evaluator_dir=None, run_dir=None):
    """The evaluator for a dataset, or None for points data.

    Looks in `evaluator_dir` when given (it must hold one), else in
    `<run_dir>/evaluator`, else in `default_evaluator_dir`.

    Raises:
        FileNotFoundError: `evaluator_dir` holds no evaluator.
        ValueError: image data with no evaluator anywhere (the message says
            how to train one).
    """
    if spec.kind == "points":
        return None
    if evaluator_dir is not None:
        return load_evaluator(evaluator_dir)
    candidates = []
    if run_dir is not None:
        candidates.append(os.path.join(run_dir, "evaluator"))
    candidates.append(default_evaluator_dir(spec.name, data_dir))
    for directory in candidates:
        if os.path.exists(os.path.join(directory, CONFIG_FILE)):
            return load_evaluator(directory)
    data_flag = f" --data_dir={data_dir}" if data_dir else ""
    raise ValueError(
        f"No evaluator for the {spec.name!r} dataset (looked in "
        f"{' and '.join(candidates)}). Train one on the labelled real "
        f"data: python run.py --mode=train_evaluator --dataset={spec.name}"
        f"{data_flag}; or pass evaluator_dir."
    )
