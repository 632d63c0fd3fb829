"""How well a WGAN-GP critic alone learns the grid's optimal critic.

The generator is replaced by uniform fakes on [-5, 5]^2, so only the critic
learns. The optimal 1-Lipschitz critic is minus the distance to the nearest
mode, whose Wasserstein estimate on these fakes is about 0.70; the script
prints what the project's MLP critic reaches on held-out data, and its
penalty. It isolates the critic when a Wasserstein GAN does not concentrate
on the modes (README, "Benchmarks").

    python benchmarks/critic_capacity.py                       # ~15 s
    python benchmarks/critic_capacity.py --hidden=512,512,512 --lr=1e-3
    python benchmarks/critic_capacity.py --normalization=layer --gp_weight=1
"""

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_gans import networks  # noqa: E402
from keras_gans import penalties  # noqa: E402
from keras_gans.datasets import mixtures  # noqa: E402

HALF_WIDTH = 5.0  # fakes are uniform on [-5, 5]^2


def distance_to_modes(points, modes):
    """(N, 2), (K, 2) -> (N,) distance to the nearest mode."""
    return np.min(np.linalg.norm(points[:, None] - modes[None], axis=-1), 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hidden", default="200,200,200")
    parser.add_argument("--normalization", default="none")
    parser.add_argument("--activation", default="leaky_relu")
    parser.add_argument("--gp_weight", type=float, default=10.0)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--batch_size", type=int, default=128)
    args = parser.parse_args()

    keras.utils.set_random_seed(0)
    critic = networks.build_mlp_discriminator(
        hidden_units=[int(u) for u in args.hidden.split(",")],
        activation=args.activation, normalization=args.normalization)
    optimizer = keras.optimizers.Adam(args.lr, beta_1=0.0, beta_2=0.9)
    rng = np.random.default_rng(0)
    real_pool = mixtures.sample_mixture("grid", 200_000, seed=1)
    real_test = mixtures.sample_mixture("grid", 5000, seed=9)
    fake_test = rng.uniform(-HALF_WIDTH, HALF_WIDTH, (5000, 2))
    fake_test = fake_test.astype("float32")
    modes = mixtures.mixture_modes("grid")
    optimal = (distance_to_modes(fake_test, modes).mean()
               - distance_to_modes(real_test, modes).mean())

    @tf.function
    def step(real, fake, seed):
        with tf.GradientTape() as tape:
            estimate = (tf.reduce_mean(critic(real, training=True))
                        - tf.reduce_mean(critic(fake, training=True)))
            penalty = penalties.gradient_penalty(critic, real, fake, seed)
            loss = -estimate + args.gp_weight * penalty
        grads = tape.gradient(loss, critic.trainable_variables)
        optimizer.apply_gradients(zip(grads, critic.trainable_variables))
        return penalty

    print(f"critic {args.hidden} ({args.normalization}, {args.activation}), "
          f"lambda {args.gp_weight}, lr {args.lr}; optimal W {optimal:.3f}")
    start = time.perf_counter()
    for i in range(1, args.steps + 1):
        real = real_pool[rng.integers(0, len(real_pool), args.batch_size)]
        fake = rng.uniform(-HALF_WIDTH, HALF_WIDTH, (args.batch_size, 2))
        penalty = step(real, fake.astype("float32"),
                       tf.constant([i, 7], "int64"))
        if i % max(1, args.steps // 3) == 0:
            held_out = float(np.mean(critic(real_test))
                             - np.mean(critic(fake_test)))
            print(f"step {i}: W estimate {held_out:.3f} "
                  f"({100 * held_out / optimal:.0f}% of optimal), "
                  f"penalty {float(penalty):.4f}, "
                  f"{time.perf_counter() - start:.0f} s", flush=True)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
