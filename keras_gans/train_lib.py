"""Config -> data -> networks -> GAN -> compile -> fit, and back again.

The flag-free core of `run.py`: `train(config)`, `sample(...)`,
`export(...)`. A run directory holds:

    config.json                  the resolved TrainConfig
    data_spec.json               what the data were (shapes, label names)
    checkpoints/                 latest weights + optimizers, epoch counter
    history.csv, losses.png      the loss history and its plot
    metrics.png                  evaluation metrics (--eval_every)
    best.weights.h5              the best evaluation's weights (--keep_best)
    eval/                        eval.json, eval.md, pictures (--mode=eval)
    samples/epoch_NNNN.png       pictures at a fixed noise
    gan.keras                    the whole model, at the end of training
    export/                      SavedModel + keras_gans.json for serving
"""

import dataclasses
import json
import logging
import os

import keras
import numpy as np
import tensorflow as tf

from keras_gans import callbacks as gan_callbacks
from keras_gans import config as config_lib
from keras_gans import datasets
from keras_gans import eval_report
from keras_gans import evaluation as evaluation_lib
from keras_gans import evaluators
from keras_gans import export as export_lib
from keras_gans import models
from keras_gans import networks
from keras_gans import sample_grids
from keras_gans import visualize
from keras_gans.models import GAN
from keras_gans.models import variants

CONFIG_FILE = "config.json"
DATA_SPEC_FILE = "data_spec.json"
CHECKPOINT_DIR = "checkpoints"
HISTORY_FILE = "history.csv"
BEST_WEIGHTS_FILE = "best.weights.h5"
EVAL_DIR = "eval"
# Samples per evaluation during training (--eval_samples overrides): a
# tenth of --mode=eval's 10,000, to keep the callback to seconds.
CALLBACK_EVAL_SAMPLES = 2000
# Default noise sizes: 2 for the 2-D mixtures (as in the PacGAN code), 100
# for images (DCGAN).
DEFAULT_LATENT_DIM = {"points": 2, "image": 100}

log = logging.getLogger("keras_gans")


def resolve_config(config):
    """`config_lib.resolve` plus the dataset-dependent defaults.

    For point data the critic defaults to a plain MLP, as in the PacGAN
    experiments: the variants' batch and layer norms are choices for image
    critics. Batch norm in a critic that sees real and fake batches
    separately erases each batch's mean and scale, which on 2-D data is most
    of what tells them apart (DCGAN then learns a shrunken, shifted ring
    that its critic cannot see). Spectral norm is kept, and an explicit
    --d_normalization always wins.
    """
    kind = datasets.dataset_defaults(config.dataset).kind
    if kind == "points" and config.d_normalization is None:
        variant_norm = variants.get(config.model).d_normalization
        config = dataclasses.replace(
            config,
            d_normalization="spectral" if variant_norm == "spectral"
            else "none",
        )
    config = config_lib.resolve(config)
    if config.latent_dim is None:
        config = dataclasses.replace(
            config, latent_dim=DEFAULT_LATENT_DIM[kind]
        )
    return config


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
            f"--model={config.model} learns from labels, and "
            f"--dataset={config.dataset} has none"
            + (f" in {config.data_dir} (a folder needs class sub-folders "
               "or a tags.csv)" if config.data_dir else "")
            + ". Use --model=infogan for unlabelled images."
        )


