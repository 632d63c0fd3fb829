"""The reports' own data formats: the 2017 anime-faces course's
tags_clean.csv + faces/, the iCLEVR course folder, and a tagged folder's
own attributes.json (tiny folders written in tmp_path)."""

import json
import os
import shutil

import numpy as np
import pytest
import tensorflow as tf

from keras_gans import builders
from keras_gans import datasets
from keras_gans import run_dir
from keras_gans import sample_grids
from keras_gans import sampling
from keras_gans import train_lib
from keras_gans.datasets import faces
from keras_gans.datasets import iclevr
from keras_gans.datasets import tags_clean
from keras_gans.datasets import vocabulary
from keras_gans.datasets.labels import Attribute
from keras_gans.datasets.labels import LabelSpec
from keras_gans.export import contract
from tests.helpers import data_spec
from tests.helpers import resolved
from tests.helpers import tiny_config

# iCLEVR's objects.json: the 8 colors of cubes, then spheres, then
# cylinders (the course's file, indices 0 to 23).
COLORS = ("gray", "red", "blue", "green", "brown", "purple", "cyan",
          "yellow")
OBJECTS = {f"{color} {shape}": i * 8 + j
           for i, shape in enumerate(("cube", "sphere", "cylinder"))
           for j, color in enumerate(COLORS)}
TRAIN = {
    "CLEVR_train_002066_0.png": ["cyan cube"],
    "CLEVR_train_002066_1.png": ["cyan cube", "cyan sphere"],
    "CLEVR_train_002066_2.png": ["cyan cube", "cyan sphere",
                                 "gray cylinder"],
    "CLEVR_train_001032_0.png": ["yellow sphere"],
    "CLEVR_train_001032_1.png": ["yellow sphere", "gray cylinder"],
    "CLEVR_train_001032_2.png": ["yellow sphere", "gray cylinder",
                                 "purple cube"],
    "CLEVR_train_000007_0.png": ["red cube"],
    "CLEVR_train_000007_1.png": ["red cube", "blue cylinder"],
}
TEST = [["gray cube"], ["red cube"], ["blue cube"],
        ["blue cube", "green cube"]]
NEW_TEST = [["yellow cylinder", "red sphere"], ["brown sphere"]]
# A user's vocabulary: 4 attributes, one binary.
USER_VOCABULARY = {"attributes": [
    {"name": "hair", "values": ["silver", "blue", "red"]},
    {"name": "eyes", "values": ["gold", "green"]},
    {"name": "face", "values": ["smile", "frown", "open mouth"]},
    {"name": "glasses"},
]}
USER_TAGS = ["silver hair gold eyes smile face",
             "blue hair green eyes frown face glasses",
             "red hair gold eyes open mouth face",
             "silver hair green eyes frown face glasses"]
HAIR_EYE_TAGS = [f"{h} hair" for h in faces.HAIR_COLORS] + [
    f"{e} eyes" for e in faces.EYE_COLORS]


def _write_image(path, image):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    encode = (tf.io.encode_png if path.endswith(".png")
              else tf.io.encode_jpeg)
    tf.io.write_file(path, encode(tf.constant(image, "uint8")))


def _solid(value, height=16, width=16):
    """A uniform image: its gray `value` says which file it was."""
    return np.full((height, width, 3), value, "uint8")


def _write_json(path, values):
    with open(path, "w") as f:
        json.dump(values, f)


def _gray_levels(images):
    """The mean value in [0, 255] of each image of a [-1, 1] batch."""
    return np.round((np.asarray(images).mean(axis=(1, 2, 3)) + 1) * 127.5)


# tags_clean.csv + faces/ (the 2017 anime-faces course).

