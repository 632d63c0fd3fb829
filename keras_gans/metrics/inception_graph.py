"""pool_3 features and class probabilities from the 2015 Inception graph.

Published FIDs (Heusel et al. 2017, and the papers that use their TTUR
code) and Inception Scores (Salimans et al. 2016) come from one frozen
TensorFlow graph, `classify_image_graph_def.pb` of
http://download.tensorflow.org/models/image/imagenet/inception-2015-12-05.tgz
(`FETCH_COMMAND` extracts it). This module runs that graph as the two
reference codes do, so its numbers can be compared with theirs:

- input: the tensor `ExpandDims:0`, float images of any size in
  [0, 255], shape `(N, H, W, 3)`. The graph itself resizes them to
  299 x 299 with its own (TF1, corner-aligned-off) bilinear op and scales
  them to [-1, 1], exactly as in TTUR's `fid.py`, which feeds
  `FID_Inception_Net/ExpandDims:0` (its import prefix). Our images in
  [-1, 1] are mapped to [0, 255] and rounded to integers, the values a
  PNG of the samples (what TTUR's command line reads) would hold.
- FID: the 2048 values of `pool_3:0` (shape `(N, 1, 1, 2048)`).
- IS: improved-gan's `inception_score/model.py` takes the weights of
  `softmax/logits/MatMul` and computes `softmax(pool_3 @ W)` itself,
  without the layer's bias and over all 1008 outputs; so does this
  module, since that is the score papers report (with the bias the score
  comes out higher: 11.23 against 10.95 on CIFAR-10's test images,
  improved-gan issue #39).

The batch-shape fix. The graph was frozen for one JPEG at a time: its
input is `ExpandDims` of a decoded image, so every tensor has a static
batch dimension of 1, and `pool_3/_reshape` (hence the graph's own
`softmax:0`) is hard-wired to shape `[1, 2048]`. TTUR and improved-gan
rewrite the batch dimension of every tensor to None after import. Here
`ExpandDims:0` is replaced at import (`input_map`) by an input of shape
`(None, None, None, 3)`, so shape inference never sees the 1, and the
softmax is recomputed from `pool_3` (never `pool_3/_reshape`). The
import runs inside `tf.compat.v1.wrap_function`, giving a TF2 concrete
function; no session, no global graph.

The batch norms. The graph's `BatchNormWithGlobalNormalization` op was
removed from TensorFlow for GraphDefs of version 9 on; a session still
runs it for the old file, a TF2 function (of today's version) refuses
it. `modernize_batch_norms` rewrites each into the kernel's own formula,
`(x - mean) * (rsqrt(variance + epsilon) * gamma) + beta`, under the
node's name, before import.

Example:

```python
from keras_gans.metrics import frechet, inception_graph, inception_score

graph = inception_graph.load_inception_graph("classify_image_graph_def.pb")
real, _ = graph.features_and_probabilities(real_images)  # in [-1, 1]
fake, probabilities = graph.features_and_probabilities(fake_images)
frechet.frechet_distance(real, fake)                # TTUR's FID
inception_score.inception_score(probabilities)      # (mean, std), 10 splits
```

Reference:
    - [Heusel et al., 2017](https://arxiv.org/abs/1706.08500) (FID;
      github.com/bioinf-jku/TTUR, `fid.py`)
    - [Salimans et al., 2016](https://arxiv.org/abs/1606.03498) (IS;
      github.com/openai/improved-gan, `inception_score/model.py`)
    - [Szegedy et al., 2015](https://arxiv.org/abs/1512.00567)
"""

import os

import numpy as np
import tensorflow as tf

from keras_gans import validation

GRAPH_FILE = "classify_image_graph_def.pb"
GRAPH_URL = ("http://download.tensorflow.org/models/image/imagenet/"
             "inception-2015-12-05.tgz")
