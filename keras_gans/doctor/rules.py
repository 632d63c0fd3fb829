"""The doctor's rules: from a run's signals to named diagnoses.

Each rule is a pure function `rule(timeline, config) -> [Diagnosis]` of a
`timeline.Timeline` (the run's signals at its steps) and the run's
resolved `TrainConfig`; it returns the step where its problem began (the
first row of the rows that show it), with the numbers that show it. The
remedies are chosen afterwards, for the run's config
(`keras_gans.doctor.remedies`).

| name | what the rows show |
|---|---|
| `d_wins` | D calls nearly every real and fake right for a while, and G's gradient has faded to a tenth of its early norm (or, in the saturating minimax game, D's logits are far apart) |
| `divergence` | a loss or a gradient norm is NaN or inf, or has grown by two orders of magnitude over its early value |
| `oscillation` | a loss swings up and down, every row, by much of its own size |
| `collapse` | the modes or classes the samples cover fall to half their peak, or the modes stay far below the mixture's, or the samples' MS-SSIM climbs above the real data's for two rows, while the losses stay finite |
| `ignores_labels` | a conditional model's samples show their labels no better than chance, or a cGAN's D scores the true labels no higher than wrong ones |

The thresholds below are named constants. `d_wins` and `collapse` were
calibrated on the runs of benchmarks/doctor_calibration.py (2-D mixtures,
64x64 faces and report 3's presets, failing by design and healthy; the
README gives how often each fired on each); those runs did not exercise
`divergence`, `oscillation` and `ignores_labels` enough to calibrate
them (`oscillation` fired once, on the collapsing baseline), whose
thresholds remain judgement,
checked on the tests' runs made to fail. Change these constants only.
"""

import dataclasses
import math

import numpy as np

from keras_gans import datasets

# d_wins: D's accuracy on real and on fake samples both at least this,
# for this many rows in a row ...
D_WINS_ACCURACY = 0.95
D_WINS_ROWS = 2
# ... and G's signal fading: in the saturating minimax game, D's mean
# real and fake logits this far apart (+-3: probabilities 0.95 / 0.05,
# where log(1 - D(G(z)))'s gradient is down to 0.05 of its value at
# D(G(z)) = 1/2); for every other loss G's gradient does not saturate
# with D's confidence (-log D(G(z)), hinge's -D(G(z)) and least squares'
# (D(G(z)) - 1)^2 keep theirs as D(G(z)) falls), so only G's measured
# gradient tells. Calibrated: the faces default (non-saturating DCGAN,
# 64x64) has D right about 90-100% of both batches, logits 8-11 apart,
# while G's gradient norm only halves (70 -> 35) and its samples go from
# 3 to 36-39 label combinations; the minimax game with a 100x D lost
# G's gradient (15.6 -> 0.0005) by step 200 (doctor_calibration.py) ...
D_WINS_GAP = {"minimax": 6.0}
# ... or G's gradient norm down to this fraction of its early value.
G_GRAD_VANISHED = 0.1

# divergence (judgement): a watched column's magnitude at least this
# many times max(|its early value|, its floor); the floor keeps a value
# that starts near 0 (a critic's loss) from counting as growth.
DIVERGENCE_FACTOR = 100.0
DIVERGENCE_FLOORS = {"d_loss": 1.0, "g_loss": 1.0, "penalty": 1.0,
                     "d_grad_norm": 1.0, "g_grad_norm": 1.0}

# oscillation (judgement): over the last this many rows, at least this
# fraction of the successive changes reverse the one before, and the
# median change is at least this fraction of the median magnitude (or
# of the floor, for losses near 0).
OSCILLATION_ROWS = 6
OSCILLATION_REVERSALS = 0.8
OSCILLATION_SWING = 0.5
OSCILLATION_FLOOR = 0.1
OSCILLATION_COLUMNS = ("d_loss", "g_loss")