# id -> its tags_clean.csv tags; "skip" ids make no faces label.
CLEAN_LINES = {
    "0": "blue hair:1234\tred eyes:567\tlong hair:89\tsmile:12",
    "1": "drill hair:1229\tpink hair:4\tgreen eyes:77\tglasses:30",
    "2": "blonde hair:9\tblue eyes:8\tblush:3\tre:zero:2",
    "3": "aqua hair:5\taqua eyes:5\thair ornament:40",
    "4": "black hair:7\tbrown eyes:6\tclosed eyes:5\tglasses:3\tblush:1",
    "5": "white hair:3\tpurple eyes:2",
    "skip_two_hair": "blue hair:1234\tred hair:99\tred eyes:3",
    "skip_no_eyes": "silver hair:4\tgreen hair:10\tclosed eyes:40",
}
CLEAN_EXPECTED = {
    "0": "blue hair red eyes", "1": "pink hair green eyes glasses",
    "2": "blonde hair blue eyes blush", "3": "aqua hair aqua eyes",
    "4": "black hair brown eyes glasses blush",
    "5": "white hair purple eyes",
}


def _tags_clean_folder(folder, lines=CLEAN_LINES):
    """faces/<id>.jpg (gray level 20 * (k + 1)) + tags_clean.csv."""
    levels = {}
    for k, image_id in enumerate(lines):
        levels[image_id] = 20 * (k + 1)
        _write_image(os.path.join(folder, "faces", f"{image_id}.jpg"),
                     _solid(levels[image_id]))
    with open(os.path.join(folder, tags_clean.TAGS_CLEAN_FILE), "w") as f:
        f.write("".join(f"{i},{t}\n" for i, t in lines.items()))
    return levels


def test_split_tags_drops_counts_and_keeps_colons():
    assert tags_clean.split_tags(
        "blue hair:1234\tre:zero:12\t  long  hair:3\t\tsmile\t") == [
        "blue hair", "re:zero", "long hair", "smile"]


def test_tags_clean_folder_reads_as_faces_and_ignores_other_tags(
        tmp_path, logs):
    levels = _tags_clean_folder(str(tmp_path))
    # No --ignore_unknown_tags: the other tags are not errors here.
    dataset, spec = datasets.load_dataset(
        "faces", 6, seed=0, data_dir=str(tmp_path), image_size=32)
    assert spec.label_spec == faces.LABEL_SPEC
    assert spec.sample_shape == (32, 32, 3)
    images, labels = next(iter(dataset))
    assert images.shape == (6, 32, 32, 3) and images.dtype == tf.float32
    assert labels.shape == (6, 4) and labels.dtype == tf.int32
    # JPEG keeps a flat gray within a level or two.
    nearest = {v: min(CLEAN_EXPECTED, key=lambda i: abs(levels[i] - v))
               for v in _gray_levels(images)}
    got = {nearest[v]: faces.LABEL_SPEC.describe(label)
           for v, label in zip(_gray_levels(images), labels.numpy())}
    assert got == CLEAN_EXPECTED
    warning = [r.getMessage() for r in logs.records
               if "skipped 2 of 8" in r.getMessage()]
    assert len(warning) == 1
    assert "1 with several hair tags (ids skip_two_hair)" in warning[0]
    assert "1 with no eyes tag (ids skip_no_eyes)" in warning[0]
    # The same spec without decoding.
    assert datasets.dataset_spec("faces", data_dir=str(tmp_path),
                                 image_size=32) == spec


def test_tags_clean_as_one_23_wide_multi_hot_vector(tmp_path):
    _tags_clean_folder(str(tmp_path))
    _write_json(str(tmp_path / vocabulary.VOCABULARY_FILE),
                {"labels": HAIR_EYE_TAGS})
    labels = tags_clean.read_tags_clean(
        str(tmp_path / tags_clean.TAGS_CLEAN_FILE),
        vocabulary.folder_label_spec(str(tmp_path), None))
    # Several hair colors are fine in a multi-hot vector; no known tag at
    # all is not (skip_no_eyes has green hair, so it stays).
    assert set(labels) == set(CLEAN_LINES)
    spec = LabelSpec.for_multi_hot(HAIR_EYE_TAGS)
    assert spec.describe(labels["skip_two_hair"]) == (
        "red hair blue hair red eyes")
    assert labels["0"].dtype == np.float32 and labels["0"].shape == (23,)
    dataset, data = datasets.load_dataset("faces", 4, data_dir=str(tmp_path),
                                          image_size=32)
    assert data.label_spec == spec and data.label_spec.encoded_dim == 23
    assert next(iter(dataset))[1].shape == (4, 23)


