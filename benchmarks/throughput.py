"""Training-step throughput: keras_gans' `GAN.fit` beside PyTorch.

For each row (dcgan, wgan_gp and acgan at 32 and 64, batch 64) it times the
project's step as users run it, through `GAN.fit` on the default networks
of `config.resolve`, and the same networks and updates written in PyTorch
(`benchmarks/torch_gans.py`; parameter counts asserted equal). Every
measurement is a fresh process, and the processes alternate (keras, torch,
keras, torch, ...) so that machine drift hits both. Each process warms up
(tracing), then times `--windows` windows of `--steps` steps; the table
gives the median over all windows.

Printed per row and column: ms per step; GFLOP/s from an analytic count
(below) and its fraction of the float32 matmul peak measured in the same
run (the faster of TensorFlow's and PyTorch's 2048x2048 float32 matmul,
or TensorFlow's bfloat16 one for a mixed_bfloat16 step); the peak
RSS of the process; the ratios keras_gans / PyTorch, against PyTorch in
the same precision (float32, or its bfloat16 autocast for mixed_bfloat16)
and against the fastest PyTorch column (above 1: keras_gans is slower).
The
WGAN-GP rows also give the cost of one critic update and of one G step,
from a second timing with n_critic=1 (step(5) = 5 d + g, step(1) = d + g).

The FLOP count: 2 x multiply-adds of every Conv2D, Conv2DTranspose and
Dense layer (normalization and activations left out), per example. A D
update is G forward (no gradient) + D forward on real and fake + their
backward (2 x forward) = G + 6 D; the gradient penalty adds 6 D (forward
and input-gradient on the interpolates, 2 D, and their backward); a G
update is G + D forward, D's input gradient (D) and G's backward (2 G) =
3 G + 2 D.

PyTorch is an optional extra (`pip install -e ".[bench]"`); without it
the PyTorch columns are skipped and said to be.

    python benchmarks/throughput.py                     # ~60 min on 2 cores
    python benchmarks/throughput.py --rows=dcgan32,dcgan64 --repeats=1
    python benchmarks/throughput.py --rows=dcgan32 \\
        --keras_variants="default;jit_compile=true;precision=float32" \\
        --torch_variants="default;bf16=1"

A keras variant is `;`-separated `key=value,...` settings: jit_compile
(true/false), precision (a Keras dtype policy), intra / inter (TensorFlow
thread pools), onednn (0/1: TF_ENABLE_ONEDNN_OPTS); "default" is
keras_gans' defaults (`--precision=auto`: see the precision column).
"""

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

ROWS = ("dcgan32", "dcgan64", "wgan_gp32", "wgan_gp64", "acgan32",
        "acgan64", "acgan64_faces")
BATCH = 64


def parse_row(row):
    """"wgan_gp64_c1" -> ("wgan_gp", 64, n_critic 1 or None, faces?)."""
    faces = row.endswith("_faces")
    name = row[:-len("_faces")] if faces else row
    n_critic = None
    if name.endswith("_c1"):
        name, n_critic = name[:-3], 1
    model = name.rstrip("0123456789")
    return model, int(name[len(model):]), n_critic, faces


def parse_variant(text):
    if text in ("", "default"):
        return {}
    return dict(part.split("=", 1) for part in text.split(","))


# ----------------------------------------------------------------------
# Worker processes: one measurement each, JSON on the last stdout line.

def _peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _windows(stamps, steps, windows, warmup=3):
    """ms per step of each window, from the end time of every step.

    The first `warmup` steps (tracing, allocator warm-up) are left out.
    Windows are taken between step ends inside one `fit`, not around
    `fit` calls: destroying a tf.data iterator at the end of `fit` waits
    for tf.data's autotuning thread, whose sleeps double from 10 ms, so a
    timed `fit` ends on the next of them (a 7.3 s window read 10.23 s).
    """
    return [(stamps[warmup + (i + 1) * steps] - stamps[warmup + i * steps])
            / steps * 1000 for i in range(windows)]


def _total_steps(steps, windows, warmup=3):
    return warmup + steps * windows + 1


