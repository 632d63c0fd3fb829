"""The training doctor's parts on made-up data: the step's signals, each
rule on a failing history and on a healthy one, remedies that fit the
run's config, and --mode=diagnose's report (keras_gans.doctor)."""

import dataclasses
import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from absl import flags
from absl.testing import flagsaver

from flags import config_flags  # noqa: F401 (defines run.py's flags)
from keras_gans import config as config_lib
from keras_gans import losses
from keras_gans import run_dir
from keras_gans.doctor import callback
from keras_gans.doctor import remedies
from keras_gans.doctor import report
from keras_gans.doctor import rules
from keras_gans.doctor import timeline as timeline_lib
from keras_gans.models import signals

ROWS = 20
STEPS_PER_ROW = 50


def config_of(model="dcgan", dataset="ring", **overrides):
    overrides.setdefault("output_dir", "runs/x")
    return config_lib.resolve(config_lib.TrainConfig(
        model=model, dataset=dataset, **overrides))


def healthy(rows=ROWS, seed=0, **columns):
    """A made-up healthy history (small noise around steady values),
    with `columns` replacing some of it."""
    rng = np.random.default_rng(seed)

    def steady(value, spread):
        return value * (1 + spread * rng.normal(size=rows))

    values = {
        "d_loss": steady(1.3, 0.03), "g_loss": steady(0.8, 0.03),
        "d_real_accuracy": np.clip(steady(0.65, 0.05), 0, 1),
        "d_fake_accuracy": np.clip(steady(0.6, 0.05), 0, 1),
        "d_real_score": steady(0.3, 0.1), "d_fake_score": steady(-0.3, 0.1),
        "d_grad_norm": steady(1.0, 0.1), "g_grad_norm": steady(2.0, 0.1),
        "doctor_modes": np.full(rows, 8.0),
        "doctor_ms_ssim": steady(0.2, 0.05),
        "doctor_ms_ssim_real": np.full(rows, 0.2),
        "doctor_label_gain": steady(0.8, 0.05),
        "doctor_d_reads": steady(0.9, 0.02),
    }
    values.update(columns)
    steps = STEPS_PER_ROW * np.arange(1, rows + 1)
    return timeline_lib.Timeline(steps, values)


def after(row, before, then, rows=ROWS):
    """A column holding `before` until `row`, `then` from it."""
    return np.where(np.arange(rows) < row, before, then).astype("float64")


def names(found):
    return [d.name for d in found]


# The step's signals.


def test_every_loss_has_a_decision_rule():
    assert set(signals.DECISION_BOUNDARIES) == set(losses.LOSSES)


@pytest.mark.parametrize("loss, real, fake, expected", [
    ("non_saturating", [2.0, 1.0, -1.0, 3.0], [-2.0, 0.5, -1.0, -3.0],
     (0.75, 0.75)),
    ("hinge", [2.0, 1.0, -1.0, 3.0], [-2.0, 0.5, -1.0, -3.0], (0.75, 0.75)),
    # Least squares with 0/1 targets: the line is at 0.5.
    ("least_squares", [0.9, 0.6, 0.4, 1.0], [0.1, 0.6, 0.2, 0.0],
     (0.75, 0.75)),
    # The critic's scores compare with the other batch's mean: a constant
    # added to every score changes nothing.
    ("wasserstein", [105.0, 104.0, 99.0, 106.0], [98.0, 104.0, 99.0, 97.0],
     (0.75, 0.75)),
])
def test_decision_accuracy_follows_the_loss(loss, real, fake, expected):
    accuracy = signals.decision_accuracy(
        loss, tf.constant(real)[:, None], tf.constant(fake)[:, None])
    np.testing.assert_allclose([float(a) for a in accuracy], expected)


