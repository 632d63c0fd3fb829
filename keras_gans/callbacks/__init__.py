"""Training callbacks: checkpoints and the divergence guard, sample
pictures, loss plots, evaluation, TensorBoard."""

from keras_gans.callbacks.checkpoint import DivergenceGuard
from keras_gans.callbacks.checkpoint import RestoreTrackers
from keras_gans.callbacks.checkpoint import RunCheckpoint
from keras_gans.callbacks.evaluate import EvaluateGenerator
from keras_gans.callbacks.evaluate import KeepBest
from keras_gans.callbacks.history_csv import HistoryCSV
from keras_gans.callbacks.history_csv import TrainingState
from keras_gans.callbacks.loss_plot import LossPlot
from keras_gans.callbacks.run_time import RunTimeEstimate
from keras_gans.callbacks.sample_pictures import SamplePictures
from keras_gans.callbacks.tensorboard import LOG_DIR as TENSORBOARD_DIR
from keras_gans.callbacks.tensorboard import TensorBoardLog

__all__ = ["DivergenceGuard", "EvaluateGenerator", "HistoryCSV", "KeepBest",
           "LossPlot", "RestoreTrackers", "RunCheckpoint", "RunTimeEstimate",
           "SamplePictures", "TENSORBOARD_DIR", "TensorBoardLog",
           "TrainingState"]
