"""The doctor's sample-based signals: a few hundred samples each check.

The losses say little about what the generator draws; a collapsed
generator can keep healthy losses. `SampleProbe` draws `NUM_SAMPLES`
samples from the trained generator at fixed noise (so successive values
differ by the generator only) and measures what the data allow:

| key | data | what |
|---|---|---|
| `doctor_modes`, `doctor_modes_real` | 2-D mixtures | modes nearest to at least `MODE_SHARE` of the samples, and the mixture's modes |
| `doctor_ms_ssim`, `doctor_ms_ssim_real` | images | mean MS-SSIM of sample pairs (within a requested label for label-conditional models), and of real pairs drawn the same way |
| `doctor_classes`, `doctor_classes_real` | images with an evaluator | distinct classes (label combinations) the evaluator sees, among the samples and among as many real images |
| `doctor_label_gain` | label-conditional models with an evaluator | (accuracy - chance) / (real accuracy - chance) of the requested labels: 0 ignores them, 1 draws them as clearly as real images |
| `doctor_d_reads` | cGAN (D reads labels) | the mean over label parts of `reads_labels.discriminator_reads_labels` |

"Chance" is the evaluator's accuracy on real images against shuffled
labels: what a generator whose images do not depend on the requested
labels would score on these data.

Example:

```python
probe = probe_for_run(config, spec)   # None: nothing to measure
probe(gan)                            # {"doctor_modes": 8.0}
```
"""

import logging

import numpy as np

from keras_gans import evaluators
from keras_gans import noise as noise_lib
from keras_gans import samplers
from keras_gans.doctor import reads_labels
from keras_gans.metrics import classification
from keras_gans.metrics import ms_ssim as ms_ssim_lib

# A few hundred: enough to count modes and classes, cheap every epoch.
NUM_SAMPLES = 256
MS_SSIM_PAIRS = 200
# Samples per generator call.
BATCH = 128
# A mode "holds" samples when at least this share of them is nearest to
# it: stray samples between modes do not count as covering one (with it,
# the calibration runs' healthy defaults covered 8/8 and 19-25/25).
MODE_SHARE = 0.02
# Seeds of the probe's real samples and of its noise (apart from the
# evaluation's reference, `samplers.REAL_SEED`).
REAL_SEED = 1_000_033
NOISE_SEED = 4242

log = logging.getLogger("keras_gans")


def _classes(scores, label_spec):
    """Distinct classes (or categorical label combinations) seen, or
    None when the labels have no categorical part."""
    distinct = classification.distinct_classes(scores, label_spec)
    for key in ("distinct_combinations", "distinct_classes"):
        if key in distinct:
            return float(distinct[key])
    return None


