"""keras_gans: classic GANs as Keras 3 models, trained with `fit`.

What a script imports (every name in `__all__`):

```python
import keras_gans

config = keras_gans.TrainConfig(model="sngan", dataset="ring",
                                output_dir="runs/ring")
gan, history = keras_gans.train(config)          # or resume
samples, png = keras_gans.sample("runs/ring", 64)
keras_gans.export_generator(gan.generator, "exports/ring", latent_dim=2,
                            sample_kind="points", dataset="ring")
sample_fn, metadata = keras_gans.load_exported("exports/ring")
```

The names load on first use (PEP 562): `import keras_gans.validation` or
`import keras_gans.layers` does not import the whole training stack.
"""

import importlib

# The one version source: setup.cfg reads it (`attr: keras_gans.__version__`).
__version__ = "0.1.0"

# Public name -> the module that defines it.
_PUBLIC = {
    # Models.
    "GAN": "keras_gans.models",
    "ConditionalGAN": "keras_gans.models",
    "ACGAN": "keras_gans.models",
    "InfoGAN": "keras_gans.models",
    # A run: config, training, reading it back, sampling, scoring.
    "TrainConfig": "keras_gans.config",
    "train": "keras_gans.train_lib",
    "build_gan": "keras_gans.builders",
    "load_gan": "keras_gans.run_dir",
    "export_run": "keras_gans.run_dir",
    "sample": "keras_gans.sampling",
    "evaluate": "keras_gans.eval_lib",
    # Data and their labels.
    "load_dataset": "keras_gans.datasets",
    "DataSpec": "keras_gans.datasets",
    "LabelSpec": "keras_gans.datasets",
    # Serving.
    "export_generator": "keras_gans.export",
    "load_exported": "keras_gans.export",
}

__all__ = sorted(_PUBLIC) + ["__version__"]


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PUBLIC))
