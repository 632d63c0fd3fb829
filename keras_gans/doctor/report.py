"""`python run.py --mode=diagnose --output_dir=RUN`: a run's diagnosis.

Reads a finished or interrupted run directory (history.csv, config.json,
its checkpoints and sample pictures), runs the doctor's rules on the
history and writes

    diagnosis.md    a table of the problems (name, the step each began,
                    the evidence, what to try), the curves, the newest
                    samples, and the command of a suggested next run
    diagnosis.png   the signals against the step, a dashed line where
                    each problem began

A run with no problem says so. Problems the callback found during
training from its every-N-steps checks (history.csv's `diagnosis` column)
that the epoch means do not show are listed too.

Example:

```python
from keras_gans import doctor

path, found = doctor.diagnose_run("runs/ring")
[d.line() for d in found]
```
"""

import csv
import dataclasses
import os

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from keras_gans import checkpoints
from keras_gans import progress
from keras_gans import run_dir
from keras_gans.doctor import callback
from keras_gans.doctor import remedies as remedies_lib
from keras_gans.doctor import rules
from keras_gans.doctor import timeline as timeline_lib

MARKDOWN_FILE = "diagnosis.md"
PICTURE_FILE = "diagnosis.png"
# The picture's panels: a title and the columns drawn in it (those the
# run logged), with a log scale where the values span decades.
PANELS = (
    ("losses", ("d_loss", "g_loss", "penalty"), False),
    ("D's accuracy", ("d_real_accuracy", "d_fake_accuracy"), False),
    ("D's mean scores", ("d_real_score", "d_fake_score"), False),
    ("gradient norms", ("d_grad_norm", "g_grad_norm"), True),
    ("modes and classes", ("doctor_modes", "modes_covered",
                           "doctor_classes", "doctor_classes_real"), False),
    ("MS-SSIM of samples", ("doctor_ms_ssim", "doctor_ms_ssim_real"),
     False),
    ("labels", ("doctor_label_gain", "doctor_d_reads"), False),
)
_DPI = 100


def diagnose(timeline, config):
    """The rules' diagnoses of `timeline`, with remedies for `config`."""
    return [dataclasses.replace(d, remedies=remedies_lib.remedies(d, config))
            for d in rules.find_problems(timeline, config)]


def logged_during_training(csv_path, steps_per_epoch):
    """{name: step of the epoch it was first logged in} from
    history.csv's `diagnosis` column (empty when the column is absent)."""
    with open(csv_path, newline="") as f:
        rows = [row for row in csv.reader(f) if row]
    header = rows[0]
    if callback.DIAGNOSIS_KEY not in header or "epoch" not in header:
        return {}
    column, epoch = (header.index(callback.DIAGNOSIS_KEY),
                     header.index("epoch"))
    found = {}
    for row in rows[1:]:
        if row == header or len(row) <= max(column, epoch):
            continue
        for name in row[column].split():
            if name in rules.TITLES and name not in found:
                found[name] = (int(row[epoch]) + 1) * steps_per_epoch
    return found


