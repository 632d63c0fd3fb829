"""InceptionV3 pool features of images, for FID, KID and precision/recall.

The feature extractor is Keras' `InceptionV3` without its classifier:
images are resized to 299 x 299 (bilinear, no antialiasing), scaled as
InceptionV3 expects, and mapped to the 2048 averages of its last
convolutional block.

No weights are ever downloaded: the ImageNet weights come from a file the
user fetched once on a machine with internet access, either

- a Keras 3 weight file written by

  ```python
  import keras
  keras.applications.InceptionV3(include_top=False).save_weights(
      "inception_v3.weights.h5")  # Keras 3 needs the .weights.h5 suffix.
  ```

  (the shell one-liner is `FETCH_COMMAND`); or
- the file Keras downloads for that call,
  `inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5`, or the full
  `inception_v3_weights_tf_dim_ordering_tf_kernels.h5` (both in
  https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/
  ). Keras caches them in `~/.keras/models/` (`$KERAS_HOME/models/`), where
  `build_inception_features()` finds them without arguments.

Files of the model with or without the classifier both load.

Scores from these weights are comparable between runs of this library,
but not with published FID values: those use the 2015 TensorFlow Inception
graph ("pool_3"), whose weights and resizing differ from Keras' ImageNet
InceptionV3.

Example:

```python
from keras_gans.metrics import frechet, inception

model = inception.build_inception_features("inception_v3.weights.h5")
real = inception.inception_features(real_images, model)   # (N, 2048)
fake = inception.inception_features(fake_images, model)
frechet.frechet_distance(real, fake)
```

Reference:
    - [Szegedy et al., 2016](https://arxiv.org/abs/1512.00567)
      (InceptionV3)
    - [Heusel et al., 2017](https://arxiv.org/abs/1706.08500) (FID)
"""

import os
import warnings

import keras
import numpy as np
from keras.applications import inception_v3

from keras_gans import validation

# Input side and feature width of the pool features.
IMAGE_SIZE = 299
FEATURE_DIM = 2048

# The file names under which `keras.applications.InceptionV3` caches its
# ImageNet weights, without and with the classifier.
KERAS_WEIGHT_FILES = (
    "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
)

FETCH_COMMAND = (
    'python -c "import keras; keras.applications.InceptionV3('
    "include_top=False).save_weights('inception_v3.weights.h5')\""
)


def default_weight_paths():
    """Where Keras caches downloaded InceptionV3 weights, notop first.

    Returns:
        A list of paths (which may not exist): under `$KERAS_HOME/models`
        (`~/.keras/models` by default) and under `/tmp/.keras/models`,
        Keras' fallback when its home is not writable.
    """
    homes = [os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras")),
             os.path.join("/tmp", ".keras")]
    return [os.path.join(home, "models", name)
            for home in homes for name in KERAS_WEIGHT_FILES]


def _fetch_help():
    return (
        "Fetch the ImageNet weights once on a machine with internet access, "
        f"e.g. with\n    {FETCH_COMMAND}\nand pass that file, or the Keras "
        f"file {KERAS_WEIGHT_FILES[0]} from https://storage.googleapis.com/"
        "tensorflow/keras-applications/inception_v3/ (this code never "
        "downloads)."
    )


def _load_inception(path):
    """The pool-feature InceptionV3 with the weights in `path`.

    Tries the model without the classifier first (the notop file, or a
    full `.weights.h5` file, whose extra classifier Keras ignores), then
    with it (a full legacy `.h5` file, which must match layer for layer),
    keeping the output of its "avg_pool" layer.
    """
    errors = []
    for include_top in (False, True):
        model = keras.applications.InceptionV3(
            include_top=include_top,
            weights=None,
            pooling=None if include_top else "avg",
            input_shape=(IMAGE_SIZE, IMAGE_SIZE, 3),
        )
        try:
            # A failed attempt also warns about every layer it skipped.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.load_weights(path)
        except Exception as error:  # h5py raises OSError, Keras ValueError.
            errors.append(error)
            continue
        if include_top:
            model = keras.Model(
                model.input, model.get_layer("avg_pool").output,
                name="inception_v3_pool",
            )
        return model
    raise ValueError(
        f"{path!r} is not an InceptionV3 weight file. Loading it into "
        f"InceptionV3(include_top=False) failed with: {errors[0]}\n"
        f"and into InceptionV3(include_top=True) with: {errors[1]}\n"
        + _fetch_help()
    ) from errors[-1]


