"""Sample diversity as the mean MS-SSIM of random pairs (lower = varied).

Odena et al. 2017 (ACGAN, section 4.2) measure the variety of a class's
samples as the mean multi-scale structural similarity of random pairs of
images of that class: near-copies score near 1, unrelated images near 0.
A generator that draws one face per label has high intra-class MS-SSIM
even when an evaluator names every label right, which is the collapse
that accuracy and a Frechet distance hide. The real data's own value, on
pairs drawn the same way, is the anchor: a generator as varied as the data
scores about the same.

Pairs are drawn within groups (the requested labels of a conditional
generator, the real labels of the data) or, without groups, among all
samples. MS-SSIM is TensorFlow's `tf.image.ssim_multiscale` with a 7-pixel
window on up to three scales (the first three of Wang et al.'s power
factors, renormalized), so 32x32 images keep a window that fits their
coarsest scale; 16x16 images use two scales.

Reference: Odena et al. 2017, "Conditional Image Synthesis with Auxiliary
Classifier GANs", arXiv:1610.09585. Wang et al. 2003, "Multiscale
structural similarity for image quality assessment".
"""

import math

import numpy as np
import tensorflow as tf


FILTER_SIZE = 7
MAX_SCALES = 3
# Wang et al.'s weights of the five scales; the first MAX_SCALES are used.
POWER_FACTORS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
DEFAULT_PAIRS = 1000
BATCH = 250


def num_scales(image_size):
    """Scales whose coarsest side still holds the 7-pixel window."""
    fits = int(math.floor(math.log2(image_size / FILTER_SIZE))) + 1
    return max(1, min(MAX_SCALES, fits))


def pair_ms_ssim(images_a, images_b):
    """MS-SSIM of each pair: float images in [-1, 1], (N, H, W, C) both
    -> (N,) float64, in [0, 1]."""
    images_a = np.asarray(images_a, "float32")
    images_b = np.asarray(images_b, "float32")
    scales = num_scales(min(images_a.shape[1:3]))
    weights = np.asarray(POWER_FACTORS[:scales])
    weights = (weights / weights.sum()).tolist()
    values = []
    for start in range(0, len(images_a), BATCH):
        values.append(tf.image.ssim_multiscale(
            images_a[start:start + BATCH], images_b[start:start + BATCH],
            max_val=2.0, power_factors=weights,
            filter_size=FILTER_SIZE).numpy())
    return np.concatenate(values).astype("float64")


def _group_ids(groups):
    """One int per sample, equal where the rows of `groups` are equal."""
    rows = np.asarray(groups).reshape(len(groups), -1)
    _, ids = np.unique(rows, axis=0, return_inverse=True)
    return ids.reshape(-1)


def random_pairs(num_samples, num_pairs, seed=0, groups=None):
    """(first, second) index arrays of `num_pairs` random pairs i != j.

    Args:
        num_samples: how many samples there are (>= 2).
        num_pairs: pairs to draw (with replacement).
        seed: numpy seed.
        groups: None, or (num_samples, ...) labels: both members of a pair
            then share a row (samples alone in their group are skipped).

    Returns:
        Two int arrays of shape (num_pairs,), or of shape (0,) when no
        group has two members.
    """
    rng = np.random.default_rng(seed)
    if groups is None:
        first = rng.integers(0, num_samples, num_pairs)
        second = (first + rng.integers(1, num_samples, num_pairs)) % (
            num_samples)
        return first, second
    ids = _group_ids(groups)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    starts = np.searchsorted(sorted_ids, sorted_ids, side="left")
    ends = np.searchsorted(sorted_ids, sorted_ids, side="right")
    sizes = ends - starts
    eligible = np.flatnonzero(sizes >= 2)
    if not len(eligible):
        return np.zeros(0, "int64"), np.zeros(0, "int64")
    # A uniform eligible sample, then a uniform other member of its group.
    pick = eligible[rng.integers(0, len(eligible), num_pairs)]
    offset = rng.integers(1, sizes[pick])
    partner = starts[pick] + (pick - starts[pick] + offset) % sizes[pick]
    return order[pick], order[partner]


def mean_ms_ssim(images, groups=None, num_pairs=DEFAULT_PAIRS, seed=0):
    """The mean MS-SSIM of random pairs (within `groups` when given).

    Args:
        images: (N, H, W, C) floats in [-1, 1] (see
            `samplers.as_float_images`), N >= 2.
        groups: None, or (N, ...) labels that a pair must share.
        num_pairs: how many pairs.
        seed: numpy seed of the pairs.

    Returns:
        A float in [0, 1] (NaN when no group holds two images).
    """
    images = np.asarray(images)
    if len(images) < 2:
        raise ValueError(
            "MS-SSIM of pairs needs at least two images. Received: "
            f"{len(images)} image(s)")
    first, second = random_pairs(len(images), num_pairs, seed, groups)
    if not len(first):
        return float("nan")
    return float(np.mean(pair_ms_ssim(images[first], images[second])))
