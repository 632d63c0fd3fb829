"""A PNG of the loss curves, redrawn from the history CSV every epoch."""

import os

import keras

from keras_gans import visualize


class LossPlot(keras.callbacks.Callback):
    """Redraws `png_path` from the `keras.callbacks.CSVLogger` file.

    Put it after the CSVLogger in the callback list: the CSV row of an
    epoch is written in that logger's `on_epoch_end`.

    Args:
        csv_path: the CSVLogger's file.
        png_path: where the plot goes.
    """

    def __init__(self, csv_path, png_path):
        super().__init__()
        self.csv_path = csv_path
        self.png_path = png_path

    def on_epoch_end(self, epoch, logs=None):
        if os.path.exists(self.csv_path):
            visualize.save_loss_plot(self.csv_path, self.png_path)
