"""Export a trained generator for serving: SavedModel (+ ONNX) and metadata.

The export directory holds a TensorFlow SavedModel (`saved_model.pb`
directly inside it), optionally `generator.onnx`, and `keras_gans.json`,
which describes the contract a client needs:

- signature `serving_default`: input `z`, float32 of shape
  (batch, latent_dim), drawn from the noise the generator trained on
  (`metadata["inputs"]["z"]["noise"]`: {"distribution": "normal" or
  "uniform", "scale": its std or half-width}; standard normal unless the
  run set --latent_distribution / --latent_scale); output dict with one key
  `samples`: uint8 NHWC images in [0, 255] of shape (batch, H, W, C) for
  image generators, float32 points of shape (batch, D) for point generators.
- signature `generate_raw`: same inputs, output `samples` is the generator's
  raw float32 output (images in [-1, 1]).
- `generator.onnx` (when asked for): the `serving_default` computation, the
  same inputs, output `samples`, dynamic batch dimension named `batch`.

Conditional generators take a second input, after `z` (both signatures and
ONNX), with the same batch size as `z`:

- `labels` (cGAN, ACGAN; `metadata["labels"]` is not null): the dataset's
  labels in their raw format, `metadata["labels"]["shape"]` after the batch
  and `metadata["labels"]["dtype"]`:
  - `"class"`: int32 (batch,), the class index in `names`.
  - `"attributes"`: int32 (batch, num_attributes), one column per
    attribute, the value's index in its `values` list; binary attributes
    0/1.
  - `"multi_hot"`: float32 (batch, len(names)), 1.0 where the label is
    present, else 0.0.
  `metadata["labels"]["tags"]` lists the tags ("blue hair", "glasses",
  ...); `LabelSpec.from_dict(metadata["labels"]).parse_tags("blue hair, red
  eyes")` turns text into a label. The SavedModel rejects a wrong rank or
  width at the signature, and a class or attribute index outside [0, n), a
  multi-hot value other than 0 or 1 or a batch size other than z's with an
  InvalidArgumentError naming the problem.
- `codes` (InfoGAN; `metadata["codes"]` present): float32 (batch,
  code_dim): each categorical code one-hot over its categories, then the
  continuous codes (uniform in [-1, 1] in training; values outside
  extrapolate). `metadata["codes"]["layout"]` lists which columns are which
  code; `CodeSpec.from_dict(metadata["codes"])` (`keras_gans.datasets.
  codes`) makes codes from their values (`encode`) or at random
  (`random`).

`metadata["inputs"]` describes every input (shape, dtype, description), so
a client can build requests without reading this code. The ONNX model
checks shapes and dtypes only: it does not reject out-of-range label
values (an out-of-range index gives an all-zero one-hot, i.e. garbage).

Example:

```python
metadata = export_generator(
    gan.generator, "exports/dcgan", latent_dim=100, sample_kind="image",
    dataset="mnist", formats=("saved_model", "onnx"))
sample, metadata = load_exported("exports/dcgan")
images = sample(np.random.normal(size=(16, 100)).astype("float32"))
# images: uint8 array of shape (16, 28, 28, 1).

# A conditional export (faces, attributes):
sample, metadata = load_exported("exports/acgan")
labels = np.stack([sample.label_spec.parse_tags("blue hair, red eyes")] * 16)
images = sample(np.random.normal(size=(16, 100)).astype("float32"), labels)
```

The package: `contract` (input names, constants, the served output, the
conditional input and the metadata), `writers` (`export_generator`: the
generator's checks, the SavedModel and ONNX writers) and `client`
(`load_exported`).
"""

from keras_gans.export.client import load_exported  # noqa: F401
from keras_gans.export.contract import CODES_INPUT  # noqa: F401
from keras_gans.export.contract import FORMAT_VERSION  # noqa: F401
from keras_gans.export.contract import FORMATS  # noqa: F401
from keras_gans.export.contract import LABELS_INPUT  # noqa: F401
from keras_gans.export.contract import METADATA_FILENAME  # noqa: F401
from keras_gans.export.contract import ONNX_FILENAME  # noqa: F401
from keras_gans.export.contract import OUTPUT_KEY  # noqa: F401
from keras_gans.export.contract import RAW_SIGNATURE_NAME  # noqa: F401
from keras_gans.export.contract import RESERVED_KEYS  # noqa: F401
from keras_gans.export.contract import SAMPLE_KINDS  # noqa: F401
from keras_gans.export.contract import SIGNATURE_NAME  # noqa: F401
from keras_gans.export.contract import Z_INPUT  # noqa: F401
from keras_gans.export.contract import postprocess  # noqa: F401
from keras_gans.export.writers import export_generator  # noqa: F401
