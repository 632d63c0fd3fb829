"""Images per second of the data pipelines next to what training consumes.

For each embedded image set (procedural `faces`, `shapes`) and for a face
folder read back from a dump: the pipeline's batches per second alone, and
the DCGAN training step at the dataset's defaults (batch 64, 64x64) fed by
the pipeline vs fed one in-memory batch, timed alternately in one process
(A B A B ...) so machine noise hits both alike. If the pipeline keeps ahead,
the two step times match.

    python benchmarks/data_pipeline.py                 # ~4 min on 2 cores
    python benchmarks/data_pipeline.py --batches=200 --repeats=5
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_gans import TrainConfig  # noqa: E402
from keras_gans import config as config_lib  # noqa: E402
from keras_gans import datasets  # noqa: E402
from keras_gans import builders  # noqa: E402
from keras_gans.datasets import dump  # noqa: E402


def images_per_second(dataset, batch_size, batches):
    iterator = iter(dataset)
    for _ in range(5):  # warm up: tracing, thread pools, prefetch
        next(iterator)
    start = time.perf_counter()
    for _ in range(batches):
        next(iterator)
    return batches * batch_size / (time.perf_counter() - start)


def time_fit(gan, data, steps):
    start = time.perf_counter()
    gan.fit(data, epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False)
    return (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder_images", type=int, default=1024)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp()
    folder = os.path.join(tmp, "faces")
    start = time.perf_counter()
    dump.dump_dataset("faces", args.folder_images, folder, verbose=0)
    dump_rate = args.folder_images / (time.perf_counter() - start)
    sources = {
        "faces": dict(name="faces"),
        "shapes": dict(name="shapes"),
        "faces folder": dict(name="faces", data_dir=folder),
    }
    rows = []
    for label, source in sources.items():
        config = config_lib.resolve(TrainConfig(
            dataset=source["name"], data_dir=source.get("data_dir")))
        batch = config.batch_size * config.n_critic
        start = time.perf_counter()
        dataset, spec = datasets.load_dataset(
            source["name"], batch, data_dir=source.get("data_dir"))
        load_s = time.perf_counter() - start
        rates = [images_per_second(dataset, batch, args.batches)
                 for _ in range(args.repeats)]
        rate = statistics.median(rates)
        print(f"{label}: pipeline {rate:,.0f} images/s "
              f"(runs: {', '.join(f'{r:,.0f}' for r in rates)}; "
              f"set-up {load_s:.1f} s)", flush=True)

        keras.utils.set_random_seed(0)
        gan = builders.build_gan(config, spec)
        in_memory = tf.data.Dataset.from_tensors(
            next(iter(dataset))).repeat()
        times = {"pipeline": [], "in-memory batch": []}
        time_fit(gan, dataset, 2)  # trace once
        for _ in range(args.repeats):
            times["pipeline"].append(time_fit(gan, dataset, args.steps))
            times["in-memory batch"].append(
                time_fit(gan, in_memory, args.steps))
        fed = statistics.median(times["pipeline"])
        fixed = statistics.median(times["in-memory batch"])
        print(f"  fit: {fed:.3f} s/step from the pipeline, {fixed:.3f} "
              f"s/step from one in-memory batch", flush=True)
        rows.append((label, rate, batch / fixed, fed, fixed))

    print(f"\n{args.batches} batches x {args.repeats} runs per pipeline; "
          f"DCGAN at the dataset defaults, {args.steps} steps x "
          f"{args.repeats} runs, alternating; "
          f"{len(tf.config.list_physical_devices('GPU'))} GPU(s), "
          f"{os.cpu_count()} CPU cores")
    print("| data | pipeline images/s | training consumes images/s | "
          "headroom | s/step, pipeline | s/step, in-memory batch |")
    print("|---|---|---|---|---|---|")
    for label, rate, consumed, fed, fixed in rows:
        print(f"| {label} | {rate:,.0f} | {consumed:,.0f} | "
              f"{rate / consumed:.0f}x | {fed:.3f} | {fixed:.3f} |")
    print(f"dump_dataset wrote {dump_rate:,.0f} faces/s "
          f"({args.folder_images} PNGs).")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
