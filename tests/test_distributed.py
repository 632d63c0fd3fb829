"""The GAN under tf.distribute: MirroredStrategy on two logical CPU devices
and a two-worker MultiWorkerMirroredStrategy on 127.0.0.1.

Both need set-up before TensorFlow initializes, so the training runs in
fresh processes (tests/distributed_worker.py) and the checks are made here,
on what they write.
"""

import json
import math
import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

# Worker processes: the whole module is part of the slow set.
pytestmark = pytest.mark.slow

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKER = os.path.join(REPO, "tests", "distributed_worker.py")
MIRRORED_TIMEOUT_S = 300
MULTI_WORKER_TIMEOUT_S = 240


def _env(**extra):
    env = dict(os.environ)
    env.pop("TF_CONFIG", None)
    env["PYTHONPATH"] = os.pathsep.join(
        [REPO] + [p for p in [env.get("PYTHONPATH")] if p])
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["CUDA_VISIBLE_DEVICES"] = ""  # CPU devices only.
    env.update(extra)
    return env


def _tail(path, chars=6000):
    with open(path, errors="replace") as f:
        return f.read()[-chars:]


def _start(args, log_prefix, env):
    stdout = open(f"{log_prefix}.out", "w")
    stderr = open(f"{log_prefix}.err", "w")
    try:
        return subprocess.Popen(
            [sys.executable, WORKER, *args], cwd=REPO, env=env,
            stdout=stdout, stderr=stderr)
    finally:
        stdout.close()
        stderr.close()


def _wait_all(processes, timeout):
    """Waits for every (process, log prefix); kills all and fails on
    timeout or a non-zero exit, with the processes' stderr."""
    deadline = time.monotonic() + timeout
    timed_out = False
    for process, _ in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            timed_out = True
            break
    if timed_out:
        for process, _ in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    failed = [(p, prefix) for p, prefix in processes if p.returncode != 0]
    if timed_out or failed:
        report = "\n".join(
            f"--- {os.path.basename(prefix)}: exit {p.returncode}\n"
            f"{_tail(prefix + '.err')}"
            for p, prefix in processes)
        pytest.fail(
            ("timed out after %ds" % timeout if timed_out else "failed")
            + f"\n{report}", pytrace=False)


# ----------------------------------------------------------------------
# MirroredStrategy(["/cpu:0", "/cpu:1"]): all scenarios in one process.

@pytest.fixture(scope="module")
def mirrored(tmp_path_factory):
    out = tmp_path_factory.mktemp("mirrored")
    start = time.perf_counter()
    process = _start(["mirrored", str(out)], str(out / "worker"), _env())
    _wait_all([(process, str(out / "worker"))], MIRRORED_TIMEOUT_S)
    with open(out / "results.json") as f:
        results = json.load(f)
    results["wall_seconds"] = time.perf_counter() - start
    assert results["num_replicas_in_sync"] == 2
    return results


def _scenario(results, name):
    result = results[name]
    if "error" in result:
        pytest.fail(f"scenario {name} raised in the worker:\n"
                    f"{result['error']}", pytrace=False)
    return result


def test_losses_are_scaled_per_replica(mirrored):
    """A linear critic D(x) = w.x + b against a constant generator c, one
    Wasserstein SGD step from w = 0: w = lr * (mean(real) - c), the mean
    over the whole global batch, with or without the strategy. Without the
    division by num_replicas_in_sync (patched out in the worker, as a
    control) the summed replica gradients double the step."""
    r = _scenario(mirrored, "loss_scaling")
    expected = r["lr"] * (np.array(r["real_mean"]) - np.array(r["constant"]))
    assert np.abs(expected).min() > 1e-2  # A step worth measuring.
    default_w, default_b = r["default"]
    mirrored_w, mirrored_b = r["mirrored"]
    np.testing.assert_allclose(default_w, expected, atol=1e-6)
    np.testing.assert_allclose(mirrored_w, default_w, atol=1e-6,
                               err_msg="MirroredStrategy step != default")
    assert default_b == mirrored_b == 0.0  # d loss / d b = 1 - 1.
    # The control: the unscaled loss gives twice the step, so this test
    # fails if gan.py stops dividing by num_replicas_in_sync.
    unscaled_w, _ = r["mirrored_unscaled"]
    np.testing.assert_allclose(unscaled_w, 2 * expected, atol=1e-6)


