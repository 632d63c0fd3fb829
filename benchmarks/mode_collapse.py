"""The collapse study: a DCGAN that collapses, then each remedy alone.

Every row trains the same DCGAN configuration (the dataset's defaults: the
same optimizer, batch and number of steps) with one change, then scores it
with the shipped evaluation:

- ring, grid (2-D mixtures): modes covered, % high-quality samples (within
  3 std of a mode) and KL(mode histogram || uniform) on 2,500 samples,
  mean and range over `--seeds` seeds;
- faces: distinct hair and eye colors the evaluator finds, precision and
  recall at 2,000 and 10,000 samples, FD of evaluator features at 10,000,
  and the MS-SSIM of random pairs beside the real data's (`--image_seeds`,
  default one: a faces run takes minutes on 2 cores).

Rows are names from ROWS, or several joined by "+" (a combination):

    python benchmarks/mode_collapse.py --datasets=ring,grid --seeds=3
    python benchmarks/mode_collapse.py --datasets=faces \\
        --rows=baseline,minibatch_std,pack2,ema,diff_augment
    python benchmarks/mode_collapse.py --datasets=grid \\
        --rows=baseline,minibatch_std+pack2+ema

Each finished run appends a JSON line to OUTPUT_DIR/results.jsonl, and a
rerun with the same OUTPUT_DIR skips what is there (a long study survives
an interruption). It prints the markdown table and draws
OUTPUT_DIR/mode_collapse_<dataset>.png (samples of every row). Run it
alone on the machine: the wall times are part of the table.
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_gans import TrainConfig  # noqa: E402
from keras_gans.config import REMEDIES_OFF  # noqa: E402
from keras_gans import evaluation as evaluation_lib  # noqa: E402
from keras_gans import evaluators  # noqa: E402
from keras_gans import run_dir  # noqa: E402
from keras_gans import samplers  # noqa: E402
from keras_gans import train_lib  # noqa: E402
from keras_gans.datasets import registry  # noqa: E402

POINT_SAMPLES = 2500
IMAGE_SAMPLES = (2000, 10_000)
PICTURE_SAMPLES = 8

# One change each to the collapsing DCGAN; "ema" is filled per dataset
# (its decay must suit the run's length).
ROWS = {
    "baseline": {},
    "minibatch_std": {"minibatch_std": 4},
    "pack2": {"pack": 2},
    "pack4": {"pack": 4},
    "ema": None,
    # The faces' default (DatasetDefaults.remedies): one decay for every run
    # length, averaging about the last 200 steps from step 300 on.
    "ema0.995": {"ema_decay": 0.995, "ema_start": 300},
    "diff_augment": {"diff_augment": ("color", "translation", "cutout")},
    "feature_matching": {"generator_objective": "feature_matching"},
    "fm_both": {"generator_objective": "both"},
    "label_smoothing": {"label_smoothing": 0.2},
    "noisy_labels": {"real_label_range": (0.7, 1.2),
                     "fake_label_range": (0.0, 0.3)},
    "spectral": {"d_normalization": "spectral"},
    "wgan_gp": {"loss": "wasserstein", "penalty": "gradient_penalty"},
    "n_critic2": {"n_critic": 2},
}
IMAGE_ONLY = ("diff_augment",)


def overrides_for(row, dataset, steps):
    """The TrainConfig overrides of a row name ("a+b" merges a and b).

    Every remedy a row does not name is off, whatever the dataset's defaults
    (`DatasetDefaults.remedies`): the baseline is the collapsing DCGAN."""
    values = dict(REMEDIES_OFF)
    for name in row.split("+"):
        if name not in ROWS:
            raise SystemExit(f"unknown row {name!r}; rows: {', '.join(ROWS)}")
        if name == "ema":
            # Average about the last tenth of the run, from a third in.
            values.update(ema_decay=round(1.0 - 10.0 / steps, 4),
                          ema_start=steps // 3)
        else:
            values.update(ROWS[name])
    if values.get("penalty") and dataset == "faces":
        values.setdefault("d_normalization", "layer")  # not batch norm
    return values


class _LastStepTime(keras.callbacks.Callback):
    """When the last step ended: `fit` returns only when tf.data's
    autotuning thread next wakes (every 60 s once its sleeps have grown),
    which would add up to a minute of idle time to the wall time."""

    def on_train_batch_end(self, batch, logs=None):
        self.end = time.perf_counter()


def train(dataset, row, seed, output_dir):
    defaults = registry.dataset_defaults(dataset)
    steps = defaults.epochs * defaults.steps_per_epoch
    config = TrainConfig(model="dcgan", dataset=dataset, seed=seed,
                         output_dir=output_dir, verbose=0, export_format=(),
                         **overrides_for(row, dataset, steps))
    last_step = _LastStepTime()
    start = time.perf_counter()
    train_lib.train(config, callbacks=[last_step])
    return last_step.end - start


def score_points(gan, config, evaluation, seed):
    result = evaluation(samplers.gan_sampler(gan, config.latent_dim),
                        seed=seed)
    m = result["metrics"]
    return ({"modes_covered": m["modes_covered"],
             "high_quality": m["high_quality"], "kl": m["kl"]},
            result["samples"])


def score_images(gan, config, evaluations, seed):
    out = {}
    for num, evaluation in evaluations.items():
        result = evaluation(samplers.gan_sampler(gan, config.latent_dim,
                                                 evaluation), seed=seed)
        m = result["metrics"]
        out.update({f"precision@{num}": m["precision"],
                    f"recall@{num}": m["recall"]})
        if num == max(evaluations):
            out.update({key: m[key] for key in (
                "fd", "distinct/hair", "distinct/eyes", "ms_ssim",
                "ms_ssim_real")})
            samples = result["samples"]
    return out, samples


def _mean_range(values, fmt):
    values = np.asarray(values, "float64")
    if len(values) == 1:
        return fmt.format(values[0])
    return (fmt.format(values.mean()) + " (" + fmt.format(values.min())
            + "-" + fmt.format(values.max()) + ")")


def table(dataset, rows, results):
    if registry.dataset_defaults(dataset).kind == "points":
        lines = ["| remedy | modes | % high quality | KL | wall time (s) |",
                 "|---|---|---|---|---|"]
        for row in rows:
            r = [x for x in results if x["row"] == row]
            if not r:
                continue
            lines.append(
                f"| {row} | {_mean_range([x['modes_covered'] for x in r], '{:.1f}')}"
                f" | {_mean_range([100 * x['high_quality'] for x in r], '{:.1f}')}"
                f" | {_mean_range([x['kl'] for x in r], '{:.3f}')}"
                f" | {_mean_range([x['seconds'] for x in r], '{:.0f}')} |")
        return lines
    lines = ["| remedy | hair | eyes | precision @2k / @10k | recall @2k / "
             "@10k | FD @10k | MS-SSIM (real) | wall time (s) |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for x in [x for x in results if x["row"] == row]:
            label = f"{row} (seed {x['seed']})" if x["seed"] else row
            lines.append(
                f"| {label} | {x['distinct/hair']:.0f} | "
                f"{x['distinct/eyes']:.0f} | {x['precision@2000']:.3f} / "
                f"{x['precision@10000']:.3f} | {x['recall@2000']:.3f} / "
                f"{x['recall@10000']:.3f} | {x['fd']:.1f} | "
                f"{x['ms_ssim']:.3f} ({x['ms_ssim_real']:.3f}) | "
                f"{x['seconds']:.0f} |")
    return lines


def picture(dataset, rows, samples_by_row, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [row for row in rows if row in samples_by_row]
    spec = registry.dataset_spec(dataset)
    if spec.kind == "points":
        cols = min(4, len(rows))
        nrows = -(-len(rows) // cols)
        fig, axes = plt.subplots(nrows, cols, figsize=(3 * cols, 3 * nrows),
                                 squeeze=False)
        for ax in axes.ravel():
            ax.axis("off")
        for ax, row in zip(axes.ravel(), rows):
            points = samples_by_row[row]
            ax.scatter(points[:, 0], points[:, 1], s=1, alpha=0.3)
            ax.scatter(spec.modes[:, 0], spec.modes[:, 1], s=12, c="red",
                       marker="x")
            ax.set_title(row, fontsize=9)
            ax.set_aspect("equal")
    else:
        fig, axes = plt.subplots(len(rows), 1,
                                 figsize=(PICTURE_SAMPLES, 1.2 * len(rows)),
                                 squeeze=False)
        for ax, row in zip(axes[:, 0], rows):
            images = samplers.as_float_images(
                samples_by_row[row][:PICTURE_SAMPLES])
            strip = np.concatenate(list((images + 1) / 2), axis=1)
            ax.imshow(np.clip(strip, 0, 1))
            ax.set_ylabel(row, rotation=0, ha="right", va="center",
                          fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", default="ring,grid")
    parser.add_argument("--rows", default=",".join(
        r for r in ROWS if r not in ("pack4", "fm_both", "n_critic2")))
    parser.add_argument("--seeds", type=int, default=3,
                        help="seeds per row on the mixtures")
    parser.add_argument("--image_seeds", type=int, default=1,
                        help="seeds per row on faces (a run takes minutes)")
    parser.add_argument("--output_dir", default="runs/mode_collapse")
    args = parser.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)
    results_path = os.path.join(args.output_dir, "results.jsonl")
    results = []
    if os.path.exists(results_path):
        with open(results_path) as f:
            results = [json.loads(line) for line in f if line.strip()]
    rows = args.rows.split(",")
    for dataset in args.datasets.split(","):
        spec = registry.dataset_spec(dataset)
        points = spec.kind == "points"
        if points:
            evaluation = evaluation_lib.Evaluation(spec,
                                                   num_samples=POINT_SAMPLES)
        else:
            evaluator = evaluators.load_shipped(dataset)
            evaluations = {num: evaluation_lib.Evaluation(
                spec, evaluator, num_samples=num) for num in IMAGE_SAMPLES}
        samples_by_row = {}
        for row in rows:
            if points and set(row.split("+")) & set(IMAGE_ONLY):
                continue
            for seed in range(args.seeds if points else args.image_seeds):
                run = os.path.join(args.output_dir,
                                   f"{dataset}_{row}_seed{seed}")
                done = [x for x in results if x["dataset"] == dataset
                        and x["row"] == row and x["seed"] == seed]
                if done:  # measured before: only its picture
                    result = done[0]
                    if seed == 0 and os.path.exists(run):
                        gan, config, _ = run_dir.load_gan(run)
                        z = np.random.default_rng(seed).normal(size=(
                            POINT_SAMPLES if points else PICTURE_SAMPLES,
                            config.latent_dim))
                        samples_by_row[row] = np.asarray(
                            gan.generate(z.astype("float32")))
                else:
                    seconds = train(dataset, row, seed, run)
                    gan, config, _ = run_dir.load_gan(run)
                    result = {"dataset": dataset, "row": row, "seed": seed,
                              "seconds": seconds}
                    if points:
                        scores, samples = score_points(gan, config,
                                                       evaluation, seed)
                    else:
                        scores, samples = score_images(gan, config,
                                                       evaluations, seed)
                    if seed == 0:
                        samples_by_row[row] = samples
                    result.update(scores)
                    results.append(result)
                    with open(results_path, "a") as f:
                        f.write(json.dumps(result) + "\n")
                print(f"{dataset} {row} seed {seed}: " + ", ".join(
                    f"{k} {v:.3g}" for k, v in result.items()
                    if isinstance(v, float)), flush=True)
        done_here = [x for x in results if x["dataset"] == dataset]
        print("\n".join([f"\n{dataset}:"] + table(dataset, rows, done_here)),
              flush=True)
        path = os.path.join(args.output_dir, f"mode_collapse_{dataset}.png")
        picture(dataset, rows, samples_by_row, path)
        print(f"Samples: {path}", flush=True)
    sys.stdout.flush()
    os._exit(0)  # skip TensorFlow's slow interpreter teardown


if __name__ == "__main__":
    main()
