"""One configuration object for a training run.

`run.py` turns flags into a `TrainConfig`; scripts build one directly. Fields
left at None take the defaults of the chosen variant (`keras_gans.models.
variants`) or dataset when the config is resolved.
"""

import dataclasses
import json
import sys
from typing import Optional

from keras_gans import config_checks
from keras_gans import validation
from keras_gans import datasets
from keras_gans import losses
from keras_gans import penalties
from keras_gans.models import variants

STRATEGIES = ("default", "mirrored", "multi_worker")
JIT_COMPILE = ("auto", "true", "false")
# Keras dtype policies a run computes in; "auto" picks per machine
# (`builders.precision_policy`). Variables stay float32 in all of them.
PRECISIONS = ("auto", "float32", "mixed_bfloat16", "mixed_float16")
EXPORT_FORMATS = ("saved_model", "onnx")
OPTIMIZERS = ("adam", "rmsprop")
LR_DECAYS = ("none", "linear", "step", "exponential", "cosine")
# What a run does when its losses go NaN or inf (keras_gans.train_lib).
ON_DIVERGENCE = ("rollback", "stop")
# Default noise sizes: 2 for the 2-D mixtures (as in the PacGAN code), 100
# for images (DCGAN).
DEFAULT_LATENT_DIM = {"points": 2, "image": 100}

# The remedies' values that change nothing (TrainConfig's remedy fields):
# what None means where the dataset adds none, and what a run written
# before the remedies existed used.
REMEDIES_OFF = {
    "minibatch_std": 0, "pack": 1, "diff_augment": (),
    "generator_objective": "adversarial", "ema_decay": 0.0, "ema_start": 0,
}

# Fields that may change between a run and its resumption: how long to
# train, where and how to run, what to write. All others define the model
# and its training and must match the checkpoint's.
RESUMABLE_FIELDS = (
    "epochs", "output_dir", "strategy", "jit_compile", "export_dir",
    "export_format", "verbose", "steps_per_execution", "data_dir",
    "eval_every", "eval_samples", "keep_best", "evaluator_dir",
    "inception_weights", "inception_graph", "face_cascade",
    "on_divergence", "checkpoint_every_steps", "raw_generator", "truncation",
    "condition_file", "condition_draws",
    # Seeing training (what a run writes, not what it trains).
    "tensorboard", "sample_every_steps", "doctor", "doctor_every_steps",
)
# Metrics a run can keep its best checkpoint by (see keras_gans.evaluation;
# "accuracy/hair" and "distinct/hair" style keys count by their root).
KEEP_BEST_METRICS = (
    "fd", "kid", "precision", "recall", "fid_inception", "kid_inception",
    "fid_inception_graph", "is_inception_graph", "faces_per_25",
    "modes_covered", "high_quality", "kl", "distinct_classes",
    "distinct_combinations", "distinct", "accuracy", "all_correct",
    "categorical_correct", "image_accuracy",
)


