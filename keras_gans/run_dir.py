"""A run directory: what a training run writes, and reading it back.

    config.json                  the resolved TrainConfig
    data_spec.json               what the data were (shapes, label names)
    checkpoints/                 latest and previous checkpoint (weights,
                                 optimizers, epoch, history), written
                                 atomically (`keras_gans.checkpoints`)
    .lock                        held by the training process
    history.csv, losses.png      the loss history and its plot
    metrics.png                  evaluation metrics (eval_every)
    best.weights.h5              the best evaluation's weights (keep_best)
    eval/                        eval.json, eval.md, pictures (eval mode)
    samples/epoch_NNNN.png       pictures at a fixed noise (and
                                 step_NNNNNNN.png: sample_every_steps)
    progress.png, progress.gif   those pictures at ten stages
                                 (`keras_gans.progress`)
    tensorboard/                 TensorBoard event files (tensorboard)
    gan.keras                    the whole model, at the end of training
    export/                      SavedModel + keras_gans.json for serving

`lock` keeps a second run out of a directory in use; `load_gan` rebuilds a
run's GAN from its config and latest checkpoint; `export_run` exports its
generator for serving.
"""

import contextlib
import dataclasses
import fcntl
import os
import shutil

from keras_gans import builders
from keras_gans import checkpoints
from keras_gans import config as config_lib
from keras_gans import datasets
from keras_gans import export as export_lib
from keras_gans import noise as noise_lib

CONFIG_FILE = "config.json"
DATA_SPEC_FILE = "data_spec.json"
CHECKPOINT_DIR = "checkpoints"
HISTORY_FILE = "history.csv"
BEST_WEIGHTS_FILE = "best.weights.h5"
EVAL_DIR = "eval"
EXPORT_DIR = "export"
MODEL_FILE = "gan.keras"
LOCK_FILE = ".lock"


class RunDirectoryInUse(RuntimeError):
    """Another process is training in this run directory."""


def make_run_dir(output_dir):
    """Creates `output_dir` (and parents), or raises one clear error.

    Raises:
        ValueError: it exists and is not a directory.
        OSError: it cannot be created or written (the message names it).
    """
    if os.path.exists(output_dir) and not os.path.isdir(output_dir):
        raise ValueError(
            f"output_dir {output_dir} is a file, not a directory: give a "
            f"directory for the run. Received: output_dir={output_dir!r}"
        )
    try:
        os.makedirs(output_dir, exist_ok=True)
    except OSError as e:
        raise OSError(e.errno, f"cannot create the run directory "
                      f"({e.strerror})", output_dir) from None
    if not os.access(output_dir, os.W_OK | os.X_OK):
        raise OSError(13, "the run directory is not writable", output_dir)


@contextlib.contextmanager
def lock(output_dir):
    """Holds `output_dir` for one training process while the block runs.

    An exclusive `flock` on `<output_dir>/.lock`: the kernel releases it
    when the process ends however it ends (a killed run leaves no stale
    lock), so a rerun after a crash just works, while a second run started
    beside a live one is refused before it writes anything.

    Raises:
        RunDirectoryInUse: another live process holds the lock.
    """
    path = os.path.join(output_dir, LOCK_FILE)
    f = open(path, "a+")
    try:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            raise RunDirectoryInUse(
                f"{output_dir} is in use by another training run "
                f"({holder}): wait for it to finish, or give another "
                "output_dir."
            ) from None
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}\n")
        f.flush()
        yield
    finally:
        f.close()  # releases the lock


@contextlib.contextmanager
def writing(path, remove_partial=True):
    """Names `path` in an OSError raised inside the block that names no
    file (TensorFlow's and HDF5's writers say only "No space left on
    device"), and removes `path` if the write left it partial (unless
    `remove_partial` is False: a directory written into)."""
    try:
        yield
    except OSError as e:
        if remove_partial and os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        elif remove_partial and os.path.exists(path):
            os.remove(path)
        if e.filename:
            raise
        raise OSError(e.errno, e.strerror or str(e), path) from e


