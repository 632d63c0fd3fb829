"""Tests for keras_gans.layers: it stands below keras_gans.networks."""

import subprocess
import sys


def test_layers_import_without_networks():
    # A fresh interpreter: this one may have imported the networks already.
    # The networks build on the layers; the reverse import was a cycle
    # that only worked when keras_gans.networks came first. Importing the
    # submodule runs the package's __init__, so this covers all of it.
    code = ("import sys\n"
            "import keras_gans.layers.conditioning\n"
            "print('keras_gans.networks' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "False"
