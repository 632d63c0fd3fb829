"""Training an evaluator on a dataset's real images and labels.

`python run.py --mode=train_evaluator --dataset=NAME [--data_dir=DIR]` calls
`train_evaluator`. The shipped evaluators were made by it:

    python run.py --mode=train_evaluator --dataset=faces \
        --output_dir=keras_gans/evaluators/shipped/faces
    python run.py --mode=train_evaluator --dataset=shapes \
        --output_dir=keras_gans/evaluators/shipped/shapes

Held-out data, never trained on:
- embedded procedural sets: images drawn with `HELD_OUT_SEED`, a seed the
  training stream does not use;
- real data (folders, tfds): the images whose content hash falls in bucket
  0 of `HOLD_OUT_BUCKETS` (about 10%), filtered out of the training stream.
"""

import logging

import keras
import numpy as np
import tensorflow as tf

from keras_gans import datasets
from keras_gans.datasets import registry
from keras_gans.evaluators import evaluator as evaluator_lib
from keras_gans.evaluators import network
from keras_gans.metrics import classification

# Held-out seed of the procedural sets: training refuses to use it.
HELD_OUT_SEED = 2_000_003
HOLD_OUT_BUCKETS = 10
# Real data: stream examples scanned for held-out images, per image wanted.
HELD_OUT_SCAN = 20
DEFAULT_STEPS = 3000
DEFAULT_BATCH_SIZE = 64
DEFAULT_VALIDATION_IMAGES = 2000

log = logging.getLogger("keras_gans")


def _held_out(images):
    """True for the images of the held-out bucket (by content hash)."""
    key = tf.strings.as_string(
        tf.cast(tf.round((images + 1.0) * 127.5), "int32")
    )
    key = tf.strings.reduce_join(tf.reshape(key, [-1]))
    return tf.equal(
        tf.strings.to_hash_bucket_fast(key, HOLD_OUT_BUCKETS), 0
    )


def _split(name, batch_size, seed, data_dir, image_size,
           ignore_unknown_tags, held_out_scan=None):
    """(train dataset, held-out dataset, spec): batches of (images,
    labels). The training stream repeats; for real data the held-out one
    ends after scanning `held_out_scan` examples of the stream (a set
    with no held-out image would otherwise be scanned forever)."""
    procedural = data_dir is None and name in registry.PROCEDURAL
    if procedural and seed == HELD_OUT_SEED:
        raise ValueError(
            f"seed must not be {HELD_OUT_SEED}, the held-out seed of the "
            "evaluator check: train with another seed. Received: "
            f"seed={seed!r}"
        )
    kwargs = dict(data_dir=data_dir, image_size=image_size,
                  ignore_unknown_tags=ignore_unknown_tags)
    train, spec = datasets.load_dataset(name, batch_size, seed, **kwargs)
    if spec.label_spec is None:
        raise ValueError(
            f"The {name!r} dataset (data_dir={data_dir!r}) has no labels, so "
            "no evaluator can learn them: an evaluator needs labelled data "
            "(tags.csv or class sub-folders)."
        )
    if procedural:
        held_out, _ = datasets.load_dataset(name, batch_size,
                                            HELD_OUT_SEED, **kwargs)
        return train, held_out, spec
    # Real data: a content-hash split keeps the held-out images out of
    # every training batch, whatever the stream's order.
    examples = train.unbatch()
    train = examples.filter(lambda x, y: tf.logical_not(_held_out(x)))
    train = train.batch(batch_size, drop_remainder=True)
    if held_out_scan is not None:
        examples = examples.take(held_out_scan)
    held_out = examples.filter(lambda x, y: _held_out(x))
    return train, held_out.batch(batch_size), spec


def _take_images(dataset, count):
    """Up to `count` (images, labels) of a dataset of batches."""
    images, labels = [], []
    for x, y in dataset:
        images.append(x.numpy())
        labels.append(y.numpy())
        if sum(len(b) for b in images) >= count:
            break
    if not images:
        return np.zeros((0,)), np.zeros((0,))
    return np.concatenate(images)[:count], np.concatenate(labels)[:count]


