"""How a run learned, in one picture: the fixed-noise pictures at ten
stages of training, stitched into `progress.png` and `progress.gif`.

The stages come from the pictures `SamplePictures` wrote in `samples/`:
`epoch_NNNN.png` (at step NNNN * steps_per_epoch) and, with
`--sample_every_steps`, `step_NNNNNNN.png`. The ten nearest to ten evenly
spaced steps from the first picture to the last are kept (always the
first and the last), each labelled with its step. A conditional model's
first grid is the one shown (`epoch_NNNN_<name>.png` are left out).

Written at the end of training, and on demand:

    python run.py --mode=progress --output_dir=runs/ring

Example:

```python
from keras_gans import progress

png_path, gif_path = progress.write_progress("runs/ring")
```
"""

import os
import re

import numpy as np
from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

from keras_gans import run_dir

PNG_FILE = "progress.png"
GIF_FILE = "progress.gif"
STAGES = 10
COLUMNS = 5  # tiles per row of the montage: two rows of five
# Height of the band above each tile that holds its label, in pixels.
_LABEL_BAND = 18
_PAD = 4
# Frame times of the GIF: each stage, and the last one held.
FRAME_MS = 600
LAST_FRAME_MS = 2000

_EPOCH = re.compile(r"^epoch_(\d+)\.png$")
_STEP = re.compile(r"^step_(\d+)\.png$")


def sample_pictures(sample_dir, steps_per_epoch):
    """The run's fixed-noise pictures, sorted by step.

    Args:
        sample_dir: a run's samples/ directory.
        steps_per_epoch: the run's steps per epoch (epoch N's picture is
            at step N * steps_per_epoch).

    Returns:
        [(step, path)], one per step (a step picture and the epoch
        picture of the same step: the epoch's).
    """
    found = {}
    for name in sorted(os.listdir(sample_dir)):
        epoch, step = _EPOCH.match(name), _STEP.match(name)
        if epoch:
            found[int(epoch.group(1)) * steps_per_epoch] = name
        elif step:
            found.setdefault(int(step.group(1)), name)
    return [(step, os.path.join(sample_dir, found[step]))
            for step in sorted(found)]


def choose_stages(steps, num=STAGES):
    """Indices into sorted `steps` of the `num` nearest to evenly spaced
    steps from the first to the last (all of them if there are fewer).

    Example:

    >>> choose_stages([10, 20, 30, 1000], num=3)
    [0, 2, 3]
    """
    steps = np.asarray(steps, dtype="float64")
    if len(steps) <= num:
        return list(range(len(steps)))
    chosen = []
    for target in np.linspace(steps[0], steps[-1], num):
        # The nearest not taken yet, so there are `num` distinct stages.
        order = np.argsort(np.abs(steps - target), kind="stable")
        chosen.append(next(int(i) for i in order if int(i) not in chosen))
    return sorted(chosen)


def _font():
    try:
        return ImageFont.load_default(size=13)
    except TypeError:  # Pillow < 10.1: one bitmap size
        return ImageFont.load_default()


def labelled_tiles(pictures):
    """[(step, path)] -> RGB `PIL.Image`s of one size, each with "step N"
    in a band above it (pictures of another size are resized to the
    last's: titles that wrap differently change the height)."""
    images = []
    for _, path in pictures:
        with Image.open(path) as picture:
            images.append(picture.convert("RGB"))
    size = images[-1].size
    font = _font()
    tiles = []
    for (step, _), image in zip(pictures, images):
        if image.size != size:
            image = image.resize(size, Image.Resampling.LANCZOS)
        tile = Image.new("RGB", (size[0], size[1] + _LABEL_BAND), "white")
        tile.paste(image, (0, _LABEL_BAND))
        draw = ImageDraw.Draw(tile)
        text = f"step {step:,}"
        # Centred by its box (anchors need a TrueType font).
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        draw.text(((size[0] - right + left) // 2 - left,
                   (_LABEL_BAND - bottom + top) // 2 - top), text,
                  fill="black", font=font)
        tiles.append(tile)
    return tiles


def montage(tiles, columns=COLUMNS):
    """The tiles in rows of `columns`, left to right, with white gaps."""
    width, height = tiles[0].size
    columns = min(columns, len(tiles))
    rows = -(-len(tiles) // columns)
    sheet = Image.new("RGB", (columns * (width + _PAD) + _PAD,
                              rows * (height + _PAD) + _PAD), "white")
    for k, tile in enumerate(tiles):
        row, col = divmod(k, columns)
        sheet.paste(tile, (_PAD + col * (width + _PAD),
                           _PAD + row * (height + _PAD)))
    return sheet


def save_gif(tiles, path):
    """An animated GIF of the tiles, looping, the last frame held."""
    frames = [tile.convert("P", palette=Image.Palette.ADAPTIVE, colors=256)
              for tile in tiles]
    durations = [FRAME_MS] * (len(frames) - 1) + [LAST_FRAME_MS]
    frames[0].save(path, save_all=True, append_images=frames[1:],
                   duration=durations, loop=0)
    return path


def write_progress(output_dir, steps_per_epoch=None, num=STAGES):
    """Writes `<output_dir>/progress.png` and `progress.gif`.

    Args:
        output_dir: a run directory with pictures in samples/.
        steps_per_epoch: None: the run's config.json's.
        num: stages shown.

    Returns:
        (png path, gif path).

    Raises:
        FileNotFoundError: no config.json (not a run directory).
        ValueError: no epoch or step picture in samples/ yet.
    """
    if steps_per_epoch is None:
        steps_per_epoch = run_dir.read_config(output_dir).steps_per_epoch
    sample_dir = os.path.join(output_dir, "samples")
    pictures = (sample_pictures(sample_dir, steps_per_epoch)
                if os.path.isdir(sample_dir) else [])
    if not pictures:
        raise ValueError(
            f"The progress montage is made of the pictures in {sample_dir}"
            " (epoch_NNNN.png, step_NNNNNNN.png), and there are none yet: "
            "train the run for an epoch (or --sample_every_steps steps) "
            f"first. Received: output_dir={output_dir!r}"
        )
    stages = [pictures[i] for i in choose_stages(
        [step for step, _ in pictures], num)]
    tiles = labelled_tiles(stages)
    png_path = os.path.join(output_dir, PNG_FILE)
    montage(tiles).save(png_path)
    gif_path = save_gif(tiles, os.path.join(output_dir, GIF_FILE))
    return png_path, gif_path