# collapse: a diversity count (modes, classes) at or below this fraction
# of its peak so far, having lost at least this many from a peak of at
# least this many ... (Not `modes_covered`: it counts modes
# holding high-quality samples, which comes and goes with sample quality
# early in a healthy run; `doctor_modes` counts where the samples are.)
COLLAPSE_KEEP = 0.5
COLLAPSE_MIN_LOST = 2
COLLAPSE_MIN_PEAK = 4
COLLAPSE_COUNTS = ("doctor_modes", "doctor_classes")
# ... or a diversity count at most this share of the real data's (as
# many real samples, `doctor_*_real`) for this many rows in a row, once
# this share of the run's steps, and this many, are done: a generator
# that never spread over the data has collapsed too, though it lost
# nothing (every run starts with few, hence the wait). Modes only: on
# 32x32 faces after 900 steps, collapsing and healthy runs alike showed
# 26-43 of the 115 label combinations 256 real faces show, and at 64x64
# the collapsing baseline's 23 sit near DiffAugment's 29 and the
# default's 36 ...
COVERAGE_SHARE = {"doctor_modes": 0.75}
COVERAGE_ROWS = 2
COVERAGE_AFTER = 1 / 3
COVERAGE_AFTER_STEP = 300
# ... or the samples' MS-SSIM this much above the real data's, and this
# much above its own lowest value so far (an untrained generator's
# samples can look alike from the start), for this many rows in a row:
# early in a run one check can spike and fall back (0.35 -> 0.53 ->
# 0.31 at step 300 of the minimax run's advice run, which went on to 35
# label combinations), where a collapse stays (the baseline: 0.54, 0.53,
# 0.54, 0.53, 0.59 from step 500).
MS_SSIM_MARGIN = 0.15
MS_SSIM_RISE = 0.1
MS_SSIM_ROWS = 2

# ignores_labels (judgement): from this step on, for this many rows in
# a row, the label gain (0: chance, 1: as well as real images) at most
# this, or D's preference for the true labels at most 1/2 plus this.
IGNORES_AFTER_STEP = 1000
IGNORES_ROWS = 2
IGNORES_GAIN = 0.1
D_READS_MARGIN = 0.05

TITLES = {
    "d_wins": "the discriminator wins; the generator's signal fades",
    "divergence": "the training diverges",
    "oscillation": "the losses oscillate",
    "collapse": "the generator collapses",
    "ignores_labels": "the conditional model ignores its labels",
}


@dataclasses.dataclass(frozen=True)
class Diagnosis:
    """One problem of a run.

    Attributes:
        name: a key of `TITLES`.
        step: the global training step where it began.
        evidence: the numbers that show it, as text.
        remedies: what to try, as flags to paste (`remedies.remedies`).
    """

    name: str
    step: int
    evidence: str
    remedies: tuple = ()

    @property
    def title(self):
        return TITLES[self.name]

    def line(self):
        """The one log line: step, name, evidence, remedies."""
        tries = (" Try: " + " | ".join(self.remedies) if self.remedies
                 else "")
        return (f"step {self.step}: {self.name} ({self.title}): "
                f"{self.evidence}.{tries}")


def _fmt(value):
    return f"{value:.3g}"


def _first_run(mask, length):
    """The first index starting `length` True rows in a row, or None."""
    count = 0
    for i, hit in enumerate(mask):
        count = count + 1 if hit else 0
        if count >= length:
            return i - length + 1
    return None


def _present(timeline, *names):
    columns = [timeline.column(name) for name in names]
    return None if any(c is None for c in columns) else columns


