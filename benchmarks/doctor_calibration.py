"""Calibrates the training doctor: how often each diagnosis fires on runs
that fail and on runs that do not, and what following its advice changed.

The runs (`RUNS`) are fixed: runs made to fail (a discriminator with 100x
its learning rate), the collapse study's and the course reports' failing
settings (the presets), and the library's healthy defaults. Each trains
with `python run.py` into runs/doctor_calibration/<name> (a finished run
resumes to its end: nothing is retrained), then its history.csv is
diagnosed with the rules as they are now (`doctor.diagnose`, the same
verdicts `--mode=diagnose` reaches: thresholds can be changed and the
table recomputed with `--no_train`). With `--follow_advice` each run
that got a diagnosis trains again as `<name>_advice`, with the
remedies `--mode=diagnose` suggests for its next run
(`remedies.next_run_command`), and a second table compares the two.

    python benchmarks/doctor_calibration.py                 # every run
    python benchmarks/doctor_calibration.py --runs=collapse,ring --follow_advice
    python benchmarks/doctor_calibration.py --no_train      # re-diagnose

"What it drew" comes from the doctor's own sample checks in the last
epoch's row (256 samples: distinct classes and mean MS-SSIM beside the
real data's, modes covered on the mixtures); `--mode=eval` gives the
fuller picture of any of the runs. Run it alone: two trainings on 2 cores
halve each other.
"""

import argparse
import collections
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

from report_presets import _python  # noqa: E402

from keras_gans import run_dir  # noqa: E402
from keras_gans.doctor import remedies, report, rules  # noqa: E402

OUTPUT = "runs/doctor_calibration"

# A run trains into runs/doctor_calibration/<name>, or into `directory`:
# the report presets' runs are those of benchmarks/report_presets.py with
# the schedule flags/presets/README.md gives, so each trains once for both.
Run = collections.namedtuple("Run", "name failing why flags directory",
                             defaults=(None,))

# The 2-D mixtures at their full 6,000 steps (in epochs of 600); the faces
# at the collapse study's 64x64 and 900 steps (in epochs of 100), where
# its baseline collapsed (at 32x32 the same 900 steps did not: 45 label
# combinations and MS-SSIM 0.20, the real faces' 0.19). Each has at least
# 6 epoch rows, so a problem has rows to begin in.
POINTS = ["--epochs=10", "--steps_per_epoch=600"]
FACES = ["--dataset=faces", "--steps_per_epoch=100"]
RATIOS = ["--epochs=6", "--steps_per_epoch=50"]  # presets/README.md's
RUNS = (
    Run("ring_d_lr_100x", True, "made to fail: DCGAN on the ring, D's "
        "learning rate 100x (2e-2)",
        ["--model=dcgan", "--dataset=ring", "--d_learning_rate=2e-2",
         *POINTS]),
    Run("ring_wgan_gp_adam", True, "the collapse study's `wgan_gp` row on "
        "the ring: DCGAN's Adam and one critic step (2/8 modes)",
        ["--model=dcgan", "--dataset=ring", "--loss=wasserstein",
         "--penalty=gradient_penalty", *POINTS]),
    Run("grid_wgan_gp_adam", True, "the same row on the grid (2.5/25 "
        "modes)",
        ["--model=dcgan", "--dataset=grid", "--loss=wasserstein",
         "--penalty=gradient_penalty", *POINTS]),
    Run("ring_wgan_gp_paper", True, "WGAN-GP with the paper's lambda 10 "
        "and 1e-4 on the ring (4/8 modes in the study)",
        ["--model=wgan_gp", "--dataset=ring", "--gp_weight=10",
         "--d_learning_rate=1e-4", "--g_learning_rate=1e-4", *POINTS]),
    Run("faces_d_lr_100x", True, "made to fail: DCGAN on faces, D's "
        "learning rate 100x (2e-2)",
        ["--model=dcgan", *FACES, "--d_learning_rate=2e-2", "--epochs=9"]),
    Run("faces_minimax_d_lr_100x", True, "made to fail: the saturating "
        "(minimax) game on faces, D's learning rate 100x",
        ["--model=dcgan", *FACES, "--loss=minimax", "--d_learning_rate=2e-2",
         "--epochs=6"]),
    Run("faces_collapse", True, "the collapse study's baseline "
        "(`dcgan_wgan/collapse`: 9/12 hair, MS-SSIM 0.48 against the "
        "real 0.20)",
        ["--flagfile=flags/presets/dcgan_wgan/collapse.cfg", *FACES,
         "--epochs=9"]),
    Run("tags_ratio_0.2", True, "report 3's D/G ratio 0.2 "
        "(`tags_wgan_gp/ratio_0.2`, 300 of its 10,000 cycles), which "
        "collapsed in the report",
        ["--flagfile=flags/presets/tags_wgan_gp/ratio_0.2.cfg", *RATIOS],
        "runs/tags_wgan_gp/ratio_0.2"),
    Run("ring", False, "`python run.py --dataset=ring` (8/8 modes)",
        ["--model=dcgan", "--dataset=ring", *POINTS]),
    Run("ring_wgan_gp", False, "`--model=wgan_gp --dataset=ring`, its "
        "point-data default (8/8 modes)",
        ["--model=wgan_gp", "--dataset=ring", *POINTS]),
    Run("grid_lsgan", False, "`--model=lsgan --dataset=grid` (the "
        "README's grid run)",
        ["--model=lsgan", "--dataset=grid", *POINTS]),
    Run("grid_wgan_gp", False, "`--model=wgan_gp --dataset=grid` (25/25 "
        "modes in the study)",
        ["--model=wgan_gp", "--dataset=grid", *POINTS]),
    Run("faces_default", False, "`python run.py` (DCGAN on faces, packed)",
        ["--model=dcgan", *FACES, "--epochs=9"]),
    Run("faces_diff_augment", False, "the collapse baseline with "
        "DiffAugment (`dcgan_wgan/collapse_diff_augment`: 12/12 hair, "
        "11/11 eyes)",
        ["--flagfile=flags/presets/dcgan_wgan/collapse_diff_augment.cfg",
         *FACES, "--epochs=9"]),
    Run("faces_acgan", False, "the quick start's ACGAN, half its schedule",
        ["--model=acgan", *FACES, "--epochs=12"]),
    Run("tags_ratio_5", False, "report 3's own setting, 5 critic updates "
        "per G update (`tags_wgan_gp/ratio_5`, 300 cycles)",
        ["--flagfile=flags/presets/tags_wgan_gp/ratio_5.cfg", *RATIOS],
        "runs/tags_wgan_gp/ratio_5"),
)