def test_gradient_norm_divides_out_the_loss_scale():
    weights = tf.Variable([3.0, 4.0])
    optimizer = keras.optimizers.LossScaleOptimizer(
        keras.optimizers.SGD(0.1), initial_scale=1024.0)
    optimizer.build([weights])
    with tf.GradientTape() as tape:
        scaled = optimizer.scale_loss(tf.reduce_sum(weights) / 2.0)
    grads = tape.gradient(scaled, [weights])
    # d(sum w)/dw = (1, 1): norm sqrt(2), whatever the scale or replicas.
    norm = signals.gradient_norm(grads, optimizer, num_replicas=2)
    np.testing.assert_allclose(float(norm), np.sqrt(2.0), rtol=1e-6)


# The rules: each fires on its failure, none on a healthy run.


@pytest.mark.parametrize("model, dataset", [
    ("dcgan", "ring"), ("wgan_gp", "ring"), ("sngan", "ring"),
    ("lsgan", "ring"), ("cgan", "faces")])
def test_a_healthy_history_has_no_diagnosis(model, dataset):
    for seed in range(5):
        assert rules.find_problems(healthy(seed=seed),
                                   config_of(model, dataset)) == []


def test_d_wins_in_the_saturating_game_when_d_is_right_and_sure():
    """Minimax: logits 12 apart leave log(1 - D(G(z))) no gradient."""
    timeline = healthy(d_real_accuracy=after(8, 0.6, 1.0),
                       d_fake_accuracy=after(8, 0.6, 0.99),
                       d_real_score=after(8, 0.3, 6.0),
                       d_fake_score=after(8, -0.3, -6.0))
    [found] = rules.find_problems(timeline, config_of(loss="minimax"))
    assert (found.name, found.step) == ("d_wins", 9 * STEPS_PER_ROW)
    assert "accuracy 1 on real and 0.99 on fake" in found.evidence


def test_d_wins_needs_more_than_accuracy():
    """Right about everything but not far apart, and G's gradient as
    strong as ever: a D that is ahead, not one that has won."""
    minimax = config_of(loss="minimax")
    timeline = healthy(d_real_accuracy=after(8, 0.6, 1.0),
                       d_fake_accuracy=after(8, 0.6, 1.0))
    assert rules.find_problems(timeline, minimax) == []
    # One row is not "for a while".
    timeline = healthy(d_real_accuracy=after(8, 0.6, 1.0) * after(9, 1, 0),
                       d_fake_accuracy=after(8, 0.6, 1.0),
                       d_real_score=after(8, 0.3, 6.0),
                       d_fake_score=after(8, -0.3, -6.0))
    assert rules.find_problems(timeline, minimax) == []


@pytest.mark.parametrize("model", ["dcgan", "lsgan", "sngan", "wgan_gp"])
def test_d_wins_where_g_s_gradient_does_not_saturate_is_read_off_it(model):
    """Non-saturating, least squares, hinge, the critic: scores far apart
    leave G its gradient (the faces default's D is this sure while G
    learns); a gradient faded to a tenth is D winning."""
    apart = dict(d_real_accuracy=after(8, 0.6, 1.0),
                 d_fake_accuracy=after(8, 0.6, 1.0),
                 d_real_score=after(8, 0.3, 60.0),
                 d_fake_score=after(8, -0.3, -60.0))
    config = config_of(model)
    assert config.loss != "minimax"
    assert rules.find_problems(healthy(**apart), config) == []
    faded = healthy(g_grad_norm=after(10, 2.0, 0.05), **apart)
    [found] = rules.find_problems(faded, config)
    assert (found.name, found.step) == ("d_wins", 11 * STEPS_PER_ROW)
    assert "g_grad_norm 0.05 (early 2)" in found.evidence


def test_divergence_on_a_non_finite_value():
    timeline = healthy(g_loss=after(12, 0.8, np.nan))
    [found] = rules.find_problems(timeline, config_of())
    assert (found.name, found.step) == ("divergence", 13 * STEPS_PER_ROW)
    assert "g_loss is nan" in found.evidence


def test_divergence_on_growth_by_orders_of_magnitude():
    growth = 10.0 ** np.maximum(np.arange(ROWS) - 4, 0)  # x10 a row
    [found] = rules.find_problems(healthy(d_grad_norm=growth), config_of())
    assert (found.name, found.step) == ("divergence", 7 * STEPS_PER_ROW)
    assert "d_grad_norm 100, 100x its early 1" in found.evidence
    # A critic loss starting near 0 grows from its floor, not from ~0.
    start = healthy(d_loss=after(3, -0.001, -5.0))
    assert rules.find_problems(start, config_of("wgan_gp")) == []


