"""The checks of `config.validate` that need more than a name lookup:
numbers in their ranges, the conditioning options against the model and
the data, and the mode-collapse remedies against both."""

import logging

from keras_gans import augment
from keras_gans import datasets
from keras_gans import losses
from keras_gans import noise
from keras_gans import packing
from keras_gans import validation
from keras_gans.datasets import codes
from keras_gans.layers import attention
from keras_gans.layers import blocks
from keras_gans.layers import minibatch_std
from keras_gans.models import ema
from keras_gans.models import variants
from keras_gans.networks import backbones
from keras_gans.networks import conditional
from keras_gans.networks import dcgan
from keras_gans.networks import sizing

# The training doctor's settings (`TrainConfig.doctor`).
DOCTOR = ("on", "off")


def validate_seeing_training(config):
    """TensorBoard, the picture interval, the training doctor's switch and
    its step interval."""
    if not isinstance(config.tensorboard, bool):
        raise ValueError(
            "tensorboard must be True or False. Received: "
            f"tensorboard={config.tensorboard!r}")
    validation.check_int("sample_every_steps", config.sample_every_steps,
                         minimum=0,
                         what="(the fixed-noise picture every N training "
                              "steps; 0: at epoch ends only)")
    validation.check_choice("doctor", config.doctor, DOCTOR)
    validation.check_int("doctor_every_steps", config.doctor_every_steps,
                         minimum=0,
                         what="(also diagnose every N training steps; 0: "
                              "at epoch ends only)")


def validate_numbers(config):
    """Learning rates, Adam's betas and the loss weights in their ranges.

    Each would otherwise train: a negative gradient-penalty weight rewards
    steep critics, beta_1 = 1 freezes Adam's first moment and divides by
    zero in its bias correction (NaN from the first step).
    """
    for name in ("d_learning_rate", "g_learning_rate"):
        validation.check_number(name, getattr(config, name), low=0.0,
                                low_open=True)
    for name in ("beta_1", "beta_2"):
        validation.check_number(
            name, getattr(config, name), low=0.0, high=1.0, high_open=True,
            what="(Adam's moment decay; 1 divides by zero)")
    for name in ("gp_weight", "class_loss_weight",
                 "info_categorical_weight", "info_continuous_weight"):
        validation.check_number(name, getattr(config, name), low=0.0,
                                allow_none=True,
                                what="(a loss weight; negative rewards "
                                     "what the loss penalizes)")
    validation.check_number("label_smoothing", config.label_smoothing,
                            low=0.0, high=1.0, high_open=True)


