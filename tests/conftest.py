"""Shared test set-up: quiet TensorFlow, a fresh Keras session per test.

Shared builders of tiny networks, configs and data are in tests/helpers.py.
"""

import logging
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _clear_keras_session():
    """A fresh Keras session (layer names, random state) for each test.

    Without `clear_session`'s forced garbage collection: it took 0.3-0.8 s
    a test on a 2-core machine, most of the fast suite's time; Python's own
    collector still runs."""
    yield
    keras.backend.clear_session(free_memory=False)


@pytest.fixture(autouse=True, scope="session")
def _float32_by_default():
    """--precision=auto means float32 in every test, on every machine.

    On a CPU with AMX or AVX-512 BF16 "auto" is mixed_bfloat16; the tests'
    exact comparisons (save/load, resume, export against generate) must
    not depend on which machine runs them. Session-wide, so module-scoped
    fixtures build in float32 too; tests/test_precision.py tests "auto"
    itself and the mixed policies by name."""
    from keras_gans import hardware

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hardware, "native_bfloat16", lambda: False)
        patch.setattr(hardware, "gpu_compute_capability", lambda: None)
        yield


@pytest.fixture(autouse=True, scope="module")
def _no_doctor_probe(request):
    """Trainings outside the doctor's own tests run the doctor's rules but
    not its sample probe.

    The probe renders a few hundred real images and scores them with the
    data's evaluator when a run starts, and measures the generator's
    samples every epoch: about 8 s of a one-step faces run's 33-40 s on
    2 cores (README, "Development"), measuring nothing the test checks.
    tests/test_doctor*.py run it. Module-wide, so that module-scoped
    fixtures' runs write the same history columns as the tests' runs."""
    if request.module.__name__.split(".")[-1].startswith("test_doctor"):
        yield
        return
    from keras_gans import doctor

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(doctor, "probe_for_run", lambda *args, **kwargs: None)
        yield


@pytest.fixture
def logs(caplog):
    """caplog on the "keras_gans" logger, even when run.py turned off its
    propagation to the root logger."""
    logger = logging.getLogger("keras_gans")
    propagate = logger.propagate
    logger.propagate = False
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="keras_gans")
    yield caplog
    logger.removeHandler(caplog.handler)
    logger.propagate = propagate
