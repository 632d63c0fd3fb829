"""Training a GAN from a `TrainConfig`: `train(config)`.

Config -> data -> networks -> GAN -> compile -> fit with callbacks, then
the whole model and the export. A run directory with a checkpoint is
resumed where it stopped (`keras_gans.checkpoints`: written atomically,
exact to the step); a run whose losses go NaN rolls back or stops; what a
run writes is described in `keras_gans.run_dir`.

Example:

```python
import keras_gans

config = keras_gans.TrainConfig(model="wgan_gp", dataset="ring",
                                output_dir="runs/ring", epochs=2)
gan, history = keras_gans.train(config)
```
"""

import dataclasses
import logging
import os

import keras

from keras_gans import builders
from keras_gans import callbacks as gan_callbacks
from keras_gans import checkpoints
from keras_gans import config as config_lib
from keras_gans import datasets
from keras_gans import doctor as doctor_lib
from keras_gans import eval_lib
from keras_gans import evaluation as evaluation_lib
from keras_gans import hardware
from keras_gans import history as history_lib
from keras_gans import noise as noise_lib
from keras_gans import progress
from keras_gans import run_dir
from keras_gans.models import variants

# Samples per evaluation during training (eval_samples overrides): a
# tenth of --mode=eval's 10,000, to keep the callback to seconds.
CALLBACK_EVAL_SAMPLES = 2000
# A diverged run retries from its last good checkpoint with both learning
# rates multiplied by this, at most this many times.
DIVERGENCE_LR_FACTOR = 0.5
DIVERGENCE_RETRIES = 3

log = logging.getLogger("keras_gans")


def _is_chief(strategy):
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.cluster_spec().as_dict():
        return True
    return resolver.task_type in (None, "chief") or (
        resolver.task_type == "worker" and resolver.task_id == 0
        and "chief" not in resolver.cluster_spec().as_dict()
    )


def train(config, strategy=None, callbacks=()):
    """Trains a GAN as `config` says; resumes a matching run directory.

    The run directory is locked while training (a second run on it is
    refused). A step whose losses are not finite stops the epoch before a
    checkpoint is written; with `on_divergence="rollback"` the run goes
    back to its last good checkpoint and retries with learning rates
    scaled by `DIVERGENCE_LR_FACTOR`, at most `DIVERGENCE_RETRIES` times.

    Args:
        config: a `TrainConfig` (resolved here).
        strategy: a tf.distribute strategy; default: `config.strategy`.
        callbacks: your own Keras callbacks (e.g. TensorBoard), run after
            the run's own and before its checkpoint.

    Returns:
        (gan, history): the trained `GAN` and the `keras.callbacks.History`
        of the last `fit`.

    Raises:
        ValueError: a bad config, or an output directory written with an
            incompatible configuration, or holding no readable checkpoint.
        TrainingDiverged: the losses stayed non-finite (after the retries,
            or at once with `on_divergence="stop"`); nothing non-finite
            was written.
        run_dir.RunDirectoryInUse: another process trains in output_dir.
        OSError: output_dir cannot be written (the message names the
            path); what was written before stays valid and resumable.
    """
    if strategy is None:
        strategy = builders.get_strategy(config.strategy)
    config = config_lib.resolve(_keep_started_defaults(config))
    output_dir = config.output_dir
    chief = _is_chief(strategy)
    if not chief:
        # Other workers keep their own checkpoints and write no pictures.
        output_dir = os.path.join(
            output_dir, "workers",
            f"{strategy.cluster_resolver.task_id}",
        )
    run_dir.make_run_dir(output_dir)
    with run_dir.lock(output_dir):
        retries, lr_scale = 0, None  # None: the checkpoint's scale
        while True:
            gan, history, guard, spec, lr_scale, finished = _fit(
                config, strategy, output_dir, chief, lr_scale, callbacks)
            if guard.diverged is None:
                if finished:
                    break
                continue  # a resumed partial epoch is done: go on
            good_epoch = checkpoints.latest_epoch(
                run_dir.checkpoint_dir(output_dir))
            if config.on_divergence == "stop" or (
                    retries >= DIVERGENCE_RETRIES):
                raise TrainingDiverged(_divergence_message(
                    guard.diverged, config, retries, lr_scale, good_epoch))
            retries += 1
            log.warning(
                "Step %d: non-finite losses (%s). Rolling back to %s; "
                "retry %d of %d with learning rates x%g.",
                guard.diverged["step"], _losses_text(guard.diverged),
                f"the checkpoint of epoch {good_epoch}" if good_epoch
                else "the start", retries, DIVERGENCE_RETRIES,
                lr_scale * DIVERGENCE_LR_FACTOR)
            lr_scale *= DIVERGENCE_LR_FACTOR
        if chief:
            checkpoints.check_finite(gan, "the final model")
            run_dir.save_model(gan, output_dir)
            # Seeing training: the fixed-noise pictures at ten stages.
            try:
                progress.write_progress(output_dir, config.steps_per_epoch)
            except ValueError as e:  # samples/ emptied by hand: no stages
                log.warning("No progress montage: %s", e)
            if config.export_format:  # () skips the export
                run_dir.export_run(config, gan=gan, spec=spec)
    return gan, history


