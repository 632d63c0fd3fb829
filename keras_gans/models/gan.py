"""The GAN: one `keras.Model` whose `train_step` plays the adversarial game.

Variants (DCGAN, WGAN, WGAN-GP, LSGAN, SNGAN) are this class with a
different loss, penalty, weight clipping and critic schedule wired in; see
`keras_gans.models.variants`. Each step also logs D's scores and accuracies
and both gradient norms (`keras_gans.models.signals`).
"""

import random

import keras
import tensorflow as tf

from keras_gans import constraints
from keras_gans import losses
from keras_gans import noise as noise_lib
from keras_gans import penalties
from keras_gans import validation
from keras_gans.models import batches
from keras_gans.models import remedies
from keras_gans.models import signals


@keras.saving.register_keras_serializable(package="keras_gans")
class GAN(remedies.CollapseRemedies, signals.TrainingSignals, keras.Model):
    """A generator and a discriminator trained against each other by `fit`.

    Each `train_step` performs `n_critic` discriminator updates followed by
    `g_updates` generator updates (or the generator's first,
    `generator_first=True`): the D/G update ratio is n_critic / g_updates
    (5 for WGAN; 0.2 with n_critic=1, g_updates=5). The real batch is split
    into `n_critic` equal chunks, one per critic update, so every critic
    update sees fresh real data as in the WGAN papers: feed batches of
    `n_critic * batch_size` rows (`train_lib` does); the generator updates
    read the chunks in turn (their labels, for conditional models). Each
    update draws fresh noise.

    Args:
        generator: keras.Model, z (batch, latent_dim) -> samples
            (batch, H, W, C) in [-1, 1] or (batch, D).
        discriminator: keras.Model, samples -> float32 logits (batch, 1).
        latent_dim: size of z; read from the generator's input if None.
        loss: name in `keras_gans.losses.LOSSES`.
        penalty: name in `keras_gans.penalties.PENALTIES`.
        penalty_weight: lambda, the penalty's weight in the D loss.
        n_critic: discriminator updates per step (Python int).
        g_updates: generator updates per step (Python int).
        generator_first: update G before D in each step.
        clip_value: if set, clip every D weight to [-c, c] after each D
            update (WGAN), through a Keras constraint.
        label_smoothing: BCE losses only; real targets become
            1 - label_smoothing / 2 (the Keras / TF-GAN convention, so 0.2
            gives the 0.9 of Salimans et al. 2016).
        real_label_range: BCE losses only; (low, high): real targets drawn
            uniformly per sample, e.g. (0.7, 1.2).
        fake_label_range: BCE losses only; e.g. (0.0, 0.3).
        pack, diff_augment, generator_objective, ema_decay, ema_start:
            the mode-collapse remedies, all off by default; see
            `keras_gans.models.remedies.CollapseRemedies`.
        latent_distribution, latent_scale: z's distribution ("normal" or
            "uniform") and its std or half-width (`keras_gans.noise`).
        seed: int seed of the noise stream (None: drawn at random and
            stored in the config).

    Example:

    ```python
    gan = GAN(generator, discriminator, loss="wasserstein",
              penalty="gradient_penalty", penalty_weight=10.0, n_critic=5)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-4, 0.5, 0.9),
                g_optimizer=keras.optimizers.Adam(1e-4, 0.5, 0.9))
    gan.fit(dataset_of_5x64_batches, epochs=10, steps_per_epoch=100)
    ```

    Reference: Goodfellow et al. 2014, arXiv:1406.2661.
    """

    # What the generator is conditioned on. None here (unconditional);
    # conditional subclasses set them in __init__: `label_spec` (a
    # `LabelSpec`: ConditionalGAN, ACGAN) or `code_spec` (a `CodeSpec`:
    # InfoGAN). Callers test `gan.code_spec is not None`.
    label_spec = None
    code_spec = None

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=None,
        loss="non_saturating",
        penalty="none",
        penalty_weight=10.0,
        n_critic=1,
        generator_first=False,
        clip_value=None,
        g_updates=1,
        label_smoothing=0.0,
        real_label_range=None,
        fake_label_range=None,
        pack=1,
        diff_augment=(),
        generator_objective="adversarial",
        ema_decay=0.0,
        ema_start=0,
        latent_distribution="normal",
        latent_scale=1.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.loss_fn = losses.get(loss)
        self.penalty_fn = penalties.get(penalty)
        n_critic = validation.check_int("n_critic", n_critic)
        g_updates = validation.check_int("g_updates", g_updates)
        losses.check_target_options(
            loss, label_smoothing, real_label_range, fake_label_range
        )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim or generator.input_shape[-1])
        self.latent_distribution, self.latent_scale, _ = noise_lib.check(
            latent_distribution, latent_scale)
        # `self.loss` belongs to keras.Model.compile, hence loss_name.
        self.loss_name = loss
        self.penalty = penalty
        self.penalty_weight = float(penalty_weight)
        self.n_critic = n_critic
        self.g_updates = g_updates
        self.generator_first = bool(generator_first)
        self.clip_value = clip_value
        self.label_smoothing = float(label_smoothing)
        self.real_label_range = (
            tuple(real_label_range) if real_label_range else None
        )
        self.fake_label_range = (
            tuple(fake_label_range) if fake_label_range else None
        )
        # A drawn seed is stored in the config, so a loaded model continues
        # the same noise stream.
        self.seed = int(random.randrange(2**31) if seed is None else seed)
        constraints.clip_weights(discriminator, clip_value)
        self._init_remedies(pack, diff_augment, generator_objective,
                            ema_decay, ema_start)

        # Trackers must exist before build() locks the model's state.
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.penalty_tracker = (
            keras.metrics.Mean(name="penalty") if self.penalty_fn else None
        )
        self._init_signals()  # D's scores and accuracies, grad norms
        self.d_optimizer = None
        self.g_optimizer = None
        self.build()

    # ------------------------------------------------------------------
    # Keras plumbing: build, compile, config.

    def build(self, input_shape=None):
        """Idempotent: the networks are functional models, built already."""
        del input_shape
        self.built = True

    def call(self, inputs, training=False):
        """Generates samples: z (batch, latent_dim), or [z, condition] for
        the conditional models -> generator output."""
        return self.generator(inputs, training=training)

    def compile(self, d_optimizer=None, g_optimizer=None, **kwargs):
        """Configures the two optimizers, one per network.

        Args:
            d_optimizer: keras optimizer for the discriminator (default
                Adam(2e-4, beta_1=0.5)).
            g_optimizer: keras optimizer for the generator (same default).
            **kwargs: passed to `keras.Model.compile`, e.g. `jit_compile`,
                `steps_per_execution`. `optimizer` and `loss` are refused:
                the GAN owns its losses and optimizers.
        """
        for key in ("optimizer", "loss"):
            if kwargs.get(key) is not None:
                raise ValueError(
                    f"GAN.compile takes d_optimizer and g_optimizer; the "
                    f"adversarial loss is a constructor argument. "
                    f"Received: {key}={kwargs[key]!r}"
                )
            kwargs.pop(key, None)
        # optimizer=None: no unused default optimizer in every checkpoint.
        super().compile(optimizer=None, **kwargs)
        self.d_optimizer = d_optimizer or keras.optimizers.Adam(2e-4, 0.5)
        self.g_optimizer = g_optimizer or keras.optimizers.Adam(2e-4, 0.5)
        if self.d_optimizer is self.g_optimizer:
            raise ValueError(
                "d_optimizer and g_optimizer must be two distinct optimizer "
                "objects (each keeps per-variable state)."
            )
        # An unbuilt optimizer silently skips restoring its state.
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)
        self._gan_compile_kwargs = {
            k: v for k, v in kwargs.items()
            if k in ("jit_compile", "steps_per_execution", "run_eagerly")
        }

    def get_compile_config(self):
        if not self.compiled:
            return {}
        return {
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            **self._gan_compile_kwargs,
        }

    def compile_from_config(self, config):
        config = dict(config)
        self.compile(
            d_optimizer=keras.optimizers.deserialize(config.pop("d_optimizer")),
            g_optimizer=keras.optimizers.deserialize(config.pop("g_optimizer")),
            **config,
        )

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(
                self.discriminator
            ),
            "latent_dim": self.latent_dim,
            "loss": self.loss_name,
            "penalty": self.penalty,
            "penalty_weight": self.penalty_weight,
            "n_critic": self.n_critic,
            "g_updates": self.g_updates,
            "generator_first": self.generator_first,
            "clip_value": self.clip_value,
            "label_smoothing": self.label_smoothing,
            "real_label_range": self.real_label_range,
            "fake_label_range": self.fake_label_range,
            **self._remedies_config(),
            "latent_distribution": self.latent_distribution,
            "latent_scale": self.latent_scale,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)

    @property
    def metrics(self):
        trackers = [self.d_loss_tracker, self.g_loss_tracker]
        if self.penalty_tracker is not None:
            trackers.append(self.penalty_tracker)
        return trackers + self.signal_trackers

    # ------------------------------------------------------------------
    # The adversarial step.

    def _next_seeds(self, optimizer, num):
        """`num` fresh stateless seeds, (num, 2), for the coming update
        (`noise.update_seeds`: exact on resume, per replica)."""
        stream = 0 if optimizer is self.d_optimizer else 1
        return noise_lib.update_seeds(self.seed, stream,
                                      optimizer.iterations, num)

    def _targets(self, real_rows, fake_rows, seed):
        """Real and fake BCE targets: floats, or (rows, 1) noisy labels."""
        if self.loss_name not in losses.TARGET_LOSSES:
            return {}
        return losses.bce_targets(
            self.label_smoothing, self.real_label_range,
            self.fake_label_range, real_rows, fake_rows, seed)

    def _noise(self, batch_size, seed):
        return noise_lib.tf_latent([batch_size, self.latent_dim], seed,
                                   self.latent_distribution,
                                   self.latent_scale)

    # Hooks of the conditional models (keras_gans.models.conditional,
    # keras_gans.models.infogan); the unconditional GAN ignores labels.

    # Whether train_step passes the dataset's labels to the steps.
    uses_labels = False

    def _condition(self, labels, batch_size, seed):
        """What the generator is conditioned on for a fake batch: None
        here, the real batch's labels (cGAN, ACGAN) or drawn codes
        (InfoGAN)."""
        del labels, batch_size, seed
        return None

    def _generator_inputs(self, noise, condition):
        return noise if condition is None else [noise, condition]

    def _discriminator_inputs(self, samples, labels):
        """What the discriminator network is called on."""
        del labels
        return samples

    def _critic_outputs(self, samples, labels, training=True):
        """(logits (batch, 1), auxiliary head output or None)."""
        return self.discriminator(
            self._discriminator_inputs(samples, labels),
            training=training), None

    def _extra_fake_logits(self, real, labels, seed):
        """More logits to score as fake (the matching-aware pairs)."""
        del real, labels, seed
        return None

    def _auxiliary_loss(self, real_aux, fake_aux, labels, condition):
        """The heads' loss (ACGAN's classes, InfoGAN's codes), or None.
        `real_aux` is None in the generator's update."""
        del real_aux, fake_aux, labels, condition
        return None

    def _discriminator_loss(self, real, labels, fake, condition, seeds):
        penalty_seed, target_seed, extra_seed = seeds
        # Augmentation seeds are folded out of an existing one, so runs
        # without remedies draw exactly the noise they always drew.
        view_seeds = tf.unstack(tf.random.experimental.stateless_split(
            tf.random.experimental.stateless_fold_in(extra_seed, 1), 2))
        real = self._discriminator_view(real, view_seeds[0])
        fake = self._discriminator_view(fake, view_seeds[1])
        real_logits, real_aux = self._critic_outputs(real, labels)
        fake_logits, fake_aux = self._critic_outputs(fake, condition)
        logits = (real_logits, fake_logits)  # the signals' (no extras)
        extra = self._extra_fake_logits(real, labels, extra_seed)
        if extra is not None:
            fake_logits = tf.concat([fake_logits, extra], axis=0)
        d_loss, _ = self.loss_fn(
            real_logits, fake_logits,
            **self._targets(tf.shape(real_logits)[0],
                            tf.shape(fake_logits)[0], target_seed),
        )
        penalty = None
        if self.penalty_fn is not None:
            def critic(x, training=True):
                return self._critic_outputs(x, labels, training)[0]

            penalty = self.penalty_fn(critic, real, fake, penalty_seed)
            d_loss = d_loss + self.penalty_weight * penalty
        aux = self._auxiliary_loss(real_aux, fake_aux, labels, condition)
        if aux is not None:
            d_loss = d_loss + aux
        return d_loss, penalty, logits

    def _discriminator_step(self, real, labels, num_replicas):
        batch_size = tf.shape(real)[0]
        seeds = tf.unstack(self._next_seeds(self.d_optimizer, 5))
        condition = self._condition(labels, batch_size, seeds[3])
        # G runs outside the tape: the D update needs no gradient through G.
        fake = self.generator(
            self._generator_inputs(self._noise(batch_size, seeds[0]),
                                   condition), training=True)
        with tf.GradientTape() as tape:
            d_loss, penalty, logits = self._discriminator_loss(
                real, labels, fake, condition,
                (seeds[1], seeds[2], seeds[4]))
            # Gradients are all-reduced with SUM across replicas; only a
            # LossScaleOptimizer (mixed_float16) scales the loss.
            scaled_loss = self.d_optimizer.scale_loss(d_loss / num_replicas)
        variables = self.discriminator.trainable_variables
        grads = tape.gradient(scaled_loss, variables)
        self._track_discriminator(*logits, grads, num_replicas)
        self.d_optimizer.apply_gradients(zip(grads, variables))
        return d_loss, penalty

    def _generator_step(self, real, labels, num_replicas):
        batch_size = tf.shape(real)[0]
        noise_seed, condition_seed = tf.unstack(
            self._next_seeds(self.g_optimizer, 2)
        )
        condition = self._condition(labels, batch_size, condition_seed)
        with tf.GradientTape() as tape:
            fake = self.generator(
                self._generator_inputs(self._noise(batch_size, noise_seed),
                                       condition), training=True)
            g_loss, fake_aux = self._generator_objective(
                fake, real, labels, condition,
                tf.random.experimental.stateless_fold_in(noise_seed, 1))
            aux = self._auxiliary_loss(None, fake_aux, labels, condition)
            if aux is not None:
                g_loss = g_loss + aux
            scaled_loss = self.g_optimizer.scale_loss(g_loss / num_replicas)
        variables = self.generator.trainable_variables
        grads = tape.gradient(scaled_loss, variables)
        self._track_generator(grads, num_replicas)
        self.g_optimizer.apply_gradients(zip(grads, variables))
        self._update_moving_average()
        return g_loss

    def train_step(self, data):
        real, labels = batches.unpack_real(data)
        num_replicas = tf.distribute.get_strategy().num_replicas_in_sync
        chunks = batches.critic_batches(real, self.n_critic)
        if self.uses_labels:
            if labels is None:
                raise ValueError(
                    f"{type(self).__name__} trains on (samples, labels) "
                    "batches; the dataset yields samples only."
                )
            label_chunks = batches.critic_batches(labels, self.n_critic)
        else:
            label_chunks = [None] * len(chunks)
        if self.generator_first:
            g_loss = self._generator_updates(chunks, label_chunks,
                                             num_replicas)
        for chunk, chunk_labels in zip(chunks, label_chunks):
            d_loss, penalty = self._discriminator_step(
                chunk, chunk_labels, num_replicas)
            self.d_loss_tracker.update_state(d_loss)
            if penalty is not None:
                self.penalty_tracker.update_state(penalty)
        if not self.generator_first:
            g_loss = self._generator_updates(chunks, label_chunks,
                                             num_replicas)
        self.g_loss_tracker.update_state(g_loss)
        return batches.step_logs({m.name: m.result() for m in self.metrics})

    def _generator_updates(self, chunks, label_chunks, num_replicas):
        """`g_updates` generator updates; returns their mean loss. They
        read the real chunks in turn: from the first before the critic
        updates, from the last after them."""
        total = 0.0
        for j in range(self.g_updates):
            i = (j if self.generator_first else -1 - j) % len(chunks)
            total += self._generator_step(chunks[i], label_chunks[i],
                                          num_replicas)
        return total / self.g_updates

    def generate(self, z, condition=None):
        """Samples for noise z: (batch, latent_dim) -> generator output.

        `condition` is for the conditional models (labels, or InfoGAN's
        codes); an unconditional GAN refuses one.
        """
        if condition is not None:
            raise ValueError(
                f"This {type(self).__name__} is unconditional: it takes no "
                "labels. Received: condition of shape "
                f"{tuple(tf.shape(condition).numpy())}"
            )
        return self.inference_generator(z, training=False)