@dataclasses.dataclass
class TrainConfig:
    """Everything a run needs. None means "the variant's default" (or the
    dataset's, for the data and the run's length)."""

    model: str = "dcgan"
    dataset: str = "faces"
    output_dir: str = "runs/default"
    # Data; None: the dataset's default (`datasets.dataset_defaults`).
    data_dir: Optional[str] = None
    image_size: Optional[int] = None
    ignore_unknown_tags: bool = False
    epochs: Optional[int] = None
    steps_per_epoch: Optional[int] = None
    batch_size: Optional[int] = None
    latent_dim: Optional[int] = None
    # z's distribution ("normal", "uniform") and its std or half-width
    # (keras_gans.noise); truncation: --mode=sample and --mode=eval redraw
    # z's coordinates beyond it (the truncation trick; None: off).
    latent_distribution: str = "normal"
    latent_scale: float = 1.0
    truncation: Optional[float] = None
    seed: int = 0
    # Adversarial game; None: the variant's value.
    loss: Optional[str] = None
    penalty: Optional[str] = None
    gp_weight: Optional[float] = None
    n_critic: Optional[int] = None
    clip_value: Optional[float] = None
    generator_first: bool = False
    # Generator updates per step: the D/G ratio is n_critic / g_updates.
    g_updates: int = 1
    label_smoothing: float = 0.0
    real_label_range: Optional[tuple] = None
    fake_label_range: Optional[tuple] = None
    # Optimizers; None: the variant's value.
    optimizer: Optional[str] = None
    d_learning_rate: Optional[float] = None
    g_learning_rate: Optional[float] = None
    beta_1: Optional[float] = None
    beta_2: Optional[float] = None
    # Learning-rate schedule of both networks (builders.learning_rate):
    # linear and cosine reach 0 at the last step (they span the configured
    # epochs, so resuming with a larger --epochs stretches what remains);
    # step multiplies the rate by lr_gamma every lr_step_size steps,
    # exponential does so smoothly. d_/g_lr_decay: one network's, None:
    # lr_decay.
    lr_decay: str = "linear"
    d_lr_decay: Optional[str] = None
    g_lr_decay: Optional[str] = None
    lr_step_size: int = 1000
    lr_gamma: float = 0.1
    # Networks (keras_gans.networks); None: chosen by the dataset (MLP for
    # points, the architecture for images). `activation` is the
    # generator's, `d_activation` the discriminator's; g_/d_filters list
    # one network's widths (overriding base_width); image_range is the
    # pixel range the networks see ("raw": 0-255, unnormalized).
    architecture: str = "dcgan"
    attention_resolution: int = 0
    d_normalization: Optional[str] = None
    g_normalization: str = "batch"
    base_width: Optional[int] = None
    g_filters: Optional[tuple] = None
    d_filters: Optional[tuple] = None
    activation: Optional[str] = None
    d_activation: Optional[str] = None
    kernel_size: Optional[int] = None
    d_dropout: float = 0.0
    g_upsampling: str = "conv_transpose"
    g_output_normalization: bool = False
    g_output_activation: str = "tanh"
    image_range: str = "symmetric"
    g_condition_activation: str = "linear"
    d_condition_activation: str = "linear"
    d_label_maps: str = "joint"
    # Execution.
    strategy: str = "default"
    jit_compile: str = "auto"
    # The dtype policy of the networks; "auto": mixed_bfloat16 where the
    # hardware multiplies bfloat16 natively and it is faster, else float32.
    precision: str = "auto"
    steps_per_execution: int = 1
    # Non-finite losses: "rollback" to the last good checkpoint and retry
    # with lower learning rates (a few times), or "stop" at once.
    on_divergence: str = "rollback"
    # Also checkpoint every N steps inside an epoch (0: at epoch ends only),
    # so a kill loses at most N steps; the resume is as exact.
    checkpoint_every_steps: int = 0
    # Keras' fit verbosity; None: 1 (a progress bar) on a terminal, 2 (one
    # line an epoch) when stdout is a log file, CI or nohup, where the
    # progress bar would write one ever-growing line.
    verbose: Optional[int] = None
    export_dir: Optional[str] = None
    export_format: tuple = ("saved_model",)
    # Evaluation during training (keras_gans.evaluation): every N epochs
    # (0: off) on eval_samples samples (None: 2,000), keeping
    # best.weights.h5 by keep_best. evaluator_dir None: the shipped
    # evaluator or the one next to the data.
    eval_every: int = 0
    eval_samples: Optional[int] = None
    keep_best: Optional[str] = None
    evaluator_dir: Optional[str] = None
    inception_weights: Optional[str] = None
    # --mode=eval of a multi-label run: the graded top-k accuracy on the
    # data's fixed condition sets (keras_gans.graded) and on condition_file
    # (an iCLEVR JSON list), condition_draws noise draws per condition.
    condition_file: Optional[str] = None
    condition_draws: int = 10
    # Published-comparable FID and Inception Score from the 2015 Inception
    # graph file (keras_gans.metrics.inception_graph), and faces found
    # per 25 images by an OpenCV cascade file (metrics.face_count).
    inception_graph: Optional[str] = None
    face_cascade: Optional[str] = None
    # Seeing training: TensorBoard logs in <output_dir>/tensorboard/
    # (keras_gans.callbacks.tensorboard), and the fixed-noise pictures
    # also every N global steps as samples/step_NNNNNNN.png (0: at epoch
    # ends only).
    tensorboard: bool = False
    sample_every_steps: int = 0
    # The training doctor ("on"/"off", keras_gans.doctor), also every N steps.
    doctor: str = "on"
    doctor_every_steps: int = 0
    # Conditional models (cgan, acgan, infogan; keras_gans.layers.
    # conditioning). None: the variant's scheme.
    base_model: Optional[str] = None
    g_conditioning: Optional[str] = None
    d_conditioning: Optional[str] = None
    embedding_dim: int = 5
    condition_units: int = 128
    matching_aware: bool = False
    class_loss_weight: float = 1.0
    classify_fakes: bool = False
    info_categorical: tuple = (10,)
    info_continuous: int = 2
    info_categorical_weight: float = 1.0
    info_continuous_weight: float = 1.0
    info_code_loss: str = "crossentropy"
    # Mode-collapse remedies (keras_gans.models.remedies): the group size
    # of D's minibatch standard deviation (0: off), PacGAN's samples per D
    # input, DiffAugment's policies, what G is trained on, the decay of G's
    # moving average (0: off) and its start step. None: the dataset's
    # default (`DatasetDefaults.remedies`), else off (`REMEDIES_OFF`).
    minibatch_std: Optional[int] = None
    pack: Optional[int] = None
    diff_augment: Optional[tuple] = None
    generator_objective: Optional[str] = None
    ema_decay: Optional[float] = None
    ema_start: Optional[int] = None
    # Sample, evaluate and export the trained generator rather than its
    # moving average (when the run keeps one).
    raw_generator: bool = False

    def to_json(self):
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text):
        values = json.loads(text)
        for key in ("real_label_range", "fake_label_range", "export_format",
                    "info_categorical", "diff_augment", "g_filters",
                    "d_filters"):
            if values.get(key) is not None:
                values[key] = tuple(values[key])
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in values.items() if k in known}
        if "model" in values:  # a saved (resolved) config
            for key, off in REMEDIES_OFF.items():
                values.setdefault(key, off)
        return cls(**values)