def validate_conditioning(config):
    """The conditioning options against the model and the data."""
    from keras_gans import layers

    variant = variants.get(config.model)
    kind = variant.conditioning
    if not variant.conditional:
        given = [f"{name}={getattr(config, name)!r}" for name in (
            "g_conditioning", "d_conditioning") if getattr(config, name)]
        for flag in ("matching_aware", "classify_fakes"):
            if getattr(config, flag):
                given.append(f"{flag}=True")
        if given:
            raise ValueError(
                f"model {config.model!r} is unconditional: conditioning "
                "options apply to the conditional models ("
                + ", ".join(variants.CONDITIONAL) + "). Received: "
                + ", ".join([f"model={config.model!r}"] + given)
            )
        return
    validation.check_choice("g_conditioning", config.g_conditioning,
                            layers.G_SCHEMES)
    validation.check_choice("d_conditioning", config.d_conditioning,
                            layers.D_SCHEMES)
    data_kind = datasets.dataset_defaults(config.dataset).kind
    if data_kind != "image":
        raise ValueError(
            f"model {config.model!r} builds conditional DCGAN networks for "
            f"labelled images; dataset {config.dataset!r} is a 2-D point "
            "mixture without labels. Use an image dataset (faces, shapes, "
            f"mnist, ...). Received: model={config.model!r}, "
            f"dataset={config.dataset!r}"
        )
    if kind == "labels" and config.d_conditioning == "none":
        raise ValueError(
            "cgan's discriminator must read the labels: d_conditioning "
            "'input', 'first_conv' or 'projection' (a discriminator that "
            "classifies instead is model 'acgan'). Received: "
            "d_conditioning='none'"
        )
    if kind != "labels":
        if config.d_conditioning != "none":
            raise ValueError(
                f"model {config.model!r}'s discriminator does not read "
                "labels (its heads predict them; reading them would make "
                "that trivial): d_conditioning must be 'none'. Received: "
                f"d_conditioning={config.d_conditioning!r}"
            )
        if config.matching_aware:
            raise ValueError(
                "matching_aware shows the discriminator real images with "
                "wrong labels, so it needs a discriminator that reads "
                f"labels (model 'cgan'). Received: model={config.model!r}, "
                "matching_aware=True"
            )
    if config.classify_fakes and kind != "classifier":
        raise ValueError(
            "classify_fakes trains an auxiliary classifier (model 'acgan'). "
            f"Received: model={config.model!r}, classify_fakes=True"
        )
    if kind == "codes" and config.g_conditioning != "concat":
        raise ValueError(
            "InfoGAN's codes are concatenated to the noise: g_conditioning "
            "must be 'concat'. Received: "
            f"g_conditioning={config.g_conditioning!r}"
        )
    if config.g_conditioning == "cbn" and config.g_normalization != "batch":
        raise ValueError(
            "Conditional batch norm replaces the generator's batch norm: "
            "set g_normalization='batch'. Received: g_conditioning='cbn', "
            f"g_normalization={config.g_normalization!r}"
        )
    for name in ("embedding_dim", "condition_units", "info_continuous"):
        value = getattr(config, name)
        low = 0 if name == "info_continuous" else 1
        if isinstance(value, bool) or not isinstance(value, int) or (
                value < low):
            raise ValueError(
                f"{name} must be an integer >= {low}. Received: "
                f"{name}={value!r}"
            )
    if kind == "codes":
        codes.CodeSpec.from_counts(
            config.info_categorical, config.info_continuous,
            names=("info_categorical", "info_continuous"))
        validation.check_choice("info_code_loss", config.info_code_loss,
                                ("crossentropy", "mse"))


def validate_remedies(config):
    """The mode-collapse remedies against the model and the data."""
    value = config.minibatch_std
    if value != 0:
        validation.check_int(
            "minibatch_std", value, minimum=minibatch_std.MIN_GROUP_SIZE,
            what="(the group size of the minibatch standard deviation; "
                 "0: off)")
    packing.check_pack(config.pack, config.batch_size)
    variant = variants.get(config.model)
    if config.pack > 1 and variant.conditional:
        raise ValueError(
            f"model {config.model!r}'s discriminator reads or predicts each "
            "sample's own labels or codes, so it cannot judge packs of "
            "samples: use pack=1 (minibatch_std works with every model). "
            f"Received: model={config.model!r}, pack={config.pack}"
        )
    augment.check_policies(config.diff_augment)
    kind = datasets.dataset_defaults(config.dataset).kind
    if config.diff_augment and kind != "image":
        raise ValueError(
            "diff_augment transforms images (color, translation, cutout); "
            f"dataset {config.dataset!r} is 2-D points. Received: "
            f"diff_augment={','.join(config.diff_augment)!r}"
        )
    validation.check_choice("generator_objective",
                            config.generator_objective,
                            losses.GENERATOR_OBJECTIVES)
    ema.check_options(config.ema_decay, config.ema_start)


# The network options away from their defaults, by field: the ones only
# DCGAN image networks have, and the ones images have and points do not.
_DCGAN_OPTIONS = {
    "kernel_size": None, "d_dropout": 0.0, "g_upsampling": "conv_transpose",
    "g_output_normalization": False, "g_output_activation": "tanh",
    "image_range": "symmetric",
}
_IMAGE_OPTIONS = dict(_DCGAN_OPTIONS, architecture="dcgan",
                      attention_resolution=0, g_filters=None, d_filters=None)
# Output activations that reach every value of an image range.
_COVERS = {"symmetric": ("tanh", "linear"), "unit": ("sigmoid", "linear"),
           "raw": ("relu", "linear")}


def _set_away(config, defaults):
    return [f"{name}={getattr(config, name)!r}" for name, default in
            defaults.items() if getattr(config, name) != default]


