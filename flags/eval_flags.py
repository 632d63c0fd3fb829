"""Flags of evaluation: --mode=eval, --mode=train_evaluator and the
evaluation callback of training."""

from absl import flags

flags.DEFINE_float("truncation", None, "--mode=sample and --mode=eval: the "
                   "truncation trick (BigGAN): z's coordinates beyond this "
                   "many standard units are redrawn, trading variety for "
                   "fidelity (e.g. 1.0; default: off).")
flags.DEFINE_string("condition_file", None, "--mode=eval of a multi-label "
                    "run: also grade the generator on this JSON list of "
                    "object-name lists (the iCLEVR test.json format), "
                    "beside the data's own test and new_test sets.")
flags.DEFINE_integer("condition_draws", 10, "--mode=eval, graded sets: "
                     "noise draws per condition; the report gives the "
                     "mean accuracy over them and their spread.")
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
flags.DEFINE_string("inception_graph", None, "The 2015 Inception graph "
                    "file classify_image_graph_def.pb (see README): adds "
                    "fid_inception_graph and is_inception_graph (+ std, "
                    "and the real data's own), computed as TTUR's FID and "
                    "improved-gan's Inception Score are, so comparable "
                    "with published values.")
flags.DEFINE_string("face_cascade", None, "An OpenCV cascade XML file "
                    "(e.g. lbpcascade_animeface.xml; needs "
                    "opencv-python-headless<5): adds faces_per_25, the "
                    "images of every 25 in which it finds a face, beside "
                    "the real data's own.")
flags.DEFINE_integer("evaluator_steps", 3000, "--mode=train_evaluator: "
                     "training steps of 64 images.")