def _last(timeline, name):
    values = timeline.column(name)
    if values is None:
        return None
    finite = [v for v in values if math.isfinite(v)]
    return finite[-1] if finite else None


def drew(timeline):
    """What the last epoch's sample checks saw, in a few words."""
    parts = []
    modes = _last(timeline, "doctor_modes")
    if modes is not None:
        parts.append(f"{modes:.0f} modes")
        quality = _last(timeline, "high_quality")
        if quality is not None:  # of the epoch's evaluation samples
            parts.append(f"{quality:.0%} high quality")
    for name, word in (("doctor_classes", "classes"),
                       ("doctor_ms_ssim", "MS-SSIM")):
        value, real = _last(timeline, name), _last(timeline, name + "_real")
        if value is not None:
            fmt = "{:.0f}" if name == "doctor_classes" else "{:.2f}"
            parts.append(f"{word} {fmt.format(value)}"
                         + (f" (real {fmt.format(real)})"
                            if real is not None else ""))
    gain = _last(timeline, "doctor_label_gain")
    if gain is not None:
        parts.append(f"label gain {gain:.2f}")
    losses = [timeline.column(k) for k in ("d_loss", "g_loss")]
    if any(v is not None and not all(map(math.isfinite, v)) for v in losses):
        parts.append("losses not finite")
    return ", ".join(parts) or "-"


def diagnosed(directory):
    """(config, timeline, diagnoses by step) of a run directory."""
    config, timeline = report.read_run(directory)
    return config, timeline, report.diagnose(timeline, config)


def _names(found):
    return ", ".join(f"{d.name}@{d.step}" for d in found) or "none"


def run_directory(run, advice=False):
    """Where `run` (or its advice run) trains, relative to the root."""
    if advice:
        return os.path.join(OUTPUT, run.name + "_advice")
    return run.directory or os.path.join(OUTPUT, run.name)


def train(run, directory, extra=()):
    _python("run.py", *run.flags, *extra, f"--output_dir={directory}",
            "--verbose=2")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", default="",
                        help="names of RUNS, comma-separated (default all)")
    parser.add_argument("--no_train", action="store_true",
                        help="diagnose the runs already there")
    parser.add_argument("--follow_advice", action="store_true",
                        help="train each diagnosed run again with the "
                             "suggested remedies")
    args = parser.parse_args(argv)
    by_name = {r.name: r for r in RUNS}
    unknown = [n for n in args.runs.split(",") if n and n not in by_name]
    if unknown:
        raise SystemExit(f"--runs: unknown {', '.join(unknown)}; the runs "
                         f"are {', '.join(by_name)}")
    # In the order asked for.
    chosen = ([by_name[n] for n in args.runs.split(",")] if args.runs
              else list(RUNS))
    rows, fired = [], {True: collections.Counter(),
                       False: collections.Counter()}
    totals = collections.Counter()
    results = {}
    for run in chosen:
        directory = os.path.join(ROOT, run_directory(run))
        if not args.no_train:
            train(run, run_directory(run))
        if not os.path.exists(os.path.join(directory, run_dir.HISTORY_FILE)):
            print(f"skipped {run.name}: not trained", flush=True)
            continue
        config, timeline, found = diagnosed(directory)
        results[run.name] = (config, timeline, found)
        totals[run.failing] += 1
        for name in {d.name for d in found} | ({"any"} if found else set()):
            fired[run.failing][name] += 1
        rows.append(f"| `{run.name}` | {'failing' if run.failing else 'healthy'}"
                    f" | {run.why} | {timeline.steps[-1]} | {_names(found)} "
                    f"| {drew(timeline)} |")
    print("\n| run | by design | what it is | steps | diagnoses (first step) "
          "| what it drew (last epoch, 256 samples) |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    print("\n| diagnosis | fires on failing runs | fires on healthy runs |")
    print("|---|---|---|")
    for name in (*rules.RULES, "any"):
        print(f"| {name} | {fired[True][name]}/{totals[True]} "
              f"| {fired[False][name]}/{totals[False]} |")
    if not args.follow_advice:
        return
    print("\n| run | advice followed | diagnoses before -> after "
          "| drew before -> after |")
    print("|---|---|---|---|")
    for run in chosen:
        if not results.get(run.name, (0, 0, ()))[2]:
            continue
        config, timeline, found = results[run.name]
        _, added = remedies.next_run_command(config, found)
        directory = os.path.join(ROOT, run_directory(run, advice=True))
        if not args.no_train:
            train(run, run_directory(run, advice=True), added.split())
        if not os.path.exists(os.path.join(directory, run_dir.HISTORY_FILE)):
            continue
        _, after, found_after = diagnosed(directory)
        print(f"| `{run.name}` | `{added}` | {_names(found)} -> "
              f"{_names(found_after)} | {drew(timeline)} -> {drew(after)} |",
              flush=True)


if __name__ == "__main__":
    main()