def test_tags_csv_wins_over_tags_clean(tmp_path, logs):
    _tags_clean_folder(str(tmp_path))
    with open(tmp_path / "tags.csv", "w") as f:
        f.write("0,red hair red eyes\n")
    _, spec = datasets.load_dataset("faces", 1, data_dir=str(tmp_path),
                                    image_size=32)
    assert spec.label_spec == faces.LABEL_SPEC
    assert "reading tags.csv" in logs.text


@pytest.mark.parametrize("text, match", [
    ("0,blue hair:1\tred eyes:2\n0,red hair:1\tred eyes:2\n",
     r"tags_clean\.csv, line 2: id '0' is tagged twice"),
    ("0,blue hair:1\tred eyes:2\nno comma here\n",
     r"tags_clean\.csv, line 2: expected 'id,tag:count<TAB>tag:count\.\.\.'"),
    ("0,long hair:1\tsmile:2\n1,blue hair:3\n",
     r"^No line of .*tags_clean\.csv has the tags of a label: each image "
     r"needs exactly one hair and one eyes tag \(other tags are ignored\)"),
    (",blue hair:1\tred eyes:2\n", r"line 1: the id .* is empty"),
])
def test_bad_tags_clean_lines(tmp_path, text, match):
    _write_image(str(tmp_path / "faces" / "0.jpg"), _solid(9))
    (tmp_path / tags_clean.TAGS_CLEAN_FILE).write_text(text)
    with pytest.raises(ValueError, match=match):
        datasets.dataset_spec("faces", data_dir=str(tmp_path))


# iCLEVR.


def _iclevr_folder(folder, train=TRAIN, size=(24, 32)):
    """iclevr/*.png (gray level 20 * (k + 1), 24x32 like 240x320) + the
    four JSON files."""
    levels = {}
    for k, name in enumerate(train):
        levels[name] = 20 * (k + 1)
        _write_image(os.path.join(folder, iclevr.IMAGES_SUBDIR, name),
                     _solid(levels[name], *size))
    _write_json(os.path.join(folder, iclevr.OBJECTS_FILE), OBJECTS)
    _write_json(os.path.join(folder, iclevr.TRAIN_FILE), train)
    _write_json(os.path.join(folder, "test.json"), TEST)
    _write_json(os.path.join(folder, "new_test.json"), NEW_TEST)
    return levels


def _multi_hot(names):
    row = np.zeros(24, "float32")
    row[[OBJECTS[n] for n in names]] = 1.0
    return row


def test_iclevr_trains_on_multi_hot_labels_named_by_objects_json(tmp_path):
    levels = _iclevr_folder(str(tmp_path))
    dataset, spec = datasets.load_dataset(
        "iclevr", 4, seed=0, data_dir=str(tmp_path), image_size=32)
    assert spec.name == "iclevr" and spec.sample_shape == (32, 32, 3)
    assert spec.label_spec.kind == "multi_hot"
    assert spec.label_spec.names == tuple(sorted(OBJECTS, key=OBJECTS.get))
    assert spec.label_spec.names[:3] == ("gray cube", "red cube",
                                         "blue cube")
    assert spec.label_spec.names[-1] == "yellow cylinder"
    # Two batches of 4: one epoch, every scene once, with its own label.
    by_level = {v: name for name, v in levels.items()}
    seen = {}
    for images, labels in dataset.take(2):
        assert images.shape == (4, 32, 32, 3) and labels.dtype == tf.float32
        for v, label in zip(_gray_levels(images), labels.numpy()):
            seen[by_level[int(v)]] = label
    assert seen.keys() == TRAIN.keys()
    for name, label in seen.items():
        np.testing.assert_array_equal(label, _multi_hot(TRAIN[name]))
    assert datasets.dataset_spec("iclevr", data_dir=str(tmp_path),
                                 image_size=32) == spec