def _build_conditional_networks(config, spec):
    variant = variants.get(config.model)
    size, _, channels = spec.sample_shape
    common = dict(image_size=size, channels=channels,
                  base_width=config.base_width or 64)
    g_args = dict(common, latent_dim=config.latent_dim,
                  activation=config.activation or "relu",
                  normalization=config.g_normalization)
    d_args = dict(common, normalization=config.d_normalization)
    if variant.conditioning == "codes":
        code_dim = sum(config.info_categorical) + config.info_continuous
        generator = networks.build_code_generator(code_dim, **g_args)
        discriminator = networks.build_discriminator_with_heads(
            [("q", code_dim)],
            q_hidden_units=networks.conditional.Q_HIDDEN_UNITS, **d_args)
        return generator, discriminator
    label_spec = spec.label_spec
    generator = networks.build_conditional_generator(
        label_spec, config.g_conditioning,
        embedding_dim=config.embedding_dim,
        condition_units=config.condition_units, **g_args)
    if variant.conditioning == "labels":
        discriminator = networks.build_conditional_discriminator(
            label_spec, config.d_conditioning, **d_args)
    else:
        # ACGAN: one classification head per attribute, in encode's order.
        if label_spec.kind == "attributes":
            heads = [(a.name, a.width) for a in label_spec.attributes]
        else:
            heads = [("class", label_spec.encoded_dim)]
        discriminator = networks.build_discriminator_with_heads(
            heads, **d_args)
    return generator, discriminator


def build_networks(config, spec):
    """(generator, discriminator) for the dataset's kind of samples."""
    _check_labelled(config, spec)
    if variants.get(config.model).conditional:
        return _build_conditional_networks(config, spec)
    if spec.kind == "points":
        generator = networks.build_mlp_generator(
            latent_dim=config.latent_dim,
            output_dim=spec.sample_shape[0],
            activation=config.activation or "relu",
            normalization=config.g_normalization,
        )
        discriminator = networks.build_mlp_discriminator(
            input_dim=spec.sample_shape[0],
            activation=config.activation or "leaky_relu",
            normalization=config.d_normalization,
        )
        return generator, discriminator
    size, _, channels = spec.sample_shape
    width = config.base_width or 64
    generator = networks.build_dcgan_generator(
        image_size=size,
        latent_dim=config.latent_dim,
        channels=channels,
        base_width=width,
        activation=config.activation or "relu",
        normalization=config.g_normalization,
    )
    discriminator = networks.build_dcgan_discriminator(
        image_size=size,
        channels=channels,
        base_width=width,
        normalization=config.d_normalization,
    )
    return generator, discriminator


def _optimizer(config, learning_rate, updates_per_step=1):
    if config.lr_decay == "linear":
        # Linear decay to 0 over the whole run, as in WGAN-GP (section 5):
        # it shrinks the optimizer's step noise, which otherwise blurs
        # sharp modes late in training.
        learning_rate = keras.optimizers.schedules.PolynomialDecay(
            learning_rate,
            decay_steps=config.epochs * config.steps_per_epoch
            * updates_per_step,
            end_learning_rate=0.0,
        )
    if config.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate)
    return keras.optimizers.Adam(
        learning_rate, beta_1=config.beta_1, beta_2=config.beta_2
    )


def _jit_compile(value):
    return {"auto": "auto", "true": True, "false": False}[value]


def build_gan(config, spec):
    """A compiled `GAN` for a resolved config. Call inside strategy scope."""
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
        generator_first=config.generator_first,
        clip_value=config.clip_value,
        label_smoothing=config.label_smoothing,
        real_label_range=config.real_label_range,
        fake_label_range=config.fake_label_range,
        seed=config.seed,
    )
    gan.compile(
        d_optimizer=_optimizer(config, config.d_learning_rate,
                               updates_per_step=config.n_critic),
        g_optimizer=_optimizer(config, config.g_learning_rate),
        jit_compile=_jit_compile(config.jit_compile),
        steps_per_execution=config.steps_per_execution,
    )
    return gan


def _checkpoint_epoch(output_dir):
    """The epoch count stored by BackupAndRestore, or None."""
    path = os.path.join(output_dir, CHECKPOINT_DIR, "training_metadata.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return int(json.load(f)["epoch"])


def read_config(output_dir):
    """The resolved `TrainConfig` a run directory was written with."""
    path = os.path.join(output_dir, CONFIG_FILE)
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"{path} not found: --output_dir must be a directory written by "
            f"a training run. Received: output_dir={output_dir!r}"
        )
    with open(path) as f:
        config = config_lib.TrainConfig.from_json(f.read())
    # The directory may have been moved since: trust where it is now.
    return dataclasses.replace(config, output_dir=output_dir)