def test_oscillation_on_swings_that_reverse_every_row():
    swings = np.where(np.arange(ROWS) % 2, 0.6, 2.0)
    timeline = healthy(g_loss=after(10, 0.8, swings))
    [found] = rules.find_problems(timeline, config_of())
    assert found.name == "oscillation"
    assert found.step == 10 * STEPS_PER_ROW  # the window's first row
    assert "g_loss reverses direction" in found.evidence


def test_collapse_when_modes_are_lost():
    timeline = healthy(doctor_modes=after(12, 8.0, after(14, 3.0, 1.0)))
    [found] = rules.find_problems(timeline, config_of())
    assert (found.name, found.step) == ("collapse", 13 * STEPS_PER_ROW)
    assert "doctor_modes fell to 3 from a peak of 8" in found.evidence


def test_collapse_when_the_samples_never_spread_over_the_data():
    """Counts far below the real data's, from a third of the run on."""
    ring = config_of(epochs=1, steps_per_epoch=ROWS * STEPS_PER_ROW)
    [found] = rules.find_problems(healthy(doctor_modes=np.full(ROWS, 3.0)),
                                  ring)
    # The first row past step 1,000 / 3, the first of two in a row.
    assert (found.name, found.step) == ("collapse", 7 * STEPS_PER_ROW)
    assert "doctor_modes 3 where as many real samples show 8" in (
        found.evidence)
    assert rules.find_problems(healthy(doctor_modes=np.full(ROWS, 7.0)),
                               ring) == []
    # Classes are not compared with the data's (uncalibrated): only a
    # fall from their peak counts.
    faces = dataclasses.replace(config_of("dcgan", "faces"), epochs=1,
                                steps_per_epoch=ROWS * STEPS_PER_ROW)
    few = healthy(doctor_classes=np.full(ROWS, 20.0),
                  doctor_classes_real=np.full(ROWS, 100.0))
    assert rules.find_problems(few, faces) == []


def test_collapse_when_samples_grow_alike():
    timeline = healthy(doctor_ms_ssim=after(15, 0.2, 0.7))
    [found] = rules.find_problems(timeline, config_of("dcgan", "faces"))
    assert (found.name, found.step) == ("collapse", 16 * STEPS_PER_ROW)
    assert "MS-SSIM rose to 0.7" in found.evidence
    # One check's spike, back the next: an early run's wobble.
    spike = healthy(doctor_ms_ssim=after(5, 0.3, 0.55) * after(6, 1.0, 0.5))
    assert rules.find_problems(spike, config_of("dcgan", "faces")) == []


def test_no_collapse_for_what_never_varied_or_already_diverged():
    # An untrained generator's look-alike samples, getting more varied.
    varied = healthy(doctor_ms_ssim=np.linspace(0.95, 0.2, ROWS),
                     doctor_modes=after(5, 1.0, 8.0))
    assert rules.find_problems(varied, config_of()) == []
    # Modes lost where the losses are NaN: divergence, not collapse.
    nan = healthy(doctor_modes=after(12, 8.0, 1.0),
                  d_loss=after(12, 1.3, np.nan))
    assert names(rules.find_problems(nan, config_of())) == ["divergence"]


def test_ignores_labels_after_the_warm_up():
    cgan = config_of("cgan", "faces")
    ignored = healthy(rows=30, doctor_label_gain=np.full(30, 0.02))
    [found] = rules.find_problems(ignored, cgan)
    assert found.name == "ignores_labels"
    assert found.step == rules.IGNORES_AFTER_STEP  # not before
    assert "no better than chance" in found.evidence
    unread = healthy(rows=30, doctor_d_reads=after(4, 0.9, 0.5, rows=30))
    [found] = rules.find_problems(unread, cgan)
    assert "on 50% of real images" in found.evidence
    short = timeline_lib.Timeline([100, 200, 300], {
        "doctor_label_gain": [0.0, 0.0, 0.0]})
    assert rules.find_problems(short, cgan) == []


