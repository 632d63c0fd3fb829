"""Evaluators and evaluations: shipped weights, anchors, callback, reports."""

import json
import math
import os

import numpy as np
import pytest

from keras_gans import callbacks
from keras_gans import config as config_lib
from keras_gans import eval_lib
from keras_gans import eval_report
from keras_gans import evaluation
from keras_gans import evaluators
from keras_gans import history as history_lib
from keras_gans import run_dir
from keras_gans import samplers
from keras_gans import train_lib
from keras_gans.datasets import dump
from keras_gans.datasets import faces
from keras_gans.datasets import registry
from keras_gans.datasets import shapes
from keras_gans.evaluators import training
from keras_gans.metrics import classification


@pytest.fixture(scope="module")
def faces_eval():
    """An Evaluation of faces with the shipped evaluator, 400 samples."""
    spec = registry.dataset_spec("faces")
    return evaluation.Evaluation(spec, evaluators.load_shipped("faces"),
                                 num_samples=400, kid_subsets=20,
                                 kid_subset_size=200)


# Shipped evaluators.


@pytest.mark.parametrize("name, sample", [
    ("faces", faces.sample_faces), ("shapes", shapes.sample_shapes)])
def test_shipped_evaluator_classifies_fresh_procedural_data(name, sample):
    evaluator = evaluators.load_shipped(name)
    # A seed no evaluator and no check in the project trains on.
    images, labels = sample(512, seed=777_777)
    scores = evaluator.scores(images)
    accuracy = classification.requested_accuracy(
        scores, labels, evaluator.label_spec)
    assert min(accuracy.values()) >= 0.98, accuracy
    info = evaluator.info["held_out"]
    assert info["images"] == training.DEFAULT_VALIDATION_IMAGES
    size = os.path.getsize(os.path.join(
        evaluators.evaluator.shipped_dir(name),
        evaluators.evaluator.WEIGHTS_FILE))
    assert size < 3 * 2 ** 20


def test_evaluator_resizes_other_image_sizes():
    evaluator = evaluators.load_shipped("faces")
    images, labels = faces.sample_faces(128, seed=5, image_size=128)
    accuracy = classification.requested_accuracy(
        evaluator.scores(images), labels, evaluator.label_spec)
    assert accuracy["accuracy/hair"] >= 0.95
    assert accuracy["accuracy/eyes"] >= 0.9


def test_evaluator_save_load_round_trip(tmp_path):
    evaluator = evaluators.Evaluator.create(
        "shapes", shapes.LABEL_SPEC, (32, 32, 3), width=8)
    images, _ = shapes.sample_shapes(6, seed=1, image_size=32)
    before = evaluator.features_and_scores(images)
    evaluator.save(str(tmp_path))
    loaded = evaluators.load_evaluator(str(tmp_path))
    after = loaded.features_and_scores(images)
    assert loaded.label_spec == shapes.LABEL_SPEC
    for a, b in zip(before, after):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_missing_evaluator_says_how_to_train_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_evaluator"):
        evaluators.load_evaluator(str(tmp_path))
    spec = registry.dataset_spec("faces")
    with pytest.raises(ValueError, match="--mode=train_evaluator"):
        evaluators.find_evaluator(spec, data_dir=str(tmp_path))


# Training an evaluator.


def test_train_evaluator_on_a_folder_holds_images_out(tmp_path):
    data = str(tmp_path / "faces")
    dump.dump_dataset("faces", 64, data, seed=3, image_size=32, verbose=0)
    out = str(tmp_path / "evaluator")
    evaluator = training.train_evaluator(
        "faces", out, steps=3, batch_size=8, data_dir=data, image_size=32,
        validation_images=16, verbose=0)
    assert os.path.exists(os.path.join(out, "evaluator.json"))
    held = evaluator.info["held_out"]
    assert held["split"].startswith("content-hash")
    assert 0.0 <= held["accuracy/hair"] <= 1.0
    # The split: no held-out image is ever in a training batch.
    train, held_out, _ = training._split("faces", 8, 0, data, 32, False)
    train_images = np.concatenate(
        [x.numpy() for x, _ in train.take(16)])
    held_images = np.concatenate(
        [x.numpy() for x, _ in held_out.take(2)])
    train_keys = {im.tobytes() for im in train_images}
    assert not any(im.tobytes() in train_keys for im in held_images)
    # Next to the data is where --mode=eval looks by default.
    assert evaluators.default_evaluator_dir("faces", data).startswith(data)


