"""The training doctor on runs made to fail, and on a healthy one: a D
with a 100x learning rate, a NaN, a collapsed generator; the callback
on every variant and conditional model; --mode=diagnose on the result."""

import glob
import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from absl import flags
from absl.testing import flagsaver

import run
from flags import config_flags
from keras_gans import builders
from keras_gans import config as config_lib
from keras_gans import datasets
from keras_gans import evaluators
from keras_gans import run_dir
from keras_gans import train_lib
from keras_gans.datasets import faces
from keras_gans.doctor import callback
from keras_gans.doctor import probe as probe_lib
from keras_gans.models import signals
from keras_gans.models import variants
from tests import helpers
from tests.helpers import tiny_config

FLAGS = flags.FLAGS


def doctor_lines(logs):
    return [r.getMessage() for r in logs.records
            if r.getMessage().startswith("Doctor: step")]


def diagnosis_column(output_dir):
    with open(os.path.join(output_dir, run_dir.HISTORY_FILE)) as f:
        rows = [line.rstrip("\n").split(",") for line in f]
    column = rows[0].index(callback.DIAGNOSIS_KEY)
    return [row[column] for row in rows[1:]]


class Collapse(keras.callbacks.Callback):
    """Before generator step `step`, makes G ignore its noise for good:
    its first kernel becomes 0 and its learning rate 0 (D goes on
    training, so the losses stay finite)."""

    def __init__(self, step):
        super().__init__()
        self.step = step

    def on_train_batch_begin(self, batch, logs=None):
        if int(self.model.g_optimizer.iterations.numpy()) == self.step - 1:
            kernel = self.model.generator.trainable_variables[0]
            kernel.assign(np.zeros(kernel.shape, "float32"))
            self.model.g_optimizer.learning_rate.assign(0.0)


def diagnose_with_run_py(output_dir, capsys):
    """run.py's --mode=diagnose branch, in this process (main() ends it
    with os._exit)."""
    with flagsaver.flagsaver():
        FLAGS.unparse_flags()
        FLAGS(["run.py", "--mode=diagnose", f"--output_dir={output_dir}"])
        run._run_mode(config_flags.config_from_flags(FLAGS))
    return capsys.readouterr().out


@pytest.mark.slow
def test_a_healthy_run_has_no_diagnosis(tmp_path, logs, capsys):
    gan, history = train_lib.train(tiny_config(
        tmp_path, model="dcgan", epochs=4, steps_per_epoch=5,
        batch_size=16, doctor_every_steps=5, export_format=()))
    assert doctor_lines(logs) == []
    assert diagnosis_column(tmp_path) == [""] * 4
    for key in signals.SIGNAL_KEYS + ("doctor_modes",):
        assert np.all(np.isfinite(history.history[key])), key
    assert history.history["doctor_modes"][-1] >= 4
    out = diagnose_with_run_py(tmp_path, capsys)
    assert "no problem found" in out
    text = open(tmp_path / "diagnosis.md").read()
    assert "**No problem found**" in text


@pytest.mark.slow
def test_a_discriminator_with_100x_the_learning_rate_wins(tmp_path, logs,
                                                          capsys):
    """In the saturating (minimax) game, where a D that sure of itself
    leaves G no gradient."""
    config = tiny_config(tmp_path, model="dcgan", dataset="faces",
                         image_size=32, base_width=8, latent_dim=16,
                         epochs=3, steps_per_epoch=5, batch_size=16,
                         loss="minimax", export_format=())
    config.d_learning_rate = 100 * variants.get("dcgan").d_learning_rate
    _, history = train_lib.train(config)
    [line] = doctor_lines(logs)
    assert line.startswith("Doctor: step 10: d_wins")
    assert "Try: --loss=non_saturating | --d_learning_rate=" in line
    assert "--label_smoothing=0.2" in line
    # Found once its second epoch of winning was in.
    assert diagnosis_column(tmp_path) == ["", "", "d_wins"]
    # The sample signals of images with the shipped evaluator.
    for key in ("doctor_ms_ssim", "doctor_ms_ssim_real", "doctor_classes",
                "doctor_classes_real"):
        assert np.all(np.isfinite(history.history[key])), key
    out = diagnose_with_run_py(tmp_path, capsys)
    assert out.startswith("step 10: d_wins")
    text = open(tmp_path / "diagnosis.md").read()
    assert "| **d_wins**: the discriminator wins" in text
    assert "--output_dir=" in text and "_next" in text
    assert os.path.getsize(tmp_path / "diagnosis.png") > 0


@pytest.mark.slow
def test_a_nan_is_diagnosed_at_its_step(tmp_path, logs, capsys,
                                        monkeypatch):
    helpers.poison_at(monkeypatch, step=5)
    with pytest.raises(train_lib.TrainingDiverged):
        train_lib.train(tiny_config(
            tmp_path, model="dcgan", epochs=3, on_divergence="stop",
            export_format=()))
    [line] = doctor_lines(logs)
    assert line.startswith("Doctor: step 5: divergence")
    assert "d_loss is nan" in line and "--d_learning_rate=2e-05" in line
    assert diagnosis_column(tmp_path) == ["", "divergence"]
    out = diagnose_with_run_py(tmp_path, capsys)
    assert "divergence" in out
    assert "| **divergence**" in open(tmp_path / "diagnosis.md").read()


