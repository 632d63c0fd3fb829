"""flags/presets: every flagfile parses, resolves and trains, so none rots.

A preset is run as `python run.py --flagfile=flags/presets/<report>/<x>.cfg`
from the repository root, where presets name each other; any flag after it
overrides it, which is how these tests shorten each one to a step.
"""

import dataclasses
import glob
import math
import os
import re

import pytest
from absl import flags
from absl.testing import flagsaver

from flags import config_flags
from keras_gans import config as config_lib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRESETS_DIR = os.path.join(ROOT, "flags", "presets")
PRESETS = sorted(
    os.path.relpath(path, PRESETS_DIR)
    for path in glob.glob(os.path.join(PRESETS_DIR, "**", "*.cfg"),
                          recursive=True))
REPORT_PRESETS = [p for p in PRESETS if os.sep in p]
FLAGS = flags.FLAGS


def parse(preset, *overrides):
    FLAGS.unparse_flags()
    FLAGS(["run.py", f"--flagfile=flags/presets/{preset}", *overrides])
    return config_flags.config_from_flags(FLAGS)


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_every_report_has_presets():
    reports = {p.split(os.sep)[0] for p in REPORT_PRESETS}
    assert reports == {"dcgan_wgan", "iclevr", "tags_wgan_gp",
                       "acgan_infogan", "selu_cdcgan"}


def test_presets_readme_names_every_preset_and_only_real_ones():
    with open(os.path.join(PRESETS_DIR, "README.md")) as f:
        text = f.read()
    named = set(re.findall(r"flags/presets/([\w./-]+?\.cfg)", text))
    assert named <= set(PRESETS), named - set(PRESETS)
    for preset in REPORT_PRESETS:
        report, name = os.path.split(os.path.splitext(preset)[0])
        assert f"`{report}/`" in text and f"`{name}`" in text, preset


@pytest.mark.parametrize("preset", ["mixtures.cfg", "wgan_gp_2d.cfg"])
@flagsaver.flagsaver
def test_mixture_presets_resolve(preset, at_root):
    resolved = config_lib.resolve(parse(preset))
    assert resolved.lr_decay == "linear" and resolved.batch_size == 128


@flagsaver.flagsaver
def test_each_report_preset_writes_its_own_run(at_root):
    """runs/<report>/<preset name>: two presets never resume each other's
    checkpoints."""
    for preset in REPORT_PRESETS:
        expected = os.path.join("runs", os.path.splitext(preset)[0])
        assert parse(preset).output_dir == expected, preset


@flagsaver.flagsaver
def test_presets_spell_out_the_reports_settings(at_root):
    """A few settings the issue names, as the user would get them."""
    wgan = config_lib.resolve(parse("dcgan_wgan/wgan.cfg"))
    assert (wgan.loss, wgan.clip_value, wgan.n_critic, wgan.optimizer,
            wgan.d_learning_rate, wgan.batch_size, wgan.lr_decay,
            wgan.pack) == ("wasserstein", 0.01, 1, "rmsprop", 1e-4, 128,
                           "none", 1)
    iclevr = config_lib.resolve(parse("iclevr/report.cfg"))
    assert (iclevr.condition_units, iclevr.g_condition_activation,
            iclevr.d_conditioning, iclevr.d_normalization,
            iclevr.lr_gamma, iclevr.lr_decay) == (
        156, "relu", "input", "none", 1.1, "step")
    ratio = config_lib.resolve(parse("tags_wgan_gp/ratio_0.2.cfg"))
    assert (ratio.n_critic, ratio.g_updates) == (1, 5)
    # A flag after the flagfile overrides it.
    assert parse("tags_wgan_gp/ratio_0.2.cfg", "--g_updates=3").g_updates == 3


@pytest.mark.slow
@pytest.mark.parametrize("preset", REPORT_PRESETS)
@flagsaver.flagsaver
def test_report_preset_trains_a_step(preset, at_root, tmp_path):
    from keras_gans import train_lib

    # The doctor's sample checks are tested in test_doctor_runs.py; here
    # they would only add their start-up to every preset.
    config = parse(preset, "--epochs=1", "--steps_per_epoch=1",
                   "--batch_size=4", "--export_format=", "--verbose=0",
                   "--doctor=off", f"--output_dir={tmp_path}")
    _, history = train_lib.train(config)
    losses = [history.history[k][-1] for k in ("d_loss", "g_loss")]
    assert all(math.isfinite(v) for v in losses), losses


def _benchmark(name):
    """A benchmarks/ script as a module (benchmarks/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        name, os.path.join(ROOT, "benchmarks", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("preset, row", [
    ("collapse", "baseline"), ("collapse_minibatch_std", "minibatch_std"),
    ("collapse_pack2", "pack2"), ("collapse_ema", "ema"),
    ("collapse_diff_augment", "diff_augment"),
    ("collapse_feature_matching", "feature_matching"),
])
@flagsaver.flagsaver
def test_collapse_presets_are_the_studys_rows(preset, row, at_root):
    """The README quotes the collapse study's table for these presets: each
    must train exactly the configuration of its row."""
    study = _benchmark("mode_collapse")
    steps = 900
    expected = config_lib.resolve(config_lib.TrainConfig(
        model="dcgan", dataset="faces",
        **study.overrides_for(row, "faces", steps)))
    got = config_lib.resolve(parse(f"dcgan_wgan/{preset}.cfg"))
    assert got.epochs * got.steps_per_epoch == steps
    ignore = {"output_dir": "", "verbose": 1}
    assert (dataclasses.replace(got, **ignore)
            == dataclasses.replace(expected, **ignore))


@flagsaver.flagsaver
def test_doctor_calibration_runs_resolve(at_root):
    """benchmarks/doctor_calibration.py's runs parse and resolve (its
    presets included), each with at least 6 epochs for the rules to read,
    and the healthy and failing sets are both there."""
    calibration = _benchmark("doctor_calibration")
    for run in calibration.RUNS:
        FLAGS.unparse_flags()
        FLAGS(["run.py", *run.flags, "--output_dir=runs/x"])
        config = config_lib.resolve(config_flags.config_from_flags(FLAGS))
        assert config.epochs >= 6, run.name
    assert {run.failing for run in calibration.RUNS} == {True, False}
