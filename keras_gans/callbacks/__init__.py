"""Training callbacks: sample pictures and loss plots."""

from keras_gans.callbacks.loss_plot import LossPlot
from keras_gans.callbacks.sample_pictures import SamplePictures