def test_a_diagnosis_is_one_line_with_its_step_evidence_and_remedies():
    found = rules.Diagnosis("collapse", 120, "doctor_modes fell to 1",
                            ("--minibatch_std=4", "--pack=2"))
    assert found.line() == (
        "step 120: collapse (the generator collapses): doctor_modes fell "
        "to 1. Try: --minibatch_std=4 | --pack=2")


# Remedies fit the run.


def remedy_flags(name, config):
    return remedies.remedies(rules.Diagnosis(name, 1, ""), config)


def test_remedies_fit_the_model_and_the_loss():
    dcgan, cgan, sngan = (config_of(), config_of("cgan", "faces"),
                          config_of("sngan"))
    assert "--pack=2" in remedy_flags("collapse", dcgan)
    # A conditional discriminator refuses packs.
    assert not any("--pack" in r for r in remedy_flags("collapse", cgan))
    assert "--label_smoothing=0.2" in remedy_flags("d_wins", dcgan)
    # Hinge has no targets to smooth.
    assert not any("label_smoothing" in r
                   for r in remedy_flags("d_wins", sngan))
    assert remedy_flags("d_wins", dcgan)[0] == "--d_learning_rate=5e-05"
    # The saturating game's own cure comes first.
    assert remedy_flags("d_wins", config_of(loss="minimax"))[:2] == (
        "--loss=non_saturating", "--d_learning_rate=5e-05")
    # WGAN-GP is already Wasserstein: no switch to it.
    assert not any("--loss=wasserstein" in r for r in remedy_flags(
        "collapse", config_of("wgan_gp")))
    assert "--matching_aware" in remedy_flags("ignores_labels", cgan)
    assert any("class_loss_weight=2" in r for r in remedy_flags(
        "ignores_labels", config_of("acgan", "faces")))


def test_collapse_remedies_come_in_the_study_s_order():
    """Packing, then DiffAugment (images), before the rest; minibatch std
    only for a discriminator without batch norm (where the study measured
    no gain)."""
    assert remedy_flags("collapse", config_of())[:2] == (
        "--pack=2", "--ema_decay=0.999")
    faces = config_of(dataset="faces", pack=1)
    assert faces.d_normalization == "batch"
    assert remedy_flags("collapse", faces)[:2] == (
        "--pack=2", "--diff_augment=translation,cutout")
    assert "--minibatch_std=4" not in remedy_flags("collapse", faces)
    assert "--minibatch_std=4" in remedy_flags(
        "collapse", config_of(dataset="faces", d_normalization="layer"))
    # DiffAugment made ACGAN's faces within a label more alike.
    assert "--diff_augment=translation,cutout" in remedy_flags(
        "collapse", config_of("cgan", "faces"))
    assert not any("--diff_augment" in r for r in remedy_flags(
        "collapse", config_of("acgan", "faces")))


@pytest.mark.parametrize("model, dataset", [
    ("dcgan", "ring"), ("wgan", "ring"), ("wgan_gp", "grid"),
    ("cgan", "faces"), ("acgan", "faces"), ("infogan", "faces")])
def test_every_remedy_pastes_into_a_valid_command_line(model, dataset):
    """Each remedy's flags parse (absl) into the config the remedy names,
    and that config resolves."""
    config = config_of(model, dataset)
    for name in rules.TITLES:
        for change in remedies.remedy_changes(name, config):
            argv = ["run.py", f"--model={model}", f"--dataset={dataset}"]
            argv += remedies.as_flags(change).split()
            with flagsaver.flagsaver():
                flags.FLAGS(argv)
                for key, value in change.items():
                    parsed = flags.FLAGS[key].value
                    if isinstance(value, tuple):
                        parsed = tuple(parsed)
                    assert parsed == value, (name, change)
            config_lib.resolve(dataclasses.replace(config, **change))


