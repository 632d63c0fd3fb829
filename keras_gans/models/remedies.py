"""The mode-collapse remedies of the GAN's step, as one mixin.

`GAN` inherits from `CollapseRemedies`: PacGAN packing and DiffAugment
(what the discriminator sees of a batch), feature matching (what the
generator is trained to do) and the generator's moving average (what
samples come from). Each is off by default and changes nothing when off:
a run without them draws the same noise and takes the same steps as before
they existed.
"""

import tensorflow as tf

from keras_gans import augment
from keras_gans import losses
from keras_gans import packing
from keras_gans import validation
from keras_gans.layers import blocks
from keras_gans.models import ema


class CollapseRemedies:
    """The remedies' state and hooks; `GAN.__init__` calls
    `_init_remedies` after the networks are set.

    Args (of `GAN`):
        pack: PacGAN: the discriminator judges packs of this many samples
            (`keras_gans.packing`; it is built for `pack` times the
            channels or features). Not with models whose discriminator
            reads or predicts labels or codes.
        diff_augment: DiffAugment policies applied to every image the
            discriminator sees, real and fake, in both updates
            (`keras_gans.augment.POLICIES`).
        generator_objective: "adversarial", "feature_matching" (match the
            mean of the features D's logit reads) or "both"
            (`losses.GENERATOR_OBJECTIVES`).
        ema_decay: 0, or the decay of a moving average of the generator
            (`ema_generator`, `keras_gans.models.ema`) that `generate`
            samples from while `use_ema` is True.
        ema_start: generator updates before the average starts (until
            then it copies the generator).
    """

    # Whether the discriminator can judge packs of samples (PacGAN): not
    # where it reads or predicts each sample's own labels or codes.
    supports_packing = True

    def _init_remedies(self, pack, diff_augment, generator_objective,
                       ema_decay, ema_start):
        """The mode-collapse remedies' state; see the class Args."""
        self.pack = packing.check_pack(pack)
        if self.pack > 1 and not self.supports_packing:
            raise ValueError(
                f"{type(self).__name__}'s discriminator reads or predicts "
                "each sample's own labels or codes, so it cannot judge "
                "packs of samples: use pack=1 (or minibatch_std, which "
                f"works with every model). Received: pack={self.pack}")
        samples, judged = self.generator.output_shape, (
            self.discriminator.input_shape)
        if self.pack > 1 and judged[-1] != samples[-1] * self.pack:
            raise ValueError(
                f"With pack={self.pack} the discriminator judges "
                f"{self.pack} samples stacked along the last axis, so it "
                f"must take {samples[-1] * self.pack} channels (features); "
                f"it takes {judged[-1]}. Build it with channels * pack. "
                f"Received: pack={self.pack}")
        self.diff_augment = augment.check_policies(diff_augment)
        if self.diff_augment and len(samples) != 4:
            raise ValueError(
                "diff_augment transforms images (batch, H, W, C); this "
                f"generator makes samples of shape {samples}. Received: "
                f"diff_augment={','.join(self.diff_augment)!r}")
        validation.check_choice("generator_objective", generator_objective,
                                losses.GENERATOR_OBJECTIVES)
        self.generator_objective = generator_objective
        # The features share D's layers; kept off Keras' attribute
        # tracking so that checkpoints do not hold D's weights twice.
        object.__setattr__(
            self, "_feature_network",
            None if generator_objective == "adversarial"
            else blocks.logit_features_model(self.discriminator))
        self.ema_decay, self.ema_start = ema.check_options(ema_decay,
                                                           ema_start)
        # `ema_generator` is a checkpoint attribute, like `generator`.
        self.ema_generator = (ema.clone_generator(self.generator)
                              if self.ema_decay else None)
        # What `generate` (pictures, eval, export) samples from.
        self.use_ema = self.ema_generator is not None

    @property
    def inference_generator(self):
        """The network samples come from: the moving average when there
        is one and `use_ema` is set, else the trained generator."""
        if self.use_ema and self.ema_generator is not None:
            return self.ema_generator
        return self.generator

    def _update_moving_average(self):
        """After each generator update: the moving average's step."""
        if self.ema_generator is not None:
            ema.update(self.ema_generator, self.generator, self.ema_decay,
                       self.ema_start, self.g_optimizer.iterations)

    def _remedies_config(self):
        return {
            "pack": self.pack,
            "diff_augment": list(self.diff_augment),
            "generator_objective": self.generator_objective,
            "ema_decay": self.ema_decay,
            "ema_start": self.ema_start,
        }

    def _discriminator_view(self, samples, seed):
        """What the discriminator judges of a batch: augmented
        (DiffAugment), then packed (PacGAN); `samples` when neither."""
        if self.diff_augment:
            samples = augment.diff_augment(samples, self.diff_augment, seed)
        return packing.pack(samples, self.pack)

    def _generator_objective(self, fake, real, labels, condition, seed):
        """G's loss before auxiliary terms: adversarial, feature matching
        on the features D's logit reads, or both; and D's head outputs."""
        fake_seed, real_seed = tf.unstack(
            tf.random.experimental.stateless_split(seed, 2))
        fake = self._discriminator_view(fake, fake_seed)
        fake_logits, fake_aux = self._critic_outputs(fake, condition)
        g_loss = 0.0
        if self.generator_objective != "feature_matching":
            g_loss = self.loss_fn(None, fake_logits)[1]
        if self._feature_network is not None:
            real = self._discriminator_view(real, real_seed)
            g_loss += losses.feature_matching(
                self._feature_network(self._discriminator_inputs(
                    real, labels), training=True),
                self._feature_network(self._discriminator_inputs(
                    fake, condition), training=True))
        return g_loss, fake_aux