def read_data_spec(output_dir, config):
    """The `DataSpec` a run trained on (its data need not be there now)."""
    path = os.path.join(output_dir, DATA_SPEC_FILE)
    if os.path.exists(path):
        with open(path) as f:
            return datasets.DataSpec.from_json(f.read())
    return datasets.dataset_spec(
        config.dataset, data_dir=config.data_dir,
        image_size=config.image_size,
        ignore_unknown_tags=config.ignore_unknown_tags,
    )


def _is_chief(strategy):
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.cluster_spec().as_dict():
        return True
    return resolver.task_type in (None, "chief") or (
        resolver.task_type == "worker" and resolver.task_id == 0
        and "chief" not in resolver.cluster_spec().as_dict()
    )


def train(config, strategy=None):
    """Trains a GAN as `config` says; resumes a matching run directory.

    Args:
        config: a `TrainConfig` (resolved here).
        strategy: a tf.distribute strategy; default: `config.strategy`.

    Returns:
        (gan, history): the trained `GAN` and the `keras.callbacks.History`.

    Raises:
        ValueError: a bad config, or an output directory written with an
            incompatible configuration.
    """
    if strategy is None:
        strategy = get_strategy(config.strategy)
    config = resolve_config(config)
    output_dir = config.output_dir
    chief = _is_chief(strategy)
    if not chief:
        # Other workers keep their own checkpoints and write no pictures.
        output_dir = os.path.join(
            output_dir, "workers",
            f"{strategy.cluster_resolver.task_id}",
        )
    os.makedirs(output_dir, exist_ok=True)

    initial_epoch = _checkpoint_epoch(output_dir) or 0
    config_path = os.path.join(output_dir, CONFIG_FILE)
    if initial_epoch:
        config_lib.check_resumable(read_config(output_dir), config)
        log.info("Resuming %s from epoch %d.", output_dir, initial_epoch)
    with open(config_path, "w") as f:
        f.write(config.to_json())

    # Every loader's stream is a function of the seed: starting after the
    # consumed batches continues it where the checkpoint left it.
    dataset, spec = datasets.load_dataset(
        config.dataset, config.batch_size * config.n_critic, config.seed,
        data_dir=config.data_dir, image_size=config.image_size,
        start_batch=initial_epoch * config.steps_per_epoch,
        ignore_unknown_tags=config.ignore_unknown_tags,
    )
    with open(os.path.join(output_dir, DATA_SPEC_FILE), "w") as f:
        f.write(spec.to_json())
    # Same seed, same initial weights: a run is reproducible.
    keras.utils.set_random_seed(config.seed)
    with strategy.scope():
        gan = build_gan(config, spec)

    csv_path = os.path.join(output_dir, HISTORY_FILE)
    callbacks = [
        keras.callbacks.BackupAndRestore(
            os.path.join(output_dir, CHECKPOINT_DIR), delete_checkpoint=False
        ),
        gan_callbacks.SamplePictures(
            output_dir, spec, config.latent_dim, seed=config.seed
        ),
    ]
    metric_columns = ()
    if config.eval_every and chief:
        # Before the CSVLogger and the checkpoint: they read its logs.
        evaluate = gan_callbacks.EvaluateGenerator(
            make_evaluation(config, spec,
                            config.eval_samples or CALLBACK_EVAL_SAMPLES),
            config.latent_dim, every=config.eval_every,
            epochs=config.epochs, seed=config.seed,
            conditional=variants.get(config.model).conditioning in (
                "labels", "classifier"),
        )
        callbacks.append(evaluate)
        metric_columns = [k for k in evaluate.keys
                          if not k.startswith("kid_std")]
        if config.keep_best:
            callbacks.append(_keep_best(config, evaluate.keys, csv_path,
                                        output_dir, bool(initial_epoch)))
    callbacks += [
        keras.callbacks.CSVLogger(csv_path, append=bool(initial_epoch)),
        gan_callbacks.LossPlot(
            csv_path, os.path.join(output_dir, "losses.png"),
            metric_columns=metric_columns,
            metrics_png_path=os.path.join(output_dir, "metrics.png"),
        ),
    ]
    if not chief:
        callbacks = callbacks[:1]
    history = gan.fit(
        dataset,
        epochs=config.epochs,
        steps_per_epoch=config.steps_per_epoch,
        callbacks=callbacks,
        shuffle=False,
        verbose=config.verbose,
    )
    if chief:
        gan.save(os.path.join(output_dir, "gan.keras"))
        if config.export_format:  # () skips the export
            export(config, gan=gan, spec=spec)
    return gan, history


