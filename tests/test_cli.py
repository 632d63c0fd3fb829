"""run.py: flags reach the config; bad flags fail at start-up."""

import json
import os
import subprocess
import sys

import pytest
from absl import flags
from absl.testing import flagsaver

from flags import config_flags

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGS = flags.FLAGS


def parse(*argv):
    FLAGS.unparse_flags()
    FLAGS(["run.py", *argv])
    return config_flags.config_from_flags(FLAGS)


@flagsaver.flagsaver
def test_flags_become_config():
    config = parse("--model=wgan", "--clip_value=0.02", "--n_critic=3",
                   "--dataset=ring", "--real_label_range=0.7,1.2",
                   "--model=dcgan", "--export_format=saved_model,onnx")
    assert config.model == "dcgan" and config.clip_value == 0.02
    assert config.n_critic == 3 and config.dataset == "ring"
    assert config.real_label_range == (0.7, 1.2)
    assert config.export_format == ("saved_model", "onnx")


@pytest.mark.parametrize("argv, match", [
    (["--model=wgan_gp", "--clip_value=0.01"], "clip_value"),
    (["--model=sngan", "--label_smoothing=0.1"], "loss='hinge'"),
    (["--model=dcgan", "--real_label_range=0.7"], "real_label_range"),
    (["--model=gan"], "dcgan"),
    (["--image_size=48"], "Received: --image_size=48"),
    (["--model=wgan_gp", "--gp_weight=-1"], "Received: --gp_weight=-1.0"),
    (["--beta_1=1.0"], r"beta_1 must be a number in \[0, 1\)"),
    (["--g_learning_rate=0"], "g_learning_rate must be a number > 0"),
    (["--pack=3"], "Received: --batch_size=64, --pack=3"),
    (["--model=acgan", "--pack=2"], "cannot judge packs"),
    (["--dataset=ring", "--diff_augment=color"], "--diff_augment='color'"),
    (["--diff_augment=color,flip"], "Received: --diff_augment='flip'"),
    (["--ema_decay=1"], "Received: --ema_decay=1.0"),
    (["--minibatch_std=1"], "Received: --minibatch_std=1"),
])
@flagsaver.flagsaver
def test_bad_flags_fail_at_parse_time(argv, match):
    FLAGS.unparse_flags()
    with pytest.raises(flags.Error, match=match):
        FLAGS(["run.py", *argv])


@flagsaver.flagsaver
def test_command_line_and_library_resolve_alike(tmp_path):
    """One resolution: a point-data critic defaults to no batch norm on both
    paths, so a gradient penalty on the ring is accepted by both."""
    from keras_gans import config as config_lib
    from keras_gans import train_lib

    argv = ["--dataset=ring", "--penalty=gradient_penalty", "--epochs=1",
            "--steps_per_epoch=1", "--batch_size=8", "--export_format=",
            f"--output_dir={tmp_path}"]
    config = parse(*argv)  # the flag validator resolves it
    resolved = config_lib.resolve(config)
    assert resolved.d_normalization == "none" and resolved.latent_dim == 2
    gan, _ = train_lib.train(config)
    with open(tmp_path / "config.json") as f:
        written = config_lib.TrainConfig.from_json(f.read())
    assert written == resolved


@pytest.mark.parametrize("message, expected", [
    ("image_size must be one of 32, 64. Received: image_size=48",
     "image_size must be one of 32, 64. Received: --image_size=48"),
    ("Received: clip_value=0.01, penalty='gradient_penalty'",
     "Received: --clip_value=0.01, --penalty='gradient_penalty'"),
    # Not flags: left alone.
    ("Received: z.shape=(2, 3), label_spec=None",
     "Received: z.shape=(2, 3), label_spec=None"),
    ("no received part", "no received part"),
])
def test_errors_name_the_flags_on_the_command_line(message, expected):
    assert config_flags.with_flag_names(message) == expected


