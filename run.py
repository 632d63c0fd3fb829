"""keras_gans command line: train, sample from or export a GAN.

    python run.py --model=wgan_gp --dataset=grid --output_dir=runs/grid
    python run.py --mode=sample --output_dir=runs/grid --num_samples=2500
    python run.py --mode=export --output_dir=runs/grid --export_format=onnx
    python run.py --mode=dump_dataset --dataset=faces --num_images=1000 \
        --output_dir=data/faces
    python run.py --mode=eval --output_dir=runs/grid
    python run.py --mode=train_evaluator --dataset=folder --data_dir=DIR
    python run.py --mode=progress --output_dir=runs/grid
    python run.py --mode=diagnose --output_dir=runs/grid

All flags: python run.py --helpfull. The library (keras_gans/) reads no flags:
this file turns them into one TrainConfig and calls the library's train_lib,
sampling, eval_lib or run_dir.
"""

import logging
import os
import sys

# Quiets TensorFlow's C++ INFO logging after start-up; users can still
# raise it with TF_CPP_MIN_LOG_LEVEL=0.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app  # noqa: E402
from absl import flags  # noqa: E402
from absl import logging as absl_logging  # noqa: E402

from flags import config_flags  # noqa: E402

FLAGS = flags.FLAGS


def main(argv):
    if len(argv) > 1:
        raise app.UsageError(
            f"Unexpected arguments (flags start with --): {argv[1:]}"
        )
    # TensorFlow's own INFO lines (SavedModel internals) are noise to a
    # user; keras_gans' messages are not.
    absl_logging.set_verbosity(absl_logging.WARNING)
    log = logging.getLogger("keras_gans")
    log.setLevel(logging.INFO)
    log.propagate = False
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("keras_gans: %(message)s"))
    log.addHandler(handler)
    config = config_flags.config_from_flags(FLAGS)
    try:
        _run_mode(config)
    except (ValueError, FileNotFoundError) as e:
        # Bad input: the message says what and where; no traceback.
        _fail(config_flags.with_flag_names(str(e)), EXIT_BAD_INPUT)
    except OSError as e:
        # A write failed (full disk, read-only directory, ...): checkpoints
        # are written atomically, so what is there is still valid.
        where = f" {e.filename}" if e.filename else ""
        _fail(f"Could not write{where}: {e.strerror or e}. What was "
              "written before is intact: fix this and rerun the same "
              "command to resume.", EXIT_RUN_FAILED)
    except RuntimeError as e:
        from keras_gans import run_dir
        from keras_gans import train_lib

        if not isinstance(e, (train_lib.TrainingDiverged,
                              run_dir.RunDirectoryInUse)):
            raise
        _fail(str(e), EXIT_RUN_FAILED)
    # TensorFlow processes have been seen idling for tens of seconds at
    # exit after their work is done; the work is done, so leave now.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# Exit codes: 2 for bad input (flags, files), 3 for a run that could not go
# on (diverged, directory in use, a failed write).
EXIT_BAD_INPUT = 2
EXIT_RUN_FAILED = 3