def test_train_evaluator_refuses_unlabelled_data_and_held_out_seed(
        tmp_path):
    data = tmp_path / "plain"
    dump.dump_dataset("faces", 8, str(data), seed=3, image_size=32,
                      verbose=0)
    os.remove(data / "tags.csv")
    with pytest.raises(ValueError, match="no labels"):
        training.train_evaluator("faces", str(tmp_path / "e"), steps=1,
                                 data_dir=str(data), image_size=32)
    with pytest.raises(ValueError, match="held-out seed"):
        training.train_evaluator("faces", str(tmp_path / "e"), steps=1,
                                 seed=training.HELD_OUT_SEED)


# Anchors: real data near zero, a collapsed generator far away.


def test_real_data_anchor_is_near_zero_and_accurate(faces_eval):
    spec = faces_eval.spec
    result = faces_eval(samplers.real_sampler(spec), seed=12345)
    m = result["metrics"]
    collapsed = faces_eval(samplers.constant_sampler(
        faces.sample_faces(1, seed=9)[0][0]))["metrics"]
    assert m["fd"] < 0.05 * collapsed["fd"]
    assert abs(m["kid"]) < 0.05 * collapsed["kid"]
    assert m["precision"] > 0.8 and m["recall"] > 0.8
    assert collapsed["recall"] < 0.05
    # Real labels as the request: the evaluator's accuracy on real data.
    assert m["accuracy"] > 0.98 and m["all_correct"] > 0.95
    assert m["distinct/hair"] == 12 and collapsed["distinct/hair"] == 1
    assert [tag for tag, _, _ in result["per_class"]][:2] == [
        "orange hair", "white hair"]


def test_ms_ssim_sees_one_face_per_label(faces_eval):
    """Real samples are as varied as the reference; a generator that draws
    the same face for every request of a label passes the accuracy test
    and fails this one."""
    spec = faces_eval.spec
    real = faces_eval(samplers.real_sampler(spec), seed=12345)["metrics"]
    assert real["ms_ssim_real"] < 0.7
    assert abs(real["ms_ssim"] - real["ms_ssim_real"]) < 0.05

    def one_face_per_label(num, seed):
        images, labels = samplers.real_samples(spec, num, seed=seed)
        _, first = np.unique(labels, axis=0, return_inverse=True)
        first = first.reshape(-1)
        keep = {group: i for i, group in reversed(list(enumerate(first)))}
        return images[[keep[g] for g in first]], labels

    collapsed = faces_eval(samplers.Sampler("copies", one_face_per_label),
                           seed=12345)
    m = collapsed["metrics"]
    assert m["accuracy"] > 0.95
    assert m["ms_ssim"] > 0.99 > real["ms_ssim"] + 0.3
    assert collapsed["names"]["ms_ssim"] == "MS-SSIM within a requested label"


def test_frechet_distance_grows_with_image_noise(faces_eval):
    images, _ = faces.sample_faces(400, seed=4242)
    values = []
    for std in (0.0, 0.1, 0.3, 0.6):
        noisy = images + np.random.default_rng(0).normal(
            scale=std, size=images.shape).astype("float32")
        sampler = samplers.Sampler(
            "noisy", lambda n, s, x=np.clip(noisy, -1, 1): (x[:n], None))
        values.append(faces_eval(sampler)["metrics"]["fd"])
    assert values == sorted(values) and values[-1] > 10 * values[0]


def test_points_evaluation_has_mode_coverage():
    spec = registry.dataset_spec("grid")
    run = evaluation.Evaluation(spec, num_samples=500, kid_subsets=10,
                                kid_subset_size=100)
    real = run(samplers.real_sampler(spec), seed=1)["metrics"]
    collapsed = run(samplers.constant_sampler(spec.modes[0]))["metrics"]
    assert real["modes_covered"] == 25 and collapsed["modes_covered"] == 1
    assert real["fd"] < 0.05 * collapsed["fd"]
    assert set(run.metric_keys()) == set(real)