def test_iclevr_scenes_are_resized_whole_not_cropped(tmp_path):
    # A 32x64 scene with a red object in its left 8 columns: a centre
    # crop to 32x32 would cut it off.
    scene = np.zeros((32, 64, 3), "uint8")
    scene[:, :8, 0] = 255
    _iclevr_folder(str(tmp_path), train={"a.png": ["red cube"]})
    _write_image(str(tmp_path / "iclevr" / "a.png"), scene)
    dataset, _ = iclevr.load_iclevr(str(tmp_path), 1, image_size=32)
    image = next(iter(dataset))[0].numpy()[0]
    assert image[16, 1, 0] > 0.9 and image[16, 20, 0] < -0.9


def test_iclevr_condition_sets_and_condition_files(tmp_path):
    _iclevr_folder(str(tmp_path))
    sets = iclevr.condition_sets(str(tmp_path))
    assert set(sets) == {"test", "new_test"}
    assert sets["test"].dtype == np.float32
    assert sets["test"].shape == (4, 24)
    np.testing.assert_array_equal(
        sets["new_test"], np.stack([_multi_hot(row) for row in NEW_TEST]))
    spec = iclevr.label_spec(str(tmp_path))
    other = tmp_path / "mine.json"
    _write_json(str(other), [["purple cylinder", "gray sphere"]])
    rows = iclevr.read_condition_file(str(other), spec)
    np.testing.assert_array_equal(
        rows, [_multi_hot(["purple cylinder", "gray sphere"])])
    # A run's spec as a dict (e.g. metadata["labels"]) works too.
    np.testing.assert_array_equal(
        iclevr.read_condition_file(str(other), spec.to_dict()), rows)


@pytest.mark.parametrize("content, error, match", [
    ('[["gray cube"], ["grey cube"]]', ValueError,
     r"^.*mine\.json, entry 1: unknown object 'grey cube' \(did you mean "
     r"'gray cube'\?\)\. Known objects: 'gray cube', 'red cube', 'blue "
     r"cube', 'green cube', \.\.\. \(24 in objects\.json\)\. Received: "
     r"'grey cube'$"),
    ('[["gray cube"],', ValueError,
     r"mine\.json, line 1, column \d+: not valid JSON"),
    ('{"a.png": ["gray cube"]}', ValueError,
     r"mine\.json: expected a non-empty JSON list of object-name lists"),
    ("[]", ValueError, r"mine\.json: expected a non-empty JSON list"),
    ('[["gray cube"], "red cube"]', ValueError,
     r"mine\.json, entry 1: expected a non-empty list of object names"),
    ('[["gray cube"], []]', ValueError,
     r"mine\.json, entry 1: expected a non-empty list of object names"),
    (None, FileNotFoundError, r"mine\.json not found: expected a JSON file"),
])
def test_bad_condition_files(tmp_path, content, error, match):
    _iclevr_folder(str(tmp_path))
    path = tmp_path / "mine.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(error, match=match):
        iclevr.read_condition_file(str(path),
                                   iclevr.label_spec(str(tmp_path)))


def test_iclevr_unknown_objects_and_missing_images(tmp_path, logs):
    train = dict(TRAIN, **{"CLEVR_x.png": ["pink cube"]})
    _iclevr_folder(str(tmp_path), train=train)
    with pytest.raises(ValueError, match=(
            r"train\.json, entry 8 \('CLEVR_x\.png'\): unknown object "
            r"'pink cube'.*; --ignore_unknown_tags skips such entries\. "
            r"Received: 'pink cube'$")):
        datasets.dataset_spec("iclevr", data_dir=str(tmp_path))
    os.remove(tmp_path / "iclevr" / "CLEVR_train_002066_0.png")
    dataset, _ = datasets.load_dataset(
        "iclevr", 7, data_dir=str(tmp_path), image_size=32,
        ignore_unknown_tags=True)
    assert next(iter(dataset))[0].shape == (7, 32, 32, 3)
    assert "skipped 1 entries of" in logs.text
    assert ("1 image(s) named in" in logs.text
            and "CLEVR_train_002066_0.png" in logs.text)
    for name in TRAIN:
        path = tmp_path / "iclevr" / name
        if path.exists():
            os.remove(path)
    with pytest.raises(ValueError, match=(
            r"^None of the 9 image files named in .*train\.json is in")):
        datasets.dataset_spec("iclevr", data_dir=str(tmp_path),
                              ignore_unknown_tags=True)


