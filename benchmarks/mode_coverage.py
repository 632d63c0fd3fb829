"""Mode coverage of each GAN variant on the 2-D mixtures (ring, grid).

Trains every variant on each mixture with its defaults (the papers', except
WGAN-GP's point-data game: `variants.POINT_DATA_GAMES`) and prints the
VEEGAN / PacGAN yardstick for 2,500 samples: modes covered, % high-quality
samples (within 3 std of a mode), KL(mode histogram || uniform), and the
wall time of the training. Scatter plots land in --output_dir.

    python benchmarks/mode_coverage.py                 # all, ~15 min
    python benchmarks/mode_coverage.py --variants=wgan_gp --datasets=grid
    python benchmarks/mode_coverage.py --variants=wgan_gp --gp_weight=10 \
        --d_learning_rate=1e-4 --g_learning_rate=1e-4   # the paper's game

Run it alone on the machine: two trainings at once halve each other's
speed, and the wall times are part of the table.
"""

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_gans import TrainConfig  # noqa: E402
from keras_gans import sampling  # noqa: E402
from keras_gans import train_lib  # noqa: E402
from keras_gans.metrics import mode_coverage  # noqa: E402
from keras_gans.models import VARIANTS  # noqa: E402

NUM_SAMPLES = 2500


def measure(variant, dataset, args, output_dir):
    config = TrainConfig(
        model=variant, dataset=dataset, epochs=args.epochs,
        steps_per_epoch=args.steps // args.epochs, batch_size=args.batch_size,
        seed=args.seed, output_dir=output_dir, verbose=0, export_format=(),
        lr_decay=args.lr_decay, gp_weight=args.gp_weight,
        d_learning_rate=args.d_learning_rate,
        g_learning_rate=args.g_learning_rate,
    )
    start = time.perf_counter()
    train_lib.train(config)
    seconds = time.perf_counter() - start
    samples, _ = sampling.sample(output_dir, NUM_SAMPLES, seed=args.seed)
    result = mode_coverage.mixture_mode_coverage(samples, dataset)
    result["seconds"] = seconds
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--datasets", default="ring,grid")
    parser.add_argument("--steps", type=int, default=6000,
                        help="generator updates per training")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch_size", type=int, default=128)
    parser.add_argument("--lr_decay", default="linear",
                        help="none or linear (decay to 0 sharpens modes)")
    parser.add_argument("--gp_weight", type=float, default=None,
                        help="override the variants' penalty weight")
    parser.add_argument("--d_learning_rate", type=float, default=None,
                        help="override the variants' critic learning rate")
    parser.add_argument("--g_learning_rate", type=float, default=None,
                        help="override the variants' generator learning rate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output_dir", default=None)
    args = parser.parse_args()
    root = args.output_dir or tempfile.mkdtemp(prefix="mode_coverage_")

    print(f"{args.steps} generator steps, batch {args.batch_size}, "
          f"lr_decay={args.lr_decay}, {NUM_SAMPLES} samples; pictures in "
          f"{root}")
    print("| variant | data | modes | % HQ | KL | wall time (s) |")
    print("|---|---|---|---|---|---|")
    for dataset in args.datasets.split(","):
        for variant in args.variants.split(","):
            out = os.path.join(root, f"{variant}_{dataset}")
            r = measure(variant, dataset, args, out)
            print(f"| {variant} | {dataset} | {r['modes_covered']}/"
                  f"{r['num_modes']} | {100 * r['high_quality']:.1f} | "
                  f"{r['kl']:.3f} | {r['seconds']:.0f} |", flush=True)
    sys.stdout.flush()
    os._exit(0)  # skip TensorFlow's slow interpreter teardown


if __name__ == "__main__":
    main()