def test_metric_keys_are_known_before_sampling(faces_eval):
    result = faces_eval(samplers.constant_sampler(
        np.zeros((64, 64, 3), "float32")))
    assert faces_eval.metric_keys() == list(result["metrics"])
    conditional = faces_eval(samplers.real_sampler(faces_eval.spec))
    assert faces_eval.metric_keys(conditional=True) == list(
        conditional["metrics"])


def test_wrong_sample_shape_is_refused(faces_eval):
    sampler = samplers.constant_sampler(np.zeros((32, 32, 3), "float32"))
    with pytest.raises(ValueError, match=r"need \(400, 64, 64, 3\)"):
        faces_eval(sampler)


def test_report_files(tmp_path, faces_eval):
    result = faces_eval(samplers.real_sampler(faces_eval.spec))
    path = eval_report.write_report(result, str(tmp_path), faces_eval.spec,
                                    "real faces")
    with open(path) as f:
        data = json.load(f)
    assert data["names"]["fd"] == "FID (faces evaluator)"
    assert data["metrics"]["accuracy"] > 0.9
    report = open(tmp_path / eval_report.REPORT_FILE).read()
    assert "FID (faces evaluator)" in report and "eval_classes.png" in report
    for name in (eval_report.SAMPLES_FILE, eval_report.CLASSES_FILE):
        assert os.path.getsize(tmp_path / name) > 1000


# During training and from the command line.


def tiny_grid_config(output_dir, **overrides):
    values = dict(model="wgan_gp", dataset="grid", epochs=3,
                  steps_per_epoch=2, batch_size=16, verbose=0,
                  lr_decay="none", output_dir=str(output_dir),
                  eval_every=2, eval_samples=200, keep_best="fd",
                  export_format=())
    values.update(overrides)
    return config_lib.TrainConfig(**values)


def test_callback_logs_metrics_and_keeps_best(tmp_path):
    _, history = train_lib.train(tiny_grid_config(tmp_path))
    fd = history.history["fd"]
    # Epoch 1 is skipped (NaN), epochs 2 and 3 (the last) are measured.
    assert math.isnan(fd[0]) and all(np.isfinite(fd[1:]))
    # SamplePictures' mode coverage stays on every epoch.
    assert all(np.isfinite(history.history["modes_covered"]))
    assert os.path.exists(tmp_path / run_dir.BEST_WEIGHTS_FILE)
    assert os.path.exists(tmp_path / "metrics.png")
    header = open(tmp_path / run_dir.HISTORY_FILE).readline()
    assert "fd" in header.split(",") and "recall" in header.split(",")
    # Resuming must beat the best so far to overwrite best.weights.h5.
    best = min(v for v in fd if np.isfinite(v))
    assert history_lib.best_value(
        str(tmp_path / run_dir.HISTORY_FILE), "fd", False) == best


@pytest.mark.parametrize("overrides, match", [
    (dict(eval_every=0), "set eval_every"),
    (dict(keep_best="beauty"), "Unknown keep_best"),
    (dict(eval_samples=3), "eval_samples"),
])
def test_bad_eval_options_fail_at_start(tmp_path, overrides, match):
    with pytest.raises(ValueError, match=match):
        config_lib.resolve(tiny_grid_config(tmp_path, **overrides))


# Whole floats and True used to pass the `<` comparisons.
@pytest.mark.parametrize("num_samples", [9, 100.0, True])
def test_evaluation_needs_an_integer_sample_count(num_samples):
    with pytest.raises(ValueError,
                       match="num_samples must be an integer >= 10 .*"
                             f"Received: num_samples={num_samples!r}"):
        evaluation.Evaluation(registry.dataset_spec("grid"),
                              num_samples=num_samples)


@pytest.mark.parametrize("every", [0, 2.0, True])
def test_evaluate_callback_needs_an_integer_period(every):
    with pytest.raises(ValueError,
                       match="every must be a positive integer. "
                             f"Received: every={every!r}"):
        callbacks.EvaluateGenerator(None, latent_dim=2, every=every)


def test_keep_best_of_an_unmeasured_metric_fails(tmp_path):
    with pytest.raises(ValueError, match="'accuracy' is not measured on "
                       "dataset 'grid'.*Received: keep_best='accuracy'"):
        train_lib.train(tiny_grid_config(tmp_path, keep_best="accuracy"))