class InceptionFeatures(keras.Model):
    """Maps images in [-1, 1] to InceptionV3 pool features.

    Call it (or its `predict`) on float images of shape `(N, H, W, C)`,
    channels last, with values in [-1, 1] and C = 1 (tiled to 3) or 3; it
    returns float32 features of shape `(N, 2048)`. Build it with
    `build_inception_features`.

    Attributes:
        inception: The Keras InceptionV3 model on 299 x 299 inputs in
            InceptionV3's own scale, returning the pool features.
    """

    def __init__(self, inception, **kwargs):
        super().__init__(**kwargs)
        self.inception = inception

    def call(self, images):
        x = keras.ops.cast(images, "float32")
        channels = x.shape[-1]
        if len(x.shape) != 4 or channels not in (1, 3):
            raise ValueError(
                "Images must have shape (N, H, W, C) with C = 1 or 3. "
                f"Received: images.shape={tuple(x.shape)}"
            )
        if channels == 1:
            x = keras.ops.repeat(x, 3, axis=-1)
        x = keras.ops.image.resize(
            x, (IMAGE_SIZE, IMAGE_SIZE), interpolation="bilinear",
            antialias=False,
        )
        # `preprocess_input` maps [0, 255] to InceptionV3's [-1, 1]. Our
        # images already are in [-1, 1]; going through [0, 255] keeps the
        # documented Keras path (and stays right should it ever change).
        x = (x + 1.0) * 127.5
        x = inception_v3.preprocess_input(x)
        return self.inception(x, training=False)


def build_inception_features(weights_path=None):
    """The InceptionV3 feature extractor with the user's ImageNet weights.

    Args:
        weights_path: Path of an InceptionV3 weight file: a Keras 3
            `.weights.h5` file or one of the legacy `.h5` files of
            `keras.applications`, of the model with or without its
            classifier (see the module docstring). None looks for the
            files Keras caches (`default_weight_paths()`).

    Returns:
        An `InceptionFeatures` model: images in [-1, 1] of shape
        `(N, H, W, C)`, C in {1, 3} -> float32 features `(N, 2048)`.

    Raises:
        FileNotFoundError: If the file does not exist (the message says
            how to fetch it).
        ValueError: If the file does not hold InceptionV3 weights.
    """
    if weights_path is None:
        candidates = default_weight_paths()
        found = [p for p in candidates if os.path.isfile(p)]
        if not found:
            raise FileNotFoundError(
                "No InceptionV3 weights given (weights_path=None) and none "
                "cached by Keras at " + ", ".join(candidates) + ". "
                + _fetch_help()
            )
        path = found[0]
    else:
        path = os.path.expanduser(os.fspath(weights_path))
        if not os.path.isfile(path):
            raise FileNotFoundError(
                f"InceptionV3 weight file not found: {path!r}. "
                + _fetch_help()
            )
    return InceptionFeatures(_load_inception(path), name="inception_features")


def inception_features(images, model, batch_size=50):
    """Runs images through a feature extractor in batches.

    Args:
        images: Array-like of shape `(N, H, W, C)`, N > 0, float values in
            [-1, 1]; anything sliceable (a numpy array, a memory map).
        model: The `InceptionFeatures` of `build_inception_features`, or
            any Keras model or callable mapping a batch of images to
            features `(n, D)`.
        batch_size: Positive integer, images per forward pass.

    Returns:
        float32 numpy array of shape `(N, D)`, D = 2048 for Inception.

    Raises:
        ValueError: If `images` is not 4-D or empty, or `batch_size` < 1.
    """
    shape = np.shape(images)
    if len(shape) != 4 or shape[0] == 0:
        raise ValueError(
            "`images` must have shape (N, H, W, C) with N > 0. "
            f"Received: images.shape={shape}"
        )
    batch_size = validation.check_int("batch_size", batch_size)
    # `predict_on_batch` runs a compiled function: much faster than eager
    # calls through InceptionV3's ~300 layers.
    forward = getattr(model, "predict_on_batch", model)
    features = []
    for start in range(0, shape[0], batch_size):
        batch = np.asarray(images[start:start + batch_size], dtype="float32")
        features.append(np.asarray(forward(batch), dtype="float32"))
    return np.concatenate(features, axis=0)
