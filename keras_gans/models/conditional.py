"""Label-conditional GANs: cGAN (the discriminator reads the labels) and
ACGAN (the discriminator classifies them).

Both generate fakes for the labels of the real batch they train on, so the
fake labels follow the data's label distribution (attribute frequencies,
multi-hot label counts) without a separate prior.

Example:

```python
spec = faces.LABEL_SPEC
g = networks.build_conditional_generator(spec, "embedding")
d = networks.build_conditional_discriminator(spec, "projection")
gan = ConditionalGAN(g, d, label_spec=spec, loss="hinge")
gan.compile()
gan.fit(dataset_of_images_and_labels, epochs=3, steps_per_epoch=300)
images = gan.generate(z, spec.parse_tags("blue hair, red eyes")[None])
```
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gans import losses
from keras_gans.datasets import labels as labels_lib
from keras_gans.models.gan import GAN


def mismatched_labels(labels, label_spec, seed):
    """Labels that differ from `labels` in every row (Reed et al. 2016's
    "wrong text" pairs for a matching-aware discriminator).

    - class: another class, uniformly.
    - attributes: one attribute per row (chosen uniformly) moves to another
      value; the others are redrawn uniformly (they may keep theirs).
    - multi-hot: the next row's labels (a real label set, as the wrong
      captions of Reed et al.); a row equal to its neighbour gets one
      random label flipped.

    Args:
        labels: (batch,) + label_spec.shape, in the dataset's dtype.
        label_spec: the `LabelSpec`.
        seed: stateless seed, shape (2,).

    Returns:
        A tensor like `labels`, different from it in every row.
    """
    seeds = tf.unstack(tf.random.experimental.stateless_split(seed, 3))
    batch = tf.shape(labels)[0]
    if label_spec.kind == "class":
        count = len(label_spec.names)
        offset = tf.random.stateless_uniform(
            [batch], seeds[0], minval=1, maxval=count, dtype="int32")
        return tf.cast((tf.cast(labels, "int32") + offset) % count,
                       labels.dtype)
    if label_spec.kind == "attributes":
        widths = tf.constant([max(a.width, 2) for a in label_spec.attributes],
                             "int32")
        num = len(label_spec.attributes)
        uniform = tf.random.stateless_uniform([batch, num], seeds[0])
        free = tf.cast(uniform * tf.cast(widths, "float32"), "int32")
        nonzero = 1 + tf.cast(
            tf.random.stateless_uniform([batch, num], seeds[1])
            * tf.cast(widths - 1, "float32"), "int32")
        chosen = tf.random.stateless_uniform(
            [batch], seeds[2], minval=0, maxval=num, dtype="int32")
        offset = tf.where(tf.one_hot(chosen, num) > 0, nonzero, free)
        # Guard the float -> int rounding at the top of each range.
        offset = tf.minimum(offset, widths - 1)
        out = (tf.cast(labels, "int32") + offset) % widths
        return tf.cast(out, labels.dtype)
    rolled = tf.roll(labels, shift=1, axis=0)
    same = tf.reduce_all(tf.equal(rolled, labels), axis=1, keepdims=True)
    bit = tf.random.stateless_uniform(
        [batch], seeds[0], minval=0, maxval=len(label_spec.names),
        dtype="int32")
    flipped = tf.abs(labels - tf.one_hot(bit, len(label_spec.names),
                                         dtype=labels.dtype))
    return tf.where(same, flipped, rolled)


@keras.saving.register_keras_serializable(package="keras_gans")
class ConditionalGAN(GAN):
    """A GAN whose generator and discriminator both read the labels.

    Each step trains on (images, labels) batches: fakes are generated for
    the real batch's labels, and the discriminator scores (image, label)
    pairs. Any loss, penalty, clipping or critic schedule of `GAN` applies
    (conditional WGAN-GP, hinge + spectral norm, ...).

    Args:
        generator: keras.Model, [z (batch, latent_dim), labels (batch,) +
            label_spec.shape] -> samples.
        discriminator: keras.Model, [samples, labels] -> logits (batch, 1).
        label_spec: the dataset's `LabelSpec` (or its `to_dict()`).
        matching_aware: also show the discriminator real images with
            wrong labels (`mismatched_labels`) as fakes; the fake side of
            its loss then averages the generated and the mismatched pairs
            (Reed et al. 2016, arXiv:1605.05396, GAN-CLS).
        **kwargs: as in `GAN`.

    Reference: Mirza & Osindero 2014, arXiv:1411.1784.
    """

    uses_labels = True
    supports_packing = False

    def __init__(self, generator, discriminator, label_spec,
                 matching_aware=False, **kwargs):
        self.label_spec = labels_lib.as_label_spec(label_spec)
        self.matching_aware = bool(matching_aware)
        kwargs.setdefault("latent_dim", generator.inputs[0].shape[-1])
        super().__init__(generator, discriminator, **kwargs)

    def get_config(self):
        config = super().get_config()
        config["label_spec"] = self.label_spec.to_dict()
        config["matching_aware"] = self.matching_aware
        return config

    def _condition(self, labels, batch_size, seed):
        del batch_size, seed
        return labels

    def _discriminator_inputs(self, samples, labels):
        return [samples, labels]

    def _extra_fake_logits(self, real, labels, seed):
        if not self.matching_aware:
            return None
        wrong = mismatched_labels(labels, self.label_spec, seed)
        return self.discriminator([real, wrong], training=True)

    def check_labels(self, labels, num=None):
        """`labels` as an array the generator takes; a clear error for
        another shape (a client's most likely mistake)."""
        labels = np.asarray(labels, dtype=self.label_spec.dtype)
        expected = tuple(self.label_spec.shape)
        if labels.shape[1:] != expected or (
                num is not None and len(labels) != num):
            rows = "batch" if num is None else num
            raise ValueError(
                f"labels must have shape ({rows}, "
                f"{', '.join(map(str, expected))}) "
                f"({self.label_spec.kind} labels: "
                f"{', '.join(self.label_spec.tags[:5])}, ...). Received: "
                f"labels.shape={labels.shape}"
            )
        return labels

    def generate(self, z, condition=None):
        """Samples for noise z (batch, latent_dim) and labels (batch,) +
        label_spec.shape (the dataset's format; `LabelSpec.parse_tags`
        makes one from text)."""
        if condition is None:
            raise ValueError(
                "A conditional GAN needs labels: generate(z, labels), "
                "labels of shape (batch,) + "
                f"{tuple(self.label_spec.shape)}."
            )
        condition = self.check_labels(condition, num=len(z))
        return self.inference_generator([z, condition], training=False)


@keras.saving.register_keras_serializable(package="keras_gans")
class ACGAN(ConditionalGAN):
    """Auxiliary-classifier GAN: the generator reads the labels; the
    discriminator does not, and instead classifies every image.

    The discriminator returns [logits (batch, 1), class logits (batch,
    label_spec.encoded_dim)]: one head per attribute (softmax per class
    set or categorical attribute, sigmoid per binary attribute or
    multi-hot label). Its loss adds `class_loss_weight` times the
    classification loss of the real images (true labels) and, with
    `classify_fakes`, of the fakes (their requested labels), as in Odena
    et al.; the generator's adds the fakes' term.

    `classify_fakes` is off by default. When the discriminator is also
    taught to read the requested label off the fakes, the two networks can
    agree on a code of their own: on procedural faces (32x32, 600 steps)
    the discriminator named the requested hair colour of 98% of the
    fakes while the independent evaluator found it in 11% (chance 8%).
    Trained on real images only, the heads stay a classifier of real
    data, which the generator must then satisfy.

    Args:
        generator: as in `ConditionalGAN`.
        discriminator: keras.Model, samples -> [logits, class logits].
        label_spec: the dataset's `LabelSpec`.
        class_loss_weight: the classification terms' weight (the reports
            tried 1, 2 and 10).
        classify_fakes: the discriminator's classification loss covers
            the fakes too (see above).
        **kwargs: as in `GAN`.

    Reference: Odena et al. 2017, arXiv:1610.09585.
    """

    def __init__(self, generator, discriminator, label_spec,
                 class_loss_weight=1.0, classify_fakes=False, **kwargs):
        if kwargs.get("matching_aware"):
            raise ValueError(
                "ACGAN's discriminator does not read labels, so it has no "
                "matching-aware pairs: use ConditionalGAN (model='cgan'). "
                "Received: matching_aware=True"
            )
        kwargs.pop("matching_aware", None)
        self.class_loss_weight = float(class_loss_weight)
        self.classify_fakes = bool(classify_fakes)
        self.class_loss_tracker = keras.metrics.Mean(name="class_loss")
        super().__init__(generator, discriminator, label_spec, **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["matching_aware"]
        config["class_loss_weight"] = self.class_loss_weight
        config["classify_fakes"] = self.classify_fakes
        return config

    @property
    def metrics(self):
        return super().metrics + [self.class_loss_tracker]

    def _critic_outputs(self, samples, labels, training=True):
        del labels
        logits, class_logits = self.discriminator(samples, training=training)
        return logits, class_logits

    def _auxiliary_loss(self, real_aux, fake_aux, labels, condition):
        def loss(class_logits, target_labels):
            return tf.reduce_mean(losses.classification_loss(
                self.label_spec, self.label_spec.encode(target_labels),
                class_logits))

        if real_aux is None:  # the generator's update
            return self.class_loss_weight * loss(fake_aux, condition)
        real_loss = loss(real_aux, labels)
        # The discriminator's classification loss on real images: how well
        # the heads know the labels.
        self.class_loss_tracker.update_state(real_loss)
        if self.classify_fakes:
            real_loss = real_loss + loss(fake_aux, condition)
        return self.class_loss_weight * real_loss
