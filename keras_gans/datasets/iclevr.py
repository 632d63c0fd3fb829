"""The iCLEVR multi-object course format: `--dataset=iclevr --data_dir=DIR`.

The course's folder holds, beside an `iclevr/` folder of PNG scenes:

- `objects.json`: the label names and their columns, a dict name -> index
  (`{"gray cube": 0, "red cube": 1, ..., "yellow cylinder": 23}`: the 8
  colors gray, red, blue, green, brown, purple, cyan, yellow of cubes, then
  spheres, then cylinders). The `LabelSpec` is "multi_hot" over these
  names in index order, so a label is a float32 (24,) 0/1 vector.
- `train.json`: the training scenes, a dict file name -> object names
  (`{"CLEVR_train_002066_0.png": ["cyan cube"], ...}`, 1 to 3 objects).
- `test.json`, `new_test.json`: the graded condition sets, lists of
  object-name lists (`[["gray cube"], ["red cube", "blue sphere"], ...]`),
  32 each; `condition_sets(DIR)` reads them as (32, 24) multi-hot arrays,
  and `read_condition_file(path, spec)` any other file in that format.

The scenes are 320x240: they are resized whole to the square image size
(the course's `transforms.Resize((64, 64))`), not centre-cropped, which
would cut off objects near the sides. Entries whose file is missing are
skipped and counted in one warning; an unknown object name is an error
naming the file, the entry and close known names (train.json:
`ignore_unknown_tags` skips such entries instead; condition files never
skip, so a graded set keeps its rows).

Example:

```python
dataset, spec = load_iclevr("data/iclevr", batch_size=64)
images, labels = next(iter(dataset))  # (64, 64, 64, 3), (64, 24) float32
sets = condition_sets("data/iclevr")  # {"test": (32, 24), "new_test": ...}
```
"""

import difflib
import logging
import os

import numpy as np

from keras_gans import validation
from keras_gans.datasets import folders
from keras_gans.datasets import image_files
from keras_gans.datasets import labels as labels_lib
from keras_gans.datasets.spec import DataSpec
from keras_gans.datasets.vocabulary import read_json_file

log = logging.getLogger("keras_gans")

OBJECTS_FILE = "objects.json"
TRAIN_FILE = "train.json"
CONDITION_FILES = {"test": "test.json", "new_test": "new_test.json"}
CONDITION_SETS = tuple(CONDITION_FILES)
IMAGES_SUBDIR = "iclevr"
_OBJECTS_WHAT = 'object names and their indices ({"gray cube": 0, ...})'


def read_objects(path):
    """The multi-hot `LabelSpec` of an `objects.json`: names by index.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not JSON, not a dict of names to the indices 0..N-1.
    """
    objects = read_json_file(path, _OBJECTS_WHAT)
    if not isinstance(objects, dict) or not objects:
        raise ValueError(
            f"{path}: expected a non-empty JSON object of {_OBJECTS_WHAT}. "
            f"Received: {str(objects)[:80]!r}"
        )
    bad = [(k, v) for k, v in objects.items()
           if not isinstance(v, int) or isinstance(v, bool) or not k.strip()]
    if bad:
        raise ValueError(
            f"{path}: each object needs a name and an integer index. "
            f"Received: {bad[0][0]!r}: {bad[0][1]!r}"
        )
    indices = sorted(objects.values())
    if indices != list(range(len(objects))):
        raise ValueError(
            f"{path}: the indices must be 0 to {len(objects) - 1}, each "
            f"once. Received: indices={indices[:10]}"
            f"{'...' if len(indices) > 10 else ''}"
        )
    names = sorted(objects, key=objects.get)
    return labels_lib.LabelSpec.for_multi_hot(names)


def label_spec(data_dir):
    """The `LabelSpec` of an iCLEVR folder (its objects.json)."""
    return read_objects(os.path.join(data_dir, OBJECTS_FILE))