@pytest.mark.parametrize("file_name, content, error, match", [
    ("objects.json", None, FileNotFoundError,
     r"objects\.json not found: expected a JSON file of object names"),
    ("train.json", None, FileNotFoundError,
     r"train\.json not found: expected a JSON file of image file names"),
    ("objects.json", '{"gray cube": 0, "red cube": 2}', ValueError,
     r"objects\.json: the indices must be 0 to 1, each once\. Received: "
     r"indices=\[0, 2\]"),
    ("objects.json", '["gray cube"]', ValueError,
     r"objects\.json: expected a non-empty JSON object"),
    ("train.json", '{"a.png": ["gray cube"]', ValueError,
     r"train\.json, line 1, column \d+: not valid JSON"),
    ("train.json", "{}", ValueError,
     r"train\.json: expected a non-empty JSON object of image file names"),
    ("train.json", '{"a.png": "gray cube"}', ValueError,
     r"train\.json, entry 0 \('a\.png'\): expected a non-empty list"),
])
def test_bad_iclevr_json_files(tmp_path, file_name, content, error, match):
    _iclevr_folder(str(tmp_path))
    path = tmp_path / file_name
    os.remove(path)
    if content is not None:
        path.write_text(content)
    with pytest.raises(error, match=match):
        datasets.dataset_spec("iclevr", data_dir=str(tmp_path))


def test_iclevr_needs_its_data_dir_and_shapes_points_to_it(tmp_path):
    from keras_gans import config as config_lib

    with pytest.raises(ValueError, match=(
            r"^dataset 'iclevr' reads data_dir .*: set it\. Received: "
            r"data_dir=None$")):
        config_lib.resolve(config_lib.TrainConfig(dataset="iclevr"))
    _iclevr_folder(str(tmp_path))
    with pytest.raises(ValueError, match=(
            r"holds objects\.json and train\.json, an iCLEVR folder, and "
            r"no tags\.csv: read it with --dataset=iclevr")):
        datasets.dataset_spec("shapes", data_dir=str(tmp_path))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        iclevr.condition_sets(str(tmp_path / "nowhere"))


# A user's attribute vocabulary (attributes.json).


def _user_folder(folder, tags=USER_TAGS, vocabulary_file=USER_VOCABULARY):
    for i in range(len(tags)):
        _write_image(os.path.join(folder, "images", f"{i}.png"),
                     _solid(20 * (i + 1)))
    with open(os.path.join(folder, "tags.csv"), "w") as f:
        f.write("".join(f"{i},{t}\n" for i, t in enumerate(tags)))
    _write_json(os.path.join(folder, vocabulary.VOCABULARY_FILE),
                vocabulary_file)


USER_SPEC = LabelSpec.for_attributes([
    Attribute("hair", ("silver", "blue", "red")),
    Attribute("eyes", ("gold", "green")),
    Attribute("face", ("smile", "frown", "open mouth")),
    Attribute("glasses"),
])