def test_evaluate_a_run_and_its_export(tmp_path):
    run = tmp_path / "run"
    train_lib.train(tiny_grid_config(run, eval_every=0, keep_best=None,
                                     export_format=("saved_model",)))
    config = config_lib.TrainConfig()
    result, path = eval_lib.evaluate(config, output_dir=str(run),
                                      num_samples=300)
    assert os.path.dirname(path) == str(run / run_dir.EVAL_DIR)
    assert set(result["metrics"]) >= {"fd", "kid", "modes_covered"}
    exported, _ = eval_lib.evaluate(config, export_dir=str(run / "export"),
                                     num_samples=300)
    # The export computes the same generator.
    assert exported["metrics"]["fd"] == pytest.approx(
        result["metrics"]["fd"], rel=1e-3)


def test_a_run_with_a_moving_average_is_scored_beside_its_raw_generator(
        tmp_path):
    run = tmp_path / "run"
    train_lib.train(tiny_grid_config(run, eval_every=0, keep_best=None,
                                     ema_decay=0.9))
    config = config_lib.TrainConfig()
    result, path = eval_lib.evaluate(config, output_dir=str(run),
                                     num_samples=300)
    assert "moving average" in result["sampler"]
    assert "trained weights" in result["compared"]["sampler"]
    assert result["compared"]["metrics"]["fd"] != result["metrics"]["fd"]
    with open(path) as f:
        saved = json.load(f)
    assert saved["compared"]["metrics"]["fd"] == pytest.approx(
        result["compared"]["metrics"]["fd"])
    table = (run / run_dir.EVAL_DIR / "eval.md").read_text()
    assert "| metric | wgan_gp generator (moving average" in table
    raw, _ = eval_lib.evaluate(
        config_lib.TrainConfig(raw_generator=True), output_dir=str(run),
        num_samples=300)
    assert raw["metrics"]["fd"] == pytest.approx(
        result["compared"]["metrics"]["fd"])


@pytest.mark.slow
def test_inception_weights_add_fid_and_stand_in_for_an_evaluator(
        tmp_path):
    import keras

    path = str(tmp_path / "inception_v3.weights.h5")
    keras.applications.InceptionV3(include_top=False,
                                   weights=None).save_weights(path)
    config = config_lib.TrainConfig(inception_weights=path)
    spec = registry.dataset_spec("faces")
    run = eval_lib.make_evaluation(config, spec, num_samples=12)
    result = run(samplers.real_sampler(spec), seed=3)
    assert {"fd", "fid_inception", "kid_inception"} <= set(
        result["metrics"])
    assert result["names"]["fid_inception"] == "FID"
    assert run.metric_keys(conditional=True) == list(result["metrics"])
    # Unlabelled images: no evaluator can exist, Inception alone works.
    data = tmp_path / "plain"
    dump.dump_dataset("faces", 12, str(data), seed=3, image_size=32,
                      verbose=0)
    os.remove(data / "tags.csv")
    config = config_lib.TrainConfig(inception_weights=path,
                                    data_dir=str(data))
    spec = registry.dataset_spec("faces", data_dir=str(data),
                                 image_size=32)
    run = eval_lib.make_evaluation(config, spec, num_samples=12)
    metrics = run(samplers.real_sampler(spec, data_dir=str(data)))[
        "metrics"]
    assert run.feature_space == "InceptionV3"
    assert run.metric_names()["fd"] == "FID"
    assert np.isfinite(metrics["fd"]) and "fid_inception" not in metrics


def test_small_real_set_is_not_repeated_in_the_reference(tmp_path):
    data = str(tmp_path / "faces")
    dump.dump_dataset("faces", 20, data, seed=3, verbose=0)
    spec = registry.dataset_spec("faces", data_dir=data)
    run = evaluation.Evaluation(spec, evaluators.load_shipped("faces"),
                                num_samples=50, data_dir=data,
                                kid_subsets=5)
    assert len(run._real["features"]) == 20
    result = run(samplers.real_sampler(spec, data_dir=data))
    # The generated side keeps its 50 (here: the 20 again, deduplicated).
    assert np.isfinite(result["metrics"]["recall"])
