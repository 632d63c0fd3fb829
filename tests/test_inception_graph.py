"""The 2015 Inception graph's FID and Inception Score, on a stand-in graph.

No test downloads anything: the graph is a tiny TF1 GraphDef built here
with the real one's conventions, so the loader, the batching and the
batch-shape fix all run as on `classify_image_graph_def.pb`:

    DecodeJpeg/contents -> DecodeJpeg -> Cast -> ExpandDims (batch 1)
    -> ResizeBilinear (SIDE x SIDE) -> (x - 128) / 128 -> 1x1 conv
    -> BatchNormWithGlobalNormalization -> relu
    -> pool_3 (1, 1, 1, C) -> pool_3/_reshape [1, C]
    -> softmax/logits/MatMul -> + bias -> softmax

The batch norm is the real graph's op, removed from TensorFlow for
GraphDefs of version 9 on; like the real file (2015), the stand-in
declares an older producer version. Its numbers are checked against the
same network written in NumPy.
"""

import numpy as np
import pytest
import tensorflow as tf
from absl import flags
from absl.testing import flagsaver

from flags import config_flags
from keras_gans import config as config_lib
from keras_gans import eval_lib
from keras_gans import eval_report
from keras_gans import evaluation
from keras_gans import samplers
from keras_gans.datasets import registry
from keras_gans.metrics import frechet
from keras_gans.metrics import inception_graph
from keras_gans.metrics import inception_score

SIDE, C, K = 8, 6, 5
_rng = np.random.default_rng(0)
CONV = _rng.normal(size=(3, C)).astype("float32")
WEIGHTS = _rng.normal(size=(C, K)).astype("float32")
BIAS = _rng.normal(size=(K,)).astype("float32")
# The batch norm's mean, variance, beta and gamma, and epsilon.
NORM = [_rng.normal(size=C).astype("float32") for _ in range(4)]
NORM[1] = np.abs(NORM[1]) + 0.5
EPSILON = 1e-3


def _stand_in_graph_def():
    graph = tf.Graph()
    with graph.as_default():
        contents = tf.compat.v1.placeholder(tf.string, [],
                                            name="DecodeJpeg/contents")
        image = tf.io.decode_jpeg(contents, channels=3, name="DecodeJpeg")
        x = tf.expand_dims(tf.cast(image, tf.float32, name="Cast"), 0,
                           name="ExpandDims")
        x = tf.compat.v1.image.resize_bilinear(x, [SIDE, SIDE],
                                               name="ResizeBilinear")
        x = (x - 128.0) / 128.0
        x = tf.nn.conv2d(x, CONV[None, None], 1, "VALID")
        norm = [tf.constant(v, name=f"bn/{name}") for v, name in
                zip(NORM, ("mean", "variance", "beta", "gamma"))]
        x = tf.nn.relu(tf.identity(x, name="bn"))  # becomes the batch norm
        pool = tf.nn.avg_pool2d(x, SIDE, SIDE, "VALID", name="pool_3")
        flat = tf.reshape(pool, [1, C], name="pool_3/_reshape")
        logits = tf.matmul(flat, tf.constant(WEIGHTS, name="softmax/weights"),
                           name="softmax/logits/MatMul")
        tf.nn.softmax(tf.nn.bias_add(logits, BIAS), name="softmax")
    graph_def = graph.as_graph_def()
    # Today's TensorFlow refuses to build this op; write its node.
    node = next(n for n in graph_def.node if n.name == "bn")
    node.op = "BatchNormWithGlobalNormalization"
    node.input.extend(t.op.name for t in norm)
    node.attr["variance_epsilon"].f = EPSILON
    node.attr["scale_after_normalization"].b = True
    graph_def.versions.producer = 8
    return graph_def


def _numpy_reference(images):
    """The stand-in network in NumPy, on SIDE x SIDE images in [-1, 1]
    (the graph's resize is then the identity); the softmax without the
    bias, as improved-gan computes it."""
    pixels = np.clip(np.rint((np.asarray(images, "float64") + 1) * 127.5),
                     0, 255)
    if pixels.shape[-1] == 1:
        pixels = np.repeat(pixels, 3, axis=-1)
    hidden = (pixels - 128.0) / 128.0 @ CONV
    mean, variance, beta, gamma = NORM
    hidden = (hidden - mean) / np.sqrt(variance + EPSILON) * gamma + beta
    hidden = np.maximum(hidden, 0.0)
    features = hidden.mean(axis=(1, 2))
    logits = features @ WEIGHTS
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return features, e / e.sum(axis=1, keepdims=True)


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("inception") / inception_graph.GRAPH_FILE
    path.write_bytes(_stand_in_graph_def().SerializeToString())
    return str(path)


