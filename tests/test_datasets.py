"""The dataset registry, dump_dataset and their use by training runs."""

import os

import numpy as np
import pytest

from keras_gans import TrainConfig
from keras_gans import config as config_lib
from keras_gans import datasets
from keras_gans import run_dir
from keras_gans import sampling
from keras_gans import train_lib
from keras_gans import visualize
from keras_gans.datasets import dump
from keras_gans.datasets import faces
from keras_gans.datasets import shapes


@pytest.mark.parametrize("name", datasets.DATASET_NAMES)
def test_every_dataset_resolves_its_defaults(name):
    data_dir = "unused" if name in ("folder", "iclevr") else None
    config = config_lib.resolve(TrainConfig(dataset=name, data_dir=data_dir))
    defaults = datasets.dataset_defaults(name)
    assert config.batch_size == defaults.batch_size
    assert config.epochs == defaults.epochs
    assert config.image_size == defaults.image_size
    assert (config.image_size is None) == (defaults.kind == "points")


def test_run_length_flags_override_dataset_defaults():
    config = config_lib.resolve(TrainConfig(
        dataset="faces", epochs=2, steps_per_epoch=7, batch_size=5,
        image_size=32))
    assert (config.epochs, config.steps_per_epoch, config.batch_size,
            config.image_size) == (2, 7, 5, 32)


@pytest.mark.parametrize("overrides, match", [
    (dict(dataset="ring", data_dir="/data"), "^dataset 'ring' is a "
     "generated 2-D mixture: data_dir does not apply. Received: "
     "data_dir='/data'$"),
    (dict(dataset="grid", image_size=64), "^dataset 'grid' is a generated "
     "2-D mixture: image_size does not apply. Received: image_size=64$"),
    (dict(dataset="folder"), r"^dataset 'folder' reads images from "
     r"data_dir \(class sub-folders become labels\): set it\. Received: "
     "data_dir=None$"),
    (dict(dataset="faces", image_size=48), r"^image_size of dataset "
     r"'faces' must be one of 32, 64, 128\. Received: image_size=48$"),
    (dict(dataset="faces", data_dir="/d", image_size=256), r"^image_size "
     r"of dataset 'faces' must be one of 16, 32, 64, 128\. Received: "
     "image_size=256$"),
    (dict(dataset="imagenet"), "Valid names: 'ring'"),
])
def test_options_that_do_not_apply_fail_at_start_up(overrides, match):
    with pytest.raises(ValueError, match=match):
        config_lib.resolve(TrainConfig(**overrides))


@pytest.mark.parametrize("name, module", [("faces", faces),
                                          ("shapes", shapes)])
def test_procedural_specs_and_batches(name, module):
    spec = datasets.dataset_spec(name, image_size=32)
    assert spec.sample_shape == (32, 32, 3)
    assert spec.label_spec == module.LABEL_SPEC
    dataset, loaded_spec = datasets.load_dataset(name, 6, seed=1,
                                                 image_size=32)
    assert loaded_spec == spec
    images, labels = next(iter(dataset))
    assert images.shape == (6, 32, 32, 3) and images.dtype == "float32"
    assert labels.shape == (6,) + spec.label_spec.shape
    # A resumed run starts at the next unseen batch.
    batches = list(dataset.take(3))
    resumed, _ = datasets.load_dataset(name, 6, seed=1, image_size=32,
                                       start_batch=2)
    np.testing.assert_array_equal(next(iter(resumed))[0], batches[2][0])


def test_data_spec_json_round_trip():
    for spec in (datasets.dataset_spec("faces"),
                 datasets.dataset_spec("grid")):
        loaded = datasets.DataSpec.from_json(spec.to_json())
        assert (loaded.name, loaded.kind, loaded.sample_shape,
                loaded.label_spec) == (spec.name, spec.kind,
                                       spec.sample_shape, spec.label_spec)
        if spec.modes is not None:
            np.testing.assert_array_equal(loaded.modes, spec.modes)


def _by_pixels(images, labels):
    return {visualize.to_uint8(x).tobytes(): np.asarray(y)
            for x, y in zip(images, labels)}


@pytest.mark.parametrize("name, module, count", [
    ("faces", faces, 70), ("shapes", shapes, 9)])
def test_dump_reads_back_as_a_tagged_folder(tmp_path, name, module, count):
    out = str(tmp_path / name)
    spec = dump.dump_dataset(name, count, out, seed=3, image_size=32,
                             verbose=0)
    files = os.listdir(os.path.join(out, dump.IMAGES_DIR))
    assert sorted(files) == sorted(f"{i}.png" for i in range(count))
    with open(os.path.join(out, dump.TAGS_FILE)) as f:
        lines = f.read().splitlines()
    assert len(lines) == count and lines[0].startswith("0,")
    assert os.path.exists(os.path.join(out, dump.PREVIEW_FILE))
    # The first `count` images of the seed, pixels and labels, come back.
    rendered, rendered_labels = getattr(module, f"sample_{name}")(
        count, seed=3, image_size=32)
    expected = _by_pixels(rendered, rendered_labels)
    dataset, loaded_spec = datasets.load_dataset(
        name, count, data_dir=out, image_size=32)
    assert loaded_spec.label_spec == spec.label_spec
    images, labels = next(iter(dataset))
    loaded = _by_pixels(images.numpy(), labels.numpy())
    assert loaded.keys() == expected.keys()
    for key, label in loaded.items():
        np.testing.assert_array_equal(label, expected[key])
    assert dump.read_back_command(name, spec, out) == (
        f"python run.py --dataset={name} --data_dir={out}")


def test_dump_refuses_to_overwrite_and_points(tmp_path):
    (tmp_path / "old.txt").write_text("keep me")
    with pytest.raises(ValueError, match=f"^output_dir {tmp_path} is "
                       "not empty"):
        dump.dump_dataset("faces", 3, str(tmp_path), verbose=0)
    assert (tmp_path / "old.txt").read_text() == "keep me"
    with pytest.raises(ValueError, match="^dump_dataset writes images; "
                       "dataset 'ring' is 2-D points"):
        dump.dump_dataset("ring", 3, str(tmp_path / "ring"), verbose=0)
    for bad in (0, 2.0, True):
        with pytest.raises(ValueError, match=(
                "^num_images must be a positive integer. Received: "
                f"num_images={bad!r}$")):
            dump.dump_dataset("faces", bad, str(tmp_path / "none"),
                              verbose=0)


def test_faces_run_trains_samples_and_keeps_its_data_spec(tmp_path):
    config = TrainConfig(
        dataset="faces", image_size=32, base_width=8, epochs=1,
        steps_per_epoch=2, batch_size=4, output_dir=str(tmp_path),
        verbose=0, export_format=(),
    )
    train_lib.train(config)
    assert os.path.exists(tmp_path / "samples" / "epoch_0001.png")
    spec = run_dir.read_data_spec(str(tmp_path), config)
    assert spec.label_spec == faces.LABEL_SPEC
    samples, _ = sampling.sample(str(tmp_path), 5)
    assert samples.shape == (5, 32, 32, 3) and samples.dtype == np.uint8
