"""Runs GAN training under tf.distribute in a fresh process, for
tests/test_distributed.py.

The strategies need set-up that must happen before TensorFlow initializes
(two logical CPU devices; a MultiWorkerMirroredStrategy created first thing),
which the pytest process is long past, so the tests run this script::

    python tests/distributed_worker.py mirrored OUT_DIR
    python tests/distributed_worker.py multi_worker OUT_DIR TASK_INDEX P0,P1

`mirrored` runs every MirroredStrategy scenario on two logical CPU devices
and writes OUT_DIR/results.json: {scenario: {...measurements...}} or
{scenario: {"error": traceback}}. The checks are made by the test, on the
JSON. `multi_worker` is one worker of a two-worker cluster on 127.0.0.1
(TF_CONFIG is built from the ports unless set already); it trains a tiny GAN
synchronously and writes OUT_DIR/worker<TASK_INDEX>.npz / .json.
"""

import json
import os
import sys
import time
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

LATENT_DIM = 2
DIM = 2


def _real_points(rows, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    # Offset so that the mean is far from the generator's constant.
    return (rng.normal(size=(rows, DIM)) + [1.5, -0.5]).astype("float32")


def _batches(data, batch_size):
    import tensorflow as tf

    return (tf.data.Dataset.from_tensor_slices(data)
            .batch(batch_size, drop_remainder=True).repeat())


def _linear_gan(generator_kernel, generator_bias, lr):
    """G(z) = z K + c (frozen: SGD lr 0), linear critic D(x) = w.x + b,
    both zero-initialized except G; Wasserstein loss, D optimizer SGD(lr).

    After one D update from w = 0: w = lr * (mean(real) - mean(fake)).
    """
    import keras
    import numpy as np
    import tensorflow as tf

    from keras_gans.models import GAN

    def const(value):
        value = np.asarray(value, "float32")
        return lambda shape, dtype=None: tf.constant(value, dtype="float32")

    z = keras.Input((LATENT_DIM,))
    generator = keras.Model(z, keras.layers.Dense(
        DIM, kernel_initializer=const(generator_kernel),
        bias_initializer=const(generator_bias))(z))
    x = keras.Input((DIM,))
    discriminator = keras.Model(x, keras.layers.Dense(
        1, kernel_initializer="zeros", bias_initializer="zeros")(x))
    gan = GAN(generator, discriminator, loss="wasserstein", seed=3)
    gan.compile(d_optimizer=keras.optimizers.SGD(lr),
                g_optimizer=keras.optimizers.SGD(0.0))
    return gan


def _fit_one_step(gan, data):
    gan.fit(_batches(data, len(data)), epochs=1, steps_per_epoch=1,
            verbose=0, shuffle=False)
    kernel, bias = gan.discriminator.layers[-1].get_weights()
    return kernel[:, 0].tolist(), float(bias[0])


class _patched:
    """Temporarily replaces attributes (a monkeypatch without pytest)."""

    def __init__(self, *replacements):
        self.replacements = replacements  # (owner, name, new value)

    def __enter__(self):
        self.saved = [(o, n, getattr(o, n)) for o, n, _ in self.replacements]
        for owner, name, value in self.replacements:
            setattr(owner, name, value)

    def __exit__(self, *exc):
        for owner, name, value in self.saved:
            setattr(owner, name, value)


def _without_loss_scaling():
    """Patch: the D and G steps see num_replicas=1, i.e. the division of
    the loss by num_replicas_in_sync is gone (a negative control)."""
    from keras_gans.models import GAN

    d_step, g_step = GAN._discriminator_step, GAN._generator_step
    return _patched(
        (GAN, "_discriminator_step",
         lambda self, real, labels, num_replicas: d_step(
             self, real, labels, 1)),
        (GAN, "_generator_step",
         lambda self, batch_size, labels, num_replicas: g_step(
             self, batch_size, labels, 1)),
    )


def _without_replica_fold_in():
    """Patch: `_next_seeds` sees no replica context, so every replica
    draws the same noise (a negative control)."""
    import tensorflow as tf

    from keras_gans.models import GAN

    next_seeds = GAN._next_seeds

    def patched(self, optimizer, num):
        with _patched((tf.distribute, "get_replica_context", lambda: None)):
            return next_seeds(self, optimizer, num)

    return _patched((GAN, "_next_seeds", patched))


# ----------------------------------------------------------------------
# MirroredStrategy scenarios. Each returns a JSON-able dict.

def scenario_loss_scaling(strategy):
    """One D step of a linear critic against a constant generator, with and
    without the strategy (and without the loss scaling, as a control)."""
    lr = 0.1
    constant = [0.25, -0.75]
    data = _real_points(8)
    result = {
        "lr": lr,
        "constant": constant,
        "real_mean": data.mean(axis=0).astype("float64").tolist(),
        # Per-replica halves differ, so a per-replica mean is not global.
        "replica_means": [data[:4].mean(axis=0).tolist(),
                          data[4:].mean(axis=0).tolist()],
    }
    zeros = [[0.0] * DIM] * LATENT_DIM
    gan = _linear_gan(zeros, constant, lr)
    result["default"] = _fit_one_step(gan, data)
    with strategy.scope():
        gan = _linear_gan(zeros, constant, lr)
    result["mirrored"] = _fit_one_step(gan, data)
    with _without_loss_scaling():
        with strategy.scope():
            gan = _linear_gan(zeros, constant, lr)
        result["mirrored_unscaled"] = _fit_one_step(gan, data)
    return result


def _per_replica_noise(strategy, gan, rows):
    """The generator's output on the noise each replica draws for its
    first D update: the start of `GAN._discriminator_step`, run in
    `strategy.run`."""
    import tensorflow as tf

    @tf.function
    def probe():
        def replica_fn():
            noise_seed = tf.unstack(gan._next_seeds(gan.d_optimizer, 3))[0]
            return gan.generator(gan._noise(rows, noise_seed),
                                 training=True)
        return strategy.run(replica_fn)

    return [t.numpy().tolist()
            for t in strategy.experimental_local_results(probe())]


def scenario_replica_noise(strategy):
    """G(z) = z (frozen) and a linear critic: one D update moves w by
    lr * (mean(real) - mean(all fakes)), which ties the noise the probe
    sees per replica to the noise `train_step` really used."""
    lr = 0.1
    data = _real_points(8, seed=1)
    identity = [[1.0, 0.0], [0.0, 1.0]]
    result = {"lr": lr, "real_mean": data.mean(axis=0).tolist()}
    for name, patch in (("fold_in", _patched()),
                        ("no_fold_in", _without_replica_fold_in())):
        with patch:
            with strategy.scope():
                gan = _linear_gan(identity, [0.0, 0.0], lr)
            fakes = _per_replica_noise(strategy, gan, rows=4)
            result[name] = {"fakes": fakes,
                            "update": _fit_one_step(gan, data)}
    return result


def scenario_clipping(strategy):
    """A WGAN (clip_value=0.01, 2 critic updates per step) trains 2 steps
    under the strategy."""
    import keras
    import numpy as np

    from keras_gans import networks
    from keras_gans.models import GAN

    keras.utils.set_random_seed(0)
    with strategy.scope():
        generator = networks.build_mlp_generator(
            latent_dim=LATENT_DIM, output_dim=DIM, hidden_units=(16, 16))
        discriminator = networks.build_mlp_discriminator(
            input_dim=DIM, hidden_units=(16, 16), normalization="none")
        gan = GAN(generator, discriminator, loss="wasserstein", n_critic=2,
                  clip_value=0.01, seed=0)
        gan.compile(d_optimizer=keras.optimizers.RMSprop(5e-5),
                    g_optimizer=keras.optimizers.RMSprop(5e-5))
    initial_max = max(float(np.abs(w).max())
                      for w in discriminator.get_weights())
    history = gan.fit(_batches(_real_points(64), 2 * 8), epochs=1,
                      steps_per_epoch=2, verbose=0, shuffle=False)
    critic = []
    for variable in discriminator.trainable_variables:
        # Every replica's copy of the mirrored variable.
        copies = [np.asarray(c) for c in
                  strategy.experimental_local_results(variable.value)]
        critic.append({
            "name": variable.path,
            "max_abs": float(max(np.abs(c).max() for c in copies)),
            "replicas": len(copies),
            "replica_diff": float(max(np.abs(c - copies[0]).max()
                                      for c in copies)),
        })
    # Every variable of the GAN, trainable or not, must hold the same value
    # on both replicas after training.
    replica_diff = {}
    for variable in generator.weights + discriminator.weights:
        copies = [np.asarray(c) for c in
                  strategy.experimental_local_results(variable.value)]
        replica_diff[variable.path] = float(
            max(np.abs(c - copies[0]).max() for c in copies))
    return {
        "initial_max_abs": initial_max,
        "critic": critic,
        "replica_diff": replica_diff,
        "d_iterations": int(gan.d_optimizer.iterations.numpy()),
        "g_iterations": int(gan.g_optimizer.iterations.numpy()),
        "history": {k: [float(v) for v in vs]
                    for k, vs in history.history.items()},
    }


def scenario_train_lib(strategy, output_dir):
    """`train_lib.train` end to end with the strategy passed in."""
    from keras_gans import config as config_lib
    from keras_gans import train_lib

    config = config_lib.TrainConfig(
        model="wgan_gp", dataset="ring", epochs=1, steps_per_epoch=2,
        batch_size=8, output_dir=output_dir, verbose=0)
    gan, history = train_lib.train(config, strategy=strategy)
    return {
        "output_dir": output_dir,
        "g_iterations": int(gan.g_optimizer.iterations.numpy()),
        "d_iterations": int(gan.d_optimizer.iterations.numpy()),
        "history": {k: [float(v) for v in vs]
                    for k, vs in history.history.items()},
    }


def scenario_moving_average(strategy):
    """The remedies under the strategy: the generator's moving average is
    assigned in cross-replica context, so every replica's copy agrees;
    DiffAugment, minibatch std and feature matching run in the step."""
    import numpy as np
    import tensorflow as tf

    from keras_gans import networks
    from keras_gans.models import GAN

    with strategy.scope():
        generator = networks.build_dcgan_generator(
            image_size=16, latent_dim=8, base_width=4)
        discriminator = networks.build_dcgan_discriminator(
            image_size=16, base_width=4, normalization="layer",
            minibatch_std=2)
        gan = GAN(generator, discriminator, ema_decay=0.5, seed=1,
                  diff_augment=("color", "translation", "cutout"),
                  generator_objective="both")
        gan.compile()
    images = np.random.default_rng(0).uniform(
        -1, 1, (8, 16, 16, 3)).astype("float32")
    gan.fit(tf.data.Dataset.from_tensors(images).repeat(),
            steps_per_epoch=3, epochs=1, verbose=0, shuffle=False)
    copies = [[t.numpy() for t in strategy.experimental_local_results(
        v.value)] for v in gan.ema_generator.weights]
    return {
        "replicas_agree": all(np.array_equal(c[0], other) for c in copies
                              for other in c[1:]),
        "ema_differs": max(float(np.abs(e.numpy() - g.numpy()).max())
                           for e, g in zip(gan.ema_generator.weights,
                                           gan.generator.weights)),
    }


def run_mirrored(out_dir):
    import tensorflow as tf

    (cpu,) = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    results = {"num_replicas_in_sync": strategy.num_replicas_in_sync}
    scenarios = {
        "loss_scaling": lambda: scenario_loss_scaling(strategy),
        "replica_noise": lambda: scenario_replica_noise(strategy),
        "clipping": lambda: scenario_clipping(strategy),
        "moving_average": lambda: scenario_moving_average(strategy),
        "train_lib": lambda: scenario_train_lib(
            strategy, os.path.join(out_dir, "train_lib_run")),
    }
    only = os.environ.get("KERAS_GANS_SCENARIOS")
    for name, scenario in scenarios.items():
        if only and name not in only.split(","):
            continue
        start = time.perf_counter()
        try:
            results[name] = scenario()
        except Exception:  # Reported to the test, which fails on it.
            results[name] = {"error": traceback.format_exc()}
        results[name]["seconds"] = round(time.perf_counter() - start, 2)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)