def save_curves(timeline, diagnoses, path):
    """diagnosis.png: a panel per `PANELS` entry the run logged, each
    problem's start marked in every panel. Returns `path`."""
    panels = [(title, [c for c in columns if timeline.column(c) is not None],
               log) for title, columns, log in PANELS]
    panels = [p for p in panels if p[1]]
    columns = 2
    rows = max(1, -(-len(panels) // columns))
    fig = Figure(figsize=(5.5 * columns, 2.6 * rows), dpi=_DPI)
    FigureCanvasAgg(fig)
    colors = ("tab:red", "tab:purple", "tab:brown", "tab:olive", "tab:cyan")
    for i, (title, names, log) in enumerate(panels):
        ax = fig.add_subplot(rows, columns, i + 1)
        for name in names:
            ax.plot(timeline.steps, timeline.column(name), marker=".",
                    label=name)
        if log:
            ax.set_yscale("symlog", linthresh=1e-3)
        for j, found in enumerate(diagnoses):
            ax.axvline(found.step, color=colors[j % len(colors)],
                       linestyle="--", linewidth=1,
                       label=f"{found.name} (step {found.step})"
                       if i == 0 else None)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("step", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=_DPI, format="png")
    return path


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(output_dir, config, timeline, diagnoses, extra, picture):
    steps = config.epochs * config.steps_per_epoch
    lines = [f"# Diagnosis of {output_dir}", "",
             f"{config.model} on {config.dataset}: {len(timeline)} of "
             f"{config.epochs} epochs in history.csv (step "
             f"{int(timeline.steps[-1]) if len(timeline) else 0} of "
             f"{steps})."]
    found = checkpoints.candidates(run_dir.checkpoint_dir(output_dir))
    if found:
        lines.append(f"Newest checkpoint: epoch {found[0][1]['epoch']}.")
    lines.append("")
    everything = diagnoses + extra
    if not everything:
        lines += ["**No problem found**: by the doctor's thresholds the "
                  "run trained healthily.", ""]
    else:
        lines += ["| problem | began at step | evidence | what to try |",
                  "|---|---|---|---|"]
        for d in everything:
            tries = "<br>".join(f"`{r}`" for r in d.remedies) or "-"
            lines.append(f"| **{d.name}**: {_cell(d.title)} | {d.step} | "
                         f"{_cell(d.evidence)} | {tries} |")
        lines.append("")
    lines += [f"![the signals against the step]({picture})", ""]
    sample_dir = os.path.join(output_dir, "samples")
    pictures = (progress.sample_pictures(sample_dir, config.steps_per_epoch)
                if os.path.isdir(sample_dir) else [])
    if pictures:
        step, path = pictures[-1]
        lines += [f"Newest samples (step {step}):", "",
                  f"![samples]({os.path.relpath(path, output_dir)})", ""]
    command, added = remedies_lib.next_run_command(config, everything)
    lines += ["## Suggested next run", ""]
    if added:
        lines.append(f"The run's own flags with `{added}`:")
    else:
        lines.append("The same run (nothing to change):")
    lines += ["", "```", command, "```", "",
              "The thresholds are in `keras_gans/doctor/rules.py`; how "
              "often each diagnosis fired on failing and healthy runs is "
              "in the README (\"The training doctor\").", ""]
    return "\n".join(lines)


def read_run(output_dir):
    """(resolved config, epoch `Timeline`) of the run in `output_dir`.

    Raises:
        ValueError: the directory holds no history.csv, or one without
            epochs.
        FileNotFoundError: it holds no config.json.
    """
    csv_path = os.path.join(output_dir, run_dir.HISTORY_FILE)
    if not os.path.isfile(csv_path):
        raise ValueError(
            f"No {run_dir.HISTORY_FILE} in {output_dir}: --mode=diagnose "
            "reads the history a training run writes there (after its "
            f"first epoch). Received: output_dir={output_dir!r}")
    config = run_dir.read_config(output_dir)
    return config, timeline_lib.Timeline.from_csv(csv_path,
                                                  config.steps_per_epoch)


def diagnose_run(output_dir):
    """Diagnoses the run in `output_dir`; writes diagnosis.md and .png.

    Returns:
        (path of diagnosis.md, the list of `rules.Diagnosis`, by step).

    Raises:
        ValueError: the directory holds no history.csv, or one without
            epochs.
        FileNotFoundError: it holds no config.json.
    """
    config, timeline = read_run(output_dir)
    csv_path = os.path.join(output_dir, run_dir.HISTORY_FILE)
    diagnoses = diagnose(timeline, config)
    names = {d.name for d in diagnoses}
    extra = [
        rules.Diagnosis(
            name, step, "found during training by a check between epoch "
            "ends (see the training log); the epoch means do not show it",
            remedies_lib.remedies(rules.Diagnosis(name, step, ""), config))
        for name, step in logged_during_training(
            csv_path, config.steps_per_epoch).items() if name not in names]
    picture = save_curves(timeline, diagnoses + extra,
                          os.path.join(output_dir, PICTURE_FILE))
    path = os.path.join(output_dir, MARKDOWN_FILE)
    with open(path, "w") as f:
        f.write(_markdown(output_dir, config, timeline, diagnoses, extra,
                          os.path.basename(picture)))
    return path, sorted(diagnoses + extra, key=lambda d: d.step)
