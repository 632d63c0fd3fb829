"""The checkpoints a run resumes from: written atomically, read defensively.

    checkpoints/latest.weights.h5     the newest complete checkpoint
    checkpoints/previous.weights.h5   the one before it
    checkpoints/training_metadata.json  {"epoch": N} of latest, for people
                                      and tools (Keras' BackupAndRestore
                                      format); resuming does not need it

A checkpoint is one weights file (both networks, both optimizers' state,
the noise stream) that carries its own metadata as an HDF5 attribute: the
epoch it ends, the history CSV up to that epoch, and the learning-rate
scale of divergence retries. It is written to a temporary name, flushed
and renamed over `latest` after the old `latest` became `previous`: a kill
at any point leaves at least one complete checkpoint, and a file torn by
anything else (a full disk, a copy cut short) is detected at resume,
reported in one line, and the previous one is used.
"""

import errno
import json
import logging
import os
import re
import shutil
import signal

import h5py
import numpy as np

LATEST = "latest.weights.h5"
PREVIOUS = "previous.weights.h5"
METADATA = "training_metadata.json"
_WRITING = "writing.weights.h5"
_ATTRIBUTE = "keras_gans_checkpoint"
# Headroom over the variables' bytes that an HDF5 weights file needs.
_SIZE_MARGIN = 1.2
_EXTRA_BYTES = 1 << 20
# Fault injection for the tests: "NAME:K" SIGKILLs this process at the K-th
# time it reaches the point NAME (see `fault_point`).
FAULT_ENV = "KERAS_GANS_TEST_KILL_AT"
_fault_counts = {}

log = logging.getLogger("keras_gans")


class NonFiniteWeights(ValueError):
    """A model holds NaN or inf weights (nothing was written)."""


