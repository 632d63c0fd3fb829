"""Evaluating a generator against real data: samples -> features -> metrics.

`Evaluation(spec, ...)` draws a real reference sample once and keeps its
features; calling it on a `keras_gans.samplers.Sampler` (a generator, real data, a
collapsed stand-in) returns one result dict. The metrics
(all keys flat, so they can go into a Keras history):

| key | what | better |
|---|---|---|
| `fd` | Frechet distance of the features ("FID (faces evaluator)"; FID proper only with Inception features) | lower |
| `kid`, `kid_std` | kernel inception distance (unbiased MMD^2, cubic kernel) and its std over random subsets | lower |
| `precision`, `recall` | Kynkaanniemi et al. 2019, k-NN manifolds (k = 3) | higher |
| `fid_inception`, `kid_inception` | the same on InceptionV3 pool features, with `--inception_weights` | lower |
| `fid_inception_graph`, `is_inception_graph` (`_std`, `_real`) | FID and Inception Score from the 2015 Inception graph, with `--inception_graph`, as TTUR and improved-gan compute them (`metrics.inception_graph`); the real data's own IS beside | lower, higher |
| `faces_per_25`, `faces_per_25_real` | images of every 25 in which an OpenCV cascade finds a face, with `--face_cascade` (`metrics.face_count`) | higher, as the real |
| `accuracy`, `accuracy/<attribute>`, `all_correct` | the evaluator names the requested labels (conditional samplers) | higher |
| `distinct_classes`, `distinct/<attribute>` | classes the evaluator finds among the samples (collapse signal) | higher |
| `modes_covered`, `high_quality`, `kl` | 2-D mixtures: VEEGAN/PacGAN mode coverage | higher, higher, lower |
| `ms_ssim`, `ms_ssim_real` | images: mean MS-SSIM of random pairs sharing the requested labels (conditional samplers; all pairs otherwise), and of real pairs drawn the same way: the anchor (Odena et al. 2017) | lower = more varied; as the real |

Features: the dataset's evaluator (its penultimate layer) for images, the
points themselves for 2-D data, InceptionV3 when its weights are given.
Frechet distance and KID are biased by the sample size: compare values
measured with the same `num_samples`.

Example:

```python
from keras_gans import evaluation, evaluators, samplers
from keras_gans.datasets import registry

spec = registry.dataset_spec("faces")
run_eval = evaluation.Evaluation(spec, evaluators.load_shipped("faces"),
                                 num_samples=2000)
result = run_eval(samplers.generator_sampler(gan.generate, 100))
result["metrics"]["fd"]
```
"""

import logging

import numpy as np

from keras_gans import samplers
from keras_gans import validation
from keras_gans.metrics import classification
from keras_gans.metrics import frechet
from keras_gans.metrics import inception_score as is_lib
from keras_gans.metrics import kid as kid_lib
from keras_gans.metrics import mode_coverage
from keras_gans.metrics import ms_ssim as ms_ssim_lib
from keras_gans.metrics import precision_recall as pr_lib

DEFAULT_NUM_SAMPLES = 10_000
KID_SUBSET_SIZE = 1000
KID_SUBSETS = 100
PR_NEIGHBOURS = 3
# The feature space of `inception_graph` (metrics.inception_graph).
GRAPH_SPACE = "Inception 2015 graph"
HIGHER_IS_BETTER = (
    "precision", "recall", "accuracy", "all_correct", "categorical_correct",
    "image_accuracy", "distinct_classes",
    "distinct_combinations", "modes_covered", "high_quality",
    "is_inception_graph", "faces_per_25",
)

log = logging.getLogger("keras_gans")


def higher_is_better(metric):
    """Whether a larger value of `metric` (a result key) is better."""
    return metric.split("/")[0] in HIGHER_IS_BETTER or metric.startswith(
        ("accuracy/", "distinct/"))


def _split_totals(counts):
    """(metrics, totals): the constant "num_*" entries (how many classes
    there are) apart from the measured counts."""
    metrics = {k: v for k, v in counts.items() if not k.startswith("num_")}
    totals = {k: v for k, v in counts.items() if k.startswith("num_")}
    return metrics, totals


