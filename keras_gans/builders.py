"""Objects from a resolved `TrainConfig`: networks, optimizers, the GAN.

`build_gan(config, spec)` is what training, loading a run back and the
tests all call, so a run's model is built one way only. The config must be
resolved (`config.resolve`); the `DataSpec` says what the samples and
labels are.
"""

import keras
import tensorflow as tf

from keras_gans import hardware
from keras_gans import models
from keras_gans import networks
from keras_gans.datasets import codes
from keras_gans.models import GAN
from keras_gans.models import variants
from keras_gans.networks import backbones


def get_strategy(name):
    """The tf.distribute strategy called `name` (see config.STRATEGIES).

    "multi_worker" reads the cluster from the TF_CONFIG environment
    variable; create it before any other TensorFlow work.
    """
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


def _check_labelled(config, spec):
    """A conditional model on data without labels fails here, clearly."""
    kind = variants.get(config.model).conditioning
    if kind in ("labels", "classifier") and spec.label_spec is None:
        raise ValueError(
            f"model {config.model!r} learns from labels, and dataset "
            f"{config.dataset!r} has none"
            + (f" in {config.data_dir} (a folder needs class sub-folders "
               "or a tags.csv)" if config.data_dir else "")
            + ". Use model 'infogan' for unlabelled images. Received: "
            f"model={config.model!r}, dataset={config.dataset!r}"
        )


def image_network_options(config, spec):
    """(generator kwargs, discriminator kwargs) of an image run: what every
    image builder of `keras_gans.networks` (DCGAN, ResNet, conditional)
    takes from the config. Options only DCGAN has are left out of a
    ResNet's (the config refuses them set)."""
    size, _, channels = spec.sample_shape
    architecture = config.architecture
    activations = backbones.DEFAULT_ACTIVATIONS[architecture]
    common = dict(image_size=size, channels=channels,
                  base_width=config.base_width or 64,
                  attention_resolution=config.attention_resolution)
    g_args = dict(common, latent_dim=config.latent_dim,
                  filters=config.g_filters,
                  activation=config.activation or activations["generator"],
                  normalization=config.g_normalization)
    d_args = dict(common, filters=config.d_filters,
                  activation=(config.d_activation
                              or activations["discriminator"]),
                  normalization=config.d_normalization,
                  minibatch_std=config.minibatch_std)
    if architecture == "dcgan":
        kernel_size = config.kernel_size or 4
        g_args.update(kernel_size=kernel_size,
                      upsampling=config.g_upsampling,
                      output_normalization=config.g_output_normalization,
                      output_activation=config.g_output_activation,
                      image_range=config.image_range)
        d_args.update(kernel_size=kernel_size, dropout=config.d_dropout,
                      image_range=config.image_range)
    return g_args, d_args


def _build_conditional_networks(config, spec):
    variant = variants.get(config.model)
    g_args, d_args = image_network_options(config, spec)
    architecture = dict(architecture=config.architecture)
    g_args.update(architecture)
    d_args.update(architecture)
    if variant.conditioning == "codes":
        code_dim = codes.CodeSpec(config.info_categorical,
                                  config.info_continuous).code_dim
        generator = networks.build_code_generator(code_dim, **g_args)
        discriminator = networks.build_discriminator_with_heads(
            [("q", code_dim)],
            q_hidden_units=networks.conditional.Q_HIDDEN_UNITS, **d_args)
        return generator, discriminator
    label_spec = spec.label_spec
    generator = networks.build_conditional_generator(
        label_spec, config.g_conditioning,
        embedding_dim=config.embedding_dim,
        condition_units=config.condition_units,
        condition_activation=config.g_condition_activation, **g_args)
    if variant.conditioning == "labels":
        discriminator = networks.build_conditional_discriminator(
            label_spec, config.d_conditioning,
            condition_activation=config.d_condition_activation,
            label_maps=config.d_label_maps, **d_args)
    else:
        # ACGAN: one classification head per attribute, in encode's order.
        if label_spec.kind == "attributes":
            heads = [(a.name, a.width) for a in label_spec.attributes]
        else:
            heads = [("class", label_spec.encoded_dim)]
        discriminator = networks.build_discriminator_with_heads(
            heads, **d_args)
    return generator, discriminator


def precision_policy(precision):
    """The Keras dtype policy name for `TrainConfig.precision`.

    "auto" is `hardware.default_precision()`: mixed_bfloat16 where the
    machine multiplies bfloat16 natively and the step measured faster,
    else float32 (never mixed_float16, whose loss scaling adds optimizer
    state: a run resumed on another machine must load its checkpoints).
    """
    if precision == "auto":
        return hardware.default_precision()
    return precision


def build_networks(config, spec):
    """(generator, discriminator) for the dataset's kind of samples, their
    layers computing in `config.precision` (variables float32)."""
    _check_labelled(config, spec)
    # Layers read the global policy when they are created; set it for this
    # build only, so nothing else in the process changes dtype.
    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy(
        precision_policy(config.precision))
    try:
        return _build_networks(config, spec)
    finally:
        keras.mixed_precision.set_global_policy(previous)


