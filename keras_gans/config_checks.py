"""The checks of `config.validate` that need more than a name lookup:
numbers in their ranges, the conditioning options against the model and
the data, and the mode-collapse remedies against both."""

from keras_gans import augment
from keras_gans import datasets
from keras_gans import losses
from keras_gans import packing
from keras_gans import validation
from keras_gans.datasets import codes
from keras_gans.layers import minibatch_std
from keras_gans.models import ema
from keras_gans.models import variants


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
