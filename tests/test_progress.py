"""Pictures every N steps (--sample_every_steps) and the progress montage
(progress.png, progress.gif; --mode=progress)."""

import os

import numpy as np
import pytest
from absl import flags
from absl.testing import flagsaver
from PIL import Image

import run
from flags import config_flags
from keras_gans import config as config_lib
from keras_gans import progress
from keras_gans import train_lib
from tests.helpers import tiny_config

FLAGS = flags.FLAGS


def test_step_pictures_and_the_montage_of_a_run(tmp_path):
    train_lib.train(tiny_config(tmp_path, epochs=2, sample_every_steps=2,
                                export_format=()))
    # Every 2 global steps across the epochs of 3 steps.
    assert sorted(os.listdir(tmp_path / "samples")) == [
        "epoch_0001.png", "epoch_0002.png", "step_0000002.png",
        "step_0000004.png", "step_0000006.png"]
    # Written at the end of training: steps 2, 3 (epoch 1), 4, 6.
    with Image.open(tmp_path / "progress.gif") as gif:
        assert gif.n_frames == 4
    with Image.open(tmp_path / "progress.png") as png:
        assert png.width > png.height  # four tiles in one row


def _picture(path, value, size=(40, 30)):
    Image.new("RGB", size, (value, 0, 0)).save(path)


def test_ten_stages_evenly_spaced_by_step(tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    # Epoch pictures every 10 steps, 30 of them, and dense step pictures
    # at the start; the red channel names each one's step.
    for epoch in range(1, 31):
        _picture(samples / f"epoch_{epoch:04d}.png", epoch)
    for step in range(1, 10):
        _picture(samples / f"step_{step:07d}.png", 100 + step)
    _picture(samples / "step_0000010.png", 250)  # epoch 1's is kept
    _picture(samples / "epoch_0003_eyes.png", 255)  # other grids: not
    _picture(samples / "sample_seed0.png", 255)  # not a training stage
    # A taller picture (a title that wrapped) is resized to the others.
    _picture(samples / "epoch_0030.png", 30, size=(40, 44))
    png_path, gif_path = progress.write_progress(str(tmp_path),
                                                 steps_per_epoch=10)
    assert png_path == str(tmp_path / "progress.png")
    with Image.open(gif_path) as gif:
        assert gif.n_frames == progress.STAGES
        reds = []
        for k in range(gif.n_frames):
            gif.seek(k)
            frame = np.asarray(gif.convert("RGB"))
            reds.append(int(frame[-1, 0, 0]))  # below the label band
    # Targets 1, 34.2, ..., 300: the nearest pictures' steps.
    shown = [r if r < 100 else r - 100 for r in reds]
    assert shown[0] == 1 and shown[-1] == 30  # step 1, epoch 30
    assert shown[1:] == [3, 7, 10, 13, 17, 20, 23, 27, 30]
    with Image.open(png_path) as montage:
        tile = (40 + 4, 44 + 18 + 4)  # picture + label band + gap
        assert montage.size == (5 * tile[0] + 4, 2 * tile[1] + 4)


def test_choose_stages_keeps_all_when_there_are_few():
    assert progress.choose_stages([5, 10, 15]) == [0, 1, 2]
    assert progress.choose_stages([10, 20, 30, 1000], num=3) == [0, 2, 3]
    chosen = progress.choose_stages(list(range(1, 101)), num=10)
    assert len(set(chosen)) == 10 and chosen[0] == 0 and chosen[-1] == 99


def test_a_run_without_pictures_is_refused(tmp_path):
    with pytest.raises(ValueError, match="there are none yet.*Received: "
                                         "output_dir="):
        progress.write_progress(str(tmp_path), steps_per_epoch=10)
    with pytest.raises(FileNotFoundError, match="config.json"):
        progress.write_progress(str(tmp_path / "nothing"))


@pytest.mark.parametrize("value", [-1, 2.5, True])
def test_sample_every_steps_must_be_a_non_negative_integer(value):
    with pytest.raises(ValueError, match=(
            "sample_every_steps must be a non-negative integer .*"
            rf"Received: sample_every_steps={value!r}")):
        config_lib.resolve(config_lib.TrainConfig(sample_every_steps=value))


def test_seeing_training_fields_may_change_on_resume():
    saved = config_lib.resolve(config_lib.TrainConfig(dataset="ring"))
    config_lib.check_resumable(saved, config_lib.resolve(
        config_lib.TrainConfig(dataset="ring", tensorboard=True,
                               sample_every_steps=100)))


@flagsaver.flagsaver
def test_progress_mode_of_the_command_line(tmp_path, capsys):
    samples = tmp_path / "samples"
    samples.mkdir()
    for epoch in (1, 2):
        _picture(samples / f"epoch_{epoch:04d}.png", epoch)
    config = config_lib.TrainConfig(dataset="ring", steps_per_epoch=5,
                                    output_dir=str(tmp_path))
    (tmp_path / "config.json").write_text(config.to_json())
    FLAGS.unparse_flags()
    FLAGS(["run.py", "--mode=progress", f"--output_dir={tmp_path}"])
    run._run_mode(config_flags.config_from_flags(FLAGS))
    assert "Progress written to" in capsys.readouterr().out
    with Image.open(tmp_path / "progress.gif") as gif:
        assert gif.n_frames == 2


@flagsaver.flagsaver
def test_seeing_training_flags_reach_the_config():
    FLAGS.unparse_flags()
    FLAGS(["run.py", "--tensorboard", "--sample_every_steps=50"])
    config = config_flags.config_from_flags(FLAGS)
    assert config.tensorboard and config.sample_every_steps == 50
    FLAGS.unparse_flags()
    with pytest.raises(flags.Error,
                       match="Received: --sample_every_steps=-1"):
        FLAGS(["run.py", "--sample_every_steps=-1"])
