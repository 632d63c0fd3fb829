"""The graded top-k accuracy of multi-label generation on fixed condition
sets: the rule, the noise draws, and --mode=eval of a multi-label run."""

import json
import os

import numpy as np
import pytest

from keras_gans import config as config_lib
from keras_gans import datasets
from keras_gans import eval_lib
from keras_gans import graded
from keras_gans import run_dir
from keras_gans import samplers
from keras_gans import train_lib
from keras_gans.datasets import labels as labels_lib
from keras_gans.datasets import shapes

SPEC = labels_lib.LabelSpec.for_multi_hot(tuple(f"l{i}" for i in range(6)))
CONDITIONS = np.array([[1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 1, 0],
                       [0, 0, 0, 0, 0, 1]], "float32")


class FakeEvaluator:
    """Scores images by their first pixel row: a generator that paints
    its condition (plus noise) there is read exactly."""

    label_spec = SPEC

    def scores(self, images):
        return np.asarray(images)[:, 0, :6, 0]


def painting_sampler(noise_scale):
    def generate(z, condition):
        images = np.zeros((len(z), 8, 8, 1), "float32")
        images[:, 0, :6, 0] = condition + noise_scale * z[:, :6]
        return images

    def sample_for(conditions):
        return samplers.generator_sampler(
            generate, 6, condition_fn=lambda num, seed: conditions)

    return sample_for


def test_a_generator_that_draws_its_condition_scores_one():
    result = graded.graded_accuracy(painting_sampler(0.0), FakeEvaluator(),
                                    {"set": CONDITIONS}, draws=3)
    assert result["set"] == {"accuracy": 1.0, "std": 0.0, "min": 1.0,
                             "max": 1.0, "draws": 3, "conditions": 3}


def test_noisy_draws_give_a_mean_and_a_spread():
    sample_for = painting_sampler(2.0)
    result = graded.graded_accuracy(sample_for, FakeEvaluator(),
                                    {"set": CONDITIONS}, draws=8, seed=5)
    g = result["set"]
    assert 0.0 < g["accuracy"] < 1.0 and g["std"] > 0
    assert g["min"] <= g["accuracy"] <= g["max"]
    # The mean is that of the per-draw top-k accuracies (6 objects asked).
    per_draw = []
    for draw in range(8):
        images, _ = sample_for(CONDITIONS).sample(3, 5 + draw)
        scores = FakeEvaluator().scores(images)
        hits = sum(int(np.isin(np.argsort(-s)[:int(c.sum())],
                               np.flatnonzero(c)).sum())
                   for s, c in zip(scores, CONDITIONS))
        per_draw.append(hits / 6)
    assert g["accuracy"] == pytest.approx(np.mean(per_draw))
    assert g["std"] == pytest.approx(np.std(per_draw))
    again = graded.graded_accuracy(sample_for, FakeEvaluator(),
                                   {"set": CONDITIONS}, draws=8, seed=5)
    assert again == result


def test_the_embedded_shapes_have_test_and_new_test():
    sets = graded.condition_sets(datasets.dataset_spec("shapes"))
    assert set(sets) == {"test", "new_test"}
    np.testing.assert_array_equal(sets["test"], shapes.condition_set("test"))


def test_labels_that_are_not_multi_hot_have_no_sets_and_refuse_a_file():
    spec = datasets.dataset_spec("faces")
    assert graded.condition_sets(spec) == {}
    with pytest.raises(ValueError, match="attributes labels. Received: "
                       "condition_file='x.json'"):
        graded.condition_sets(spec, condition_file="x.json")