def _unknown_name(path, where, name, label_spec, fix):
    close = difflib.get_close_matches(str(name), label_spec.names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return labels_lib.UnknownTagError(
        f"{path}, {where}: unknown object {name!r}{hint}. Known objects: "
        f"{image_files.first_few(map(repr, label_spec.names), 4)} "
        f"({len(label_spec.names)} in {OBJECTS_FILE}){fix}. Received: "
        f"{name!r}"
    )


def encode_objects(path, where, names, label_spec, fix=""):
    """One entry's object names -> float32 multi-hot (len(names),).

    `where` names the entry in messages ("entry 3"), `fix` is a sentence
    end added to the unknown-name message (what the user can do).

    Raises:
        UnknownTagError (a ValueError): an unknown name.
        ValueError: not a non-empty list of names.
    """
    if not isinstance(names, list) or not names or not all(
            isinstance(n, str) for n in names):
        raise ValueError(
            f"{path}, {where}: expected a non-empty list of object names "
            f"(e.g. [\"gray cube\", \"red sphere\"]). Received: {names!r}"
        )
    label = np.zeros(len(label_spec.names), "float32")
    for name in names:
        if name not in label_spec.names:
            raise _unknown_name(path, where, name, label_spec, fix)
        label[label_spec.names.index(name)] = 1.0
    return label


def read_condition_file(path, label_spec):
    """A condition file in the iCLEVR JSON list format (test.json's).

    Args:
        path: a JSON list of object-name lists, `[["gray cube"], ["red
            cube", "blue sphere"], ...]`.
        label_spec: the multi-hot `LabelSpec` (`label_spec(DIR)`, or a run's
            `gan.label_spec`).

    Returns:
        float32 array (N, len(label_spec.names)), row i the multi-hot label
        of entry i, in file order.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not JSON, not a non-empty list of name lists, or an
            unknown name (the message names the file and the entry).
    """
    label_spec = labels_lib.as_label_spec(label_spec)
    if label_spec.kind != "multi_hot":
        raise ValueError(
            f"Condition files hold object lists: they need a multi-hot "
            f"LabelSpec. Received: kind={label_spec.kind!r} for {path}"
        )
    entries = read_json_file(path, "a list of object-name lists")
    if not isinstance(entries, list) or not entries:
        raise ValueError(
            f"{path}: expected a non-empty JSON list of object-name lists "
            f"([[\"gray cube\"], [\"red cube\", \"blue sphere\"], ...]); "
            f"a dict of file names is train.json's format. Received: "
            f"{str(entries)[:80]!r}"
        )
    return np.stack([
        encode_objects(path, f"entry {i}", names, label_spec)
        for i, names in enumerate(entries)
    ])


def condition_sets(data_dir, names=CONDITION_SETS):
    """The graded condition sets of an iCLEVR folder.

    Args:
        data_dir: the folder holding objects.json, test.json and
            new_test.json (the images are not needed).
        names: which sets, of `CONDITION_SETS`.

    Returns:
        A dict name -> float32 (N, 24) multi-hot array, in file order.

    Raises:
        FileNotFoundError: a missing folder or file.
        ValueError: a malformed file (see `read_condition_file`).
    """
    data_dir = image_files.check_dir(data_dir)
    spec = label_spec(data_dir)
    out = {}
    for name in names:
        validation.check_choice("condition set", name, CONDITION_SETS)
        out[name] = read_condition_file(
            os.path.join(data_dir, CONDITION_FILES[name]), spec)
    return out


def _list(data_dir, ignore_unknown_tags):
    """(paths, labels (N, K) float32, LabelSpec), without decoding."""
    data_dir = image_files.check_dir(data_dir)
    spec = label_spec(data_dir)
    train_path = os.path.join(data_dir, TRAIN_FILE)
    entries = read_json_file(train_path,
                             "image file names -> object-name lists")
    if not isinstance(entries, dict) or not entries:
        raise ValueError(
            f"{train_path}: expected a non-empty JSON object of image file "
            f"names -> object-name lists ({{\"CLEVR_train_002066_0.png\": "
            f"[\"cyan cube\"], ...}}). Received: {str(entries)[:80]!r}"
        )
    image_dir = os.path.join(data_dir, IMAGES_SUBDIR)
    if not os.path.isdir(image_dir):
        image_dir = data_dir
    present = set(os.listdir(image_dir))
    paths, labels, missing, unknown = [], [], [], []
    for number, (file_name, names) in enumerate(entries.items()):
        try:
            label = encode_objects(
                train_path, f"entry {number} ({file_name!r})", names, spec,
                fix="; --ignore_unknown_tags skips such entries")
        except labels_lib.UnknownTagError:
            if not ignore_unknown_tags:
                raise
            unknown.append(file_name)
            continue
        if file_name not in present:
            missing.append(file_name)
            continue
        paths.append(os.path.join(image_dir, file_name))
        labels.append(label)
    if unknown:
        log.warning(
            "--ignore_unknown_tags: skipped %d entries of %s with unknown "
            "object names: %s", len(unknown), train_path,
            image_files.first_few(unknown),
        )
    if missing:
        log.warning(
            "%d image(s) named in %s are not in %s; skipped: %s",
            len(missing), train_path, image_dir,
            image_files.first_few(missing),
        )
    if not paths:
        raise ValueError(
            f"None of the {len(entries)} image files named in {train_path} "
            f"is in {image_dir}: expected the PNGs in {IMAGES_SUBDIR}/ "
            f"beside it. Received: data_dir={data_dir!r}"
        )
    return paths, np.stack(labels), spec


def iclevr_spec(data_dir, image_size=64, ignore_unknown_tags=False,
                name="iclevr"):
    """The `DataSpec` of an iCLEVR folder: reads its JSON files and lists
    its images, decodes none. Arguments as in `load_iclevr`."""
    image_size = validation.check_image_size(image_size)
    _, _, spec = _list(data_dir, ignore_unknown_tags)
    return DataSpec(name=name, kind="image",
                    sample_shape=(image_size, image_size, 3),
                    label_spec=spec)


def load_iclevr(data_dir, batch_size, seed=0, image_size=64, start_batch=0,
                ignore_unknown_tags=False, name="iclevr"):
    """An iCLEVR folder (layout in the module docstring).

    Args:
        data_dir: the folder: objects.json, train.json and iclevr/*.png
            (or the PNGs directly in it).
        batch_size: images per batch.
        seed: int: the same seed gives the same batches.
        image_size: side of the (square, RGB) images, one of
            `validation.IMAGE_SIZES`; each scene is resized whole.
        start_batch: the first batch (see `folders.load_tagged_folder`).
        ignore_unknown_tags: skip (and count) train.json entries naming an
            object outside objects.json instead of raising.
        name: the `DataSpec`'s name.

    Returns:
        (dataset, spec): a repeating `tf.data.Dataset` of (images float32
        (batch_size, S, S, 3) in [-1, 1], labels float32 (batch_size, 24)
        multi-hot) batches, and the `DataSpec` (its `label_spec`'s names in
        objects.json's order).

    Raises:
        FileNotFoundError: `data_dir`, objects.json or train.json missing.
        ValueError: malformed JSON, an unknown object name, no image file
            found, or none decodes (each message names the file).
    """
    image_size = validation.check_image_size(image_size)
    paths, labels, spec = _list(data_dir, ignore_unknown_tags)
    data_dir = image_files.check_dir(data_dir)
    images, ok = image_files.decode_images(paths, image_size, 3, data_dir,
                                           crop=False)
    dataset = folders.array_dataset(images, labels[ok], batch_size, seed,
                                    start_batch)
    data_spec = DataSpec(name=name, kind="image",
                         sample_shape=(image_size, image_size, 3),
                         label_spec=spec)
    return dataset, data_spec