def validate_networks(config):
    """The architecture options against each other and the data.

    An output activation that cannot reach the whole image range (tanh on
    "raw" pixels, relu on [-1, 1]) trains, as the course reports' "tips"
    experiment wants to show, with a warning.
    """
    validation.check_choice("architecture", config.architecture,
                            backbones.ARCHITECTURES)
    for name in ("activation", "d_activation"):
        if getattr(config, name) is not None:
            validation.check_choice(name, getattr(config, name),
                                    blocks.ACTIVATIONS)
    validation.check_int("attention_resolution", config.attention_resolution,
                         minimum=0, what="(0: no self-attention)")
    validation.check_number("d_dropout", config.d_dropout, low=0.0,
                            high=1.0, high_open=True)
    validation.check_int("kernel_size", config.kernel_size,
                         allow_none=True)
    validation.check_choice("g_upsampling", config.g_upsampling,
                            dcgan.UPSAMPLINGS)
    validation.check_choice("g_output_activation", config.g_output_activation,
                            blocks.OUTPUT_ACTIVATIONS)
    validation.check_choice("image_range", config.image_range,
                            tuple(blocks.IMAGE_RANGES))
    for name in ("g_condition_activation", "d_condition_activation"):
        validation.check_choice(name, getattr(config, name),
                                blocks.CONDITION_ACTIVATIONS)
    validation.check_choice("d_label_maps", config.d_label_maps,
                            conditional.LABEL_MAPS)
    noise.check(config.latent_distribution, config.latent_scale,
                config.truncation)
    defaults = datasets.dataset_defaults(config.dataset)
    if defaults.kind == "points":
        given = _set_away(config, _IMAGE_OPTIONS)
        if given:
            raise ValueError(
                f"dataset {config.dataset!r} is 2-D points, learned by MLPs: "
                "the architecture options are for image networks. "
                "Received: " + ", ".join(given))
    else:
        if config.architecture != "dcgan":
            given = _set_away(config, _DCGAN_OPTIONS)
            if given:
                raise ValueError(
                    f"architecture {config.architecture!r} fixes its blocks "
                    "(3x3 convolutions, nearest upsampling, tanh output, "
                    "pixels in [-1, 1]); these options are architecture "
                    "'dcgan''s. Received: architecture="
                    f"{config.architecture!r}, " + ", ".join(given))
        sides = sizing.hidden_sides(config.image_size)
        attention.check_attention_resolution(config.attention_resolution,
                                             sides)
        for name in ("g_filters", "d_filters"):
            filters = getattr(config, name)
            if filters is not None and (len(filters) != len(sides) or not all(
                    validation.is_int(w) and w >= 1 for w in filters)):
                start = ("from the first convolution" if name == "d_filters"
                         else "from the 4x4 map")
                raise ValueError(
                    f"{name} must list {len(sides)} positive widths for "
                    f"image_size={config.image_size}, one per resolution "
                    f"{start} (image channels excluded). Received: "
                    f"{name}={','.join(map(str, filters))}")
        if config.g_output_activation not in _COVERS[config.image_range]:
            logging.getLogger("keras_gans").warning(
                "g_output_activation=%r cannot reach every pixel value of "
                "image_range=%r (%s suit it): expect washed-out or clipped "
                "samples.", config.g_output_activation, config.image_range,
                " and ".join(_COVERS[config.image_range]))
    _validate_condition_layers(config)


def _validate_condition_layers(config):
    """The label layers' options need the scheme that has those layers."""
    g_scheme = config.g_conditioning
    d_scheme = config.d_conditioning
    if config.g_condition_activation != "linear" and g_scheme != "dense":
        raise ValueError(
            "g_condition_activation follows the generator's label Dense "
            "layer, which only g_conditioning='dense' has. Received: "
            f"g_condition_activation={config.g_condition_activation!r}, "
            f"g_conditioning={g_scheme!r}")
    for name, default in (("d_condition_activation", "linear"),
                          ("d_label_maps", "joint")):
        if getattr(config, name) != default and d_scheme not in (
                "input", "first_conv"):
            raise ValueError(
                f"{name} shapes the discriminator's label map, which only "
                "d_conditioning 'input' and 'first_conv' have. Received: "
                f"{name}={getattr(config, name)!r}, "
                f"d_conditioning={d_scheme!r}")