class SampleProbe:
    """Sample-based signals of a generator on `num_samples` samples.

    Args:
        spec: the dataset's `DataSpec`.
        real: None (points), or real images in [-1, 1] (N, H, W, C).
        real_labels: their labels, or None.
        evaluator: an `evaluators.Evaluator` of the data's labels, or None.
        labelled: the model generates for requested labels (cGAN,
            ACGAN): pairs for MS-SSIM share a label, accuracy is measured.
        num_samples: samples per check.
    """

    def __init__(self, spec, real=None, real_labels=None, evaluator=None,
                 labelled=False, num_samples=NUM_SAMPLES):
        self.spec = spec
        self.num_samples = int(num_samples)
        self.evaluator = evaluator
        self.labelled = bool(labelled and real_labels is not None)
        self.real_labels = real_labels
        self.anchors = {}
        self._real = real
        self._accuracy = None  # (on real labels, on shuffled ones)
        if real is None:
            return
        groups = real_labels if self.labelled else None
        self.anchors["doctor_ms_ssim_real"] = ms_ssim_lib.mean_ms_ssim(
            real, groups, num_pairs=MS_SSIM_PAIRS, seed=REAL_SEED)
        if evaluator is None:
            return
        scores = evaluator.scores(real)
        classes = _classes(scores, evaluator.label_spec)
        if classes is not None:
            self.anchors["doctor_classes_real"] = classes
        if self.labelled:
            label_spec = evaluator.label_spec
            shuffled = real_labels[np.random.default_rng(
                REAL_SEED).permutation(len(real_labels))]
            try:
                self._accuracy = tuple(
                    classification.requested_accuracy(
                        scores, labels, label_spec)["accuracy"]
                    for labels in (real_labels, shuffled))
            except ValueError:  # e.g. multi-hot rows asking for nothing
                self._accuracy = None

    def _samples(self, gan):
        """(samples, their requested labels or None) from the trained
        generator (not its moving average: the doctor watches training)."""
        z = noise_lib.of_gan(gan).sample(NOISE_SEED, self.num_samples,
                                         gan.latent_dim)
        condition = None
        if gan.label_spec is not None:
            condition = gan.check_labels(self.real_labels[:len(z)])
        elif gan.code_spec is not None:
            condition = gan.code_spec.sample(
                len(z), np.asarray([NOISE_SEED, 17], "int64")).numpy()
        samples = np.concatenate([np.asarray(gan.generator(
            gan._generator_inputs(
                z[i:i + BATCH],
                None if condition is None else condition[i:i + BATCH]),
            training=False)) for i in range(0, len(z), BATCH)])
        return samples, (condition if gan.label_spec is not None else None)

    def __call__(self, gan):
        """{key: float} of the module's table for `gan`'s generator."""
        samples, requested = self._samples(gan)
        if self.spec.kind == "points":
            distance = np.sum(np.square(
                samples[:, None, :] - self.spec.modes[None]), axis=-1)
            counts = np.bincount(np.argmin(distance, axis=1),
                                 minlength=len(self.spec.modes))
            return {"doctor_modes": float(np.sum(
                counts >= MODE_SHARE * len(samples))),
                "doctor_modes_real": float(len(self.spec.modes))}
        images = samplers.as_float_images(samples)
        out = dict(self.anchors)
        out["doctor_ms_ssim"] = ms_ssim_lib.mean_ms_ssim(
            images, requested if self.labelled else None,
            num_pairs=MS_SSIM_PAIRS, seed=REAL_SEED)
        if self.evaluator is not None:
            label_spec = self.evaluator.label_spec
            scores = self.evaluator.scores(images)
            classes = _classes(scores, label_spec)
            if classes is not None:
                out["doctor_classes"] = classes
            if self._accuracy is not None and requested is not None:
                real, chance = self._accuracy
                accuracy = classification.requested_accuracy(
                    scores, requested, label_spec)["accuracy"]
                out["doctor_label_gain"] = (
                    (accuracy - chance) / (real - chance)
                    if real - chance > 0.05 else float("nan"))
        if requested is not None and len(gan.discriminator.inputs) == 2:
            reads = reads_labels.discriminator_reads_labels(
                gan.discriminator, self._real, self.real_labels,
                gan.label_spec, seed=REAL_SEED)
            if reads:
                out["doctor_d_reads"] = float(np.mean(list(reads.values())))
        return out


def probe_for_run(config, spec, run_dir=None, num_samples=NUM_SAMPLES,
                  labelled=False):
    """The `SampleProbe` of a run, or None where there is nothing to
    measure (points without known modes) or the real data cannot be read.

    Image data without an evaluator get the MS-SSIM signals only; the
    evaluator is found as `--mode=eval` finds it.
    """
    if spec.kind == "points":
        if spec.modes is None:
            return None
        return SampleProbe(spec, num_samples=num_samples)
    try:
        real, labels = samplers.real_samples(
            spec, num_samples, seed=REAL_SEED, data_dir=config.data_dir)
    except (ValueError, OSError) as e:
        log.info("Doctor: no real samples to compare with (%s); the "
                 "sample checks are off.", e)
        return None
    evaluator = None
    try:
        evaluator = evaluators.find_evaluator(
            spec, data_dir=config.data_dir,
            evaluator_dir=config.evaluator_dir, run_dir=run_dir)
    except (ValueError, OSError) as e:
        log.info("Doctor: %s The class checks are off.", e)
    if evaluator is not None and spec.label_spec is not None and (
            evaluator.label_spec != spec.label_spec):
        log.info("Doctor: the %s evaluator predicts other labels than the "
                 "data have; the class checks are off.", evaluator.name)
        evaluator = None
    return SampleProbe(spec, samplers.as_float_images(real), labels,
                       evaluator, labelled=labelled,
                       num_samples=len(real))