@pytest.mark.slow
def test_eval_of_a_shapes_run_grades_test_and_new_test(tmp_path):
    run = tmp_path / "run"
    train_lib.train(config_lib.TrainConfig(
        model="cgan", dataset="shapes", output_dir=str(run), epochs=1,
        steps_per_epoch=1, batch_size=8, base_width=4, verbose=0,
        export_format=("saved_model",)))
    config = config_lib.TrainConfig(condition_draws=2)
    result, path = eval_lib.evaluate(config, output_dir=str(run),
                                     num_samples=40)
    assert set(result["graded"]) == {"test", "new_test"}
    for g in result["graded"].values():
        assert g["draws"] == 2 and g["conditions"] == 32
        assert 0.0 <= g["min"] <= g["accuracy"] <= g["max"] <= 1.0
    with open(path) as f:
        assert json.load(f)["graded"] == result["graded"]
    report = (run / run_dir.EVAL_DIR / "eval.md").read_text()
    assert "| test | 32 | 2 |" in report and "| new_test | 32 | 2 |" in report
    # The export is graded alike: the same generator, noise and draws.
    exported, _ = eval_lib.evaluate(config, export_dir=str(run / "export"),
                                    num_samples=40)
    for name in ("test", "new_test"):
        assert exported["graded"][name]["accuracy"] == pytest.approx(
            result["graded"][name]["accuracy"], abs=1e-6)


def test_a_condition_file_needs_a_label_conditional_run(tmp_path):
    from tests.helpers import tiny_config

    run = tmp_path / "run"
    train_lib.train(tiny_config(run))
    with pytest.raises(ValueError, match="generator takes no labels. "
                       "Received: condition_file="):
        eval_lib.evaluate(config_lib.TrainConfig(
            condition_file=os.fspath(tmp_path / "c.json")),
            output_dir=str(run), num_samples=40)


def _iclevr_folder(folder, num=16):
    """A tiny iCLEVR folder: num random 24x32 PNGs of 1-2 objects each,
    objects.json in the real order, test.json and new_test.json."""
    import tensorflow as tf

    from keras_gans.datasets import iclevr

    colors = ("gray", "red", "blue", "green", "brown", "purple", "cyan",
              "yellow")
    objects = {f"{color} {shape}": i * 8 + j
               for i, shape in enumerate(("cube", "sphere", "cylinder"))
               for j, color in enumerate(colors)}
    names = sorted(objects, key=objects.get)
    rng = np.random.default_rng(0)
    os.makedirs(os.path.join(folder, iclevr.IMAGES_SUBDIR))
    train = {}
    for k in range(num):
        file_name = f"CLEVR_train_{k:06d}_0.png"
        pixels = rng.integers(0, 256, (24, 32, 3)).astype("uint8")
        tf.io.write_file(os.path.join(folder, iclevr.IMAGES_SUBDIR,
                                      file_name), tf.io.encode_png(pixels))
        train[file_name] = list(rng.choice(names, 1 + k % 2, replace=False))
    files = {iclevr.OBJECTS_FILE: objects, iclevr.TRAIN_FILE: train,
             "test.json": [["gray cube", "red sphere"], ["yellow cylinder"]],
             "new_test.json": [["blue cube", "cyan sphere", "red cube"]],
             "mine.json": [["green cylinder"]]}
    for name, content in files.items():
        with open(os.path.join(folder, name), "w") as f:
            json.dump(content, f)


@pytest.mark.slow
def test_an_iclevr_run_is_graded_on_its_own_sets_and_a_condition_file(
        tmp_path):
    """train_evaluator on an iCLEVR folder, a cgan on it, then --mode=eval
    grades test.json, new_test.json and --condition_file."""
    from keras_gans.evaluators import training

    data = tmp_path / "data"
    _iclevr_folder(str(data))
    training.train_evaluator(
        "iclevr", str(data / "keras_gans_evaluator_iclevr"), steps=2,
        batch_size=4, data_dir=str(data), image_size=32,
        validation_images=4, verbose=0)
    run = tmp_path / "run"
    train_lib.train(config_lib.TrainConfig(
        model="cgan", dataset="iclevr", data_dir=str(data),
        output_dir=str(run), image_size=32, epochs=1, steps_per_epoch=1,
        batch_size=4, base_width=4, verbose=0, export_format=()))
    result, _ = eval_lib.evaluate(
        config_lib.TrainConfig(condition_draws=3,
                               condition_file=str(data / "mine.json")),
        output_dir=str(run), num_samples=12)
    assert {name: g["conditions"] for name, g in result["graded"].items()} \
        == {"test": 2, "new_test": 1, "mine": 1}
    assert all(g["draws"] == 3 for g in result["graded"].values())