def held_out_accuracy(evaluator, images, labels):
    """The evaluator's accuracy on labelled images (see
    `classification.requested_accuracy`)."""
    scores = evaluator.scores(images)
    return classification.requested_accuracy(scores, labels,
                                             evaluator.label_spec)


def train_evaluator(name, output_dir, steps=DEFAULT_STEPS,
                    batch_size=DEFAULT_BATCH_SIZE, seed=0, data_dir=None,
                    image_size=None, ignore_unknown_tags=False,
                    learning_rate=1e-3,
                    validation_images=DEFAULT_VALIDATION_IMAGES,
                    verbose=1):
    """Trains an evaluator for a labelled dataset and saves it.

    Args:
        name: a dataset name (`datasets.DATASET_NAMES`) with labels.
        output_dir: where evaluator.json and evaluator.weights.h5 go.
        steps: Adam steps (learning rate decays linearly to 0).
        batch_size: images per step.
        seed: seed of the training stream and of the initial weights.
        data_dir, image_size, ignore_unknown_tags: as in
            `datasets.load_dataset`.
        learning_rate: Adam's initial learning rate.
        validation_images: held-out images to measure accuracy on.
        verbose: Keras progress bar (1) or not (0).

    Returns:
        The trained `Evaluator`; `evaluator.info["held_out"]` holds its
        accuracy on the held-out images (also in evaluator.json).

    Raises:
        ValueError: unlabelled data, or the held-out seed as `seed`.
    """
    train, held_out, spec = _split(
        name, batch_size, seed, data_dir, image_size, ignore_unknown_tags,
        held_out_scan=HELD_OUT_SCAN * validation_images)
    label_spec = spec.label_spec
    keras.utils.set_random_seed(seed)
    evaluator = evaluator_lib.Evaluator.create(name, label_spec,
                                               spec.sample_shape)
    model = evaluator.model
    # The same layers, trained through their logits output only.
    logits_model = keras.Model(model.input, model.output["logits"])
    schedule = keras.optimizers.schedules.PolynomialDecay(
        learning_rate, decay_steps=steps, end_learning_rate=0.0
    )
    logits_model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=network.evaluator_loss(label_spec),
    )
    encoded = train.map(lambda x, y: (x, label_spec.encode(y)),
                        num_parallel_calls=tf.data.AUTOTUNE)
    log.info("Training the %s evaluator: %d steps of %d images.", name,
             steps, batch_size)
    history = logits_model.fit(encoded, epochs=1, steps_per_epoch=steps,
                               shuffle=False,
                               verbose=verbose)
    images, labels = _take_images(held_out, validation_images)
    if not len(images):
        raise ValueError(
            f"No image of the {name!r} dataset (data_dir={data_dir!r}) fell "
            "in the held-out tenth, so the evaluator cannot be checked: the "
            "data need more images (at least a few dozen)."
        )
    accuracy = held_out_accuracy(evaluator, images, labels)
    evaluator.info.update({
        "trained": {
            "dataset": name, "data_dir": data_dir, "steps": steps,
            "batch_size": batch_size, "seed": seed,
            "learning_rate": learning_rate,
            "final_loss": float(history.history["loss"][-1]),
        },
        "held_out": {
            "images": int(len(images)),
            "split": ("seed %d" % HELD_OUT_SEED
                      if data_dir is None and name in registry.PROCEDURAL else
                      f"content-hash bucket 0 of {HOLD_OUT_BUCKETS}"),
            **{k: float(v) for k, v in accuracy.items()},
        },
    })
    evaluator.save(output_dir)
    log.info("Held-out accuracy of the %s evaluator (%d images): %s", name,
             len(images), ", ".join(f"{k} {v:.4f}"
                                    for k, v in accuracy.items()))
    return evaluator
