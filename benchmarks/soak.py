"""Memory over a long run: resident set size every --every steps.

Trains one run through `train_lib.train` as `run.py` does (checkpoints,
pictures, history and plots every epoch; an epoch is --every steps) and
samples the process's RSS at the end of each epoch. Prints the table and
the growth after the first --warmup steps (allocator and graph caches fill
first; a leak keeps growing after).

    python benchmarks/soak.py                          # 10,000 steps, ~4 min
    python benchmarks/soak.py --model=dcgan --dataset=faces --image_size=32
"""

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # noqa: E402

from keras_gans import TrainConfig  # noqa: E402
from keras_gans import train_lib  # noqa: E402


def rss_mib():
    """This process's resident set size in MiB (Linux /proc)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


class RssSampler(keras.callbacks.Callback):
    def __init__(self, every):
        super().__init__()
        self.every = every
        self.rows = [(0, rss_mib(), time.perf_counter())]

    def on_epoch_end(self, epoch, logs=None):
        self.rows.append(((epoch + 1) * self.every, rss_mib(),
                          time.perf_counter()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="wgan_gp")
    parser.add_argument("--dataset", default="ring")
    parser.add_argument("--image_size", type=int, default=None)
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=1000)
    args = parser.parse_args()
    sampler = RssSampler(args.every)
    with tempfile.TemporaryDirectory() as out:
        config = TrainConfig(
            model=args.model, dataset=args.dataset,
            image_size=args.image_size, output_dir=out,
            epochs=args.steps // args.every, steps_per_epoch=args.every,
            export_format=(), verbose=0)
        train_lib.train(config, callbacks=[sampler])
    start = sampler.rows[0][2]
    print(f"{args.model} on {args.dataset}, {args.steps} steps, "
          f"RSS every {args.every}")
    print("| step | RSS (MiB) | wall (s) |")
    print("|---|---|---|")
    for step, rss, t in sampler.rows:
        print(f"| {step} | {rss:.1f} | {t - start:.0f} |")
    after = [rss for step, rss, _ in sampler.rows if step >= args.warmup]
    print(f"Growth from step {args.warmup} to {args.steps}: "
          f"{after[-1] - after[0]:+.1f} MiB (max {max(after):.1f}, "
          f"min {min(after):.1f})")


if __name__ == "__main__":
    main()