def save_model(gan, output_dir):
    """Writes the whole model as gan.keras, through a temporary file and a
    rename (a failed write leaves the previous gan.keras whole)."""
    path = os.path.join(output_dir, MODEL_FILE)
    tmp = os.path.join(output_dir, ".writing." + MODEL_FILE)
    with writing(tmp):
        gan.save(tmp)
    os.replace(tmp, path)
    return path


def checkpoint_dir(output_dir):
    """The run's checkpoints/ directory (see `keras_gans.checkpoints`)."""
    return os.path.join(output_dir, CHECKPOINT_DIR)


def read_config(output_dir):
    """The resolved `TrainConfig` a run directory was written with."""
    path = os.path.join(output_dir, CONFIG_FILE)
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"{path} not found: output_dir must be a directory written by "
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

def write_config(output_dir, config):
    """Writes the resolved `config` as the run's config.json."""
    with open(os.path.join(output_dir, CONFIG_FILE), "w") as f:
        f.write(config.to_json())


def write_data_spec(output_dir, spec):
    """Writes the `DataSpec` the run trains on as data_spec.json."""
    with open(os.path.join(output_dir, DATA_SPEC_FILE), "w") as f:
        f.write(spec.to_json())


def load_gan(output_dir, raw_generator=False):
    """The GAN of a run directory with its latest checkpoint's weights.

    With `raw_generator`, `gan.generate` samples from the trained
    generator even where the run keeps a moving average of it.
    """
    config = read_config(output_dir)
    spec = read_data_spec(output_dir, config)
    gan = builders.build_gan(config, spec)
    gan.use_ema = not raw_generator
    if checkpoints.restore(gan, checkpoint_dir(output_dir)) is None:
        raise FileNotFoundError(
            f"{os.path.join(checkpoint_dir(output_dir), checkpoints.LATEST)}"
            f" not found: the run in {output_dir} has not finished an epoch "
            "yet."
        )
    return gan, config, spec


def export_run(config, gan=None, spec=None, export_dir=None, formats=None,
               raw_generator=None):
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
        raw_generator: export the trained generator rather than its
            moving average (default `config.raw_generator`).

    Returns:
        The export directory (it holds keras_gans.json).
    """
    if gan is None:
        gan, _, spec = load_gan(config.output_dir)
    spec = spec or read_data_spec(config.output_dir, config)
    export_dir = export_dir or config.export_dir or os.path.join(
        config.output_dir, EXPORT_DIR
    )
    if raw_generator is None:
        raw_generator = config.raw_generator
    network = gan.generator if raw_generator else gan.inference_generator
    extra = {
        "model": config.model,
        "loss": config.loss,
        "generator_steps": int(gan.g_optimizer.iterations.numpy()),
    }
    if gan.ema_generator is not None:
        extra["weights"] = ("trained" if network is gan.generator else
                            f"moving average (decay {gan.ema_decay})")
    label_spec, code_spec = gan.label_spec, gan.code_spec
    if label_spec is not None or code_spec is not None:
        # How the condition enters the networks (unconditional exports
        # keep the metadata they had).
        extra.update(base_model=config.base_model,
                     g_conditioning=config.g_conditioning,
                     d_conditioning=config.d_conditioning)
    # Written beside, then swapped in: a failed write (a full disk) leaves
    # the previous export whole.
    writing_dir = export_dir.rstrip(os.sep) + ".writing"
    shutil.rmtree(writing_dir, ignore_errors=True)
    with writing(writing_dir):
        export_lib.export_generator(
            network,
            writing_dir,
            latent_dim=gan.latent_dim,
            sample_kind=spec.kind,
            dataset=spec.name,
            label_spec=label_spec,
            code_spec=code_spec,
            formats=tuple(formats or config.export_format
                          or ("saved_model",)),
            extra_metadata=extra,
            noise=noise_lib.of_gan(gan),
        )
    old_dir = export_dir.rstrip(os.sep) + ".old"
    if os.path.exists(export_dir):
        os.replace(export_dir, old_dir)
    os.replace(writing_dir, export_dir)
    shutil.rmtree(old_dir, ignore_errors=True)
    return export_dir