def resolve(config):
    """Fills the None fields from the variant and the dataset, and checks
    the combination. The one resolution: the command line checks its flags
    with it, and `train_lib.train` trains what it returns.

    Args:
        config: a `TrainConfig`.

    Returns:
        A new `TrainConfig` with every game and optimizer field set.

    Raises:
        ValueError: an unknown name (the message lists the valid ones) or
            an impossible combination (the message names the fields).
    """
    variant = variants.get(config.model)
    game = variant
    if config.base_model is not None:
        validation.check_choice("base_model", config.base_model,
                                variants.UNCONDITIONAL)
        if not variant.conditional:
            raise ValueError(
                "base_model sets the game of a conditional model (cgan, "
                f"acgan, infogan); model {config.model!r} has its own. "
                f"Received: base_model={config.base_model!r}"
            )
        game = variants.get(config.base_model)
    values = dataclasses.asdict(config)
    defaults = datasets.dataset_defaults(config.dataset)
    if defaults.kind == "points" and values["d_normalization"] is None:
        # For point data the critic defaults to a plain MLP, as in the
        # PacGAN experiments: the variants' batch and layer norms are
        # choices for image critics. Batch norm in a critic that sees real
        # and fake batches separately erases each batch's mean and scale,
        # which on 2-D data is most of what tells them apart (DCGAN then
        # learns a shrunken, shifted ring that its critic cannot see).
        # Spectral norm is kept, and an explicit d_normalization wins.
        values["d_normalization"] = (
            "spectral" if variant.d_normalization == "spectral" else "none")
    if defaults.kind == "points":
        game_name = config.base_model or config.model
        for name, value in variants.POINT_DATA_GAMES.get(game_name,
                                                         {}).items():
            if values[name] is None:
                values[name] = value
    for field in dataclasses.fields(variants.Variant):
        if field.name in values and values[field.name] is None:
            source = game if field.name in variants.GAME_FIELDS else variant
            values[field.name] = getattr(source, field.name)
    if values["epochs"] is None and variant.conditional:
        values["epochs"] = defaults.conditional_epochs
    for name in ("epochs", "steps_per_epoch", "batch_size", "image_size"):
        if values[name] is None:
            values[name] = getattr(defaults, name)
    if values["latent_dim"] is None:
        values["latent_dim"] = DEFAULT_LATENT_DIM[defaults.kind]
    if variant.conditional:
        dataset_remedies = dict(defaults.remedies
                                if defaults.conditional_remedies is None
                                else defaults.conditional_remedies)
        # Packing is for discriminators that do not read labels or codes.
        dataset_remedies.pop("pack", None)
    else:
        dataset_remedies = dict(defaults.remedies)
    if values["batch_size"] % dataset_remedies.get("pack", 1):
        # A default must not turn a batch size into an error: packs are
        # whole groups of the batch, so such a batch trains unpacked.
        dataset_remedies.pop("pack")
    for name, off in REMEDIES_OFF.items():
        if values[name] is None:
            values[name] = dataset_remedies.get(name, off)
    values["verbose"] = progress_verbosity(values["verbose"])
    resolved = TrainConfig(**values)
    validate(resolved)
    return resolved


def progress_verbosity(verbose, stream=None):
    """`verbose`, or for None the verbosity that suits `stream` (default
    stdout): 1 (progress bar) on a terminal, else 2 (one line an epoch)."""
    if verbose is not None:
        return verbose
    stream = sys.stdout if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return 1 if isatty is not None and isatty() else 2