FETCH_COMMAND = f"curl -L {GRAPH_URL} | tar -xz {GRAPH_FILE}"
# The tensors TTUR and improved-gan use (names inside the GraphDef).
INPUT_TENSOR = "ExpandDims:0"
POOL_TENSOR = "pool_3:0"
LOGITS_MATMUL = "softmax/logits/MatMul"
# TTUR's default batch.
BATCH_SIZE = 50


def _fetch_help():
    return (f"Fetch it once on a machine with internet access: "
            f"{FETCH_COMMAND} (this code never downloads).")


def load_graph_def(path):
    """Reads and checks the 2015 Inception GraphDef.

    Args:
        path: a `classify_image_graph_def.pb` file.

    Returns:
        A `tf.compat.v1.GraphDef` holding the nodes `ExpandDims`,
        `pool_3` and `softmax/logits/MatMul`.

    Raises:
        FileNotFoundError: no such file (the message says how to fetch it).
        ValueError: a file that is not such a graph.
    """
    path = os.path.expanduser(os.fspath(path))
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"--inception_graph file not found: {path!r}. " + _fetch_help())
    with open(path, "rb") as f:
        data = f.read()
    graph_def = tf.compat.v1.GraphDef()
    try:
        graph_def.ParseFromString(data)
    except Exception as error:  # protobuf's DecodeError, RuntimeWarning.
        reason = " ".join(str(error).split())  # one line
        raise ValueError(
            f"--inception_graph {path!r} is not a TensorFlow GraphDef "
            f"(expected {GRAPH_FILE}; parsing failed: {reason}). "
            f"Received: inception_graph={path!r}") from None
    names = {node.name for node in graph_def.node}
    missing = [t.split(":")[0] for t in (INPUT_TENSOR, POOL_TENSOR,
                                         LOGITS_MATMUL)
               if t.split(":")[0] not in names]
    if missing:
        raise ValueError(
            f"--inception_graph {path!r} is not the 2015 Inception graph "
            f"({GRAPH_FILE}): it has {len(names)} nodes and none named "
            f"{', '.join(missing)}. Received: inception_graph={path!r}")
    return graph_def


def _node(name, op, inputs, dtype, device=""):
    node = tf.compat.v1.NodeDef(name=name, op=op, input=inputs,
                                device=device)
    node.attr["T"].type = dtype
    return node


def modernize_batch_norms(graph_def):
    """A copy of `graph_def` whose `BatchNormWithGlobalNormalization`
    nodes are written with today's ops (same name, same output).

    Args:
        graph_def: a `tf.compat.v1.GraphDef`.

    Returns:
        A new GraphDef; `graph_def` itself is left as it is.
    """
    out = tf.compat.v1.GraphDef()
    out.versions.CopyFrom(graph_def.versions)
    out.library.CopyFrom(graph_def.library)
    for node in graph_def.node:
        if node.op != "BatchNormWithGlobalNormalization":
            out.node.add().CopyFrom(node)
            continue
        data = [i for i in node.input if not i.startswith("^")]
        control = [i for i in node.input if i.startswith("^")]
        x, mean, variance, beta, gamma = data
        dtype, name, device = node.attr["T"].type, node.name, node.device
        epsilon = out.node.add(name=f"{name}/modern/epsilon", op="Const",
                               device=device)
        epsilon.attr["dtype"].type = dtype
        epsilon.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(
            node.attr["variance_epsilon"].f,
            tf.dtypes.as_dtype(dtype)))
        scale = f"{name}/modern/rsqrt"
        out.node.extend([
            _node(f"{name}/modern/add", "AddV2", [variance, epsilon.name],
                  dtype, device),
            _node(scale, "Rsqrt", [f"{name}/modern/add"], dtype, device)])
        if node.attr["scale_after_normalization"].b:
            out.node.append(_node(f"{name}/modern/scale", "Mul",
                                  [scale, gamma], dtype, device))
            scale = f"{name}/modern/scale"
        out.node.extend([
            _node(f"{name}/modern/centered", "Sub", [x, mean], dtype,
                  device),
            _node(f"{name}/modern/scaled", "Mul",
                  [f"{name}/modern/centered", scale], dtype, device),
            _node(name, "AddV2", [f"{name}/modern/scaled", beta] + control,
                  dtype, device)])
    return out