@pytest.fixture(scope="module")
def graph(graph_file):
    return inception_graph.load_inception_graph(graph_file)


IMAGES = np.random.default_rng(1).uniform(
    -1, 1, size=(7, SIDE, SIDE, 3)).astype("float32")


def test_features_and_probabilities_match_numpy(graph):
    assert (graph.feature_dim, graph.num_classes) == (C, K)
    # 7 images in batches of 3: the stand-in's static batch is 1, as the
    # real graph's, so this runs only with the batch-shape fix; and the
    # last, partial batch is kept.
    features, probabilities = graph.features_and_probabilities(
        IMAGES, batch_size=3)
    expected_features, expected_probabilities = _numpy_reference(IMAGES)
    assert features.shape == (7, C) and probabilities.shape == (7, K)
    np.testing.assert_allclose(features, expected_features, rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(probabilities, expected_probabilities,
                               rtol=1e-5, atol=1e-6)
    one_by_one = graph.features_and_probabilities(IMAGES, batch_size=1)
    np.testing.assert_allclose(one_by_one[0], features, rtol=1e-5,
                               atol=1e-6)


def test_grey_and_any_size(graph):
    grey = IMAGES[:4, :, :, :1]
    features, _ = graph.features_and_probabilities(grey)
    np.testing.assert_allclose(features, _numpy_reference(grey)[0],
                               rtol=1e-5, atol=1e-6)
    # Any size: the graph resizes (here 5 x 11 -> 8 x 8).
    small = np.random.default_rng(2).uniform(-1, 1, (3, 5, 11, 3))
    features, probabilities = graph.features_and_probabilities(small)
    assert features.shape == (3, C) and np.all(np.isfinite(features))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    # A constant image is constant after resizing: compare with NumPy.
    flat = np.full((2, 5, 11, 3), 0.3, "float32")
    np.testing.assert_allclose(
        graph.features_and_probabilities(flat)[0],
        _numpy_reference(np.full((2, SIDE, SIDE, 3), 0.3))[0],
        rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape", [(2, 8, 8), (2, 8, 8, 2), (0, 8, 8, 3)])
def test_bad_image_shapes(graph, shape):
    with pytest.raises(ValueError, match="Received: images.shape"):
        graph.features_and_probabilities(np.zeros(shape, "float32"))


def test_missing_file_says_how_to_fetch(tmp_path):
    path = str(tmp_path / inception_graph.GRAPH_FILE)
    with pytest.raises(FileNotFoundError, match="--inception_graph") as info:
        inception_graph.load_inception_graph(path)
    assert path in str(info.value)
    assert inception_graph.GRAPH_URL in str(info.value)


@pytest.mark.parametrize("kind", ["text", "empty", "other graph"])
def test_not_the_inception_graph(tmp_path, kind):
    path = tmp_path / f"{kind.replace(' ', '_')}.pb"
    if kind == "text":
        path.write_text("this is not a graph\n")
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        graph = tf.Graph()
        with graph.as_default():
            tf.constant(1.0, name="ExpandDims")
        path.write_bytes(graph.as_graph_def().SerializeToString())
    with pytest.raises(ValueError, match="--inception_graph") as info:
        inception_graph.load_inception_graph(str(path))
    message = str(info.value)
    assert f"Received: inception_graph={str(path)!r}" in message
    assert "\n" not in message
    if kind != "text":
        assert "pool_3" in message


# The Inception Score.


def test_inception_score_extremes():
    confident = np.eye(10)[np.arange(1000) % 10]
    np.testing.assert_allclose(inception_score.inception_score(confident),
                               (10.0, 0.0), atol=1e-9)
    same = np.tile([[0.2, 0.3, 0.5]], (100, 1))
    np.testing.assert_allclose(inception_score.inception_score(same),
                               (1.0, 0.0), atol=1e-9)


def test_inception_score_is_improved_gans_formula():
    scipy_stats = pytest.importorskip("scipy.stats")
    p = np.random.default_rng(3).dirichlet(np.full(8, 0.3), size=1003)
    scores = []
    for i in range(10):  # consecutive splits, as improved-gan cuts them
        part = p[i * 1003 // 10:(i + 1) * 1003 // 10]
        marginal = part.mean(axis=0)
        scores.append(np.exp(np.mean(
            [scipy_stats.entropy(row, marginal) for row in part])))
    mean, std = inception_score.inception_score(p)
    np.testing.assert_allclose([mean, std], [np.mean(scores), np.std(scores)],
                               rtol=1e-10)
    assert inception_score.inception_score(p, splits=1)[1] == 0.0


@pytest.mark.parametrize("probabilities", [
    np.ones((9, 3)) / 3, np.ones(30), -np.ones((20, 3))])
def test_inception_score_bad_input(probabilities):
    with pytest.raises(ValueError, match="Received: "):
        inception_score.inception_score(probabilities)


# --mode=eval.


@pytest.mark.slow
def test_evaluation_reports_graph_fid_and_is(graph, graph_file):
    spec = registry.dataset_spec("faces")
    config = config_lib.TrainConfig(dataset="faces",
                                    inception_graph=graph_file)
    run_eval = eval_lib.make_evaluation(config, spec, num_samples=60)
    assert run_eval.inception_graph is not None
    result = run_eval(samplers.real_sampler(spec), seed=5)
    m = result["metrics"]
    keys = run_eval.metric_keys(conditional=True)  # real labels requested
    assert list(m) == keys
    for key in ("fid_inception_graph", "is_inception_graph",
                "is_inception_graph_std", "is_inception_graph_real"):
        assert key in keys
    real, _ = samplers.real_samples(spec, 60)
    fake, _ = samplers.real_sampler(spec).sample(60, 5)
    real_f, real_p = _features(graph, real)
    fake_f, fake_p = _features(graph, fake)
    np.testing.assert_allclose(m["fid_inception_graph"],
                               frechet.frechet_distance(real_f, fake_f),
                               rtol=1e-6)
    np.testing.assert_allclose(
        [m["is_inception_graph"], m["is_inception_graph_std"]],
        inception_score.inception_score(fake_p), rtol=1e-6)
    np.testing.assert_allclose(m["is_inception_graph_real"],
                               inception_score.inception_score(real_p)[0],
                               rtol=1e-6)
    assert evaluation.higher_is_better("is_inception_graph")
    rows = {line.split(" | ")[0]: line
            for line in eval_report.metric_table(result)}
    score = rows["| Inception Score (Inception 2015 graph)"]
    assert " ± " in score and score.endswith("| higher |")
    assert rows["| Inception Score (Inception 2015 graph), real data"
                ].endswith("| the data's own |")
    assert rows["| FID (Inception 2015 graph, TTUR)"].endswith("| lower |")
    assert not any("is_inception_graph_std" in row for row in rows)


@pytest.mark.slow
def test_the_graph_alone_scores_unlabelled_images(graph):
    spec = registry.dataset_spec("faces")
    run_eval = evaluation.Evaluation(spec, inception_graph=graph,
                                     num_samples=40, kid_subsets=5)
    result = run_eval(samplers.real_sampler(spec), seed=5)
    assert result["feature_space"] == evaluation.GRAPH_SPACE
    m = result["metrics"]
    assert m["fd"] == m["fid_inception_graph"]
    assert result["names"]["fd"] == "FID (Inception 2015 graph)"


def _features(graph, samples):
    return graph.features_and_probabilities(
        samplers.as_float_images(samples))


@flagsaver.flagsaver
def test_flags_reach_the_config():
    flags.FLAGS.unparse_flags()
    flags.FLAGS(["run.py", "--inception_graph=g.pb",
                 "--face_cascade=c.xml"])
    config = config_flags.config_from_flags(flags.FLAGS)
    assert (config.inception_graph, config.face_cascade) == ("g.pb", "c.xml")
    for name in ("inception_graph", "face_cascade"):
        assert name in config_lib.RESUMABLE_FIELDS
    for name in ("fid_inception_graph", "is_inception_graph",
                 "faces_per_25"):
        assert name in config_lib.KEEP_BEST_METRICS
