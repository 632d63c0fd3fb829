"""Flags of evaluation: --mode=eval, --mode=train_evaluator and the
evaluation callback of training."""

from absl import flags

flags.DEFINE_float("truncation", None, "--mode=sample and --mode=eval: the "
                   "truncation trick (BigGAN): z's coordinates beyond this "
                   "many standard units are redrawn, trading variety for "
                   "fidelity (e.g. 1.0; default: off).")
flags.DEFINE_integer("eval_every", 0, "Training: evaluate the generator "
                     "every N epochs and on the last (0: never); the "
                     "metrics go into history.csv and metrics.png.")
flags.DEFINE_integer("eval_samples", None, "Samples (generated and real) "
                     "per evaluation (default: 10,000 for --mode=eval, "
                     "2,000 during training). Frechet distance and KID "
                     "depend on it: compare values at the same count.")
flags.DEFINE_string("keep_best", None, "Training: keep "
                    "<output_dir>/best.weights.h5, the weights of the best "
                    "evaluation by this metric (e.g. fd, kid, recall, "
                    "accuracy, modes_covered); needs --eval_every.")
flags.DEFINE_string("evaluator_dir", None, "An evaluator written by "
                    "--mode=train_evaluator (default: the shipped one for "
                    "faces/shapes, else <data_dir>/keras_gans_evaluator_"
                    "<dataset>).")
flags.DEFINE_string("inception_weights", None, "A Keras weights file of "
                    "InceptionV3 (see README): adds the standard FID and "
                    "KID on Inception pool features.")
flags.DEFINE_integer("evaluator_steps", 3000, "--mode=train_evaluator: "
                     "training steps of 64 images.")
