"""Every python block of README.md runs as written, on tiny settings.

Each block is taken from the README as it stands; the only edits are the
substitutions in `TINY` (run lengths), each of which must still match, so a
README change that breaks a snippet, or stops matching a substitution,
fails here. The exported runs the serving snippets load are trained first,
for a step, in the same places the README's commands write them.
"""

import os
import re

import pytest

from keras_gans import TrainConfig
from keras_gans import train_lib

README = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "README.md")
# README text -> the tiny setting the test runs instead.
TINY = {
    "epochs=10, steps_per_epoch=500": "epochs=1, steps_per_epoch=1",
    'output_dir="runs/ring")': 'output_dir="runs/ring", epochs=1,\n'
                               '    steps_per_epoch=2, batch_size=16)',
}


def python_blocks(text):
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


@pytest.mark.slow
def test_readme_python_blocks_run(tmp_path, monkeypatch):
    with open(README) as f:
        blocks = python_blocks(f.read())
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)
    # The runs the serving snippets read (README: quick start, export).
    tiny = dict(epochs=1, steps_per_epoch=1, batch_size=8, verbose=0)
    train_lib.train(TrainConfig(model="acgan", dataset="faces",
                                image_size=32, output_dir="runs/acgan",
                                **tiny))
    train_lib.train(TrainConfig(model="wgan_gp", dataset="grid",
                                output_dir="runs/grid", **tiny))
    unused = set(TINY)
    for block in blocks:
        for text, replacement in TINY.items():
            if text in block:
                block = block.replace(text, replacement)
                unused.discard(text)
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102
    assert not unused, f"TINY substitutions no longer in the README: {unused}"