def d_wins(timeline, config):
    columns = _present(timeline, "d_real_accuracy", "d_fake_accuracy")
    if columns is None:
        return []
    real, fake = columns
    winning = (real >= D_WINS_ACCURACY) & (fake >= D_WINS_ACCURACY)
    starved = np.zeros(len(timeline), bool)
    gap_limit = D_WINS_GAP.get(config.loss)
    scores = _present(timeline, "d_real_score", "d_fake_score")
    if gap_limit is not None and scores is not None:
        starved |= scores[0] - scores[1] >= gap_limit
    g_grad = timeline.column("g_grad_norm")
    early_grad = timeline.early("g_grad_norm")
    if g_grad is not None and early_grad > 0:
        starved |= g_grad <= G_GRAD_VANISHED * early_grad
    start = _first_run(winning & starved, D_WINS_ROWS)
    if start is None:
        return []
    parts = [f"D's accuracy {_fmt(real[start])} on real and "
             f"{_fmt(fake[start])} on fake samples"]
    if scores is not None:
        parts.append(f"mean scores {_fmt(scores[0][start])} (real) and "
                     f"{_fmt(scores[1][start])} (fake)")
    if g_grad is not None:
        parts.append(f"g_grad_norm {_fmt(g_grad[start])} (early "
                     f"{_fmt(early_grad)})")
    g_loss = timeline.column("g_loss")
    if g_loss is not None:
        parts.append(f"g_loss {_fmt(g_loss[start])} (early "
                     f"{_fmt(timeline.early('g_loss'))})")
    return [Diagnosis("d_wins", int(timeline.steps[start]),
                      "; ".join(parts))]


def divergence(timeline, config):
    del config
    found = []  # (row, evidence)
    for name, floor in DIVERGENCE_FLOORS.items():
        values = timeline.column(name)
        if values is None:
            continue
        bad = ~np.isfinite(values)
        early = timeline.early(name)
        scale = max(abs(early), floor) if math.isfinite(early) else floor
        grown = np.abs(np.where(bad, 0.0, values)) >= (
            DIVERGENCE_FACTOR * scale)
        hits = np.flatnonzero(bad | grown)
        if not len(hits):
            continue
        row = int(hits[0])
        if bad[row]:
            evidence = f"{name} is {values[row]} (not finite)"
        else:
            evidence = (f"{name} {_fmt(values[row])}, "
                        f"{_fmt(abs(values[row]) / scale)}x its early "
                        f"{_fmt(early)}")
        found.append((row, evidence))
    if not found:
        return []
    first = min(row for row, _ in found)
    evidence = "; ".join(e for row, e in found if row == first)
    return [Diagnosis("divergence", int(timeline.steps[first]), evidence)]


def oscillation(timeline, config):
    del config
    rows = OSCILLATION_ROWS
    for end in range(rows, len(timeline) + 1):
        for name in OSCILLATION_COLUMNS:
            values = timeline.column(name)
            if values is None:
                continue
            window = values[end - rows:end]
            if not np.all(np.isfinite(window)):
                continue
            changes = np.diff(window)
            reversals = np.mean(changes[1:] * changes[:-1] < 0)
            swing = np.median(np.abs(changes))
            size = max(np.median(np.abs(window)), OSCILLATION_FLOOR)
            if reversals >= OSCILLATION_REVERSALS and (
                    swing >= OSCILLATION_SWING * size):
                return [Diagnosis(
                    "oscillation", int(timeline.steps[end - rows]),
                    f"{name} reverses direction in {reversals:.0%} of "
                    f"{rows} rows, by {_fmt(swing)} a row (its size "
                    f"{_fmt(size)})")]
    return []


def _losses_finite(timeline, row):
    for name in ("d_loss", "g_loss"):
        values = timeline.column(name)
        if values is not None and not math.isfinite(values[row]):
            return False
    return True


