"""--precision: the networks compute in the policy's dtype, train, save and
load; mixed_float16 scales its losses; "auto" follows the hardware."""

import keras
import numpy as np
import pytest

from keras_gans import builders
from keras_gans import hardware
from keras_gans import run_dir
from keras_gans import train_lib
from tests.helpers import BATCH
from tests.helpers import LATENT
from tests.helpers import batches
from tests.helpers import build
from tests.helpers import tiny_config

# The real ones: conftest makes "auto" float32 in every other test.
NATIVE_BFLOAT16 = hardware.native_bfloat16

PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16")
COMPUTE_DTYPE = {"float32": "float32", "mixed_bfloat16": "bfloat16",
                 "mixed_float16": "float16"}


def conv_dtypes(model):
    return {layer.compute_dtype for layer in model.layers
            if isinstance(layer, keras.layers.Conv2D)}


@pytest.mark.parametrize("precision", PRECISIONS)
@pytest.mark.parametrize("model", ["dcgan", "wgan_gp", "acgan"])
def test_step_trains_in_precision(model, precision):
    gan, config = build(model, precision=precision)
    # The hidden convolutions compute in the policy's dtype; the output
    # layers stay float32, so samples and logits are float32.
    assert COMPUTE_DTYPE[precision] in conv_dtypes(gan.discriminator)
    assert keras.mixed_precision.global_policy().name == "float32"
    assert all(v.dtype == "float32" for v in gan.trainable_variables)
    scaled = precision == "mixed_float16"
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert isinstance(optimizer,
                          keras.optimizers.LossScaleOptimizer) == scaled
    before = [v.numpy().copy() for v in gan.generator.trainable_variables]
    # Under mixed_float16 the first updates overflow at the initial loss
    # scale (2**15) and are skipped while the scale halves (5 times for
    # the tiny ACGAN), so it trains longer.
    history = gan.fit(batches(gan.label_spec, BATCH * config.n_critic),
                      epochs=1, steps_per_epoch=8 if scaled else 2,
                      verbose=0, shuffle=False)
    if scaled:
        assert float(gan.g_optimizer.dynamic_scale) < 2**15
    for key, values in history.history.items():
        assert np.all(np.isfinite(values)), (key, values)
    moved = [not np.array_equal(a, v.numpy()) for a, v in
             zip(before, gan.generator.trainable_variables)]
    assert all(moved)
    samples = gan.generator(gan._generator_inputs(
        np.zeros((2, LATENT), "float32"),
        None if gan.label_spec is None else np.zeros((2, 4), "int32")))
    assert samples.dtype == "float32"


@pytest.mark.slow
@pytest.mark.parametrize("precision", PRECISIONS)
def test_run_in_precision_saves_loads_and_resumes(tmp_path, precision):
    config = tiny_config(tmp_path, model="dcgan", dataset="faces",
                         image_size=32, base_width=4, batch_size=4,
                         latent_dim=LATENT, export_format=(),
                         precision=precision)
    gan, _ = train_lib.train(config)
    first_updates = int(gan.g_optimizer.iterations)
    first_scale = float(getattr(gan.g_optimizer, "dynamic_scale", 0.0))
    loaded, loaded_config, _ = run_dir.load_gan(str(tmp_path))
    assert loaded_config.precision == precision
    assert conv_dtypes(loaded.generator) == conv_dtypes(gan.generator)
    z = np.random.default_rng(0).normal(size=(3, LATENT)).astype("float32")
    np.testing.assert_array_equal(gan.generate(z), loaded.generate(z))
    # The optimizers (a LossScaleOptimizer's scale too) come back, so the
    # run continues.
    resumed, history = train_lib.train(tiny_config(
        tmp_path, model="dcgan", dataset="faces", image_size=32,
        base_width=4, batch_size=4, latent_dim=LATENT, export_format=(),
        precision=precision, epochs=2))
    if precision == "mixed_float16":
        # Skipped (overflowing) updates do not count; the loss scale the
        # first run reached came back with the optimizer.
        assert int(resumed.g_optimizer.iterations) >= first_updates
        assert float(resumed.g_optimizer.dynamic_scale) <= first_scale
    else:
        assert int(resumed.g_optimizer.iterations) == 6
    assert np.all(np.isfinite(history.history["d_loss"]))


def test_changing_precision_is_refused_on_resume(tmp_path):
    overrides = dict(model="dcgan", dataset="faces", image_size=32,
                     base_width=4, batch_size=4, latent_dim=LATENT,
                     export_format=())
    train_lib.train(tiny_config(tmp_path, precision="float32", **overrides))
    with pytest.raises(ValueError, match="precision: 'float32' -> "
                                         "'mixed_float16'"):
        train_lib.train(tiny_config(tmp_path, precision="mixed_float16",
                                    epochs=2, **overrides))


@pytest.mark.parametrize("flags, capability, expected", [
    ({"avx2", "fma"}, None, "float32"),
    ({"avx2", "avx512f"}, None, "float32"),
    ({"avx2", "avx512f", "avx512_bf16"}, None, "mixed_bfloat16"),
    ({"avx2", "amx_tile", "amx_bf16"}, None, "mixed_bfloat16"),
    ({"avx2"}, (7, 5), "float32"),
    ({"avx2"}, (8, 0), "mixed_bfloat16"),
    ({"amx_bf16"}, (7, 0), "float32"),
])
def test_auto_precision_follows_the_hardware(monkeypatch, flags, capability,
                                             expected):
    monkeypatch.setattr(hardware, "native_bfloat16", NATIVE_BFLOAT16)
    monkeypatch.setattr(hardware, "cpu_flags", lambda: flags)
    monkeypatch.setattr(hardware, "gpu_compute_capability",
                        lambda: capability)
    assert builders.precision_policy("auto") == expected
    assert builders.precision_policy("float32") == "float32"


def test_bad_precision_is_refused():
    with pytest.raises(ValueError, match="precision"):
        build("dcgan", precision="float64")