def fault_point(name, path=None):
    """Kills the process here when the tests ask for it (FAULT_ENV).

    Points: "checkpoint_write" (the new weights file written, not yet
    renamed; it is first cut to half its size, as a kill during the write
    would leave it), "checkpoint_renamed" (renamed, the JSON mirror not
    yet written) and "train_step" (after a step, mid-epoch).
    """
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    point, _, count = wanted.partition(":")
    if point != name:
        return
    _fault_counts[name] = _fault_counts.get(name, 0) + 1
    if _fault_counts[name] == int(count or 1):
        if path is not None:
            with open(path, "r+b") as f:
                f.truncate(os.path.getsize(path) // 2)
        os.kill(os.getpid(), signal.SIGKILL)


def non_finite_variables(model):
    """Paths of `model`'s variables holding NaN or inf (numpy, eager)."""
    return [v.path for v in model.variables
            if np.issubdtype(np.dtype(v.dtype), np.floating)
            and not np.all(np.isfinite(np.asarray(v)))]


def check_finite(model, what):
    """Raises NonFiniteWeights, naming the first bad variables, unless
    every floating variable of `model` is finite."""
    bad = non_finite_variables(model)
    if bad:
        raise NonFiniteWeights(
            f"Not writing {what}: {len(bad)} variables hold NaN or inf "
            f"({', '.join(bad[:3])}{', ...' if len(bad) > 3 else ''})."
        )


def _check_space(model, directory):
    """Raises OSError(ENOSPC) before a write that cannot fit: HDF5 cut
    short by a full disk has ended in a segmentation fault.

    The size: the last checkpoint's, or the variables' bytes (the
    networks' and both optimizers' moments) with some headroom.
    """
    variables = list(model.variables)
    for optimizer in (model.d_optimizer, model.g_optimizer):
        variables += list(optimizer.variables)
    needed = sum(int(np.prod(v.shape)) * np.dtype(v.dtype).itemsize
                 for v in variables)
    needed = int(needed * _SIZE_MARGIN) + _EXTRA_BYTES
    latest = os.path.join(directory, LATEST)
    if os.path.exists(latest):
        needed = max(needed, int(os.path.getsize(latest) * _SIZE_MARGIN))
    free = shutil.disk_usage(directory).free
    if free < needed:
        raise OSError(
            errno.ENOSPC,
            f"No space left for a checkpoint (needs ~{needed / 2**20:.1f} "
            f"MB, {free / 2**20:.1f} MB free)", directory)


def _short_error(error):
    """(errno, one-line reason) of an OSError; HDF5's messages hold the
    errno inside a paragraph of write details."""
    code = error.errno
    if code is None:
        found = re.search(r"errno = (\d+)", str(error))
        code = int(found.group(1)) if found else None
    reason = os.strerror(code) if code else str(error).split("(")[0]
    return code, reason.strip()


def _fsync(path):
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def write_text_atomically(path, text):
    """Writes `text` to `path` through a temporary file and a rename."""
    tmp = path + ".tmp"
    try:
        with open(tmp, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise OSError(e.errno, e.strerror, e.filename or tmp) from e


def write(model, directory, epoch, history_csv=None, lr_scale=1.0,
          batch=0):
    """Writes a checkpoint of `model` after `epoch` epochs and `batch`
    steps of the next.

    Mid-epoch (`batch` > 0) the checkpoint also keeps the epoch's metric
    trackers (their running sums), so the resumed epoch logs the means an
    uninterrupted one would.

    Args:
        model: the built GAN (weights, optimizers, `metrics`).
        directory: the run's checkpoints/ directory (created if missing).
        epoch: epochs finished (the epoch to resume in).
        history_csv: the history CSV's text up to this epoch, restored on
            resume so no epoch's row is lost or repeated.
        lr_scale: the learning-rate scale of divergence retries.
        batch: steps done in epoch `epoch` (0 at an epoch's end).

    Raises:
        NonFiniteWeights: the model holds NaN or inf (nothing is written,
            the previous checkpoints stay).
        OSError: the directory cannot be written or has no room; the
            previous checkpoints stay valid.
    """
    check_finite(model, f"a checkpoint of epoch {epoch}"
                 + (f", step {batch}" if batch else ""))
    os.makedirs(directory, exist_ok=True)
    _check_space(model, directory)
    latest = os.path.join(directory, LATEST)
    # Keras wants the .weights.h5 ending; the name is not a checkpoint's.
    tmp = os.path.join(directory, _WRITING)
    metadata = {"epoch": int(epoch), "batch": int(batch),
                "history_csv": history_csv, "lr_scale": float(lr_scale)}
    if batch:
        metadata["trackers"] = tracker_states(model)
    try:
        model.save_weights(tmp, overwrite=True)
        with h5py.File(tmp, "a") as f:
            f.attrs[_ATTRIBUTE] = json.dumps(metadata)
        _fsync(tmp)
    except OSError as e:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise OSError(*_short_error(e), tmp) from e
    fault_point("checkpoint_write", tmp)
    if _readable(latest):
        os.replace(latest, os.path.join(directory, PREVIOUS))
    # (A torn `latest` is written over: it must not push out a good
    # `previous`.)
    os.replace(tmp, latest)
    fault_point("checkpoint_renamed")
    write_text_atomically(os.path.join(directory, METADATA),
                          json.dumps({"epoch": int(epoch),
                                      "batch": int(batch)}))


def tracker_states(model):
    """{metric name: [its variables' values]} of `model.metrics`."""
    return {m.name: [np.asarray(v).tolist() for v in m.variables]
            for m in model.metrics}


def set_tracker_states(model, states):
    """Assigns `tracker_states`' values back to `model.metrics`."""
    for metric in model.metrics:
        for variable, value in zip(metric.variables,
                                   states.get(metric.name, ())):
            variable.assign(value)


def read_metadata(path):
    """The metadata dict of the checkpoint at `path`.

    Checkpoints written before this format (Keras' BackupAndRestore) have
    no attribute: their epoch is read from training_metadata.json beside.

    Raises:
        ValueError: the file is torn or not a checkpoint; the message says
            which file and why.
    """
    try:
        with h5py.File(path, "r") as f:
            text = f.attrs.get(_ATTRIBUTE)
            if text is None and not len(f.keys()):
                raise ValueError("no weights in it")
    except (OSError, ValueError) as e:
        reason = str(e).split("(")[0].strip() or type(e).__name__
        raise ValueError(f"{path} is unreadable ({reason})") from None
    if text is not None:
        return dict({"batch": 0}, **json.loads(text))
    legacy = os.path.join(os.path.dirname(path), METADATA)
    try:
        with open(legacy) as f:
            return {"epoch": int(json.load(f)["epoch"]), "batch": 0,
                    "history_csv": None, "lr_scale": 1.0}
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ValueError(
            f"{legacy} is unreadable ({type(e).__name__}: {e}), and "
            f"{os.path.basename(path)} is an older checkpoint that needs it"
        ) from None


def _readable(path):
    if not os.path.exists(path):
        return False
    try:
        read_metadata(path)
    except ValueError:
        return False
    return True


def candidates(directory):
    """[(path, metadata)] of the readable checkpoints, newest first.

    Each unreadable one is logged in one line and skipped.

    Raises:
        ValueError: checkpoints exist but none is readable.
    """
    found, errors = [], []
    for name in (LATEST, PREVIOUS):
        path = os.path.join(directory, name)
        if not os.path.exists(path):
            continue
        try:
            found.append((path, read_metadata(path)))
        except ValueError as e:
            errors.append(str(e))
            log.warning("%s; using the checkpoint before it.", e)
    if errors and not found:
        raise ValueError(
            f"No readable checkpoint in {directory}: "
            + "; ".join(errors) + ". Delete the directory to start over, or "
            "give another output_dir."
        )
    return sorted(found, key=lambda item: (-item[1]["epoch"],
                                           -item[1]["batch"]))


def latest_position(directory):
    """(epoch, batch) of the newest readable checkpoint, or (0, 0)."""
    found = candidates(directory)
    return (found[0][1]["epoch"], found[0][1]["batch"]) if found else (0, 0)


def latest_epoch(directory):
    """The epoch of the newest readable checkpoint, or 0 if there is none."""
    return latest_position(directory)[0]


def restore(model, directory, found=None):
    """Loads the newest checkpoint that loads into `model`.

    Args:
        model: the built GAN.
        directory: the checkpoints/ directory.
        found: `candidates(directory)` if the caller has it already (each
            unreadable file is then reported once).

    Returns:
        Its metadata dict ({"epoch", "batch", "history_csv", "lr_scale",
        and mid-epoch "trackers"}), or None if the directory holds no
        checkpoint.

    Raises:
        ValueError: checkpoints exist but none loads.
    """
    errors = []
    for path, metadata in (candidates(directory) if found is None
                           else found):
        try:
            model.load_weights(path)
        except (OSError, ValueError, KeyError) as e:
            errors.append(f"{path} does not load ({type(e).__name__})")
            log.warning("%s; using the checkpoint before it.", errors[-1])
            continue
        return metadata
    if errors:
        raise ValueError(
            f"No checkpoint in {directory} loads: " + "; ".join(errors)
            + ". Delete the directory to start over, or give another "
            "output_dir."
        )
    return None

