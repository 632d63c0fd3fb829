"""What goes into `history.csv` beside the losses, and the logger that
keeps its columns aligned across resumed runs.

`TrainingState` adds each network's learning rate and update count to the
logs (every epoch; every step too when asked, for TensorBoard), so a
schedule or an update ratio can be read off the history. `HistoryCSV` is
Keras' `CSVLogger`, except that a resumed run whose logs have columns the
file lacks (a run started by an older version, or one now evaluating)
rewrites the header with the new columns, the old rows holding "NA" there,
instead of appending rows under a header that does not match them.
"""

import csv
import io

import keras

from keras_gans import checkpoints

# Columns TrainingState adds: the rate each optimizer applies now, and how
# many updates it has made in all (n_critic and g_updates per step).
STATE_COLUMNS = ("d_lr", "g_lr", "d_iterations", "g_iterations")


def _rate(optimizer):
    # LossScaleOptimizer (mixed_float16) forwards learning_rate to the
    # optimizer it wraps; a schedule is evaluated at the current step.
    return float(keras.ops.convert_to_numpy(optimizer.learning_rate))


class TrainingState(keras.callbacks.Callback):
    """Adds `STATE_COLUMNS` to the epoch logs (and the step logs with
    `every_step`). Put it before the loggers that should see them."""

    def __init__(self, every_step=False):
        super().__init__()
        self.every_step = every_step

    def state(self):
        gan = self.model
        return {
            "d_lr": _rate(gan.d_optimizer),
            "g_lr": _rate(gan.g_optimizer),
            "d_iterations": int(gan.d_optimizer.iterations.numpy()),
            "g_iterations": int(gan.g_optimizer.iterations.numpy()),
        }

    def on_train_batch_end(self, batch, logs=None):
        if self.every_step and logs is not None:
            logs.update(self.state())

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs.update(self.state())


class HistoryCSV(keras.callbacks.CSVLogger):
    """`keras.callbacks.CSVLogger` whose appended rows always match the
    file's header.

    Args:
        filename: the CSV file.
        append: continue an existing file (a resumed run).
        text_columns: optional function `() -> {column: text}` of the
            epoch's text cells (the doctor's `diagnosis`): written to the
            file only, since Keras' progress bar averages every log.
    """

    def __init__(self, filename, append=False, text_columns=None):
        super().__init__(filename, append=append)
        self.text_columns = text_columns

    def on_epoch_end(self, epoch, logs=None):
        if self.text_columns is not None:
            logs = dict(logs or {}, **self.text_columns())
        if self.keys is None and self.append and not self.append_header:
            self._merge_header(sorted((logs or {}).keys()))
        super().on_epoch_end(epoch, logs)

    def _merge_header(self, keys):
        """Makes the file's header hold `keys` (as CSVLogger would pick
        them) and sets the columns rows are written in."""
        if keys and not any(key.startswith("val_") for key in keys):
            keys = keys + [f"val_{key}" for key in keys]
        self.csv_file.close()
        with open(self.filename, newline="") as f:
            rows = [row for row in csv.reader(f) if row]
        old = rows[0][1:]
        merged = old + [key for key in keys if key not in old]
        if merged != old:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["epoch"] + merged)
            for row in rows[1:]:
                writer.writerow(row + ["NA"] * (len(merged) + 1 - len(row)))
            checkpoints.write_text_atomically(self.filename, out.getvalue())
        self.csv_file = open(self.filename, "a", newline="")
        self.keys = merged
