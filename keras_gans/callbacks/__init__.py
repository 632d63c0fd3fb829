"""Training callbacks: sample pictures, loss plots, evaluation."""

from keras_gans.callbacks.evaluate import EvaluateGenerator
from keras_gans.callbacks.evaluate import KeepBest
from keras_gans.callbacks.loss_plot import LossPlot
from keras_gans.callbacks.sample_pictures import SamplePictures

__all__ = ["EvaluateGenerator", "KeepBest", "LossPlot", "SamplePictures"]
