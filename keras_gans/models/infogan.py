"""InfoGAN: unsupervised codes the generator must make recoverable.

Chen et al. 2016, "InfoGAN: Interpretable Representation Learning by
Information Maximizing Generative Adversarial Nets", arXiv:1606.03657.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gans.datasets import codes as codes_lib
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

    Attributes:
        code_spec: the `CodeSpec` of the codes (`categorical_codes`,
            `continuous_codes`, `code_dim`, `sample_codes` and `codes`
            read it).
    """

    # Q predicts each sample's own codes.
    supports_packing = False

    def __init__(self, generator, discriminator, categorical_codes=(10,),
                 continuous_codes=2, categorical_weight=1.0,
                 continuous_weight=1.0, code_loss="crossentropy", **kwargs):
        self.code_spec = codes_lib.CodeSpec.from_counts(
            categorical_codes, continuous_codes,
            names=("categorical_codes", "continuous_codes"))
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

    # The code layout lives in `code_spec`; these read it (configs, saved
    # models and callers use the constructor's names).

    @property
    def categorical_codes(self):
        """The category count of each categorical code (a list)."""
        return list(self.code_spec.categorical)

    @property
    def continuous_codes(self):
        """How many continuous codes."""
        return self.code_spec.continuous

    @property
    def code_dim(self):
        return self.code_spec.code_dim

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
        seed (2,): uniform categories one-hot, then U[-1, 1] (see
        `CodeSpec.sample`)."""
        return self.code_spec.sample(batch_size, seed)

    def codes(self, categories=None, continuous=None, num=None):
        """Code vectors from their values (numpy), for traversals.

        Args:
            categories: (num, len(categorical_codes)) ints, or None (all 0).
            continuous: (num, continuous_codes) floats, or None (all 0).
            num: rows, when both are None.

        Returns:
            float32 (num, code_dim) (see `CodeSpec.encode`).
        """
        return self.code_spec.encode(categories, continuous, num)

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
        for k in self.code_spec.categorical:
            target = condition[:, start:start + k]
            logits = q[:, start:start + k]
            if self.code_loss == "mse":
                loss = tf.reduce_mean(tf.square(tf.nn.softmax(logits) - target))
            else:
                loss = tf.reduce_mean(
                    tf.nn.softmax_cross_entropy_with_logits(target, logits))
            total += self.categorical_weight * loss
            start += k
        if self.code_spec.continuous:
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
        return self.inference_generator([z, condition], training=False)
