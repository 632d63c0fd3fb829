"""Faces per 25 through an OpenCV cascade (keras_gans.metrics.face_count).

The cascade is one OpenCV ships (`haarcascade_frontalface_default.xml`);
no face photograph is available offline, so the images the test makes
hold none, and the counting itself runs on a stand-in detector. Tests
that need OpenCV skip when it is not installed (`pip install -e
".[dev]"` installs it).
"""

import os
import re
import sys

import numpy as np
import pytest

from keras_gans import config as config_lib
from keras_gans import eval_lib
from keras_gans import eval_report
from keras_gans import evaluation
from keras_gans import samplers
from keras_gans.datasets import registry
from keras_gans.metrics import face_count


@pytest.fixture(scope="module")
def haar():
    cv2 = pytest.importorskip("cv2")
    if not hasattr(cv2, "CascadeClassifier"):
        pytest.skip(f"OpenCV {cv2.__version__} has no CascadeClassifier")
    path = os.path.join(cv2.data.haarcascades,
                        "haarcascade_frontalface_default.xml")
    if not os.path.isfile(path):
        pytest.skip(f"OpenCV {cv2.__version__} ships no Haar cascades")
    return path


class _BrightIsAFace:
    """A stand-in cascade: "finds" a face in a bright picture, and keeps
    the arguments it was called with."""

    def __init__(self):
        self.calls = []

    def detectMultiScale(self, picture, **kwargs):  # noqa: N802 (cv2's)
        self.calls.append((picture.shape, picture.dtype, kwargs))
        return [(0, 0, 30, 30)] if picture.mean() > 128 else ()


def _images(bright, total, size=32):
    images = -np.ones((total, size, size, 3), "float32")
    images[:bright] = 1.0
    return images


def test_blank_images_hold_no_face(haar):
    counter = face_count.FaceCounter(haar)
    for value in (-1.0, 0.0, 1.0):
        images = np.full((25, 32, 32, 3), value, "float32")
        assert counter(images) == 0.0
    noise = np.random.default_rng(0).uniform(-1, 1, (25, 64, 64, 1))
    assert not counter.faces_found(noise).any()


def test_counts_per_25_over_whole_groups(haar):
    pytest.importorskip("cv2")
    cascade = _BrightIsAFace()
    counter = face_count.FaceCounter(cascade)
    # 60 images, 20 bright: the first 50 (two groups of 25) count.
    assert counter(_images(20, 60)) == 25 * 20 / 50
    counter.max_images = 25
    assert counter(_images(20, 60)) == 20.0
    shape, dtype, kwargs = cascade.calls[0]
    # 32 px -> 128, plus 16 px of padding on each side, uint8 grey.
    assert shape == (160, 160) and dtype == np.uint8
    assert kwargs == {"scaleFactor": 1.1, "minNeighbors": 5,
                      "minSize": (24, 24)}
    with pytest.raises(ValueError, match="at least 25 images"):
        counter(_images(3, 24))


def test_large_images_are_padded_not_resized(haar):
    counter = face_count.FaceCounter(haar)
    picture = counter.prepare(np.zeros((150, 200, 3), "float32"))
    assert picture.shape == (150 + 2 * 19, 200 + 2 * 19)
    picture = counter.prepare(np.zeros((64, 96, 1), "float32"))
    assert picture.shape == (128 + 32, 192 + 32)


def test_missing_or_invalid_cascade(haar, tmp_path):
    path = str(tmp_path / "lbpcascade_animeface.xml")
    with pytest.raises(FileNotFoundError, match=re.escape(
            f"--face_cascade file not found: {path!r}")):
        face_count.FaceCounter(path)
    for text in ("not a cascade", "<?xml version='1.0'?>\n<opencv_storage>"
                 "\n</opencv_storage>\n"):
        with open(path, "w") as f:
            f.write(text)
        with pytest.raises(ValueError, match="--face_cascade") as info:
            face_count.load_cascade(path)
        assert f"Received: face_cascade={path!r}" in str(info.value)
        assert "\n" not in str(info.value)


def test_without_opencv_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)  # import cv2 fails
    with pytest.raises(ImportError, match="opencv-python-headless<5"):
        face_count.load_cascade("any.xml")


def test_opencv_5_without_cascades(monkeypatch):
    cv2 = pytest.importorskip("cv2")
    monkeypatch.delattr(cv2, "CascadeClassifier", raising=False)
    with pytest.raises(ImportError, match="has no CascadeClassifier"):
        face_count.load_cascade("any.xml")


@pytest.mark.slow
def test_evaluation_reports_faces_per_25(haar, monkeypatch):
    spec = registry.dataset_spec("faces")
    config = config_lib.TrainConfig(dataset="faces", face_cascade=haar)
    run_eval = eval_lib.make_evaluation(config, spec, num_samples=50)
    assert isinstance(run_eval.face_counter, face_count.FaceCounter)
    result = run_eval(samplers.real_sampler(spec), seed=5)
    m = result["metrics"]
    keys = run_eval.metric_keys(conditional=True)  # real labels requested
    assert list(m) == keys
    assert "faces_per_25" in keys and "faces_per_25_real" in keys
    assert 0.0 <= m["faces_per_25"] <= 25.0
    assert 0.0 <= m["faces_per_25_real"] <= 25.0
    assert evaluation.higher_is_better("faces_per_25")
    # The counting path, with the stand-in: bright samples are faces.
    run_eval.face_counter = face_count.FaceCounter(_BrightIsAFace())
    bright = samplers.constant_sampler(np.full((64, 64, 3), 255, "uint8"))
    assert run_eval(bright)["metrics"]["faces_per_25"] == 25.0
    rows = "\n".join(eval_report.metric_table(result))
    assert "| faces found per 25, real data |" in rows