def make_evaluation(config, spec, num_samples, run_dir=None):
    """The `evaluation.Evaluation` of a run: its dataset's evaluator (see
    `evaluators.find_evaluator`) and InceptionV3 if `inception_weights`."""
    inception = None
    if config.inception_weights:
        from keras_gans.metrics import inception as inception_lib

        model = inception_lib.build_inception_features(
            config.inception_weights)
        inception = (
            lambda images: inception_lib.inception_features(images, model),
            "InceptionV3",
        )
    try:
        evaluator = evaluators.find_evaluator(
            spec, data_dir=config.data_dir,
            evaluator_dir=config.evaluator_dir, run_dir=run_dir)
    except ValueError:
        if inception is None:
            raise
        evaluator = None  # Inception features alone.
    return evaluation_lib.Evaluation(
        spec, evaluator=evaluator, inception=inception,
        num_samples=num_samples, data_dir=config.data_dir,
    )


def _best_so_far(csv_path, metric, higher):
    """The best value of `metric` in a history CSV (None if none)."""
    if not os.path.exists(csv_path):
        return None
    header, values = visualize.read_csv_values(csv_path)
    if metric not in header:
        return None
    column = values[:, header.index(metric)]
    column = column[np.isfinite(column)]
    if not len(column):
        return None
    return float(column.max() if higher else column.min())


def _keep_best(config, keys, csv_path, output_dir, resuming):
    """A checkpoint keeping best.weights.h5 by `config.keep_best`."""
    if config.keep_best not in keys:
        raise ValueError(
            f"--keep_best={config.keep_best} is not measured on "
            f"--dataset={config.dataset}; the evaluation gives: "
            f"{', '.join(keys)}"
        )
    higher = evaluation_lib.higher_is_better(config.keep_best)
    # A resumed run must beat the best of the epochs before it.
    threshold = (_best_so_far(csv_path, config.keep_best, higher)
                 if resuming else None)
    return gan_callbacks.KeepBest(
        os.path.join(output_dir, BEST_WEIGHTS_FILE),
        monitor=config.keep_best, mode="max" if higher else "min",
        save_best_only=True, save_weights_only=True,
        initial_value_threshold=threshold, verbose=config.verbose,
    )


def load_gan(output_dir):
    """The GAN of a run directory with its latest checkpoint's weights."""
    config = read_config(output_dir)
    spec = read_data_spec(output_dir, config)
    gan = build_gan(config, spec)
    weights = os.path.join(output_dir, CHECKPOINT_DIR, "latest.weights.h5")
    if not os.path.exists(weights):
        raise FileNotFoundError(
            f"{weights} not found: the run in {output_dir} has not finished "
            "an epoch yet."
        )
    gan.load_weights(weights)
    return gan, config, spec