def _fail(message, code):
    """One line on stderr, then exit (no traceback, no lingering TF)."""
    print(f"Error: {message}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def parse_flags(argv):
    """absl's flag parsing, with a bad flag reported in one line (absl
    prefixes a multi-flag validator's message with every flag's value)."""
    try:
        return FLAGS(argv)
    except flags.Error as e:
        message = config_flags.validation_error() or str(e)
        print(f"Error: {message}\nPass --helpshort or --helpfull to see "
              "help on flags.", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def _run_mode(config):
    from keras_gans import config as config_lib

    verbose = config_lib.progress_verbosity(config.verbose)
    if FLAGS.mode == "train":
        from keras_gans import train_lib

        train_lib.train(config)
        print(f"Run written to {config.output_dir}")
    elif FLAGS.mode == "sample":
        if FLAGS.interpolate != "none":
            # First: a class interpolation of an unconditional model
            # fails before anything is written.
            from keras_gans import interpolation

            path = interpolation.interpolate(
                FLAGS.output_dir, FLAGS.interpolate, seed=FLAGS.seed,
                condition=FLAGS.condition,
                raw_generator=FLAGS.raw_generator,
                truncation=FLAGS.truncation,
            )
            print(f"Interpolation written to {path}")
        from keras_gans import sampling

        _, path = sampling.sample(
            FLAGS.output_dir, FLAGS.num_samples, seed=FLAGS.seed,
            condition=FLAGS.condition, raw_generator=FLAGS.raw_generator,
            truncation=FLAGS.truncation,
        )
        # A conditional model's other grids are logged beside it.
        print(f"Samples written to {path}")
    elif FLAGS.mode == "progress":
        from keras_gans import progress

        png_path, gif_path = progress.write_progress(FLAGS.output_dir)
        print(f"Progress written to {png_path} and {gif_path}")
    elif FLAGS.mode == "diagnose":
        from keras_gans import doctor

        path, found = doctor.diagnose_run(FLAGS.output_dir)
        for diagnosis in found:
            print(diagnosis.line())
        print(f"Diagnosis written to {path}"
              + ("" if found else ": no problem found."))
    elif FLAGS.mode == "dump_dataset":
        from keras_gans.datasets import dump

        output_dir = config.output_dir
        if not FLAGS["output_dir"].present:
            output_dir = os.path.join("data", config.dataset)
        spec = dump.dump_dataset(
            config.dataset, FLAGS.num_images, output_dir, seed=config.seed,
            data_dir=config.data_dir, image_size=config.image_size,
            ignore_unknown_tags=config.ignore_unknown_tags,
            verbose=verbose,
        )
        print(f"Dataset written to {output_dir} "
              f"({dump.PREVIEW_FILE}: a grid of the first images).")
        command = dump.read_back_command(config.dataset, spec, output_dir)
        if command:
            print(f"Train on it with: {command}")
    elif FLAGS.mode == "eval":
        _evaluate(config)
    elif FLAGS.mode == "train_evaluator":
        from keras_gans.evaluators import evaluator as evaluator_lib
        from keras_gans.evaluators import training

        output_dir = config.output_dir
        if not FLAGS["output_dir"].present:
            output_dir = evaluator_lib.default_evaluator_dir(
                config.dataset, config.data_dir)
            if output_dir.startswith(evaluator_lib.SHIPPED_DIR):
                # Never overwrite the shipped evaluator by default.
                output_dir = os.path.join("runs",
                                          f"evaluator_{config.dataset}")
        evaluator = training.train_evaluator(
            config.dataset, output_dir, steps=FLAGS.evaluator_steps,
            batch_size=config.batch_size or training.DEFAULT_BATCH_SIZE,
            seed=config.seed, data_dir=config.data_dir,
            image_size=config.image_size,
            ignore_unknown_tags=config.ignore_unknown_tags,
            verbose=verbose,
        )
        held_out = evaluator.info["held_out"]
        print(f"Evaluator written to {output_dir}. Held-out accuracy "
              f"({held_out['images']} images, {held_out['split']}): " +
              ", ".join(f"{k} {v:.4f}" for k, v in held_out.items()
                        if k not in ("images", "split")))
    elif FLAGS.mode == "export":
        from keras_gans import run_dir

        saved = run_dir.read_config(FLAGS.output_dir)
        export_dir = run_dir.export_run(
            saved,
            export_dir=FLAGS.export_dir,
            formats=FLAGS.export_format,
            raw_generator=FLAGS.raw_generator,
        )
        print(f"Exported to {export_dir}")


def _evaluate(config):
    from keras_gans import eval_lib
    from keras_gans import eval_report

    export_dir = FLAGS.export_dir
    output_dir = None if export_dir else FLAGS.output_dir
    result, path = eval_lib.evaluate(
        config, output_dir=output_dir, export_dir=export_dir,
        num_samples=FLAGS.eval_samples, seed=FLAGS.seed,
    )
    print(f"{result['sampler']}, {result['num_samples']} samples, "
          f"features: {result['feature_space']}")
    print(eval_report.format_metrics(result))
    print(f"Report written to {os.path.dirname(path)} "
          f"({os.path.basename(path)}, eval.md)")


def console_main():
    """Entry point of the `keras-gans` console script."""
    app.run(main, flags_parser=parse_flags)


if __name__ == "__main__":
    app.run(main, flags_parser=parse_flags)
