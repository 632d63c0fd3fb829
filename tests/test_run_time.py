"""The run-time estimate: logged once, from the timed steps only."""

import logging

import pytest

from keras_gans.callbacks import RunTimeEstimate
from keras_gans.callbacks import run_time


def test_estimate_is_logged_once_from_the_timed_steps(caplog, monkeypatch):
    clock = iter([10.0, 12.0])  # read after step 2 and after step 6
    monkeypatch.setattr(run_time.time, "perf_counter", lambda: next(clock))
    estimate = RunTimeEstimate(2400, skip_steps=2, timed_steps=4,
                               setting="precision float32")
    with caplog.at_level(logging.INFO, logger="keras_gans"):
        for batch in range(50):
            estimate.on_train_batch_end(batch)
    assert estimate.seconds_per_step == 0.5
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert messages[0].startswith(
        "2,400 steps at 0.50 s a step (precision float32): about 20 minutes "
        "left")


@pytest.mark.parametrize("seconds, text", [
    (45, "45 s"), (89, "89 s"), (720, "12 minutes"), (7560, "2.1 hours"),
])
def test_durations_read_as_people_say_them(seconds, text):
    assert run_time.describe_duration(seconds) == text
