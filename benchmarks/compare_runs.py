"""Loss curves of several runs in one figure: a panel per column, a line
per run (`keras_gans.comparison.save_run_comparison`).

    python benchmarks/compare_runs.py runs/a runs/b
    python benchmarks/compare_runs.py runs/wgan runs/wgan_gp \\
        --columns=d_loss,g_loss --log_scale --labels=wgan,wgan_gp \\
        --output=compare.png

Each RUN is a run directory (its history.csv) or a history CSV. The x
axis is the training step where every run gives one (a `step` column,
or the epochs times its config.json's steps_per_epoch), else the epoch.
With --log_scale a panel holding negative values (WGAN critic losses)
plots their absolute value, and its axis label says so.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_gans import comparison  # noqa: E402


def _names(text):
    return [name.strip() for name in text.split(",") if name.strip()]


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+", metavar="RUN",
                        help="run directories or history CSV files")
    parser.add_argument("--columns", type=_names, default=None,
                        help="history columns, comma-separated (default: "
                             "every loss and penalty column)")
    parser.add_argument("--labels", type=_names, default=None,
                        help="legend names, one per run, comma-separated "
                             "(default: the run directories' names)")
    parser.add_argument("--log_scale", action="store_true",
                        help="logarithmic y axes (|value| where a panel "
                             "has negative values)")
    parser.add_argument("--output", default="compare.png",
                        help="the PNG to write (default: compare.png)")
    args = parser.parse_args(argv)
    try:
        path = comparison.save_run_comparison(
            args.runs, args.output, columns=args.columns,
            labels=args.labels, log_scale=args.log_scale)
    except ValueError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    print(f"Comparison written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