def _to_pixels(images):
    """Images in [-1, 1], (n, H, W, C), C in {1, 3} -> float32 [0, 255]
    with integer values and 3 channels."""
    x = np.asarray(images, dtype="float32")
    if x.ndim != 4 or x.shape[-1] not in (1, 3) or len(x) == 0:
        raise ValueError(
            "Images must have shape (N, H, W, C) with N > 0 and C = 1 or 3. "
            f"Received: images.shape={x.shape}")
    if x.shape[-1] == 1:
        x = np.repeat(x, 3, axis=-1)
    return np.clip(np.rint((x + 1.0) * 127.5), 0.0, 255.0)


class InceptionGraph:
    """The 2015 Inception graph as a TF2 function.

    Args:
        graph_def: a GraphDef from `load_graph_def`.
        path: where it came from (for messages).

    Attributes:
        feature_dim: width of `pool_3` (2048 for the real graph).
        num_classes: outputs of the softmax (1008 for the real graph).
    """

    def __init__(self, graph_def, path=None):
        self.path = path
        graph_def = modernize_batch_norms(graph_def)
        shapes = {}

        def forward(pixels):
            pool, matmul = tf.compat.v1.import_graph_def(
                graph_def, input_map={INPUT_TENSOR: pixels},
                return_elements=[POOL_TENSOR, LOGITS_MATMUL],
                name="inception")
            weights = matmul.inputs[1]
            shapes["pool"], shapes["weights"] = pool.shape, weights.shape
            features = tf.reshape(pool, [-1, pool.shape[-1]])
            return features, tf.nn.softmax(tf.matmul(features, weights))

        wrapped = tf.compat.v1.wrap_function(
            forward, [tf.TensorSpec([None, None, None, 3], tf.float32)])
        pool, weights = shapes["pool"], shapes["weights"]
        if (pool.rank != 4 or tuple(pool[1:3]) != (1, 1)
                or weights.rank != 2 or weights[0] != pool[-1]):
            raise ValueError(
                f"--inception_graph {path!r}: {POOL_TENSOR} must have shape "
                "(N, 1, 1, D) and the weights of the softmax layer (D, K). "
                f"Received: pool_3 {pool}, weights {weights}")
        self.feature_dim = int(pool[-1])
        self.num_classes = int(weights[1])
        self._forward = wrapped

    def features_and_probabilities(self, images, batch_size=BATCH_SIZE):
        """pool_3 features and class probabilities of images.

        Args:
            images: array-like `(N, H, W, C)`, float in [-1, 1], C in
                {1, 3} (grey is tiled), any H and W; sliceable (a memory
                map works).
            batch_size: images per forward pass (TTUR's 50). Unlike
                TTUR's `get_activations`, a last partial batch is kept.

        Returns:
            `(features, probabilities)`: float64 arrays `(N, D)` and
            `(N, K)`.
        """
        batch_size = validation.check_int("batch_size", batch_size)
        n = len(images)
        features, probabilities = [], []
        for start in range(0, max(n, 1), batch_size):
            pixels = _to_pixels(images[start:start + batch_size])
            f, p = self._forward(tf.constant(pixels))
            features.append(f.numpy().astype("float64"))
            probabilities.append(p.numpy().astype("float64"))
        return np.concatenate(features), np.concatenate(probabilities)

    def __call__(self, images):
        return self.features_and_probabilities(images)


def load_inception_graph(path):
    """`InceptionGraph` of a `classify_image_graph_def.pb` file (see
    `load_graph_def` for the errors)."""
    path = os.path.expanduser(os.fspath(path))
    return InceptionGraph(load_graph_def(path), path=path)
