"""Flags of the run itself: mode, where, how long, on what."""

from absl import flags

from keras_gans import config as config_lib
from keras_gans import config_checks

flags.DEFINE_enum("mode", "train",
                  ["train", "sample", "export", "dump_dataset", "eval",
                   "train_evaluator", "progress", "diagnose"],
                  "train: train (resuming --output_dir) and export; "
                  "sample: write samples of a trained run; export: export "
                  "a trained run's generator; dump_dataset: write "
                  "--num_images of --dataset as PNGs + tags.csv into "
                  "--output_dir; eval: score the generator of "
                  "--output_dir (or --export_dir) and write eval.json + "
                  "eval.md into <it>/eval; train_evaluator: train an "
                  "evaluator on --dataset's labelled data; progress: "
                  "write progress.png and progress.gif (the fixed-noise "
                  "pictures at ten stages) into --output_dir; diagnose: "
                  "read --output_dir's history and write diagnosis.md "
                  "(what went wrong, from which step, what to try).")
flags.DEFINE_string("output_dir", "runs/default",
                    "Run directory: checkpoints, samples, history, export.")
flags.DEFINE_integer("epochs", None, "Epochs to train (in all, counting the "
                     "epochs of a resumed run; default: the dataset's).")
flags.DEFINE_integer("steps_per_epoch", None, "Generator updates per epoch "
                     "(default: the dataset's).")
flags.DEFINE_enum("strategy", "default", list(config_lib.STRATEGIES),
                  "tf.distribute strategy; multi_worker reads TF_CONFIG.")
flags.DEFINE_enum("jit_compile", "auto", list(config_lib.JIT_COMPILE),
                  "Compile the train step with XLA (auto: on GPU only).")
flags.DEFINE_enum("precision", "auto", list(config_lib.PRECISIONS),
                  "Dtype policy of the networks (variables stay float32): "
                  "mixed_float16 adds dynamic loss scaling to both "
                  "optimizers; auto: mixed_bfloat16 where the hardware "
                  "runs bfloat16 natively and it measured faster, else "
                  "float32.")
flags.DEFINE_enum("on_divergence", "rollback",
                  list(config_lib.ON_DIVERGENCE),
                  "When a step's losses are NaN or inf: rollback to the last "
                  "good checkpoint and retry with halved learning rates "
                  "(up to 3 times), or stop; either way nothing non-finite "
                  "is written and the run exits non-zero if it cannot go "
                  "on.")
flags.DEFINE_integer("checkpoint_every_steps", 0,
                     "Also checkpoint every N steps inside an epoch, so a "
                     "kill loses at most N steps (0: at epoch ends only); "
                     "the resumed run is as exact.")
flags.DEFINE_integer("steps_per_execution", 1,
                     "Train steps per compiled call.")
flags.DEFINE_integer("verbose", None, "Keras fit verbosity: 0 silent, 1 a "
                     "progress bar, 2 one line an epoch (default: 1 on a "
                     "terminal, 2 when stdout is a file or pipe).")
flags.DEFINE_integer("num_samples", 64, "--mode=sample: samples to draw.")

# Seeing training (TrainConfig fields of the same names, but interpolate).
flags.DEFINE_bool("tensorboard", False,
                  "Write TensorBoard logs into <output_dir>/tensorboard: "
                  "every numeric log at each step (losses, learning "
                  "rates), the epoch means and evaluation metrics, and "
                  "the fixed-noise pictures, at the run's global step "
                  "(a resumed run continues its curves). View with "
                  "`tensorboard --logdir <output_dir>/tensorboard` "
                  "(pip install -e \".[tensorboard]\").")
flags.DEFINE_enum("doctor", "on", list(config_checks.DOCTOR),
                  "The training doctor: watch D's accuracy and scores, the "
                  "gradient norms, the losses and (where the data allow) "
                  "the modes, classes and MS-SSIM of a few hundred "
                  "samples; log each problem found (D winning, "
                  "divergence, oscillation, collapse, ignored labels) "
                  "once, with the flags to try, and name it in "
                  "history.csv's diagnosis column.")
flags.DEFINE_integer("doctor_every_steps", 0,
                     "Also diagnose every N global training steps (0: at "
                     "epoch ends only).")
flags.DEFINE_integer("sample_every_steps", 0,
                     "Also write the fixed-noise picture every N global "
                     "training steps, as samples/step_NNNNNNN.png, "
                     "whatever the epoch length (0: at epoch ends only).")
flags.DEFINE_enum("interpolate", "none", ["none", "latent", "class"],
                  "--mode=sample: also write samples/interpolation_latent"
                  ".png (rows: pairs of noise vectors, columns: a "
                  "spherical walk between them; linear for uniform "
                  "noise) or samples/interpolation_class.png "
                  "(conditional models: the noise fixed per row, the "
                  "encoded condition blended from one class or attribute "
                  "value to the next; --condition=\"A; B\" names the two "
                  "ends).")