def _build_networks(config, spec):
    if variants.get(config.model).conditional:
        return _build_conditional_networks(config, spec)
    if spec.kind == "points":
        generator = networks.build_mlp_generator(
            latent_dim=config.latent_dim,
            output_dim=spec.sample_shape[0],
            activation=config.activation or "relu",
            normalization=config.g_normalization,
        )
        # PacGAN: D reads `pack` points side by side.
        discriminator = networks.build_mlp_discriminator(
            input_dim=spec.sample_shape[0] * config.pack,
            activation=(config.d_activation or config.activation
                        or "leaky_relu"),
            normalization=config.d_normalization,
            minibatch_std=config.minibatch_std,
        )
        return generator, discriminator
    g_args, d_args = image_network_options(config, spec)
    d_args["channels"] *= config.pack  # PacGAN: packs along channels
    if config.architecture == "resnet":
        return (networks.build_resnet_generator(**g_args),
                networks.build_resnet_discriminator(**d_args))
    return (networks.build_dcgan_generator(**g_args),
            networks.build_dcgan_discriminator(**d_args))


def learning_rate(config, rate, schedule, updates_per_step=1):
    """One network's learning rate: `rate`, or a Keras schedule of it.

    Schedules count that network's optimizer updates, `updates_per_step`
    per training step (n_critic for D, g_updates for G), so their
    boundaries fall on training steps whatever the update ratio.

    Args:
        config: the resolved `TrainConfig` (run length, lr_step_size,
            lr_gamma).
        rate: the initial learning rate.
        schedule: a name in `config.LR_DECAYS`.
        updates_per_step: the network's updates per training step.
    """
    total = config.epochs * config.steps_per_epoch * updates_per_step
    every = config.lr_step_size * updates_per_step
    schedules = keras.optimizers.schedules
    if schedule == "linear":
        # Linear decay to 0 over the whole run, as in WGAN-GP (section 5):
        # it shrinks the optimizer's step noise, which otherwise blurs
        # sharp modes late in training.
        return schedules.PolynomialDecay(rate, decay_steps=total,
                                         end_learning_rate=0.0)
    if schedule in ("step", "exponential"):
        # rate * lr_gamma ** (step / lr_step_size), whole steps for "step";
        # lr_gamma > 1 grows the rate, as one course report does (1.1).
        return schedules.ExponentialDecay(
            rate, decay_steps=every, decay_rate=config.lr_gamma,
            staircase=schedule == "step")
    if schedule == "cosine":
        return schedules.CosineDecay(rate, decay_steps=total)
    return rate


def _optimizer(config, rate, schedule, updates_per_step=1):
    rate = learning_rate(config, rate, schedule, updates_per_step)
    if config.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(rate)
    return keras.optimizers.Adam(
        rate, beta_1=config.beta_1, beta_2=config.beta_2
    )


def _jit_compile(value):
    return {"auto": "auto", "true": True, "false": False}[value]


def build_gan(config, spec, lr_scale=1.0):
    """A compiled `GAN` for a resolved config. Call inside strategy scope.

    `lr_scale` multiplies both learning rates (a run that diverged retries
    with lower ones; the checkpoints remember the scale).
    """
    generator, discriminator = build_networks(config, spec)
    kind = variants.get(config.model).conditioning
    extra = {}
    if kind == "labels":
        model_class = models.ConditionalGAN
        extra = dict(label_spec=spec.label_spec,
                     matching_aware=config.matching_aware)
    elif kind == "classifier":
        model_class = models.ACGAN
        extra = dict(label_spec=spec.label_spec,
                     class_loss_weight=config.class_loss_weight,
                     classify_fakes=config.classify_fakes)
    elif kind == "codes":
        model_class = models.InfoGAN
        extra = dict(categorical_codes=config.info_categorical,
                     continuous_codes=config.info_continuous,
                     categorical_weight=config.info_categorical_weight,
                     continuous_weight=config.info_continuous_weight,
                     code_loss=config.info_code_loss)
    else:
        model_class = GAN
    gan = model_class(
        generator,
        discriminator,
        **extra,
        latent_dim=config.latent_dim,
        loss=config.loss,
        penalty=config.penalty,
        penalty_weight=config.gp_weight,
        n_critic=config.n_critic,
        g_updates=config.g_updates,
        generator_first=config.generator_first,
        clip_value=config.clip_value,
        label_smoothing=config.label_smoothing,
        real_label_range=config.real_label_range,
        fake_label_range=config.fake_label_range,
        pack=config.pack,
        diff_augment=config.diff_augment,
        generator_objective=config.generator_objective,
        ema_decay=config.ema_decay,
        ema_start=config.ema_start,
        latent_distribution=config.latent_distribution,
        latent_scale=config.latent_scale,
        seed=config.seed,
    )
    d_optimizer = _optimizer(config, config.d_learning_rate * lr_scale,
                             config.d_lr_decay or config.lr_decay,
                             updates_per_step=config.n_critic)
    g_optimizer = _optimizer(config, config.g_learning_rate * lr_scale,
                             config.g_lr_decay or config.lr_decay,
                             updates_per_step=config.g_updates)
    if precision_policy(config.precision) == "mixed_float16":
        # float16 gradients underflow without it; the wrapper scales each
        # loss (GAN.train_step calls scale_loss), unscales the gradients
        # and skips the update (halving the scale) when they are not
        # finite.
        d_optimizer = keras.optimizers.LossScaleOptimizer(d_optimizer)
        g_optimizer = keras.optimizers.LossScaleOptimizer(g_optimizer)
    gan.compile(
        d_optimizer=d_optimizer,
        g_optimizer=g_optimizer,
        jit_compile=_jit_compile(config.jit_compile),
        steps_per_execution=config.steps_per_execution,
    )
    return gan
