"""Runs report presets side by side: train, evaluate, one table, one figure.

Each PRESET is a flagfile under flags/presets (without .cfg, e.g.
dcgan_wgan/dcgan); every flag after `--` is added to each training, which
is how a schedule is shortened on 2 cores:

    python benchmarks/report_presets.py dcgan_wgan/dcgan dcgan_wgan/wgan \\
        --eval_samples=10000 --output=benchmarks/images/presets/dcgan_wgan \\
        -- --epochs=2

For each preset it runs `python run.py --flagfile=... <extra>` (a finished
run resumes to its end: nothing is retrained) and
`python run.py --mode=eval --output_dir=<its run> --eval_samples=N`, then
prints a Markdown table of the runs' eval.json metrics (the graded
test/new_test mean and spread where the data have them) and writes
OUTPUT_losses.png (every run's loss curves overlaid,
benchmarks/compare_runs.py) and OUTPUT_samples.png (each run's last
sample grid, a column per run). Run it alone: two trainings on 2 cores
halve each other.
"""

import argparse
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from keras_gans import comparison  # noqa: E402


def _run_dir(preset):
    """The preset's --output_dir (every report preset names its own)."""
    path = os.path.join(ROOT, "flags", "presets", f"{preset}.cfg")
    if not os.path.exists(path):
        raise SystemExit(f"no preset {path}")
    with open(path) as f:
        for line in reversed(f.read().splitlines()):
            if line.startswith("--output_dir="):
                return line.split("=", 1)[1]
    raise SystemExit(f"{path} names no --output_dir")


def _python(*argv):
    print("$ python", " ".join(argv), flush=True)
    result = subprocess.run([sys.executable, *argv], cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(argv)}")


def _eval_json(run):
    with open(os.path.join(ROOT, run, "eval", "eval.json")) as f:
        return json.load(f)


def _graded_cell(entry):
    return (f"{entry['accuracy']:.3f} ± {entry['std']:.3f} "
            f"({entry['min']:.3f}-{entry['max']:.3f})")


def _cell(value):
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}" if abs(value) >= 100 else f"{value:.3f}"
    return str(int(value)) if isinstance(value, float) else str(value)


def table(presets, runs, metrics=None):
    """A Markdown table: a row per preset, a column per metric (default:
    every metric all runs have), then the graded sets' mean ± std."""
    results = [_eval_json(run) for run in runs]
    keys = metrics or [k for k in results[0]["metrics"]
                       if all(k in r["metrics"] for r in results)]
    names = results[0].get("names", {})
    graded = [s for s in (results[0].get("graded") or {})
              if all(s in (r.get("graded") or {}) for r in results)]
    header = ["preset", *(names.get(k, k) for k in keys),
              *(f"graded {s}" for s in graded)]
    lines = ["| " + " | ".join(header) + " |",
             "|" + "---|" * len(header)]
    for preset, result in zip(presets, results):
        cells = [f"`{preset}`"]
        for key in keys:
            cells.append(_cell(result["metrics"].get(key)))
        cells += [_graded_cell(result["graded"][s]) for s in graded]
        lines.append("| " + " | ".join(cells) + " |")
    samples = results[0]["num_samples"]
    return "\n".join(lines) + f"\n\n({samples} samples each)"


def last_samples(run):
    """The run's last epoch picture (samples/epoch_NNNN.png)."""
    pictures = sorted(
        p for p in glob.glob(os.path.join(ROOT, run, "samples",
                                          "epoch_[0-9][0-9][0-9][0-9].png")))
    return pictures[-1] if pictures else None


def samples_figure(presets, runs, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    images = [plt.imread(p) if p else None
              for p in (last_samples(run) for run in runs)]
    # Each panel as tall as its grid is for its width, plus the title.
    aspect = max((im.shape[0] / im.shape[1] for im in images
                  if im is not None), default=1.0)
    fig, axes = plt.subplots(1, len(runs), squeeze=False,
                             figsize=(4 * len(runs), 4 * aspect + 0.5))
    for ax, preset, image in zip(axes[0], presets, images):
        if image is not None:
            ax.imshow(image)
        ax.set_title(preset, fontsize=9)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    # A 256-colour palette: grids of noise (a run that failed) would
    # otherwise weigh megabytes in the repository.
    from PIL import Image

    with Image.open(path) as picture:
        paletted = picture.convert("RGB").quantize(256)
    paletted.save(path, optimize=True)
    return path


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("presets", nargs="+", metavar="PRESET")
    parser.add_argument("--eval_samples", type=int, default=2000)
    parser.add_argument("--eval_flags", default="",
                        help="more --mode=eval flags, space-separated")
    parser.add_argument("--metrics", default=None,
                        help="eval.json metric keys for the table, "
                             "comma-separated (default: all shared)")
    parser.add_argument("--columns", default="d_loss,g_loss",
                        help="history columns of the loss figure")
    parser.add_argument("--log_scale", action="store_true")
    parser.add_argument("--output", default="presets",
                        help="prefix of the two PNGs (OUTPUT_losses.png, "
                             "OUTPUT_samples.png)")
    args = parser.parse_args(argv)
    runs = [_run_dir(p) for p in args.presets]
    for preset, run in zip(args.presets, runs):
        _python("run.py", f"--flagfile=flags/presets/{preset}.cfg", *extra,
                "--verbose=2")
        _python("run.py", "--mode=eval", f"--output_dir={run}",
                f"--eval_samples={args.eval_samples}",
                *args.eval_flags.split())
    os.makedirs(os.path.dirname(os.path.abspath(args.output)),
                exist_ok=True)
    losses = comparison.save_run_comparison(
        [os.path.join(ROOT, r) for r in runs], f"{args.output}_losses.png",
        columns=args.columns.split(","), labels=args.presets,
        log_scale=args.log_scale)
    pictures = samples_figure(args.presets, runs,
                              f"{args.output}_samples.png")
    metrics = args.metrics.split(",") if args.metrics else None
    print(table(args.presets, runs, metrics))
    print(f"\nWritten: {losses}, {pictures}")


if __name__ == "__main__":
    main()
