"""Backbones at equal wall time: DCGAN against SNGAN's ResNet (and with
SAGAN self-attention) on the embedded faces.

Each row is an unconditional run on faces (64x64) given the same training
time, `--seconds`: its step is timed first (steps 6-25 of a throw-away
run, median), then it trains `seconds / step time` steps with its whole
schedule (the linear decay reaches 0 at its own last step). It is scored
as the collapse study scores faces (`benchmarks/mode_collapse.py`): distinct
hair and eye colors, precision and recall at 2,000 and 10,000 samples, FD
of evaluator features and MS-SSIM of random pairs beside the real data's.

    python benchmarks/backbones.py --seconds=330
    python benchmarks/backbones.py --rows=dcgan,sngan_resnet --seconds=120

Rows (ROWS): the default `python run.py` (DCGAN, pack 2), SNGAN on the
DCGAN networks, SNGAN on the ResNets, and the ResNets with self-attention
at 32x32. Results append to OUTPUT_DIR/results.jsonl (a rerun skips what
is there); the table and OUTPUT_DIR/backbones_faces.png are written at the
end. Run it alone on the machine: the step times decide the step counts.
"""

import argparse
import json
import os
import shutil
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402

import mode_collapse  # noqa: E402
from keras_gans import TrainConfig  # noqa: E402
from keras_gans import evaluation as evaluation_lib  # noqa: E402
from keras_gans import evaluators  # noqa: E402
from keras_gans import run_dir  # noqa: E402
from keras_gans import train_lib  # noqa: E402
from keras_gans.datasets import registry  # noqa: E402

DATASET = "faces"
ROWS = {
    "dcgan": dict(model="dcgan"),
    "sngan": dict(model="sngan"),
    "sngan_resnet": dict(model="sngan", architecture="resnet"),
    "sngan_resnet_attention": dict(model="sngan", architecture="resnet",
                                   attention_resolution=32),
}
CALIBRATION_STEPS = 25
CALIBRATION_SKIP = 5


class _StepTimes(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.ends = []

    def on_train_batch_end(self, batch, logs=None):
        self.ends.append(time.perf_counter())


def _config(row, output_dir, **overrides):
    return TrainConfig(dataset=DATASET, output_dir=output_dir, verbose=0,
                       export_format=(), **ROWS[row], **overrides)


def step_seconds(row, scratch):
    """The median step time of `row`, from a throw-away run."""
    shutil.rmtree(scratch, ignore_errors=True)
    times = _StepTimes()
    train_lib.train(_config(row, scratch, epochs=1,
                            steps_per_epoch=CALIBRATION_STEPS),
                    callbacks=[times])
    shutil.rmtree(scratch, ignore_errors=True)
    return float(np.median(np.diff(times.ends[CALIBRATION_SKIP:])))


def train(row, seconds, output_dir):
    step = step_seconds(row, output_dir + "_calibration")
    # The dataset's epochs (pictures, checkpoints), each shortened or
    # lengthened to fit the time.
    epochs = registry.dataset_defaults(DATASET).epochs
    steps_per_epoch = max(1, round(seconds / step / epochs))
    last_step = mode_collapse._LastStepTime()
    start = time.perf_counter()
    train_lib.train(_config(row, output_dir, epochs=epochs,
                            steps_per_epoch=steps_per_epoch),
                    callbacks=[last_step])
    return {"step_seconds": step, "steps": epochs * steps_per_epoch,
            "seconds": last_step.end - start}


def table(rows, results):
    lines = ["| backbone | steps | s/step | hair | eyes | precision @2k / "
             "@10k | recall @2k / @10k | FD @10k | MS-SSIM (real) | "
             "wall time (s) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for x in [x for x in results if x["row"] == row]:
            lines.append(
                f"| {row} | {x['steps']} | {x['step_seconds']:.2f} | "
                f"{x['distinct/hair']:.0f} | {x['distinct/eyes']:.0f} | "
                f"{x['precision@2000']:.3f} / {x['precision@10000']:.3f} | "
                f"{x['recall@2000']:.3f} / {x['recall@10000']:.3f} | "
                f"{x['fd']:.1f} | {x['ms_ssim']:.3f} "
                f"({x['ms_ssim_real']:.3f}) | {x['seconds']:.0f} |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default=",".join(ROWS))
    parser.add_argument("--seconds", type=float, default=330.0,
                        help="training time of every row (default: about "
                             "the default `python run.py` on 2 cores)")
    parser.add_argument("--output_dir", default="runs/backbones")
    args = parser.parse_args()
    rows = args.rows.split(",")
    unknown = [row for row in rows if row not in ROWS]
    if unknown:
        raise SystemExit(f"unknown rows {unknown}; rows: {', '.join(ROWS)}")
    os.makedirs(args.output_dir, exist_ok=True)
    results_path = os.path.join(args.output_dir, "results.jsonl")
    results = []
    if os.path.exists(results_path):
        with open(results_path) as f:
            results = [json.loads(line) for line in f if line.strip()]
    spec = registry.dataset_spec(DATASET)
    evaluator = evaluators.load_shipped(DATASET)
    evaluations = {num: evaluation_lib.Evaluation(spec, evaluator,
                                                  num_samples=num)
                   for num in mode_collapse.IMAGE_SAMPLES}
    samples_by_row = {}
    for row in rows:
        run = os.path.join(args.output_dir, row)
        done = [x for x in results if x["row"] == row]
        if done:
            result = done[0]
        else:
            result = {"row": row, **train(row, args.seconds, run)}
        gan, config, _ = run_dir.load_gan(run)
        if not done:
            scores, samples = mode_collapse.score_images(gan, config,
                                                         evaluations, 0)
            result.update(scores)
            results.append(result)
            with open(results_path, "a") as f:
                f.write(json.dumps(result) + "\n")
        else:
            z = np.random.default_rng(0).standard_normal(
                (mode_collapse.PICTURE_SAMPLES, config.latent_dim))
            samples = np.asarray(gan.generate(z.astype("float32")))
        samples_by_row[row] = samples
        print(f"{row}: " + ", ".join(
            f"{k} {v:.3g}" for k, v in result.items()
            if isinstance(v, (int, float))), flush=True)
    print("\n".join(["\nfaces, equal wall time:"] + table(rows, results)),
          flush=True)
    path = os.path.join(args.output_dir, "backbones_faces.png")
    mode_collapse.picture(DATASET, rows, samples_by_row, path)
    print(f"Samples: {path}", flush=True)
    sys.stdout.flush()
    os._exit(0)  # skip TensorFlow's slow interpreter teardown


if __name__ == "__main__":
    main()