def export(config, gan=None, spec=None, export_dir=None, formats=None):
    """Exports a run's generator for serving (see `keras_gans.export`).

    Label-conditional generators (cgan, acgan) are exported with a
    `labels` input and their `LabelSpec` in the metadata, InfoGAN's with a
    `codes` input and the code layout.

    Args:
        config: the run's `TrainConfig`.
        gan: the trained GAN; loaded from `config.output_dir` if None.
        spec: its `DataSpec` (looked up if None).
        export_dir: default `config.export_dir` or `<output_dir>/export`.
        formats: default `config.export_format`.

    Returns:
        The export directory (it holds keras_gans.json).
    """
    if gan is None:
        gan, _, spec = load_gan(config.output_dir)
    spec = spec or read_data_spec(config.output_dir, config)
    export_dir = export_dir or config.export_dir or os.path.join(
        config.output_dir, "export"
    )
    extra = {
        "model": config.model,
        "loss": config.loss,
        "generator_steps": int(gan.g_optimizer.iterations.numpy()),
    }
    label_spec = getattr(gan, "label_spec", None)
    code_spec = None
    if hasattr(gan, "categorical_codes"):
        code_spec = {"categorical": list(gan.categorical_codes),
                     "continuous": int(gan.continuous_codes)}
    if label_spec is not None or code_spec is not None:
        # How the condition enters the networks (unconditional exports
        # keep the metadata they had).
        extra.update(base_model=config.base_model,
                     g_conditioning=config.g_conditioning,
                     d_conditioning=config.d_conditioning)
    export_lib.export_generator(
        gan.generator,
        export_dir,
        latent_dim=gan.latent_dim,
        sample_kind=spec.kind,
        dataset=spec.name,
        label_spec=label_spec,
        code_spec=code_spec,
        formats=tuple(formats or config.export_format or ("saved_model",)),
        extra_metadata=extra,
    )
    return export_dir


def parse_conditions(label_spec, condition):
    """The labels `--condition` names: one per ";"-separated condition.

    Args:
        label_spec: the model's `LabelSpec`.
        condition: text such as "blue hair, red eyes" or "red circle,
            blue square; green triangle" or "7".

    Returns:
        (labels, descriptions): labels (rows,) + label_spec.shape in the
        dataset's dtype, and each row's tags ("blue hair red eyes").

    Raises:
        UnknownTagError (a ValueError): a tag outside the vocabulary; the
            message lists the known tags.
        ValueError: an empty condition, or a label the spec refuses.
    """
    texts = [text.strip() for text in condition.split(";")]
    if not any(texts) or not all(texts):
        raise ValueError(
            "--condition needs one condition per \";\"-separated part, "
            f"e.g. \"{' '.join(label_spec.tags[:2])}\". Known tags: "
            f"{', '.join(repr(t) for t in label_spec.tags)}. "
            f"Received: condition={condition!r}"
        )
    labels = np.stack([label_spec.parse_tags(text) for text in texts])
    descriptions = [label_spec.describe(label) for label in labels]
    return labels.astype(label_spec.dtype), descriptions