def test_vocabulary_file_declares_the_label_spec(tmp_path):
    path = tmp_path / "attributes.json"
    _write_json(str(path), USER_VOCABULARY)
    assert vocabulary.read_vocabulary(str(path)) == USER_SPEC
    assert vocabulary.label_spec_from_dict(
        vocabulary.vocabulary_to_dict(USER_SPEC)) == USER_SPEC
    # A binary attribute may be a bare name; spaces are collapsed.
    assert vocabulary.label_spec_from_dict({"attributes": [
        {"name": " hair ", "values": ["light  blue"]}, "glasses"]}) == (
        LabelSpec.for_attributes([Attribute("hair", ("light blue",)),
                                  Attribute("glasses")]))
    multi = vocabulary.label_spec_from_dict({"labels": HAIR_EYE_TAGS})
    assert multi.kind == "multi_hot" and multi.encoded_dim == 23


@pytest.mark.parametrize("content, match", [
    ('{"attributes": [', r"attributes\.json, line 1, column \d+: not valid "
     r"JSON"),
    ('["hair"]', r"attributes\.json: expected a JSON object with one key"),
    ('{"attributes": [], "x": 1}', r"unknown key\(s\) \['x'\]"),
    ('{"attributes": []}', r'"attributes" must be a non-empty list'),
    ('{"attributes": [{"name": "hair", "values": []}]}',
     r"the values of attribute 'hair' must be a non-empty list"),
    ('{"attributes": [{"name": "hair", "colors": ["red"]}]}',
     r"attribute 0 has unknown key\(s\) \['colors'\]"),
    ('{"attributes": [{"name": "hair", "values": ["red, blue"]}]}',
     r"a value of attribute 'hair' may not contain ','"),
    ('{"attributes": [{"name": "hair", "values": ["red"]}, '
     '{"name": "hair"}]}', r"attribute name\(s\) \['hair'\] given twice"),
    ('{"attributes": [{"name": "hair", "values": ["red"]}, '
     '{"name": "red hair"}]}', r"the tag\(s\) \['red hair'\] occur twice"),
    ('{"labels": ["red hair", 3]}', r"label 1 must be a non-empty string"),
])
def test_bad_vocabulary_files(tmp_path, content, match):
    _user_folder(str(tmp_path))
    (tmp_path / "attributes.json").write_text(content)
    with pytest.raises(ValueError, match=match):
        datasets.dataset_spec("faces", data_dir=str(tmp_path))


def test_user_vocabulary_folder_loads_with_its_labels(tmp_path, logs):
    _user_folder(str(tmp_path))
    dataset, spec = datasets.load_dataset("faces", 4, data_dir=str(tmp_path),
                                          image_size=32)
    assert spec.label_spec == USER_SPEC
    images, labels = next(iter(dataset))
    assert labels.shape == (4, 4) and labels.dtype == tf.int32
    got = {int(v) // 20 - 1: USER_SPEC.describe(label)
           for v, label in zip(_gray_levels(images), labels.numpy())}
    assert got == dict(enumerate(USER_TAGS))
    # Unknown tags are errors naming the file, line and tag ...
    _user_folder(str(tmp_path), tags=USER_TAGS + ["blue hair gold eyes "
                                                  "smile face hat"])
    with pytest.raises(ValueError, match=(
            r"tags\.csv, line 5: Unknown tag 'hat'.*ignore_unknown_tags")):
        datasets.dataset_spec("faces", data_dir=str(tmp_path))
    # ... unless skipped, and counted.
    assert datasets.dataset_spec(
        "faces", data_dir=str(tmp_path),
        ignore_unknown_tags=True).label_spec == USER_SPEC
    assert "skipped 1 line(s)" in logs.text
    # The embedded faces' tags are unknown to the user's vocabulary.
    _user_folder(str(tmp_path), tags=USER_TAGS + ["blonde hair gold eyes "
                                                  "smile face"])
    with pytest.raises(ValueError, match=r"Unknown tag 'blonde hair'"):
        datasets.dataset_spec("faces", data_dir=str(tmp_path))