def forward_flops(model):
    """Forward FLOPs per example of a Keras model's Conv2D,
    Conv2DTranspose and Dense layers (2 x multiply-adds)."""
    import keras

    total = 0
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.Conv2DTranspose):
            _, h, w, cin = layer.input.shape
            k = layer.kernel_size
            total += 2 * h * w * k[0] * k[1] * cin * layer.filters
        elif isinstance(layer, keras.layers.Conv2D):
            _, h, w, cout = layer.output.shape
            k = layer.kernel_size
            total += 2 * h * w * k[0] * k[1] * layer.input.shape[-1] * cout
        elif isinstance(layer, keras.layers.Dense):
            total += 2 * layer.input.shape[-1] * layer.units
    return total


def step_flops(g_flops, d_flops, n_critic, penalty):
    d_update = g_flops + 6 * d_flops + (6 * d_flops if penalty else 0)
    return BATCH * (n_critic * d_update + 3 * g_flops + 2 * d_flops)


def keras_worker(row, variant, steps, windows):
    import tensorflow as tf

    if "intra" in variant:
        tf.config.threading.set_intra_op_parallelism_threads(
            int(variant["intra"]))
    if "inter" in variant:
        tf.config.threading.set_inter_op_parallelism_threads(
            int(variant["inter"]))
    import keras

    from keras_gans import TrainConfig, builders, datasets
    from keras_gans import config as config_lib
    from keras_gans.datasets import faces as faces_lib

    model, size, n_critic, use_faces = parse_row(row)
    overrides = {"n_critic": n_critic} if n_critic else {}
    config = config_lib.resolve(TrainConfig(
        model=model, dataset="faces", image_size=size, batch_size=BATCH,
        jit_compile=variant.get("jit_compile", "auto"),
        precision=variant.get("precision", "auto"), **overrides))
    rows = BATCH * config.n_critic
    label_spec = faces_lib.LABEL_SPEC if model == "acgan" else None
    if use_faces:
        data, spec = datasets.load_dataset("faces", rows, seed=0,
                                           image_size=size)
    else:
        spec = datasets.DataSpec(name="faces", kind="image",
                                 sample_shape=(size, size, 3),
                                 label_spec=label_spec)
        images = tf.random.uniform((rows, size, size, 3), -1.0, 1.0, seed=0)
        if label_spec is not None:
            highs = [max(a.width, 2) for a in label_spec.attributes]
            labels = tf.stack([tf.random.uniform((rows,), 0, h, "int32",
                                                 seed=i)
                               for i, h in enumerate(highs)], axis=1)
            data = tf.data.Dataset.from_tensors((images, labels)).repeat()
        else:
            data = tf.data.Dataset.from_tensors(images).repeat()
    keras.utils.set_random_seed(0)
    gan = builders.build_gan(config, spec)
    count = lambda m: sum(int(v.numpy().size) for v in m.trainable_variables)

    stamps = []
    stamp = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: stamps.append(
            time.perf_counter()))
    gan.fit(data, epochs=1, steps_per_epoch=_total_steps(steps, windows),
            verbose=0, shuffle=False, callbacks=[stamp])
    times = _windows(stamps, steps, windows)
    return {
        "ms": times, "rss_mib": _peak_rss_mib(),
        "precision": builders.precision_policy(config.precision),
        "params": [count(gan.generator), count(gan.discriminator)],
        "flops": step_flops(forward_flops(gan.generator),
                            forward_flops(gan.discriminator),
                            config.n_critic, config.penalty != "none"),
    }


def torch_worker(row, variant, steps, windows):
    import torch

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import torch_gans

    model, size, n_critic, use_faces = parse_row(row)
    if use_faces:
        return None  # the faces pipeline is keras_gans' own
    channels_last = variant.get("channels_last") == "1"
    condition_dim = 25 if model == "acgan" else 0
    torch.manual_seed(0)
    g, d, step = torch_gans.build(model, size, condition_dim, channels_last,
                                  n_critic=n_critic)
    rows = BATCH * (n_critic or (5 if model == "wgan_gp" else 1))
    real = torch.rand(rows, 3, size, size) * 2 - 1
    if channels_last:
        real = real.contiguous(memory_format=torch.channels_last)
    labels = None
    if condition_dim:
        labels = torch.zeros(BATCH, condition_dim)
        labels[torch.arange(BATCH), torch.randint(0, 12, (BATCH,))] = 1
        labels[torch.arange(BATCH), 12 + torch.randint(0, 11, (BATCH,))] = 1
        labels[:, 23:] = torch.randint(0, 2, (BATCH, 2)).float()

    # bf16=1: PyTorch's CPU autocast to bfloat16 (its mixed precision),
    # the counterpart of keras_gans' mixed_bfloat16.
    autocast = torch.autocast("cpu", dtype=torch.bfloat16,
                              enabled=variant.get("bf16") == "1")
    stamps = []
    with autocast:
        for _ in range(_total_steps(steps, windows)):
            step(real, labels)
            stamps.append(time.perf_counter())
    times = _windows(stamps, steps, windows)
    return {
        "ms": times, "rss_mib": _peak_rss_mib(),
        "params": [torch_gans.trainable_parameters(g),
                   torch_gans.trainable_parameters(d)],
        "threads": torch.get_num_threads(),
        "precision": "mixed_bfloat16" if variant.get("bf16") == "1" else (
            "float32"),
    }