def test_the_next_run_adds_the_remedies_to_the_run_s_own_flags():
    config = config_of(epochs=7, label_smoothing=0.1,
                       output_dir="runs/ring")
    found = [rules.Diagnosis("d_wins", 10, ""),
             rules.Diagnosis("collapse", 20, "")]
    command, added = remedies.next_run_command(config, found)
    assert command.startswith("python run.py --model=dcgan --dataset=ring "
                              "--output_dir=runs/ring_next ")
    assert "--epochs=7 --label_smoothing=0.1" in command
    assert added == "--d_learning_rate=5e-05 --pack=2"
    assert command.endswith(added)


# Timelines and the report.


def write_run(directory, rows, header, steps_per_epoch=10, **config):
    os.makedirs(directory, exist_ok=True)
    run_dir.write_config(str(directory), config_of(
        steps_per_epoch=steps_per_epoch, epochs=len(rows), **config))
    with open(os.path.join(directory, run_dir.HISTORY_FILE), "w") as f:
        f.write(",".join(["epoch"] + header) + "\n")
        for epoch, row in enumerate(rows):
            f.write(",".join([str(epoch)] + [str(v) for v in row]) + "\n")


def test_a_timeline_reads_a_history_csv(tmp_path):
    write_run(tmp_path, [[1.0, "NA", ""], [2.0, 3.0, "collapse"]],
              ["d_loss", "g_loss", callback.DIAGNOSIS_KEY])
    timeline = timeline_lib.Timeline.from_csv(
        tmp_path / run_dir.HISTORY_FILE, steps_per_epoch=10)
    np.testing.assert_array_equal(timeline.steps, [10, 20])
    np.testing.assert_array_equal(timeline.column("g_loss"), [np.nan, 3.0])
    assert timeline.column("penalty") is None
    timeline.append(30, {"penalty": 0.5, "d_loss": "text"})
    np.testing.assert_array_equal(timeline.column("penalty"),
                                  [np.nan, np.nan, 0.5])
    assert np.isnan(timeline.column("d_loss")[-1])


def test_diagnose_writes_the_table_the_curves_and_the_next_run(tmp_path):
    rows = [[1.3, 0.8, 8], [1.3, 0.8, 8], [1.3, 0.8, 8], [1.3, 0.8, 2],
            [1.3, "nan", 1]]
    write_run(tmp_path, rows, ["d_loss", "g_loss", "doctor_modes"])
    path, found = report.diagnose_run(str(tmp_path))
    assert [(d.name, d.step) for d in found] == [("collapse", 40),
                                                 ("divergence", 50)]
    text = open(path).read()
    assert "| **collapse**: the generator collapses | 40 |" in text
    assert "`--pack=2`" in text
    assert "![the signals against the step](diagnosis.png)" in text
    assert (f"--output_dir={tmp_path}_next --steps_per_epoch=10 "
            "--pack=2 --d_learning_rate=2e-05 "
            "--g_learning_rate=2e-05") in text
    assert os.path.getsize(tmp_path / report.PICTURE_FILE) > 0


def test_diagnose_says_when_nothing_is_wrong(tmp_path):
    write_run(tmp_path, [[1.3, 0.8, ""]] * 3,
              ["d_loss", "g_loss", callback.DIAGNOSIS_KEY])
    path, found = report.diagnose_run(str(tmp_path))
    assert found == []
    assert "**No problem found**" in open(path).read()


def test_diagnose_lists_what_the_step_checks_found(tmp_path):
    """A problem the callback saw between epoch ends, which the epoch
    means do not show, is in the report from history.csv's column."""
    write_run(tmp_path, [[1.3, ""], [1.3, "oscillation"], [1.3, ""]],
              ["d_loss", callback.DIAGNOSIS_KEY])
    _, [found] = report.diagnose_run(str(tmp_path))
    assert (found.name, found.step) == ("oscillation", 20)
    assert found.remedies


def test_diagnose_without_a_history_is_one_clear_error(tmp_path):
    with pytest.raises(ValueError, match=r"No history\.csv in .*: "
                       r"--mode=diagnose reads the history"):
        report.diagnose_run(str(tmp_path))
