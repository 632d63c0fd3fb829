"""InfoGAN: unsupervised codes the generator must make recoverable.

Chen et al. 2016, "InfoGAN: Interpretable Representation Learning by
Information Maximizing Generative Adversarial Nets", arXiv:1606.03657.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gans.models.gan import GAN

CODE_LOSSES = ("crossentropy", "mse")


@keras.saving.register_keras_serializable(package="keras_gans")
class InfoGAN(GAN):
    """A GAN whose generator also reads codes c, and whose discriminator's
    Q head recovers them from the fakes (a lower bound on the mutual
    information I(c; G(z, c))).

    Codes: `categorical_codes` one-hot codes (k categories each, uniform),
    then `continuous_codes` values uniform in [-1, 1], concatenated into a
    (batch, code_dim) vector. The discriminator returns [logits (batch,
    1), Q output (batch, code_dim)]: logits per categorical code, a mean
    per continuous code. The information loss, added to both networks'
    losses on the fakes, is `categorical_weight` times the categorical
    codes' loss (softmax cross-entropy, or with code_loss="mse" the mean
    squared error of the softmax against the one-hot code) plus
    `continuous_weight` times the continuous codes' mean squared error (a
    Gaussian with fixed variance).

    Args:
        generator: keras.Model, [z, codes (batch, code_dim)] -> samples.
        discriminator: keras.Model, samples -> [logits, Q output].
        categorical_codes: a list of category counts, one per categorical
            code, e.g. [10] (MNIST digits).
        continuous_codes: how many continuous codes.
        categorical_weight, continuous_weight: the loss weights (lambda).
        code_loss: "crossentropy" or "mse" for the categorical codes.
        **kwargs: as in `GAN` (loss="least_squares" gives the all-MSE
            InfoGAN of one reference report, with code_loss="mse").
    """

    def __init__(self, generator, discriminator, categorical_codes=(10,),
                 continuous_codes=2, categorical_weight=1.0,
                 continuous_weight=1.0, code_loss="crossentropy", **kwargs):
        self.categorical_codes = [int(k) for k in categorical_codes]
        self.continuous_codes = int(continuous_codes)
        if any(k < 2 for k in self.categorical_codes) or (
                self.continuous_codes < 0) or not self.code_dim:
            raise ValueError(
                "InfoGAN needs at least one code: categorical codes of 2 or "
                "more categories and/or continuous codes >= 1. Received: "
                f"categorical_codes={categorical_codes!r}, "
                f"continuous_codes={continuous_codes!r}"
            )
        if code_loss not in CODE_LOSSES:
            raise ValueError(
                f"Unknown code_loss. Valid names: {CODE_LOSSES}. Received: "
                f"code_loss={code_loss!r}"
            )
        self.categorical_weight = float(categorical_weight)
        self.continuous_weight = float(continuous_weight)
        self.code_loss = code_loss
        self.info_loss_tracker = keras.metrics.Mean(name="info_loss")
        kwargs.setdefault("latent_dim", generator.inputs[0].shape[-1])
        super().__init__(generator, discriminator, **kwargs)
        width = generator.inputs[1].shape[-1]
        if width != self.code_dim:
            raise ValueError(
                f"The generator's codes input has {width} columns; the "
                f"codes need {self.code_dim} ({self.categorical_codes} "
                f"categories + {self.continuous_codes} continuous)."
            )

    @property
    def code_dim(self):
        return sum(self.categorical_codes) + self.continuous_codes

    def get_config(self):
        config = super().get_config()
        config.update(
            categorical_codes=self.categorical_codes,
            continuous_codes=self.continuous_codes,
            categorical_weight=self.categorical_weight,
            continuous_weight=self.continuous_weight,
            code_loss=self.code_loss,
        )
        return config

    @property
    def metrics(self):
        return super().metrics + [self.info_loss_tracker]

    def sample_codes(self, batch_size, seed):
        """Random codes, (batch_size, code_dim) float32, from a stateless
        seed (2,): uniform categories one-hot, then U[-1, 1]."""
        seeds = tf.unstack(tf.random.experimental.stateless_split(
            seed, len(self.categorical_codes) + 1))
        parts = [
            tf.one_hot(tf.random.stateless_uniform(
                [batch_size], s, minval=0, maxval=k, dtype="int32"), k)
            for k, s in zip(self.categorical_codes, seeds)
        ]
        if self.continuous_codes:
            parts.append(tf.random.stateless_uniform(
                [batch_size, self.continuous_codes], seeds[-1],
                minval=-1.0, maxval=1.0))
        return tf.concat(parts, axis=1)

    def codes(self, categories=None, continuous=None, num=None):
        """Code vectors from their values (numpy), for traversals.

        Args:
            categories: (num, len(categorical_codes)) ints, or None (all 0).
            continuous: (num, continuous_codes) floats, or None (all 0).
            num: rows, when both are None.

        Returns:
            float32 (num, code_dim).
        """
        if num is None:
            num = len(categories if categories is not None else continuous)
        categories = np.zeros((num, len(self.categorical_codes)), "int64") \
            if categories is None else np.asarray(categories)
        continuous = np.zeros((num, self.continuous_codes), "float32") \
            if continuous is None else np.asarray(continuous, "float32")
        parts = [np.eye(k, dtype="float32")[categories[:, i]]
                 for i, k in enumerate(self.categorical_codes)]
        parts.append(continuous.reshape(num, self.continuous_codes))
        return np.concatenate(parts, axis=1)

    def _condition(self, labels, batch_size, seed):
        del labels
        return self.sample_codes(batch_size, seed)

    def _critic_outputs(self, samples, labels, training=True):
        del labels
        logits, q = self.discriminator(samples, training=training)
        return logits, q

    def _auxiliary_loss(self, real_aux, fake_aux, labels, condition):
        del labels
        q = tf.cast(fake_aux, "float32")
        total, start = 0.0, 0
        for k in self.categorical_codes:
            target, logits = condition[:, start:start + k], q[:, start:start + k]
            if self.code_loss == "mse":
                loss = tf.reduce_mean(tf.square(tf.nn.softmax(logits) - target))
            else:
                loss = tf.reduce_mean(
                    tf.nn.softmax_cross_entropy_with_logits(target, logits))
            total += self.categorical_weight * loss
            start += k
        if self.continuous_codes:
            total += self.continuous_weight * tf.reduce_mean(
                tf.square(q[:, start:] - condition[:, start:]))
        if real_aux is not None:  # the discriminator's update
            self.info_loss_tracker.update_state(total)
        return total

    def generate(self, z, condition=None):
        """Samples for noise z and codes (batch, code_dim); codes drawn at
        random (seed 0) when None."""
        if condition is None:
            condition = self.sample_codes(len(z), tf.constant([0, 0]))
        condition = np.asarray(condition, "float32")
        if condition.shape != (len(z), self.code_dim):
            raise ValueError(
                f"codes must have shape ({len(z)}, {self.code_dim}). "
                f"Received: codes.shape={condition.shape}"
            )
        return self.generator([z, condition], training=False)