class Evaluation:
    """Scores samplers against one real reference sample.

    Args:
        spec: the dataset's `DataSpec`.
        evaluator: an `evaluators.Evaluator` for image data (its features
            and predictions), or None (then only Inception metrics, if
            any, for images).
        inception: optional `(features_fn, "InceptionV3")` pair:
            `features_fn(images) -> (N, 2048)` (see
            `metrics.inception`).
        num_samples: samples per side (real and generated).
        data_dir: where real data live (folders, tfds).
        real_seed: seed of the real reference sample.
        kid_subsets, kid_subset_size: KID's random subsets.
        pr_neighbours: k of precision/recall.
        inception_graph: optional `metrics.inception_graph.InceptionGraph`
            (or any `images -> (features (N, D), probabilities (N, K))`):
            adds `fid_inception_graph` and `is_inception_graph`.
        face_counter: optional `metrics.face_count.FaceCounter` (or any
            `images -> faces per 25`): adds `faces_per_25`.

    Raises:
        ValueError: image data with neither an evaluator nor Inception, or
            an evaluator of other labels or another dataset.
    """

    def __init__(self, spec, evaluator=None, inception=None,
                 num_samples=DEFAULT_NUM_SAMPLES, data_dir=None,
                 real_seed=samplers.REAL_SEED, kid_subsets=KID_SUBSETS,
                 kid_subset_size=KID_SUBSET_SIZE,
                 pr_neighbours=PR_NEIGHBOURS, inception_graph=None,
                 face_counter=None):
        num_samples = validation.check_int(
            "num_samples", num_samples, minimum=max(10, 2 * pr_neighbours),
            what="(Frechet distance, KID and precision/recall need samples)")
        if spec.kind == "image" and evaluator is None and inception is None \
                and inception_graph is None:
            raise ValueError(
                f"No evaluator for the {spec.name!r} dataset: pass evaluator "
                "(train one with `python run.py --mode=train_evaluator`, "
                "labelled data), inception (InceptionV3 features, "
                "`metrics.inception`) or inception_graph (the 2015 graph, "
                "`metrics.inception_graph`). Received: evaluator=None, "
                "inception=None, inception_graph=None"
            )
        if evaluator is not None and spec.label_spec is not None and (
                evaluator.label_spec != spec.label_spec):
            raise ValueError(
                f"The {evaluator.name} evaluator predicts other labels than "
                f"the {spec.name!r} dataset has: it knows "
                f"{', '.join(evaluator.label_spec.tags[:6])}, ...; the data "
                f"have {', '.join(spec.label_spec.tags[:6])}, ... Train one "
                "on these data with `python run.py --mode=train_evaluator`."
            )
        self.spec = spec
        self.evaluator = evaluator if spec.kind == "image" else None
        self.inception = inception if spec.kind == "image" else None
        self.inception_graph = (inception_graph if spec.kind == "image"
                                else None)
        self.face_counter = face_counter if spec.kind == "image" else None
        self.num_samples = num_samples
        self.kid_subsets = kid_subsets
        self.pr_neighbours = pr_neighbours
        log.info("Evaluation: %d real %s samples as the reference.",
                 self.num_samples, spec.name)
        real, real_labels = samplers.real_samples(spec, self.num_samples,
                                         seed=real_seed, data_dir=data_dir)
        if len(real) <= 2 * pr_neighbours:
            raise ValueError(
                f"The {spec.name!r} dataset has {len(real)} distinct samples: "
                "too few to evaluate against (precision/recall's k-NN "
                f"needs more than {2 * pr_neighbours})."
            )
        # Subsets of at most half the samples, so they differ and their
        # spread (kid_std) means something at small num_samples too.
        self.kid_subset_size = max(2, min(
            kid_subset_size, self.num_samples // 2, len(real) // 2))
        self.real_labels = real_labels
        self._real = self._describe(real)
        if spec.kind == "image":
            # The diversity anchors: real pairs of one label, and any two.
            images = samplers.as_float_images(real)
            self._real["ms_ssim"] = {
                False: ms_ssim_lib.mean_ms_ssim(images, seed=real_seed),
                True: (ms_ssim_lib.mean_ms_ssim(images, real_labels,
                                                seed=real_seed)
                       if real_labels is not None else float("nan")),
            }
            # The anchors of the graph's IS and of the face count.
            if self.inception_graph is not None:
                self._real["is"] = is_lib.inception_score(
                    self._real.pop("probabilities"))[0]
            if self.face_counter is not None:
                self._real["faces"] = self.face_counter(images)

    def reference_labels(self, num, seed):
        """`num` labels drawn (with replacement, `seed`) from the real
        reference's: what conditional generators are asked for."""
        rng = np.random.default_rng(seed)
        return self.real_labels[rng.integers(0, len(self.real_labels),
                                             num)]

    @property
    def feature_space(self):
        if self.spec.kind == "points":
            return "2-D points"
        if self.evaluator is not None:
            return self.evaluator.feature_name
        if self.inception is None:
            return GRAPH_SPACE
        return "InceptionV3"

    def metric_names(self, conditional=False):
        """Display names of the distance metrics, e.g. `{"fd": "FID (faces
        evaluator)"}`."""
        space = self.feature_space
        names = {"fd": f"FID ({space})", "kid": f"KID ({space})",
                 "precision": f"precision ({space})",
                 "recall": f"recall ({space})"}
        pairs = ("MS-SSIM within a requested label" if conditional
                 else "MS-SSIM of random pairs")
        names.update({"ms_ssim": pairs,
                      "ms_ssim_real": f"{pairs}, real data"})
        if space == "InceptionV3":
            names["fd"] = "FID"
        elif self.inception is not None:
            names.update({"fid_inception": "FID",
                          "kid_inception": "KID (InceptionV3)"})
        if self.inception_graph is not None:
            names.update({
                "fid_inception_graph": f"FID ({GRAPH_SPACE}, TTUR)",
                "is_inception_graph": f"Inception Score ({GRAPH_SPACE})",
                "is_inception_graph_real":
                    f"Inception Score ({GRAPH_SPACE}), real data"})
        if self.face_counter is not None:
            names.update({"faces_per_25": "faces found per 25",
                          "faces_per_25_real":
                              "faces found per 25, real data"})
        return names

    def metric_keys(self, conditional=False):
        """The keys of `result["metrics"]` for a sampler (conditional or
        not), in order; known before any sample is drawn."""
        keys = ["fd", "kid", "kid_std", "precision", "recall"]
        if self.inception is not None and self.evaluator is not None:
            keys += ["fid_inception", "kid_inception", "kid_std_inception"]
        if self.inception_graph is not None:
            keys += ["fid_inception_graph", "is_inception_graph",
                     "is_inception_graph_std", "is_inception_graph_real"]
        if self.face_counter is not None:
            keys += ["faces_per_25", "faces_per_25_real"]
        if self.spec.kind == "points" and self.spec.modes is not None:
            keys += ["modes_covered", "high_quality", "kl"]
        if self.spec.kind == "image":
            keys += ["ms_ssim", "ms_ssim_real"]
        scores = self._real["scores"]
        if scores is not None:
            label_spec = self.evaluator.label_spec
            keys += list(_split_totals(classification.distinct_classes(
                scores[:2], label_spec))[0])
            if conditional and self.real_labels is not None:
                keys += list(classification.requested_accuracy(
                    scores, self.real_labels, label_spec))
        return keys

    def _describe(self, samples):
        """Features (and evaluator scores) of samples."""
        samples = np.asarray(samples)
        if self.spec.kind == "points":
            return {"features": samples.astype("float64"), "scores": None}
        images = samplers.as_float_images(samples)
        out = {"features": None, "scores": None}
        if self.evaluator is not None:
            out["features"], out["scores"] = (
                self.evaluator.features_and_scores(images))
        if self.inception is not None:
            inception = self.inception[0](images)
            if out["features"] is None:
                out["features"] = inception  # fd is the FID itself
            else:
                out["inception"] = inception
        if self.inception_graph is not None:
            out["inception_graph"], out["probabilities"] = (
                self.inception_graph(images))
            if out["features"] is None:
                out["features"] = out["inception_graph"]  # fd: this FID
        return out

    def _distances(self, real, fake, seed, suffix=""):
        kid = kid_lib.kernel_inception_distance(
            real, fake, subset_size=self.kid_subset_size,
            num_subsets=self.kid_subsets, seed=seed)
        if suffix:
            return {f"fid{suffix}": frechet.frechet_distance(real, fake),
                    f"kid{suffix}": kid["kid"],
                    f"kid_std{suffix}": kid["kid_std"]}
        out = {"fd": frechet.frechet_distance(real, fake),
               "kid": kid["kid"], "kid_std": kid["kid_std"]}
        out.update(pr_lib.precision_recall(real, fake,
                                           k=self.pr_neighbours))
        return out

    def __call__(self, sampler, seed=0):
        """Scores a `Sampler`.

        Returns:
            A dict: `metrics` (flat name -> float), `names` (display
            names), `totals` (how many classes or modes exist, e.g.
            `{"num_values/hair": 12}`), `feature_space`, `num_samples`,
            `sampler`, `samples`
            (the first 64 samples, for pictures), and for evaluator-scored
            data `per_class` ([(tag, accuracy, count)], conditional
            samplers) and `histogram` ({"generated": [(tag, fraction)],
            "real": ...}).
        """
        samples, requested = sampler.sample(self.num_samples, seed)
        samples = np.asarray(samples)
        expected = (self.num_samples,) + tuple(self.spec.sample_shape)
        if samples.shape[1:] != expected[1:] or len(samples) < 2:
            raise ValueError(
                f"The {sampler.name} gave samples of shape {samples.shape}; "
                f"the {self.spec.name} data need {expected}."
            )
        fake = self._describe(samples)
        metrics = self._distances(self._real["features"], fake["features"],
                                  seed)
        if "inception" in fake:
            metrics.update(self._distances(
                self._real["inception"], fake["inception"], seed,
                suffix="_inception"))
        if "inception_graph" in fake:
            metrics["fid_inception_graph"] = frechet.frechet_distance(
                self._real["inception_graph"], fake["inception_graph"])
            (metrics["is_inception_graph"],
             metrics["is_inception_graph_std"]) = is_lib.inception_score(
                fake["probabilities"])
            metrics["is_inception_graph_real"] = self._real["is"]
        if self.face_counter is not None:
            metrics["faces_per_25"] = self.face_counter(
                samplers.as_float_images(samples))
            metrics["faces_per_25_real"] = self._real["faces"]
        if self.spec.kind == "image":
            grouped = requested is not None
            metrics["ms_ssim"] = ms_ssim_lib.mean_ms_ssim(
                samplers.as_float_images(samples),
                requested if grouped else None, seed=seed)
            metrics["ms_ssim_real"] = self._real["ms_ssim"][grouped]
        result = {"sampler": sampler.name, "num_samples": len(samples),
                  "feature_space": self.feature_space,
                  "names": self.metric_names(requested is not None),
                  "samples": samples[:64 if self.spec.kind == "image"
                                     else 2500]}
        if self.spec.kind == "points" and self.spec.modes is not None:
            coverage = mode_coverage.mode_coverage(
                samples, self.spec.modes, self.spec.mode_std)
            for key in ("modes_covered", "high_quality", "kl"):
                metrics[key] = float(coverage[key])
            result["totals"] = {"num_modes": int(coverage["num_modes"])}
        scores = fake["scores"]
        if scores is not None:
            label_spec = self.evaluator.label_spec
            distinct, totals = _split_totals(
                classification.distinct_classes(scores, label_spec))
            metrics.update(distinct)
            result["totals"] = totals
            result["histogram"] = {
                "generated": classification.class_histogram(scores,
                                                            label_spec),
                "real": classification.class_histogram(
                    self._real["scores"], label_spec),
            }
            if requested is not None:
                metrics.update(classification.requested_accuracy(
                    scores, requested, label_spec))
                result["per_class"] = classification.per_class_accuracy(
                    scores, requested, label_spec)
        result["metrics"] = {k: float(v) for k, v in metrics.items()}
        return result
