"""Loss curves of several runs in one figure (keras_gans.comparison and
benchmarks/compare_runs.py), on history files written here."""

import json
import os
import sys

import pytest

from keras_gans import comparison
from keras_gans import run_dir

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_run(directory, rows, header="epoch,d_loss,g_loss,penalty",
              steps_per_epoch=None):
    """A run directory with a CSVLogger-style history.csv (and a
    config.json naming steps_per_epoch)."""
    os.makedirs(directory, exist_ok=True)
    lines = [header] + [",".join(str(v) for v in row) for row in rows]
    with open(os.path.join(directory, "history.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if steps_per_epoch is not None:
        with open(os.path.join(directory, "config.json"), "w") as f:
            json.dump({"steps_per_epoch": steps_per_epoch}, f)
    return str(directory)


@pytest.fixture
def two_runs(tmp_path):
    # A WGAN-like run (negative critic loss) of 3 epochs of 10 steps and
    # a run of 2 epochs of 20 steps, without a penalty column.
    wgan = write_run(tmp_path / "wgan", [
        (0, -2.0, 1.0, 0.5), (1, -1.0, 0.5, 0.2), (2, -0.5, 0.25, 0.1)],
        steps_per_epoch=10)
    dcgan = write_run(tmp_path / "dcgan", [(0, 1.4, 0.7), (1, 1.2, 0.9)],
                      header="epoch,d_loss,g_loss", steps_per_epoch=20)
    return wgan, dcgan


def lines(ax):
    return {line.get_label(): (list(line.get_xdata()),
                               list(line.get_ydata()))
            for line in ax.get_lines()}


def test_a_panel_per_column_a_line_per_run_by_step(two_runs):
    fig = comparison.comparison_figure(two_runs)
    d_ax, g_ax, penalty_ax = fig.axes  # every loss and penalty column
    assert [ax.get_title() for ax in fig.axes] == [
        "d_loss", "g_loss", "penalty"]
    # Both runs give steps: epochs times their steps_per_epoch.
    assert d_ax.get_xlabel() == "step"
    assert lines(d_ax) == {"wgan": ([10, 20, 30], [-2.0, -1.0, -0.5]),
                           "dcgan": ([20, 40], [1.4, 1.2])}
    assert list(lines(penalty_ax)) == ["wgan"]  # dcgan has no penalty


def test_log_scale_plots_the_absolute_value_of_negative_losses(two_runs):
    fig = comparison.comparison_figure(two_runs, columns=["d_loss",
                                                          "g_loss"],
                                       labels=["a", "b"], log_scale=True)
    d_ax, g_ax = fig.axes
    assert d_ax.get_yscale() == "log"
    assert d_ax.get_ylabel() == "|d_loss| (log scale; sign dropped)"
    assert lines(d_ax)["a"][1] == [2.0, 1.0, 0.5]
    assert g_ax.get_ylabel() == "g_loss (log scale)"  # all positive


def test_epochs_unless_every_run_gives_steps(tmp_path, two_runs):
    bare = write_run(tmp_path / "bare", [(0, 0.1, 0.2), (1, 0.3, 0.4)],
                     header="epoch,d_loss,g_loss")
    fig = comparison.comparison_figure([two_runs[0], bare],
                                       columns=["g_loss"])
    assert fig.axes[0].get_xlabel() == "epoch"
    assert lines(fig.axes[0])["bare"][0] == [1, 2]  # 1 for the first
    # A step column of the history wins over config.json.
    stepped = write_run(tmp_path / "stepped", [(0, 5, 0.1), (1, 9, 0.2)],
                        header="epoch,step,g_loss", steps_per_epoch=100)
    fig = comparison.comparison_figure([stepped], columns=["g_loss"])
    assert lines(fig.axes[0])["stepped"][0] == [5, 9]


def test_bad_requests_fail_naming_what_is_there(two_runs, tmp_path):
    with pytest.raises(ValueError, match=r"Columns \['fd'\] are in none.*"
                                         "d_loss, epoch, g_loss"):
        comparison.comparison_figure(two_runs, columns=["fd"])
    with pytest.raises(ValueError, match="one name per run"):
        comparison.comparison_figure(two_runs, labels=["only one"])
    with pytest.raises(ValueError, match="No CSV log file"):
        comparison.comparison_figure([str(tmp_path / "missing")])


def test_file_names_match_the_run_directory():
    assert comparison.HISTORY_FILE == run_dir.HISTORY_FILE
    assert comparison.CONFIG_FILE == run_dir.CONFIG_FILE


def test_benchmark_script_writes_the_figure(two_runs, tmp_path, capsys):
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    try:
        import compare_runs
    finally:
        sys.path.remove(os.path.join(ROOT, "benchmarks"))
    output = str(tmp_path / "out" / "compare.png")
    assert compare_runs.main([*two_runs, "--columns=d_loss,g_loss",
                              "--log_scale", "--labels=wgan,dcgan",
                              f"--output={output}"]) == 0
    assert os.path.getsize(output) > 0
    assert "Comparison written to" in capsys.readouterr().out
    assert compare_runs.main([*two_runs, "--columns=nope"]) == 2
    assert "Error: Columns ['nope']" in capsys.readouterr().err