class TrainingDiverged(RuntimeError):
    """The losses went NaN or inf and retries did not help."""


def _losses_text(diverged):
    return ", ".join(f"{k} {v:.4g}" for k, v in diverged["losses"].items())


def _divergence_message(diverged, config, retries, lr_scale, good_epoch):
    tried = (f" after {retries} rollbacks with learning rates down to "
             f"x{lr_scale:g}" if retries else "")
    kept = (f"the checkpoint of epoch {good_epoch} is kept" if good_epoch
            else "no epoch had finished")
    return (
        f"Training diverged at generator step {diverged['step']} (epoch "
        f"{diverged['epoch'] + 1}): non-finite losses "
        f"({_losses_text(diverged)}){tried}. Nothing non-finite was "
        f"written; {kept}. Try lower learning "
        f"rates (d_learning_rate={config.d_learning_rate:g}, "
        f"g_learning_rate={config.g_learning_rate:g}), beta_1 below 1, a "
        "gradient penalty or spectral norm in the critic."
    )


def _keep_started_defaults(config):
    """`config`, where it continues a run, with the fields it leaves unset
    taken from that run's saved config.

    A resumed run keeps what it was started with where a newer version
    changed a default (the faces' `pack`, WGAN-GP's point-data game):
    rerunning the same command continues it instead of being refused for
    a configuration the user never changed. Fields a resume may change
    (`RESUMABLE_FIELDS`) keep today's defaults, and a directory without
    a checkpoint starts afresh with them.
    """
    if not config.output_dir:
        return config
    ckpt_dir = run_dir.checkpoint_dir(config.output_dir)
    # Any file will do (_fit reads and checks them, and warns once).
    if not os.path.isdir(ckpt_dir) or not os.listdir(ckpt_dir):
        return config
    try:
        saved = run_dir.read_config(config.output_dir)
    except (OSError, ValueError):
        return config  # _fit reports what is wrong with the directory
    if (saved.model, saved.dataset) != (config.model, config.dataset):
        return config  # another run: check_resumable names the difference
    unset = {
        field.name: getattr(saved, field.name)
        for field in dataclasses.fields(config)
        if getattr(config, field.name) is None
        and field.name not in config_lib.RESUMABLE_FIELDS
    }
    return dataclasses.replace(config, **unset)