# ----------------------------------------------------------------------
# MultiWorkerMirroredStrategy: one worker of two.

def run_multi_worker(out_dir, task_index, ports):
    task_index = int(task_index)
    if "TF_CONFIG" not in os.environ:
        os.environ["TF_CONFIG"] = json.dumps({
            "cluster": {"worker": [f"127.0.0.1:{p}"
                                   for p in ports.split(",")]},
            "task": {"type": "worker", "index": task_index},
        })
    import tensorflow as tf

    # First thing, before any other TensorFlow work.
    strategy = tf.distribute.MultiWorkerMirroredStrategy()

    import keras
    import numpy as np

    from keras_gans import networks
    from keras_gans.models import GAN

    # Different initial weights on each worker on purpose: the strategy
    # must start every worker from worker 0's values.
    keras.utils.set_random_seed(100 + task_index)
    with strategy.scope():
        generator = networks.build_mlp_generator(
            latent_dim=LATENT_DIM, output_dim=DIM, hidden_units=(16, 16))
        discriminator = networks.build_mlp_discriminator(
            input_dim=DIM, hidden_units=(16, 16), normalization="none")
        gan = GAN(generator, discriminator, loss="wasserstein",
                  penalty="gradient_penalty", seed=0)
        gan.compile(d_optimizer=keras.optimizers.Adam(1e-2),
                    g_optimizer=keras.optimizers.Adam(1e-2))
    initial = [np.asarray(w) for w in generator.get_weights()]
    # Each worker gets its own shard of every global batch of 16.
    dataset = _batches(_real_points(64), 16)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = (
        tf.data.experimental.AutoShardPolicy.DATA)
    history = gan.fit(dataset.with_options(options), epochs=1,
                      steps_per_epoch=3, verbose=0, shuffle=False)
    final = generator.get_weights()
    np.savez(os.path.join(out_dir, f"worker{task_index}.npz"), **{
        f"{i:02d}:{v.path.replace('/', '.')}": w
        for i, (v, w) in enumerate(zip(generator.weights, final))})
    with open(os.path.join(out_dir, f"worker{task_index}.json"), "w") as f:
        json.dump({
            "num_replicas_in_sync": strategy.num_replicas_in_sync,
            "g_iterations": int(gan.g_optimizer.iterations.numpy()),
            "moved": float(max(np.abs(a - b).max()
                               for a, b in zip(initial, final))),
            "history": {k: [float(v) for v in vs]
                        for k, vs in history.history.items()},
        }, f)


if __name__ == "__main__":
    mode, directory = sys.argv[1], sys.argv[2]
    if mode == "mirrored":
        run_mirrored(directory)
    elif mode == "multi_worker":
        run_multi_worker(directory, *sys.argv[3:5])
    else:
        sys.exit(f"Unknown mode {mode!r}: use mirrored or multi_worker.")
    # Some TensorFlow processes idle for tens of seconds at exit after their
    # work is done (DESIGN.md, section 3); the results are written, so leave.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