def sample(output_dir, num_samples, seed=0, path=None, condition=None):
    """Draws samples from a run's generator and writes a picture + .npy.

    - Unconditional models: `num_samples` samples.
    - Label-conditional models (cgan, acgan) with `condition`:
      `num_samples` samples per condition, one row per ";"-separated
      condition, the same noise in every row; the labels go to
      `<path stem>_labels.npy`.
    - Label-conditional models without `condition`: the model's sample
      grids (`keras_gans.sample_grids`: a row per class or attribute
      value, or the shapes condition sets; `sample_grids.COLUMNS`
      columns), the first at `path`, the others beside it as
      `<path stem>_<grid name>.png`; the .npy files hold every grid's
      samples and labels, in grid order.
    - InfoGAN: `num_samples` samples for random codes
      (`InfoGAN.sample_codes` with `seed`), the codes in
      `<path stem>_codes.npy`.

    Args:
        output_dir: a run directory.
        num_samples: how many samples (per condition).
        seed: seed of the noise.
        path: PNG path; default `<output_dir>/samples/sample_seed<seed>.png`.
        condition: label-conditional models only: the labels to draw, as
            tags ("blue hair, red eyes", "red circle, blue square", "7");
            several separated by ";".

    Returns:
        (samples array, PNG path). Images are uint8 NHWC, points float32.

    Raises:
        UnknownTagError (a ValueError): an unknown tag in `condition`; the
            message lists the known tags.
        ValueError: `condition` for a model that takes no labels.
    """
    gan, config, spec = load_gan(output_dir)
    label_spec = getattr(gan, "label_spec", None)
    if condition is not None and label_spec is None:
        what = ("takes InfoGAN codes, not labels (sample without "
                "--condition: random codes)"
                if hasattr(gan, "categorical_codes")
                else "is unconditional")
        raise ValueError(
            f"--condition names labels of a label-conditional model "
            f"(cgan, acgan); --model={config.model} {what}. "
            f"Received: condition={condition!r}"
        )
    path = path or os.path.join(
        output_dir, "samples", f"sample_seed{seed}.png"
    )
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    stem = os.path.splitext(path)[0]
    grids = []
    if label_spec is not None and condition is None:
        grids = sample_grids.grids(gan, spec, config.latent_dim, seed=seed)
    labels = codes = None
    if grids:
        samples, labels, written = [], [], []
        for i, grid in enumerate(grids):
            grid_path = path if i == 0 else f"{stem}_{grid.name}.png"
            images = visualize.to_uint8(
                sample_grids.generate_grid(gan, grid))
            visualize.save_image_grid(
                images, grid_path, num_rows=grid.num_rows,
                row_labels=grid.row_labels,
                title=f"{config.model}, seed {seed}: {grid.title}")
            samples.append(images)
            labels.append(np.asarray(grid.condition))
            written.append(grid_path)
        samples, labels = np.concatenate(samples), np.concatenate(labels)
        log.info("%d sample grids (%s): %s", len(grids),
                 ", ".join(grid.name for grid in grids), ", ".join(written))
    else:
        z = np.random.default_rng(seed).standard_normal(
            (num_samples, config.latent_dim)
        ).astype("float32")
        if condition is not None:
            rows, descriptions = parse_conditions(label_spec, condition)
            # Column j has the same noise in every row.
            labels = np.repeat(rows, num_samples, axis=0)
            z = np.tile(z, (len(rows), 1))
            samples = sample_grids.generate_batched(gan, z, labels)
        elif hasattr(gan, "sample_codes"):
            codes = gan.sample_codes(
                num_samples, np.asarray([seed, 0], "int64")).numpy()
            samples = sample_grids.generate_batched(gan, z, codes)
        else:
            samples = np.asarray(gan.generate(z))
        if spec.kind == "points":
            visualize.save_scatter(samples, path, modes=spec.modes,
                                   title=f"{config.model} on {spec.name}")
        else:
            samples = visualize.to_uint8(samples)
            if condition is None:
                visualize.save_image_grid(samples, path)
                if codes is not None:
                    log.info("InfoGAN samples for random codes; the "
                             "run's samples/ folder has its code "
                             "traversals.")
            elif len(descriptions) == 1:
                visualize.save_image_grid(samples, path,
                                          title=descriptions[0])
            else:
                visualize.save_image_grid(samples, path,
                                          row_labels=descriptions)
    np.save(stem + ".npy", samples)
    if labels is not None:
        np.save(stem + "_labels.npy", labels)
    if codes is not None:
        np.save(stem + "_codes.npy", codes)
    return samples, path


def _random_codes(categorical, continuous, num, seed):
    """InfoGAN codes (num, code_dim) float32 from numpy: uniform
    categories one-hot, then U[-1, 1] (an export's codes input)."""
    rng = np.random.default_rng([seed, 17])
    parts = [np.eye(k, dtype="float32")[rng.integers(0, k, num)]
             for k in categorical]
    parts.append(rng.uniform(-1.0, 1.0, (num, continuous)).astype(
        "float32"))
    return np.concatenate(parts, axis=1)


