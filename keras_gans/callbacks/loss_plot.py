"""PNGs of the loss curves (and evaluation metrics), redrawn from the
history CSV every epoch."""

import os

import keras

from keras_gans import visualize


class LossPlot(keras.callbacks.Callback):
    """Redraws `png_path` from the `keras.callbacks.CSVLogger` file.

    Put it after the CSVLogger in the callback list: the CSV row of an
    epoch is written in that logger's `on_epoch_end`.

    Args:
        csv_path: the CSVLogger's file.
        png_path: where the loss plot goes.
        metric_columns: evaluation metrics to plot too, one panel each, in
            `metrics_png_path` (see `EvaluateGenerator`).
        metrics_png_path: where that plot goes.
    """

    def __init__(self, csv_path, png_path, metric_columns=(),
                 metrics_png_path=None):
        super().__init__()
        self.csv_path = csv_path
        self.png_path = png_path
        self.metric_columns = tuple(metric_columns)
        self.metrics_png_path = metrics_png_path

    def on_epoch_end(self, epoch, logs=None):
        if not os.path.exists(self.csv_path):
            return
        visualize.save_loss_plot(self.csv_path, self.png_path)
        if self.metric_columns and self.metrics_png_path:
            visualize.save_metric_plot(self.csv_path, self.metrics_png_path,
                                       self.metric_columns)