def test_each_replica_draws_its_own_noise(mirrored):
    """With G(z) = z the noise each replica draws for its first D update is
    read in `strategy.run`; it must differ between the replicas, and the
    critic's update after one real step must be lr * (mean(real) -
    mean(both replicas' fakes)), which shows `train_step` used that very
    noise. The control (no replica id folded into the seed, patched in the
    worker) draws the same noise on both."""
    r = _scenario(mirrored, "replica_noise")
    lr, real_mean = r["lr"], np.array(r["real_mean"])

    fold_in = r["fold_in"]
    fakes = [np.array(f) for f in fold_in["fakes"]]
    assert len(fakes) == 2 and fakes[0].shape == (4, 2)
    assert np.abs(fakes[0] - fakes[1]).min() > 1e-4, (
        "the two replicas drew the same noise")
    np.testing.assert_allclose(
        fold_in["update"][0],
        lr * (real_mean - np.concatenate(fakes).mean(axis=0)), atol=1e-6)

    control = r["no_fold_in"]
    same = [np.array(f) for f in control["fakes"]]
    np.testing.assert_array_equal(same[0], same[1])
    np.testing.assert_allclose(
        control["update"][0], lr * (real_mean - same[0].mean(axis=0)),
        atol=1e-6)


def test_weight_clipping_under_strategy(mirrored):
    """A WGAN (clip_value=0.01, n_critic=2) trains 2 steps under the
    strategy: every critic weight ends in [-0.01, 0.01] on both replicas,
    and the losses in the History are finite."""
    r = _scenario(mirrored, "clipping")
    assert r["initial_max_abs"] > 0.1  # The clipping had work to do.
    assert r["d_iterations"] == 4 and r["g_iterations"] == 2
    for variable in r["critic"]:
        assert variable["replicas"] == 2
        assert variable["max_abs"] <= 0.01 + 1e-7, variable
        assert variable["replica_diff"] == 0.0, variable
    assert max(v["max_abs"] for v in r["critic"]) == pytest.approx(0.01)
    for name in ("d_loss", "g_loss"):
        assert len(r["history"][name]) == 1
        assert all(math.isfinite(v) for v in r["history"][name]), name


def test_replicas_hold_identical_weights(mirrored):
    """After training under MirroredStrategy every GAN variable, including
    the generator's batch-norm moving statistics, has one value on all
    replicas: whichever copy is saved or served is the model."""
    r = _scenario(mirrored, "clipping")
    diverged = {name: diff for name, diff in r["replica_diff"].items()
                if diff > 1e-6}
    assert not diverged, (
        f"variables differ between replicas (max abs difference): "
        f"{diverged}")


def test_remedies_with_mirrored_strategy(mirrored):
    """The moving average, DiffAugment, minibatch std and feature
    matching train under the strategy; the average's copies agree."""
    r = _scenario(mirrored, "moving_average")
    assert r["replicas_agree"]
    assert r["ema_differs"] > 0


def test_train_lib_with_mirrored_strategy(mirrored):
    """`train_lib.train(config, strategy=...)` runs end to end."""
    r = _scenario(mirrored, "train_lib")
    run = r["output_dir"]
    for name in ("config.json", "history.csv", "gan.keras",
                 "samples/epoch_0001.png", "checkpoints/latest.weights.h5",
                 "export/saved_model.pb", "export/keras_gans.json"):
        path = os.path.join(run, name)
        assert os.path.exists(path) and os.path.getsize(path) > 0, name
    # wgan_gp: n_critic=5 critic updates per generator update.
    assert r["g_iterations"] == 2 and r["d_iterations"] == 10
    for name in ("d_loss", "g_loss", "penalty"):
        assert all(math.isfinite(v) for v in r["history"][name]), name


# ----------------------------------------------------------------------
# MultiWorkerMirroredStrategy: two worker processes configured by TF_CONFIG.

def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def test_multi_worker_training_is_synchronous(tmp_path):
    """Two workers, each starting from different random weights, fit the
    same tiny WGAN-GP for 3 steps; both must exit 0 and end with identical
    generator weights (initial values broadcast, gradients all-reduced,
    batch-norm statistics kept in sync)."""
    ports = _free_ports(2)
    cluster = {"worker": [f"127.0.0.1:{p}" for p in ports]}
    processes = []
    for index in range(2):
        env = _env(TF_CONFIG=json.dumps(
            {"cluster": cluster, "task": {"type": "worker", "index": index}}))
        prefix = str(tmp_path / f"worker{index}")
        processes.append((_start(
            ["multi_worker", str(tmp_path), str(index),
             ",".join(map(str, ports))], prefix, env), prefix))
    _wait_all(processes, MULTI_WORKER_TIMEOUT_S)

    infos, weights = [], []
    for index in range(2):
        with open(tmp_path / f"worker{index}.json") as f:
            infos.append(json.load(f))
        with np.load(tmp_path / f"worker{index}.npz") as arrays:
            names = arrays.files
            weights.append([arrays[k] for k in names])
    for info in infos:
        assert info["num_replicas_in_sync"] == 2
        assert info["g_iterations"] == 3
        assert info["moved"] > 1e-3  # Training changed the generator.
        assert all(math.isfinite(v) for v in info["history"]["d_loss"])
    assert infos[0]["history"] == infos[1]["history"]
    assert len(weights[0]) == len(weights[1]) > 0
    diverged = {
        name: float(np.abs(a - b).max())
        for name, a, b in zip(names, *weights) if not np.array_equal(a, b)}
    assert not diverged, (
        f"generator weights differ between the workers (max abs "
        f"difference): {diverged}")