def read_texts(output_dir):
    texts = []
    for path in glob.glob(os.path.join(output_dir, "tensorboard", "ev*")):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                if value.metadata.plugin_data.plugin_name == "text":
                    texts.append((value.tag, event.step, tf.make_ndarray(
                        value.tensor).item().decode()))
    return texts


@pytest.mark.slow
def test_a_collapsed_generator_is_diagnosed_once(tmp_path, logs):
    config = tiny_config(tmp_path, model="dcgan", epochs=4,
                         steps_per_epoch=5, batch_size=16,
                         doctor_every_steps=5, tensorboard=True,
                         export_format=())
    train_lib.train(config, callbacks=[Collapse(11)])
    [line] = doctor_lines(logs)
    assert line.startswith("Doctor: step 15: collapse")
    assert "doctor_modes fell to 1 from a peak of" in line
    assert "--minibatch_std=4" in line and "--pack=2" in line
    assert diagnosis_column(tmp_path)[2] == "collapse"
    [(tag, step, text)] = read_texts(tmp_path)
    assert (tag, step) == ("doctor", 15) and text == line[len("Doctor: "):]
    # Resumed, the doctor knows what the history shows: no second line.
    config.epochs = 5
    train_lib.train(config)
    assert len(doctor_lines(logs)) == 1


def random_probe(label_spec, num=32, seed=0):
    """A probe of random 16x16 'real' images with the faces evaluator."""
    rng = np.random.default_rng(seed)
    images = rng.uniform(-1, 1, (num, 16, 16, 3)).astype("float32")
    labels = helpers.random_labels(label_spec, num, rng)
    return probe_lib.SampleProbe(
        helpers.data_spec(label_spec), images, labels,
        evaluators.load_shipped("faces"), labelled=True, num_samples=num)


@pytest.mark.slow
@pytest.mark.parametrize("model", list(variants.VARIANTS))
def test_the_doctor_watches_every_variant(model, tmp_path):
    """A step or two of each variant with the callback, checking every
    step and at the epoch's end, its sample signals included."""
    steps = 2 if model in ("dcgan", "cgan") else 1
    if variants.get(model).conditional:
        gan, config = helpers.build(model, steps_per_epoch=steps)
        data = helpers.batches(faces.LABEL_SPEC, config.batch_size)
        probe = random_probe(faces.LABEL_SPEC)
        expected = ["doctor_ms_ssim", "doctor_classes"]
        if model != "infogan":
            expected.append("doctor_label_gain")
        if model == "cgan":
            expected.append("doctor_d_reads")
    else:
        config = config_lib.resolve(tiny_config(
            tmp_path, model=model, steps_per_epoch=steps))
        spec = datasets.dataset_spec("ring")
        gan = builders.build_gan(config, spec)
        data, _ = datasets.load_dataset(
            "ring", config.batch_size * config.n_critic, 0)
        probe = probe_lib.probe_for_run(config, spec)
        expected = ["doctor_modes"]
    watcher = callback.TrainingDoctor(config, steps, every_steps=1,
                                      probe=probe)
    history = gan.fit(data, epochs=1, steps_per_epoch=steps, verbose=0,
                      shuffle=False, callbacks=[watcher])
    for key in signals.SIGNAL_KEYS:
        assert np.isfinite(history.history[key][0]), key
    assert 0 <= history.history["d_real_accuracy"][0] <= 1
    assert history.history["d_grad_norm"][0] > 0
    assert list(watcher.checks.steps) == list(range(1, steps + 1))
    assert list(watcher.epochs.steps) == [steps]
    for key in expected:
        assert key in history.history, key
    assert watcher.text_columns() == {"diagnosis": ""}


def test_doctor_off_adds_no_callback(tmp_path):
    spec = datasets.dataset_spec("ring")
    csv_path = str(tmp_path / run_dir.HISTORY_FILE)

    def doctors(**overrides):
        config = config_lib.resolve(tiny_config(tmp_path, **overrides))
        return [c for c in train_lib._picture_and_history_callbacks(
            config, spec, str(tmp_path), csv_path, 0)
            if isinstance(c, callback.TrainingDoctor)]

    [on] = doctors(doctor_every_steps=7)
    assert on.every_steps == 7 and on.probe is not None
    assert doctors(doctor="off") == []


def test_diagnose_of_a_directory_without_history_is_one_clear_error(
        tmp_path):
    """run.py prints a ValueError as one line, the flags named."""
    with flagsaver.flagsaver():
        FLAGS.unparse_flags()
        FLAGS(["run.py", "--mode=diagnose", f"--output_dir={tmp_path}"])
        with pytest.raises(ValueError) as error:
            run._run_mode(config_flags.config_from_flags(FLAGS))
        message = config_flags.with_flag_names(str(error.value))
    assert message == (
        f"No history.csv in {tmp_path}: --mode=diagnose reads the history "
        "a training run writes there (after its first epoch). Received: "
        f"--output_dir='{tmp_path}'")