def matmul_worker(framework, size=2048, repeats=5, inner=10):
    """size x size matmul GFLOP/s, the median of `repeats`: float32, or
    bfloat16 for framework "keras_bf16"."""
    if framework.startswith("keras"):
        import tensorflow as tf

        dtype = "bfloat16" if framework == "keras_bf16" else "float32"
        a = tf.cast(tf.random.normal((size, size)), dtype)
        b = tf.cast(tf.random.normal((size, size)), dtype)
        mm = tf.function(lambda a, b: tf.reduce_sum(
            tf.cast(tf.matmul(a, b), "float32")))
        run = lambda: float(mm(a, b))
    else:
        import torch

        a, b = torch.randn(size, size), torch.randn(size, size)
        run = lambda: float((a @ b).sum())
    run()
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            run()
        rates.append(2 * size**3 * inner / (time.perf_counter() - start)
                     / 1e9)
    return {"gflops": statistics.median(rates)}


def worker_main(args):
    variant = parse_variant(args.variant)
    if args.framework.startswith("matmul_"):
        result = matmul_worker(args.framework[len("matmul_"):])
    elif args.framework == "keras":
        result = keras_worker(args.row, variant, args.steps, args.windows)
    else:
        result = torch_worker(args.row, variant, args.steps, args.windows)
    print(json.dumps(result), flush=True)
    os._exit(0)  # skip TensorFlow's slow teardown


# ----------------------------------------------------------------------
# The parent: schedules workers, prints the table.