@flagsaver.flagsaver
def test_remedy_flags_reach_the_config():
    config = parse("--minibatch_std=4", "--pack=2",
                   "--diff_augment=color,cutout", "--ema_decay=0.99",
                   "--ema_start=10", "--generator_objective=both",
                   "--raw_generator")
    assert (config.minibatch_std, config.pack, config.diff_augment) == (
        4, 2, ("color", "cutout"))
    assert (config.ema_decay, config.ema_start) == (0.99, 10)
    assert config.generator_objective == "both" and config.raw_generator


def run_cli(*argv, timeout=300):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, "run.py"), *argv],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT,
    )


@pytest.mark.slow
def test_cli_trains_samples_and_exports(tmp_path):
    out = str(tmp_path / "run")
    result = run_cli("--model=lsgan", "--dataset=ring", "--epochs=1",
                     "--steps_per_epoch=2", "--batch_size=8",
                     f"--output_dir={out}", "--verbose=2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert os.path.exists(os.path.join(out, "export", "saved_model.pb"))
    result = run_cli("--mode=sample", f"--output_dir={out}",
                     "--num_samples=10")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Samples written to" in result.stdout
    export_dir = str(tmp_path / "exported")
    result = run_cli("--mode=export", f"--output_dir={out}",
                     f"--export_dir={export_dir}")
    assert result.returncode == 0, result.stderr[-3000:]
    with open(os.path.join(export_dir, "keras_gans.json")) as f:
        assert json.load(f)["model"] == "lsgan"
    # Resuming with another variant is refused with a one-line reason.
    result = run_cli("--model=dcgan", "--dataset=ring", "--epochs=2",
                     "--steps_per_epoch=2", "--batch_size=8",
                     f"--output_dir={out}")
    assert result.returncode == 2
    assert "cannot be resumed: model: 'lsgan' -> 'dcgan'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_rejects_impossible_flags_before_any_work(tmp_path):
    result = run_cli("--model=wgan_gp", "--clip_value=0.01",
                     f"--output_dir={tmp_path / 'never'}", timeout=120)
    assert result.returncode != 0
    assert "clip_value" in result.stderr
    assert not os.path.exists(tmp_path / "never")


@pytest.mark.slow
def test_cli_dumps_a_dataset_and_trains_on_the_dump(tmp_path):
    out = str(tmp_path / "shapes")
    result = run_cli("--mode=dump_dataset", "--dataset=shapes",
                     "--num_images=6", "--image_size=32",
                     f"--output_dir={out}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"--dataset=shapes --data_dir={out}" in result.stdout
    assert len(os.listdir(os.path.join(out, "images"))) == 6
    result = run_cli("--dataset=shapes", f"--data_dir={out}",
                     "--image_size=32", "--base_width=8", "--epochs=1",
                     "--steps_per_epoch=1", "--batch_size=3",
                     "--export_format=", f"--output_dir={tmp_path / 'run'}")
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("argv, message", [
    (["--dataset=faces", "--data_dir=/no/such/dir"], "/no/such/dir"),
    (["--dataset=mnist", "--data_dir={tmp}"], "tfds build mnist"),
])
def test_cli_missing_data_is_a_one_line_error(tmp_path, argv, message):
    argv = [a.format(tmp=tmp_path) for a in argv]
    result = run_cli(*argv, f"--output_dir={tmp_path / 'run'}",
                     timeout=120)
    assert result.returncode == 2, result.stderr[-3000:]
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_evaluates_a_run(tmp_path):
    out = str(tmp_path / "run")
    result = run_cli("--model=lsgan", "--dataset=grid", "--epochs=1",
                     "--steps_per_epoch=2", "--batch_size=8",
                     "--export_format=", f"--output_dir={out}")
    assert result.returncode == 0, result.stderr[-3000:]
    result = run_cli("--mode=eval", f"--output_dir={out}",
                     "--eval_samples=200")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "FID (2-D points)" in result.stdout
    assert "modes_covered" in result.stdout
    for name in ("eval.json", "eval.md", "eval_samples.png"):
        assert os.path.exists(os.path.join(out, "eval", name))


@pytest.mark.slow
def test_cli_trains_an_evaluator_next_to_the_data(tmp_path):
    data = str(tmp_path / "faces")
    result = run_cli("--mode=dump_dataset", "--dataset=faces",
                     "--num_images=40", "--image_size=32",
                     f"--output_dir={data}")
    assert result.returncode == 0, result.stderr[-3000:]
    result = run_cli("--mode=train_evaluator", "--dataset=faces",
                     f"--data_dir={data}", "--image_size=32",
                     "--evaluator_steps=2", "--batch_size=4")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Held-out accuracy" in result.stdout
    assert os.path.exists(os.path.join(
        data, "keras_gans_evaluator_faces", "evaluator.json"))


@pytest.mark.slow
@pytest.mark.parametrize("argv, message", [
    (["--keep_best=fd"], "set eval_every"),
    (["--eval_every=1", "--keep_best=beauty"], "Unknown keep_best"),
])
def test_cli_rejects_bad_eval_flags(tmp_path, argv, message):
    result = run_cli(*argv, f"--output_dir={tmp_path / 'never'}",
                     timeout=120)
    assert result.returncode != 0
    assert message in result.stderr
    assert not os.path.exists(tmp_path / "never")


@pytest.mark.slow
def test_cli_eval_of_a_missing_run_is_a_one_line_error(tmp_path):
    result = run_cli("--mode=eval", f"--output_dir={tmp_path / 'nothing'}",
                     timeout=120)
    assert result.returncode == 2
    assert "config.json not found" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def acgan_run(tmp_path_factory):
    """A one-step 32px acgan on faces, trained in-process (faster than
    through the CLI), with its SavedModel export."""
    from keras_gans import config as config_lib
    from keras_gans import train_lib

    out = tmp_path_factory.mktemp("acgan_run")
    train_lib.train(config_lib.TrainConfig(
        model="acgan", dataset="faces", image_size=32, epochs=1,
        steps_per_epoch=1, batch_size=4, base_width=8, output_dir=str(out),
        export_format=("saved_model",), verbose=0))
    return str(out)


@pytest.mark.slow
def test_cli_samples_a_condition(acgan_run):
    import numpy as np

    from keras_gans.datasets import faces

    result = run_cli("--mode=sample", f"--output_dir={acgan_run}",
                     "--num_samples=4", "--condition=blue hair,red eyes")
    assert result.returncode == 0, result.stderr[-3000:]
    path = os.path.join(acgan_run, "samples", "sample_seed0.png")
    assert f"Samples written to {path}" in result.stdout
    assert os.path.getsize(path) > 0
    labels = np.load(os.path.join(acgan_run, "samples",
                                  "sample_seed0_labels.npy"))
    assert labels.shape == (4, 4)
    assert (labels == faces.LABEL_SPEC.parse_tags("blue hair red eyes")).all()
    result = run_cli("--mode=sample", f"--output_dir={acgan_run}",
                     "--condition=plaid hair,red eyes", timeout=120)
    assert result.returncode == 2
    assert "Error: Unknown tag 'plaid hair'" in result.stderr
    assert "Known tags: 'orange hair'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_evaluates_a_conditional_export(acgan_run):
    export_dir = os.path.join(acgan_run, "export")
    result = run_cli("--mode=eval", f"--export_dir={export_dir}",
                     "--eval_samples=50")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "acgan export" in result.stdout
    for key in ("accuracy", "accuracy/hair", "all_correct"):
        assert key in result.stdout
    with open(os.path.join(export_dir, "eval", "eval.json")) as f:
        report = json.load(f)
    assert {"accuracy", "all_correct", "accuracy/hair", "accuracy/eyes",
            "accuracy/glasses", "accuracy/blush"} <= set(report["metrics"])
    assert report["per_class"]  # accuracy per requested tag
