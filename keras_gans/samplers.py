"""What an evaluation scores: samplers of generators, real data and
collapsed stand-ins.

A `Sampler` is a name and `sample(num, seed) -> (samples, requested
labels or None)`; `keras_gans.evaluation.Evaluation` calls it. Samples are
images in [-1, 1] (uint8 images are converted) or 2-D points.
"""

import dataclasses
import logging
from typing import Callable

import numpy as np

from keras_gans import datasets
from keras_gans import noise as noise_lib
from keras_gans.datasets import mixtures
from keras_gans.datasets import registry

# Seed of the real reference sample of the procedural sets and mixtures:
# neither a training seed people use (0, 1, ...) nor the evaluators'
# held-out seed.
REAL_SEED = 1_000_003

log = logging.getLogger("keras_gans")


@dataclasses.dataclass
class Sampler:
    """Something to evaluate.

    Attributes:
        name: shown in reports ("dcgan generator", "real data", ...).
        sample: `sample(num, seed) -> (samples, requested)`: samples float
            (num,) + sample_shape (images in [-1, 1] or uint8), and the
            labels they were asked for ((num,) + label shape), or None for
            an unconditional sampler.
    """

    name: str
    sample: Callable


def as_float_images(samples):
    samples = np.asarray(samples)
    if samples.dtype == np.uint8:
        return samples.astype("float32") / 127.5 - 1.0
    return samples.astype("float32")


def generator_sampler(generate, latent_dim, batch_size=500,
                      name="generator", condition_fn=None, requested=True,
                      noise=None):
    """A `Sampler` of a generator.

    Args:
        generate: `generate(z) -> samples` for z float32 (n, latent_dim),
            or `generate(z, condition)` with `condition_fn`: a GAN's
            `generate` or an export's `sample_fn` (uint8 is fine).
        latent_dim: size of z.
        batch_size: z rows per call.
        name: shown in reports.
        condition_fn: None (unconditional), or `condition_fn(num, seed)
            -> conditions (num, ...)`: the labels (or InfoGAN codes) to
            generate for.
        requested: whether the conditions are labels the samples should
            show (then accuracy is measured); False for InfoGAN's codes.
        noise: the `keras_gans.noise.LatentNoise` z is drawn from (None:
            standard normal).
    """
    noise = noise or noise_lib.STANDARD

    def sample(num, seed):
        z = noise.sample(seed, num, latent_dim)
        if condition_fn is None:
            parts = [np.asarray(generate(z[i:i + batch_size]))
                     for i in range(0, num, batch_size)]
            return np.concatenate(parts), None
        condition = np.asarray(condition_fn(num, seed))
        parts = [np.asarray(generate(z[i:i + batch_size],
                                     condition[i:i + batch_size]))
                 for i in range(0, num, batch_size)]
        return np.concatenate(parts), (condition if requested else None)

    return Sampler(name, sample)


def gan_sampler(gan, latent_dim, evaluation=None, name="generator",
                truncation=None):
    """The `Sampler` of a trained GAN of any kind.

    Label-conditional models generate for labels drawn from the real
    reference's labels (`Evaluation.reference_labels`): the requested
    labels then follow the data's label distribution, so the distances
    compare like with like, and accuracy is measured. InfoGAN draws random
    codes. z follows the GAN's own noise (`truncation`: see
    `keras_gans.noise`).
    """
    noise = noise_lib.of_gan(gan, truncation)
    if gan.code_spec is not None:
        return generator_sampler(
            gan.generate, latent_dim, name=name, requested=False,
            noise=noise,
            condition_fn=lambda num, seed: gan.code_spec.sample(
                num, np.asarray([seed, 17], "int64")).numpy())
    if gan.label_spec is not None:
        if evaluation is None or evaluation.real_labels is None:
            raise ValueError(
                "A conditional generator is evaluated on the labels of "
                "labelled real data; this evaluation has none."
            )
        return generator_sampler(gan.generate, latent_dim, name=name,
                                 condition_fn=evaluation.reference_labels,
                                 noise=noise)
    return generator_sampler(gan.generate, latent_dim, name=name,
                             noise=noise)


def real_samples(spec, num, seed=REAL_SEED, data_dir=None):
    """`num` real samples and their labels (None if unlabelled).

    The procedural sets and mixtures are drawn afresh with `seed`; real
    data (folders, tfds) are read from their shuffled training stream.
    """
    if spec.kind == "points":
        return mixtures.sample_mixture(spec.name, num, seed=seed), None
    size = spec.sample_shape[0]
    if data_dir is None and spec.name in registry.PROCEDURAL:
        module = registry.PROCEDURAL[spec.name]
        return getattr(module, f"sample_{spec.name}")(
            num, seed=seed, image_size=size)
    batch = min(num, 500)
    dataset, _ = datasets.load_dataset(spec.name, batch, seed,
                                       data_dir=data_dir, image_size=size)
    samples, labels = [], []
    for item in dataset.take(-(-num // batch)):
        x, y = item if isinstance(item, tuple) else (item, None)
        samples.append(x.numpy())
        labels.append(None if y is None else y.numpy())
    samples = np.concatenate(samples)[:num]
    labels = None if labels[0] is None else np.concatenate(labels)[:num]
    # A set smaller than `num` comes round again in the stream; repeated
    # images would shrink precision/recall's k-NN balls to nothing.
    _, first = np.unique(samples.reshape(len(samples), -1), axis=0,
                         return_index=True)
    if len(first) < len(samples):
        first = np.sort(first)
        log.warning("The %r dataset has %d distinct images: the real "
                    "reference uses those, not %d.", spec.name, len(first),
                    num)
        samples = samples[first]
        labels = None if labels is None else labels[first]
    return samples, labels


def real_sampler(spec, data_dir=None, name="real data"):
    """A `Sampler` of real data whose "requested" labels are their true
    labels: its accuracy is the evaluator's accuracy on real data."""
    return Sampler(name, lambda num, seed: real_samples(
        spec, num, seed=seed, data_dir=data_dir))


def constant_sampler(sample, requested=None, name="one repeated sample"):
    """A `Sampler` returning one sample over and over: a fully collapsed
    generator, the far anchor of every metric."""
    sample = np.asarray(sample)

    def draw(num, seed):
        del seed
        labels = None if requested is None else np.repeat(
            np.asarray(requested)[None], num, axis=0)
        return np.repeat(sample[None], num, axis=0), labels

    return Sampler(name, draw)