def _fit(config, strategy, output_dir, chief, lr_scale=None,
         user_callbacks=()):
    """One `fit` from the run's newest good checkpoint (or from scratch).

    Args:
        lr_scale: the learning-rate scale; None: the checkpoint's (1.0 for
            a fresh run).
        user_callbacks: the caller's callbacks.

    Returns:
        (gan, history, guard, spec, lr_scale, finished): finished is False
        after a resumed partial epoch with epochs still to go.
    """
    ckpt_dir = run_dir.checkpoint_dir(output_dir)
    found = checkpoints.candidates(ckpt_dir)
    position = (found[0][1]["epoch"], found[0][1]["batch"]) if found else (
        0, 0)
    if lr_scale is None:
        lr_scale = found[0][1]["lr_scale"] if found else 1.0
    if found:
        config_lib.check_resumable(run_dir.read_config(output_dir), config)
    run_dir.write_config(output_dir, config)

    def load_data(epoch, batch):
        # Every loader's stream is a function of the seed: starting after
        # the consumed batches continues it where the checkpoint left it.
        return datasets.load_dataset(
            config.dataset, config.batch_size * config.n_critic,
            config.seed, data_dir=config.data_dir,
            image_size=config.image_size,
            start_batch=epoch * config.steps_per_epoch + batch,
            ignore_unknown_tags=config.ignore_unknown_tags,
        )

    dataset, spec = load_data(*position)
    run_dir.write_data_spec(output_dir, spec)
    # Same seed, same initial weights: a run is reproducible.
    keras.utils.set_random_seed(config.seed)
    metadata = None
    with strategy.scope():
        gan = builders.build_gan(config, spec, lr_scale=lr_scale)
        if found:
            metadata = checkpoints.restore(gan, ckpt_dir, found)
    epoch, batch = (metadata["epoch"], metadata["batch"]) if metadata else (
        0, 0)
    if (epoch, batch) != position:
        # The newest checkpoint did not load; an older one did.
        dataset, _ = load_data(epoch, batch)
    csv_path = os.path.join(output_dir, run_dir.HISTORY_FILE)
    if metadata:
        log.info("Resuming %s from epoch %d%s.", output_dir, epoch,
                 f", step {batch} of epoch {epoch + 1}" if batch else "")
        if metadata.get("history_csv") is not None:
            # The history as the checkpoint saw it: no row of an epoch
            # after it, none lost before it.
            checkpoints.write_text_atomically(csv_path,
                                              metadata["history_csv"])

    guard = gan_callbacks.DivergenceGuard()
    # Each network's learning rate and update count in the logs: in
    # history.csv every epoch, in TensorBoard every step.
    state = gan_callbacks.TrainingState(every_step=config.tensorboard)
    # Resumed mid-epoch: this fit finishes that epoch alone (its remaining
    # steps); the next `_fit` goes on from the epoch-end checkpoint.
    epochs = epoch + 1 if batch else config.epochs
    steps = (epochs - epoch) * config.steps_per_epoch - batch
    setting = (f"precision {builders.precision_policy(config.precision)}, "
               f"XLA {'on' if gan.jit_compile else 'off'}, "
               f"{hardware.cpu_isa()} CPU")
    if chief:
        log.info("Training %s on %s: %s steps of %d samples (%s).",
                 config.model, config.dataset, f"{steps:,}",
                 config.batch_size, setting)
    callbacks = [guard, state,
                 gan_callbacks.RunTimeEstimate(steps, setting=setting)]
    if batch:
        # Before everything that reads the epoch's logs.
        callbacks.append(gan_callbacks.RestoreTrackers(
            metadata.get("trackers")))
    if chief:
        callbacks += _picture_and_history_callbacks(
            config, spec, output_dir, csv_path, epoch or batch,
            initial_batch=batch)
    callbacks += list(user_callbacks)
    # Last: the checkpoint keeps the history CSV the callbacks above wrote.
    callbacks.append(gan_callbacks.RunCheckpoint(
        ckpt_dir, csv_path, guard=guard, lr_scale=lr_scale,
        every_steps=config.checkpoint_every_steps, initial_batch=batch))
    # The pictures, the history and the plots name no file when the disk
    # is full: name the run directory at least.
    with run_dir.writing(output_dir, remove_partial=False):
        history = gan.fit(
            dataset,
            epochs=epochs,
            initial_epoch=epoch,
            steps_per_epoch=config.steps_per_epoch - batch,
            callbacks=callbacks,
            shuffle=False,
            verbose=config.verbose,
        )
    finished = epochs == config.epochs or guard.diverged is not None
    return gan, history, guard, spec, lr_scale, finished


def _picture_and_history_callbacks(config, spec, output_dir, csv_path,
                                   initial_epoch, initial_batch=0):
    """The chief's callbacks: sample pictures, evaluation, keep-best,
    the training doctor, TensorBoard, history CSV and its plots."""
    # Seeing training: TensorBoard logs the pictures (and, placed after
    # the evaluation, the logs it adds) at the run's global step.
    board = None
    if config.tensorboard:
        board = gan_callbacks.TensorBoardLog(
            os.path.join(output_dir, gan_callbacks.TENSORBOARD_DIR),
            config.steps_per_epoch, initial_batch=initial_batch)
    callbacks = [gan_callbacks.SamplePictures(
        output_dir, spec, config.latent_dim, seed=config.seed,
        noise=noise_lib.LatentNoise(config.latent_distribution,
                                    config.latent_scale),
        every_steps=config.sample_every_steps,
        steps_per_epoch=config.steps_per_epoch, initial_batch=initial_batch,
        on_picture=None if board is None else board.add_picture)]
    metric_columns = ()
    if config.eval_every:
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
    doctor = None
    if config.doctor == "on":
        # After the pictures and the evaluation (it reads their logs),
        # before TensorBoard and the CSV (they record its signals).
        doctor = doctor_lib.doctor_for_run(
            config, spec, output_dir, initial_batch=initial_batch,
            history_path=csv_path if initial_epoch else None, board=board)
        callbacks.append(doctor)
    if board is not None:
        callbacks.append(board)
    return callbacks + [
        gan_callbacks.HistoryCSV(
            csv_path, append=bool(initial_epoch),
            text_columns=doctor and doctor.text_columns),
        gan_callbacks.LossPlot(
            csv_path, os.path.join(output_dir, "losses.png"),
            metric_columns=metric_columns,
            metrics_png_path=os.path.join(output_dir, "metrics.png"),
        ),
    ]


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

