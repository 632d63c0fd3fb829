"""Faces an OpenCV cascade detector finds, per 25 generated images.

A course report on anime-face GANs scores its generator by how many of 25
generated faces a face detector finds. This module measures the same
thing with any OpenCV cascade the user gives (`--face_cascade=FILE`):
`lbpcascade_animeface.xml` (nagadomi) for anime faces, or OpenCV's own
`haarcascade_frontalface_default.xml` for photographs. Nothing is
downloaded and no cascade ships with this library.

Per image, not on a 5x5 grid. Each image is examined alone and counts
once if the detector finds at least one face in it; `faces_per_25` is
25 times the fraction of such images (the mean, over groups of 25, of
the faces found in the group). On a pasted 5x5 grid the detector could
also fire on windows that straddle two cells, or find two faces in one
cell, and the grid's size would set which face sizes it can see; per
image the count is bounded by 25 and does not depend on the layout.

What the detector sees, and why:

- `UPSCALE_TO` = 128: an image whose shorter side is smaller is resized
  (bilinear) so that it is 128 pixels. Cascades are trained on 24 x 24
  windows (`lbpcascade_animeface`, `haarcascade_frontalface_default`),
  and a 32 or 64 pixel face at the edge of its image leaves them few
  scales to try; at 128 a face filling 20% to 100% of the image is 26 to
  128 pixels, all within the scanned range.
- `PAD_FRACTION` = 0.125 of the side added on each edge, repeating the
  edge pixels: generated faces often fill their frame, and a cascade's
  window includes some margin around the face it was trained on.
- grey levels with histogram equalisation, then `detectMultiScale` with
  `scaleFactor=1.1`, `minNeighbors=5`, `minSize=(24, 24)`: the settings
  of the animeface cascade's own example, also common for OpenCV's Haar
  cascades.
- at most `MAX_IMAGES` = 2,500 images (100 groups of 25), the first ones,
  to bound the time of an evaluation (4.6 ms a 64 x 64 image with
  OpenCV's Haar face cascade on 2 CPU cores: 12 s for 2,500).

Example:

```python
import cv2
from keras_gans.metrics import face_count

counter = face_count.FaceCounter(
    cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
counter(images)        # images in [-1, 1], (N, H, W, C): faces per 25
```
"""

import os

import numpy as np

GROUP = 25
UPSCALE_TO = 128
PAD_FRACTION = 0.125
SCALE_FACTOR = 1.1
MIN_NEIGHBORS = 5
MIN_SIZE = 24
MAX_IMAGES = 2500


def _cv2():
    """The cv2 module, with a cascade classifier."""
    try:
        import cv2
    except ImportError:
        raise ImportError(
            "--face_cascade needs OpenCV: pip install "
            "'opencv-python-headless<5' (or keras_gans[faces]).") from None
    if not hasattr(cv2, "CascadeClassifier"):
        # OpenCV 5 moved the cascades to opencv-contrib ("xobjdetect").
        raise ImportError(
            f"OpenCV {cv2.__version__} has no CascadeClassifier (OpenCV 5 "
            "moved it out): pip install 'opencv-python-headless<5' for "
            "--face_cascade.")
    return cv2


def load_cascade(path):
    """A `cv2.CascadeClassifier` from a cascade XML file.

    Raises:
        ImportError: OpenCV missing, or one without cascades.
        FileNotFoundError: no such file.
        ValueError: a file OpenCV cannot read as a cascade.
    """
    cv2 = _cv2()
    path = os.path.expanduser(os.fspath(path))
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"--face_cascade file not found: {path!r}. Received: "
            f"face_cascade={path!r}")
    try:
        cascade = cv2.CascadeClassifier(path)
        empty = cascade.empty()
    except (cv2.error, SystemError) as error:
        # A malformed file: cv2.error, which some builds raise from the
        # constructor as a SystemError around it.
        error = error.__cause__ or error
        reason = str(error).strip().splitlines()[-1].strip()
        empty = True
    else:
        reason = "it loads as an empty classifier"
    if empty:
        raise ValueError(
            f"--face_cascade {path!r} is not an OpenCV cascade file "
            f"(expected a Haar or LBP cascade XML such as "
            f"lbpcascade_animeface.xml; {reason}). Received: "
            f"face_cascade={path!r}")
    return cascade


def _grey_uint8(image):
    """One image in [-1, 1], (H, W, C) -> uint8 grey (H, W)."""
    pixels = np.clip(np.rint((np.asarray(image, "float32") + 1.0) * 127.5),
                     0, 255).astype("uint8")
    if pixels.shape[-1] == 3:
        return _cv2().cvtColor(pixels, _cv2().COLOR_RGB2GRAY)
    return pixels[..., 0]


class FaceCounter:
    """Counts the images in which a cascade finds a face.

    Args:
        cascade: path of a cascade XML file, or a loaded
            `cv2.CascadeClassifier` (anything with `detectMultiScale`).
        upscale_to, pad_fraction, scale_factor, min_neighbors, min_size,
            max_images: see the module docstring.
    """

    def __init__(self, cascade, upscale_to=UPSCALE_TO,
                 pad_fraction=PAD_FRACTION, scale_factor=SCALE_FACTOR,
                 min_neighbors=MIN_NEIGHBORS, min_size=MIN_SIZE,
                 max_images=MAX_IMAGES):
        if isinstance(cascade, (str, os.PathLike)):
            cascade = load_cascade(cascade)
        self.cascade = cascade
        self.upscale_to = upscale_to
        self.pad_fraction = pad_fraction
        self.scale_factor = scale_factor
        self.min_neighbors = min_neighbors
        self.min_size = min_size
        self.max_images = max_images

    def prepare(self, image):
        """The grey, upscaled, padded uint8 picture the detector scans."""
        cv2 = _cv2()
        grey = _grey_uint8(image)
        height, width = grey.shape
        if min(height, width) < self.upscale_to:
            scale = self.upscale_to / min(height, width)
            grey = cv2.resize(grey, (round(width * scale),
                                     round(height * scale)),
                              interpolation=cv2.INTER_LINEAR)
        pad = round(self.pad_fraction * min(grey.shape))
        if pad:
            grey = cv2.copyMakeBorder(grey, pad, pad, pad, pad,
                                      cv2.BORDER_REPLICATE)
        return cv2.equalizeHist(grey)

    def faces_found(self, images):
        """Whether each image holds at least one detected face.

        Args:
            images: `(N, H, W, C)`, float in [-1, 1], C in {1, 3}.

        Returns:
            bool array `(N,)`.
        """
        shape = np.shape(images)
        if len(shape) != 4 or shape[-1] not in (1, 3):
            raise ValueError(
                "Images must have shape (N, H, W, C) with C = 1 or 3. "
                f"Received: images.shape={shape}")
        found = np.zeros(shape[0], dtype=bool)
        for i in range(shape[0]):
            faces = self.cascade.detectMultiScale(
                self.prepare(images[i]), scaleFactor=self.scale_factor,
                minNeighbors=self.min_neighbors,
                minSize=(self.min_size, self.min_size))
            found[i] = len(faces) > 0
        return found

    def __call__(self, images):
        """Faces found per 25 images: over the first groups of 25 (at most
        `max_images` images; a last partial group is left out).

        Raises:
            ValueError: fewer than 25 images.
        """
        num = min(len(images), self.max_images) // GROUP * GROUP
        if num == 0:
            raise ValueError(
                f"faces_per_{GROUP} needs at least {GROUP} images. "
                f"Received: {len(images)} images")
        return float(GROUP * self.faces_found(images[:num]).mean())