def _short_of_the_data(timeline, config, name, values):
    """(row, evidence) where count `name` stays far below the real
    data's, or None."""
    if name not in COVERAGE_SHARE:
        return None
    real = timeline.column(name + "_real")
    if real is None and name == "doctor_modes":
        # A history from before the probe logged the mixture's modes.
        modes = datasets.dataset_spec(config.dataset).modes
        real = None if modes is None else np.full(len(values),
                                                  float(len(modes)))
    if real is None:
        return None
    total = int(config.epochs) * int(config.steps_per_epoch)
    short = ((timeline.steps >= max(COVERAGE_AFTER * total,
                                    COVERAGE_AFTER_STEP))
             & np.isfinite(values)
             & (values <= COVERAGE_SHARE[name] * real))
    start = _first_run(short, COVERAGE_ROWS)
    if start is None or not _losses_finite(timeline, start):
        return None
    return start, (f"{name} {_fmt(values[start])} where as many real "
                   f"samples show {_fmt(real[start])}")


def collapse(timeline, config):
    found = []  # (row, evidence)
    for name in COLLAPSE_COUNTS:
        values = timeline.column(name)
        if values is None:
            continue
        short = _short_of_the_data(timeline, config, name, values)
        if short is not None:
            found.append(short)
        peak = np.fmax.accumulate(np.where(np.isfinite(values), values,
                                           -np.inf))
        lost = ((peak >= COLLAPSE_MIN_PEAK) & np.isfinite(values)
                & (values <= COLLAPSE_KEEP * peak)
                & (peak - values >= COLLAPSE_MIN_LOST))
        for row in np.flatnonzero(lost):
            if _losses_finite(timeline, row):
                found.append((int(row), f"{name} fell to "
                              f"{_fmt(values[row])} from a peak of "
                              f"{_fmt(peak[row])}"))
                break
    columns = _present(timeline, "doctor_ms_ssim", "doctor_ms_ssim_real")
    if columns is not None:
        ms_ssim, real = columns
        lowest = np.fmin.accumulate(np.where(np.isfinite(ms_ssim), ms_ssim,
                                             np.inf))
        alike = (np.isfinite(ms_ssim) & (ms_ssim >= real + MS_SSIM_MARGIN)
                 & (ms_ssim >= lowest + MS_SSIM_RISE))
        row = _first_run(alike, MS_SSIM_ROWS)
        if row is not None and _losses_finite(timeline, row):
            found.append((int(row), f"the samples' MS-SSIM rose to "
                          f"{_fmt(ms_ssim[row])} (lowest "
                          f"{_fmt(lowest[row])}; real data "
                          f"{_fmt(real[row])})"))
    if not found:
        return []
    first = min(row for row, _ in found)
    evidence = "; ".join(e for row, e in found if row == first)
    return [Diagnosis("collapse", int(timeline.steps[first]),
                      evidence + ", with finite losses")]


def ignores_labels(timeline, config):
    del config
    late = timeline.steps >= IGNORES_AFTER_STEP
    found = []
    gain = timeline.column("doctor_label_gain")
    if gain is not None:
        start = _first_run(late & (gain <= IGNORES_GAIN), IGNORES_ROWS)
        if start is not None:
            found.append((start, "the samples show their labels no better "
                          f"than chance (label gain {_fmt(gain[start])}; "
                          "0: chance, 1: as real images)"))
    reads = timeline.column("doctor_d_reads")
    if reads is not None:
        start = _first_run(late & (reads <= 0.5 + D_READS_MARGIN),
                           IGNORES_ROWS)
        if start is not None:
            found.append((start, "D scores the true labels above wrong "
                          f"ones on {reads[start]:.0%} of real images "
                          "(1/2: it ignores them)"))
    if not found:
        return []
    first = min(row for row, _ in found)
    evidence = "; ".join(e for row, e in found if row == first)
    return [Diagnosis("ignores_labels", int(timeline.steps[first]),
                      evidence)]


RULES = {
    "d_wins": d_wins,
    "divergence": divergence,
    "oscillation": oscillation,
    "collapse": collapse,
    "ignores_labels": ignores_labels,
}


def find_problems(timeline, config):
    """Every rule's diagnoses (without remedies), by the step they began."""
    found = []
    for rule in RULES.values():
        found += rule(timeline, config)
    return sorted(found, key=lambda d: (d.step, d.name))