def evaluate(config, output_dir=None, export_dir=None, num_samples=None,
             seed=0, report_dir=None):
    """`--mode=eval`: scores a run's generator (or an export's) and writes
    eval.json, eval.md and pictures (see `keras_gans.eval_report`).

    Args:
        config: a `TrainConfig` for the evaluation options (evaluator_dir,
            inception_weights, data_dir); for a run, the run's own
            config supplies the dataset.
        output_dir: a run directory (its latest checkpoint).
        export_dir: an export directory instead (keras_gans.json names
            the dataset).
        num_samples: samples per side (default 10,000).
        seed: seed of the generated samples.
        report_dir: where to write (default `<run or export>/eval`).

    Returns:
        (result dict of `evaluation.Evaluation`, path of eval.json).
    """
    num_samples = num_samples or evaluation_lib.DEFAULT_NUM_SAMPLES
    if export_dir is not None:
        sample_fn, metadata = export_lib.load_exported(export_dir)
        sample_shape = metadata["sample_shape"]
        data_config = dataclasses.replace(config,
                                          dataset=metadata["dataset"])
        spec = datasets.dataset_spec(
            data_config.dataset, data_dir=data_config.data_dir,
            image_size=(sample_shape[0] if metadata["sample_kind"] == "image"
                        else None),
        )
        name = f"{metadata.get('model', 'exported')} export"
        exported_labels = metadata.get("labels")
        if exported_labels and spec.label_spec != sample_fn.label_spec:
            where = (f" in {data_config.data_dir}" if data_config.data_dir
                     else "")
            raise ValueError(
                f"The export's labels are not those of --dataset="
                f"{spec.name}{where}: it takes "
                f"{', '.join(exported_labels['tags'][:6])}, ...; give the "
                "--data_dir it was trained on."
            )

        def make_sampler(evaluation):
            if metadata.get("labels"):
                # Labels drawn from the real reference's: the distances
                # compare like with like, and accuracy is measured.
                if evaluation.real_labels is None:
                    raise ValueError(
                        "A conditional export is evaluated on the labels "
                        f"of labelled real data; --dataset={spec.name} "
                        "gave none."
                    )
                return evaluation_lib.generator_sampler(
                    sample_fn, metadata["latent_dim"], name=name,
                    condition_fn=evaluation.reference_labels)
            if metadata.get("codes"):
                codes = metadata["codes"]
                return evaluation_lib.generator_sampler(
                    sample_fn, metadata["latent_dim"], name=name,
                    requested=False,
                    condition_fn=lambda num, seed: _random_codes(
                        codes["categorical"], codes["continuous"], num,
                        seed))
            return evaluation_lib.generator_sampler(
                sample_fn, metadata["latent_dim"], name=name)

        base, run_dir = export_dir, None
        title = f"{metadata.get('model', 'export')} on {spec.name} " \
                f"({export_dir})"
    else:
        gan, run_config, spec = load_gan(output_dir)
        # This evaluation's options, not those the run trained with.
        data_config = dataclasses.replace(
            run_config, evaluator_dir=config.evaluator_dir,
            inception_weights=config.inception_weights)
        if config.data_dir:  # the data may have moved since training
            data_config = dataclasses.replace(data_config,
                                              data_dir=config.data_dir)
        def make_sampler(evaluation):
            return evaluation_lib.gan_sampler(
                gan, run_config.latent_dim, evaluation,
                name=f"{run_config.model} generator")

        base = run_dir = output_dir
        steps = int(gan.g_optimizer.iterations.numpy())
        title = f"{run_config.model} on {spec.name} ({output_dir}, " \
                f"{steps} generator steps)"
    evaluation = make_evaluation(data_config, spec, num_samples,
                                 run_dir=run_dir)
    sampler = make_sampler(evaluation)
    log.info("Scoring %d samples of the %s on %s.", num_samples,
             sampler.name, evaluation.feature_space)
    result = evaluation(sampler, seed=seed)
    path = eval_report.write_report(
        result, report_dir or os.path.join(base, EVAL_DIR), spec, title,
        extra={"source": export_dir or output_dir, "seed": seed},
    )
    return result, path