def validate(config):
    """Raises ValueError naming the fields of an impossible combination."""
    datasets.check_options(config.dataset, config.data_dir,
                           config.image_size)
    losses.get(config.loss)
    penalties.get(config.penalty)
    validation.check_choice("optimizer", config.optimizer, OPTIMIZERS)
    validation.check_choice("lr_decay", config.lr_decay, LR_DECAYS)
    for name in ("d_lr_decay", "g_lr_decay"):
        if getattr(config, name) is not None:
            validation.check_choice(name, getattr(config, name), LR_DECAYS)
    validation.check_int("lr_step_size", config.lr_step_size,
                         what="(steps between the step and exponential "
                              "schedules' multiplications by lr_gamma)")
    validation.check_number("lr_gamma", config.lr_gamma, low=0.0,
                            low_open=True,
                            what="(the factor per lr_step_size steps; > 1 "
                                 "grows the rate)")
    validation.check_choice("strategy", config.strategy, STRATEGIES)
    validation.check_choice("jit_compile", config.jit_compile, JIT_COMPILE)
    validation.check_choice("precision", config.precision, PRECISIONS)
    validation.check_choice("on_divergence", config.on_divergence,
                            ON_DIVERGENCE)
    validation.check_int("condition_draws", config.condition_draws,
                         what="(noise draws per graded condition)")
    validation.check_int("checkpoint_every_steps",
                         config.checkpoint_every_steps, minimum=0,
                         what="(0: at the end of each epoch only)")
    config_checks.validate_seeing_training(config)
    for fmt in config.export_format:
        validation.check_choice("export_format", fmt, EXPORT_FORMATS)
    for name in ("epochs", "steps_per_epoch", "batch_size", "n_critic",
                 "g_updates", "steps_per_execution"):
        value = getattr(config, name)
        if not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{name} must be a positive integer. Received: "
                f"{name}={value!r}"
            )
    if config.latent_dim is not None and config.latent_dim < 1:
        raise ValueError(
            f"latent_dim must be positive. Received: "
            f"latent_dim={config.latent_dim}"
        )
    if not isinstance(config.eval_every, int) or config.eval_every < 0:
        raise ValueError(
            "eval_every must be a non-negative integer (0: no evaluation "
            f"during training). Received: eval_every={config.eval_every!r}"
        )
    if config.eval_samples is not None and config.eval_samples < 10:
        raise ValueError(
            "eval_samples must be at least 10. Received: "
            f"eval_samples={config.eval_samples}"
        )
    if config.keep_best is not None:
        if not config.eval_every:
            raise ValueError(
                "keep_best keeps the checkpoint with the best evaluation: "
                "set eval_every too. Received: keep_best="
                f"{config.keep_best!r}, eval_every=0"
            )
        validation.check_choice("keep_best", config.keep_best.split("/")[0],
                                KEEP_BEST_METRICS)
    losses.check_target_options(
        config.loss, config.label_smoothing, config.real_label_range,
        config.fake_label_range,
    )
    config_checks.validate_conditioning(config)
    config_checks.validate_numbers(config)
    config_checks.validate_remedies(config)
    config_checks.validate_networks(config)
    if config.clip_value is not None and config.clip_value <= 0:
        raise ValueError(
            f"clip_value must be positive. Received: "
            f"clip_value={config.clip_value}"
        )
    if config.clip_value and config.penalty != "none":
        # Clipping caps the gradient norm, which the penalty then fights.
        raise ValueError(
            "Weight clipping and a gradient penalty work against each other"
            " (WGAN-GP replaced clipping by the penalty): set one of them. "
            f"Received: clip_value={config.clip_value}, "
            f"penalty={config.penalty!r}"
        )
    if config.clip_value and config.d_normalization == "spectral":
        raise ValueError(
            "Spectral normalization already bounds the critic's Lipschitz "
            "constant; combining it with weight clipping is not supported. "
            f"Received: clip_value={config.clip_value}, "
            "d_normalization='spectral'"
        )
    if config.penalty != "none" and config.d_normalization == "batch":
        # A per-example gradient penalty is ill-defined with batch norm.
        raise ValueError(
            "A gradient penalty is per example, and batch norm in the "
            "critic mixes examples (Gulrajani et al., section 4): use "
            "d_normalization 'layer', 'none' or 'spectral'. Received: "
            f"penalty={config.penalty!r}, d_normalization='batch'"
        )


def check_resumable(saved, current):
    """Raises ValueError if `current` cannot continue a run of `saved`.

    Args:
        saved: the resolved `TrainConfig` a run directory was written with.
        current: the resolved `TrainConfig` of the new run.
    """
    saved_values = dataclasses.asdict(saved)
    current_values = dataclasses.asdict(current)
    differences = [
        f"{key}: {saved_values[key]!r} -> {current_values[key]!r}"
        for key in saved_values
        if key not in RESUMABLE_FIELDS
        and saved_values[key] != current_values.get(key)
    ]
    if differences:
        raise ValueError(
            f"{current.output_dir} holds a run with another configuration, "
            "so it cannot be resumed: " + "; ".join(differences) + ". Use a "
            "new output_dir, or the same settings to continue."
        )
