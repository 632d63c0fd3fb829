"""Training steps per second of the DCGAN 64x64 step, XLA on and off.

Builds the classic DCGAN (100-d z -> 4x4x512 -> ... -> 64x64x3, and its
mirror-image discriminator), trains on random 64x64 images at batch 64, one
D and one G update per step, and times `fit` over --steps steps. The two
settings are measured alternately in one process (A B A B ...), so machine
noise hits both alike; the table reports the median of --repeats runs each
and their ratio.

    python benchmarks/step_speed.py                    # ~3 min on 2 cores
    python benchmarks/step_speed.py --steps=50 --repeats=5 --model=wgan_gp
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_gans import TrainConfig  # noqa: E402
from keras_gans import config as config_lib  # noqa: E402
from keras_gans import datasets  # noqa: E402
from keras_gans import builders  # noqa: E402


def build(model, jit_compile, batch_size):
    config = config_lib.resolve(TrainConfig(
        model=model, latent_dim=100, jit_compile=jit_compile,
        batch_size=batch_size))
    spec = datasets.DataSpec(name="random", kind="image",
                             sample_shape=(64, 64, 3))
    keras.utils.set_random_seed(0)
    gan = builders.build_gan(config, spec)
    images = tf.random.uniform((batch_size * config.n_critic, 64, 64, 3),
                               -1.0, 1.0, seed=0)
    data = tf.data.Dataset.from_tensors(images).repeat()
    return gan, data


def time_steps(gan, data, steps):
    start = time.perf_counter()
    gan.fit(data, epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False)
    return (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="dcgan")
    parser.add_argument("--batch_size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    runs = {}
    for jit in ("false", "true"):
        gan, data = build(args.model, jit, args.batch_size)
        start = time.perf_counter()
        time_steps(gan, data, 2)  # trace (and XLA-compile) once
        print(f"jit_compile={jit}: first 2 steps (with compilation) "
              f"{time.perf_counter() - start:.1f} s", flush=True)
        runs[jit] = (gan, data, [])
    for _ in range(args.repeats):
        for jit, (gan, data, times) in runs.items():
            times.append(time_steps(gan, data, args.steps))
            print(f"  jit_compile={jit}: {times[-1]:.3f} s/step", flush=True)

    medians = {jit: statistics.median(r[2]) for jit, r in runs.items()}
    print(f"\n{args.model} 64x64, batch {args.batch_size}, "
          f"{args.steps} steps x {args.repeats} runs, "
          f"{len(tf.config.list_physical_devices('GPU'))} GPU(s), "
          f"{os.cpu_count()} CPU cores")
    print("| jit_compile | s/step (median) | steps/s |")
    print("|---|---|---|")
    for jit, median in medians.items():
        print(f"| {jit} | {median:.3f} | {1 / median:.2f} |")
    print(f"XLA / plain time ratio: {medians['true'] / medians['false']:.2f}")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