def test_everything_downstream_follows_the_user_vocabulary():
    spec = data_spec(USER_SPEC, size=32)
    config = resolved("acgan", latent_dim=8, base_width=4)
    acgan = builders.build_gan(config, spec)
    heads = {layer.name: layer.units for layer in
             acgan.discriminator.layers if layer.name.endswith("_head")
             and hasattr(layer, "units")}
    assert heads == {"hair_head": 3, "eyes_head": 2, "face_head": 3,
                     "glasses_head": 1}
    assert acgan.discriminator.outputs[1].shape[-1] == 9
    cgan = builders.build_gan(resolved("cgan", latent_dim=8, base_width=4),
                              spec)
    assert cgan.label_spec == USER_SPEC
    labels = np.array([[2, 1, 2, 1], [0, 0, 0, 0]], "int32")
    images = cgan.generate(np.zeros((2, 8), "float32"), labels)
    assert tuple(images.shape) == (2, 32, 32, 3)
    grids = sample_grids.label_grids(USER_SPEC, 8)
    assert [g.name for g in grids] == ["hair", "eyes", "face", "glasses"]
    assert [g.num_rows for g in grids] == [3, 2, 3, 2]
    assert grids[2].row_labels == ["smile face", "frown face",
                                   "open mouth face"]
    rows, descriptions = sampling.parse_conditions(
        USER_SPEC, "red hair, green eyes, open mouth face, glasses; "
        "silver hair gold eyes frown face")
    np.testing.assert_array_equal(rows, [[2, 1, 2, 1], [0, 0, 1, 0]])
    assert descriptions[0] == "red hair green eyes open mouth face glasses"
    metadata = contract.label_condition(USER_SPEC).metadata
    assert [a["name"] for a in metadata["attributes"]] == [
        "hair", "eyes", "face", "glasses"]
    assert metadata["tags"][-1] == "glasses"


# Whole runs: train a step, then reload and sample without the data.


def _train(tmp_path, data_dir, model, dataset="faces", **overrides):
    out = str(tmp_path / f"run_{model}_{dataset}")
    config = tiny_config(
        out, model=model, dataset=dataset, data_dir=data_dir,
        image_size=32, batch_size=4, steps_per_epoch=1, latent_dim=8,
        base_width=4, export_format=(), **overrides)
    train_lib.train(config)
    return out, config


def test_runs_on_each_format_reload_and_sample_without_their_data(
        tmp_path):
    runs = []
    clean_dir = str(tmp_path / "anime")
    _tags_clean_folder(clean_dir)
    runs.append(_train(tmp_path, clean_dir, "cgan") + (
        faces.LABEL_SPEC, "blue hair, red eyes"))
    user_dir = str(tmp_path / "user")
    _user_folder(user_dir)
    runs.append(_train(tmp_path, user_dir, "acgan") + (
        USER_SPEC, "red hair green eyes smile face glasses"))
    clevr_dir = str(tmp_path / "clevr")
    _iclevr_folder(clevr_dir)
    runs.append(_train(tmp_path, clevr_dir, "cgan", dataset="iclevr") + (
        iclevr.label_spec(clevr_dir), "red cube, yellow cylinder"))
    for data_dir in (clean_dir, user_dir, clevr_dir):
        shutil.rmtree(data_dir)
    for out, config, label_spec, condition in runs:
        gan, _, spec = run_dir.load_gan(out)
        assert spec.label_spec == gan.label_spec == label_spec
        samples, path = sampling.sample(out, 2, condition=condition)
        assert samples.shape == (2, 32, 32, 3) and samples.dtype == np.uint8
        labels = np.load(os.path.splitext(path)[0] + "_labels.npy")
        assert label_spec.describe(labels[0]) == label_spec.describe(
            label_spec.parse_tags(condition))
        grids, _ = sampling.sample(out, 2)  # the sample grids
        assert len(grids) > 0
    # The user's vocabulary reaches the export metadata.
    out, config = runs[1][:2]
    export_dir = run_dir.export_run(config)
    with open(os.path.join(export_dir, contract.METADATA_FILENAME)) as f:
        metadata = json.load(f)
    assert metadata["labels"]["kind"] == "attributes"
    assert [a["name"] for a in metadata["labels"]["attributes"]] == [
        "hair", "eyes", "face", "glasses"]
    assert "open mouth face" in metadata["labels"]["tags"]