def run_worker(framework, row, variant, args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    settings = parse_variant(variant)
    if "onednn" in settings:
        env["TF_ENABLE_ONEDNN_OPTS"] = settings["onednn"]
    command = [sys.executable, os.path.abspath(__file__), "--worker",
               f"--framework={framework}", f"--row={row}",
               f"--variant={variant}", f"--steps={args.steps}",
               f"--windows={args.windows}"]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        sys.exit(f"worker {framework} {row} {variant!r} failed:\n"
                 f"{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def columns(args, have_torch):
    cols = [("keras", v) for v in args.keras_variants.split(";")]
    if have_torch:
        cols += [("torch", v) for v in args.torch_variants.split(";")]
    return cols


def label(framework, variant):
    if framework == "keras":
        return "keras_gans" + ("" if variant in ("", "default")
                               else f" {variant}")
    settings = parse_variant(variant)
    return "PyTorch" + (" channels-last" if settings.get(
        "channels_last") == "1" else "") + (
            " autocast bf16" if settings.get("bf16") == "1" else "")


def parent_main(args):
    from keras_gans import hardware

    have_torch = importlib.util.find_spec("torch") is not None
    rows = args.rows.split(",")
    for row in rows:
        if row not in ROWS:
            sys.exit(f"--rows: unknown row {row!r}; expected some of "
                     f"{', '.join(ROWS)}")
    if not have_torch:
        print("PyTorch is not installed (pip install -e \".[bench]\"): the "
              "PyTorch columns are skipped.")
    peaks = {"keras": run_worker("matmul_keras", "", "", args)["gflops"]}
    if have_torch:
        peaks["torch"] = run_worker("matmul_torch", "", "", args)["gflops"]
    peak = max(peaks.values())
    print(f"machine: {hardware.describe()}")
    print("float32 2048x2048 matmul: " + ", ".join(
        f"{'TensorFlow' if k == 'keras' else 'PyTorch'} {v:.1f} GFLOP/s"
        for k, v in peaks.items()), flush=True)
    # Steps in bfloat16 are held against TensorFlow's bfloat16 matmul.
    peaks = {"float32": peak, "mixed_float16": peak,
             "mixed_bfloat16": run_worker("matmul_keras_bf16", "", "",
                                          args)["gflops"]}
    print(f"bfloat16 2048x2048 matmul: TensorFlow "
          f"{peaks['mixed_bfloat16']:.1f} GFLOP/s", flush=True)

    timed = list(rows)
    for row in rows:  # the WGAN-GP split needs n_critic=1 timings too
        if row.startswith("wgan_gp") and args.split_wgan:
            timed.append(row.replace("_faces", "") + "_c1")
    cols = columns(args, have_torch)
    results = {}
    for row in timed:
        for _ in range(args.repeats):
            for framework, variant in cols:
                if framework == "torch" and row.endswith("_faces"):
                    continue
                out = run_worker(framework, row, variant, args)
                entry = results.setdefault((row, framework, variant),
                                           dict(out, ms=[], rss=[]))
                entry["ms"] += out["ms"]
                entry["rss"].append(out["rss_mib"])
                print(f"  {row:>14} {label(framework, variant):<40} "
                      + " ".join(f"{t:7.1f}" for t in out["ms"]) + " ms",
                      flush=True)
    report(rows, cols, results, peaks, args)


def report(rows, cols, results, peaks, args):
    flops = {row: results[(row, "keras", cols[0][1])]["flops"]
             for row in rows}
    print(f"\nbatch {BATCH}, medians of {args.repeats} processes x "
          f"{args.windows} windows of {args.steps} steps; GFLOP/s from the "
          "analytic count, % of the matmul peak of the step's precision "
          f"(float32 {peaks['float32']:.1f}, bfloat16 "
          f"{peaks['mixed_bfloat16']:.1f} GFLOP/s)\n")
    print("| step | implementation | precision | ms/step | GFLOP/s | "
          "% of peak | peak RSS (MiB) | / PyTorch, same precision | "
          "/ best PyTorch |")
    print("|---|---|---|---|---|---|---|---|---|")
    summary = {}
    for row in rows:
        torch_ms = {v.get("precision", "float32"): statistics.median(v["ms"])
                    for k, v in results.items()
                    if k[0] == row and k[1] == "torch"}
        base = min(torch_ms.values()) if torch_ms else None
        for framework, variant in cols:
            entry = results.get((row, framework, variant))
            if entry is None:
                continue
            if framework == "torch":
                assert entry["params"] == results[
                    (row, "keras", cols[0][1])]["params"], (
                        f"{row}: parameter counts differ: "
                        f"{entry['params']} (torch) vs keras")
            ms = statistics.median(entry["ms"])
            rate = flops[row] / ms / 1e6
            ratio = same = ""
            if framework == "keras" and base:
                ratio = f"{ms / base:.2f}x"
                precision = entry.get("precision", "float32")
                if precision in torch_ms:
                    same = f"{ms / torch_ms[precision]:.2f}x"
            summary[(row, framework, variant)] = ms
            precision = entry.get("precision", "float32")
            print(f"| {row} | {label(framework, variant)} | {precision} | "
                  f"{ms:,.0f} | {rate:.1f} | "
                  f"{100 * rate / peaks[precision]:.0f}% | "
                  f"{max(entry['rss']):,.0f} | {same} | {ratio} |")
    for row in rows:
        key = row.replace("_faces", "") + "_c1"
        for framework, variant in cols:
            one = results.get((key, framework, variant))
            five = summary.get((row, framework, variant))
            if one is None or five is None:
                continue
            one = statistics.median(one["ms"])
            d = (five - one) / 4
            print(f"{row} {label(framework, variant)}: one critic update "
                  f"{d:,.0f} ms, one G step {one - d:,.0f} ms")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({" ".join(k): v for k, v in results.items()}, f,
                      indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default=",".join(ROWS))
    parser.add_argument("--keras_variants", default="default")
    parser.add_argument("--torch_variants", default="default;channels_last=1",
                        help="PyTorch columns: default, channels_last=1, "
                        "bf16=1 (CPU autocast), ;-separated")
    parser.add_argument("--no_split_wgan", dest="split_wgan",
                        action="store_false")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--windows", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", default=None,
                        help="also write the raw timings to this file")
    parser.add_argument("--worker", action="store_true",
                        help=argparse.SUPPRESS)
    parser.add_argument("--framework", help=argparse.SUPPRESS)
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--variant", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main(args)
    else:
        parent_main(args)


if __name__ == "__main__":
    main()
