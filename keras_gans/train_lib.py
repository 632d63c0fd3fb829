"""Training a GAN from a `TrainConfig`: `train(config)`.

Config -> data -> networks -> GAN -> compile -> fit with callbacks, then
the whole model and the export. A run directory with a checkpoint is
resumed where it stopped (`keras.callbacks.BackupAndRestore`); what a run
writes is described in `keras_gans.run_dir`.

Example:

```python
import keras_gans

config = keras_gans.TrainConfig(model="wgan_gp", dataset="ring",
                                output_dir="runs/ring", epochs=2)
gan, history = keras_gans.train(config)
```
"""

import logging
import os

import keras

from keras_gans import builders
from keras_gans import callbacks as gan_callbacks
from keras_gans import config as config_lib
from keras_gans import datasets
from keras_gans import eval_lib
from keras_gans import evaluation as evaluation_lib
from keras_gans import history as history_lib
from keras_gans import run_dir
from keras_gans.models import variants

# Samples per evaluation during training (eval_samples overrides): a
# tenth of --mode=eval's 10,000, to keep the callback to seconds.
CALLBACK_EVAL_SAMPLES = 2000

log = logging.getLogger("keras_gans")


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
        strategy = builders.get_strategy(config.strategy)
    config = config_lib.resolve(config)
    output_dir = config.output_dir
    chief = _is_chief(strategy)
    if not chief:
        # Other workers keep their own checkpoints and write no pictures.
        output_dir = os.path.join(
            output_dir, "workers",
            f"{strategy.cluster_resolver.task_id}",
        )
    os.makedirs(output_dir, exist_ok=True)

    initial_epoch = run_dir.checkpoint_epoch(output_dir) or 0
    if initial_epoch:
        config_lib.check_resumable(run_dir.read_config(output_dir), config)
        log.info("Resuming %s from epoch %d.", output_dir, initial_epoch)
    run_dir.write_config(output_dir, config)

    # Every loader's stream is a function of the seed: starting after the
    # consumed batches continues it where the checkpoint left it.
    dataset, spec = datasets.load_dataset(
        config.dataset, config.batch_size * config.n_critic, config.seed,
        data_dir=config.data_dir, image_size=config.image_size,
        start_batch=initial_epoch * config.steps_per_epoch,
        ignore_unknown_tags=config.ignore_unknown_tags,
    )
    run_dir.write_data_spec(output_dir, spec)
    # Same seed, same initial weights: a run is reproducible.
    keras.utils.set_random_seed(config.seed)
    with strategy.scope():
        gan = builders.build_gan(config, spec)

    csv_path = os.path.join(output_dir, run_dir.HISTORY_FILE)
    callbacks = [
        keras.callbacks.BackupAndRestore(
            os.path.join(output_dir, run_dir.CHECKPOINT_DIR),
            delete_checkpoint=False,
        ),
        gan_callbacks.SamplePictures(
            output_dir, spec, config.latent_dim, seed=config.seed
        ),
    ]
    metric_columns = ()
    if config.eval_every and chief:
        # Before the CSVLogger and the checkpoint: they read its logs.
        evaluate = gan_callbacks.EvaluateGenerator(
            eval_lib.make_evaluation(
                config, spec, config.eval_samples or CALLBACK_EVAL_SAMPLES),
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
        gan.save(os.path.join(output_dir, run_dir.MODEL_FILE))
        if config.export_format:  # () skips the export
            run_dir.export_run(config, gan=gan, spec=spec)
    return gan, history


def _keep_best(config, keys, csv_path, output_dir, resuming):
    """A checkpoint keeping best.weights.h5 by `config.keep_best`."""
    if config.keep_best not in keys:
        raise ValueError(
            f"keep_best metric {config.keep_best!r} is not measured on "
            f"dataset {config.dataset!r}; the evaluation gives: "
            f"{', '.join(keys)}. Received: keep_best={config.keep_best!r}"
        )
    higher = evaluation_lib.higher_is_better(config.keep_best)
    # A resumed run must beat the best of the epochs before it.
    threshold = (history_lib.best_value(csv_path, config.keep_best, higher)
                 if resuming else None)
    return gan_callbacks.KeepBest(
        os.path.join(output_dir, run_dir.BEST_WEIGHTS_FILE),
        monitor=config.keep_best, mode="max" if higher else "min",
        save_best_only=True, save_weights_only=True,
        initial_value_threshold=threshold, verbose=config.verbose,
    )

