"""Evaluators' accuracy, evaluation speed, and the metrics' anchors.

    python benchmarks/evaluation.py                  # all three, ~5 min
    python benchmarks/evaluation.py --parts=speed
    python benchmarks/evaluation.py --table=runs/eval_table   # + the runs

1. accuracy: each shipped evaluator on 10,000 fresh procedural images (a
   seed neither its training nor its held-out check used).
2. speed: `--mode=eval`'s work for 10,000 generated 64x64 faces (DCGAN
   generator, untrained: the time does not depend on its weights): the
   real reference (rendering + features, once per evaluation) and each
   call (generation, features, metrics); median of 3 calls.
3. anchors, 10,000 samples a side: real data against real data of another
   seed (near zero), and one real sample repeated (a fully collapsed
   generator: far), on faces and grid.

With --table=DIR it also reads DIR/<dataset>_<model>/eval/eval.json (as
written by benchmarks/eval_variants.sh) and prints the README's table with
the anchors in it. Run it alone: timings are wall-clock on a shared CPU.
"""

import argparse
import glob
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from keras_gans import TrainConfig  # noqa: E402
from keras_gans import evaluation  # noqa: E402
from keras_gans import evaluators  # noqa: E402
from keras_gans import builders  # noqa: E402
from keras_gans import config as config_lib  # noqa: E402
from keras_gans import samplers  # noqa: E402
from keras_gans.datasets import registry  # noqa: E402
from keras_gans.metrics import classification  # noqa: E402

FRESH_SEED = 31_337
NUM = 10_000


def accuracy():
    print("## Shipped evaluators on 10,000 fresh images "
          f"(seed {FRESH_SEED})\n")
    print("| evaluator | accuracy | seconds |")
    print("|---|---|---|")
    for name in evaluators.SHIPPED_NAMES:
        evaluator = evaluators.load_shipped(name)
        sample = getattr(registry.PROCEDURAL[name], f"sample_{name}")
        images, labels = sample(NUM, seed=FRESH_SEED)
        start = time.perf_counter()
        scores = evaluator.scores(images)
        seconds = time.perf_counter() - start
        acc = classification.requested_accuracy(scores, labels,
                                                evaluator.label_spec)
        text = ", ".join(f"{k} {100 * v:.2f}%" for k, v in acc.items())
        print(f"| {name} | {text} | {seconds:.1f} |")
    print()


def speed():
    spec = registry.dataset_spec("faces")
    config = config_lib.resolve(TrainConfig(dataset="faces"))
    generator, _ = builders.build_networks(config, spec)
    start = time.perf_counter()
    run = evaluation.Evaluation(spec, evaluators.load_shipped("faces"),
                                num_samples=NUM)
    reference = time.perf_counter() - start
    sampler = samplers.generator_sampler(
        lambda z: generator(z, training=False), config.latent_dim)
    generate, calls = [], []
    for seed in range(3):
        start = time.perf_counter()
        sampler.sample(NUM, seed)
        generate.append(time.perf_counter() - start)
        start = time.perf_counter()
        run(sampler, seed=seed)
        calls.append(time.perf_counter() - start)
    evaluate_only = [c - g for c, g in zip(calls, generate)]
    print("## Evaluating 10,000 generated 64x64 faces (median of 3)\n")
    print("| step | seconds |")
    print("|---|---|")
    print(f"| real reference: render + features (once) | {reference:.1f} |")
    print(f"| generate 10,000 (DCGAN) | {statistics.median(generate):.1f} |")
    print(f"| features + metrics of 10,000 | "
          f"{statistics.median(evaluate_only):.1f} |")
    print(f"| one evaluation call (generate + evaluate) | "
          f"{statistics.median(calls):.1f} |")
    print()


def anchors(dataset):
    """{name: metrics} of the real and collapsed anchors."""
    spec = registry.dataset_spec(dataset)
    evaluator = (evaluators.load_shipped(dataset)
                 if dataset in evaluators.SHIPPED_NAMES else None)
    run = evaluation.Evaluation(spec, evaluator, num_samples=NUM)
    real, _ = samplers.real_samples(spec, 1, seed=FRESH_SEED)
    out = {}
    for sampler in (samplers.real_sampler(spec, name="real vs real"),
                    samplers.constant_sampler(
                        real[0], name="one repeated real sample")):
        out[sampler.name] = run(sampler, seed=FRESH_SEED)["metrics"]
    return out


def _row(dataset, name, m, extra=""):
    kid = f"{m['kid']:.4g} ± {m['kid_std']:.2g}"
    if dataset == "faces":
        tail = (f"{m['distinct/hair']:.0f}/12, {m['distinct/eyes']:.0f}/11")
    else:
        tail = f"{m['modes_covered']:.0f}/25, {100 * m['high_quality']:.1f}%"
    return (f"| {dataset} | {name} | {extra} | {m['fd']:.4g} | {kid} | "
            f"{m['precision']:.3f} | {m['recall']:.3f} | {tail} |")


def table(directory):
    print("## Evaluation table (10,000 samples a side)\n")
    print("| data | generator | training | FD (features) | KID ± std | "
          "precision | recall | faces: distinct hair, eyes / grid: modes, "
          "high quality |")
    print("|---|---|---|---|---|---|---|---|")
    for dataset in ("faces", "grid"):
        for name, m in anchors(dataset).items():
            print(_row(dataset, f"*{name}*", m, "anchor"))
        for path in sorted(glob.glob(os.path.join(
                directory, f"{dataset}_*", "eval", "eval.json"))):
            run_dir = os.path.dirname(os.path.dirname(path))
            with open(path) as f:
                data = json.load(f)
            with open(os.path.join(run_dir, "config.json")) as f:
                config = json.load(f)
            extra = f"{config['epochs'] * config['steps_per_epoch']} steps"
            metrics = {k: (np.nan if v is None else v)
                       for k, v in data["metrics"].items()}
            print(_row(dataset, config["model"], metrics, extra))
    print("\nFD and KID: faces on the faces evaluator's features, grid on "
          "the points themselves.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parts", default="accuracy,speed,anchors")
    parser.add_argument("--table", default=None,
                        help="a directory of runs to tabulate")
    args = parser.parse_args()
    if args.table:
        table(args.table)
    else:
        parts = args.parts.split(",")
        if "accuracy" in parts:
            accuracy()
        if "speed" in parts:
            speed()
        if "anchors" in parts:
            for dataset in ("faces", "grid"):
                for name, m in anchors(dataset).items():
                    print(dataset, name, {k: round(v, 4)
                                          for k, v in m.items()})
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
