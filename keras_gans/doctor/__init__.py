"""The training doctor: a run watches itself, names what goes wrong, and
says what to try.

- `keras_gans.models.signals`: the step's cheap signals (D's scores and
  accuracies, the gradient norms), in every run's logs.
- `probe`: sample-based signals (modes, classes, MS-SSIM, labels).
- `timeline`: a run's signals over its steps; `rules`: the diagnoses
  (thresholds checked by benchmarks/doctor_calibration.py); `remedies`:
  the flags to try, fitted to the run.
- `callback.TrainingDoctor`: all of it during training (`--doctor=on`,
  the default); `report.diagnose_run`: afterwards (`--mode=diagnose`).

Example:

```python
from keras_gans import doctor

doctor.diagnose_run("runs/ring")     # writes runs/ring/diagnosis.md
```
"""

from keras_gans.doctor.callback import TrainingDoctor
from keras_gans.doctor.probe import SampleProbe
from keras_gans.doctor.probe import probe_for_run
from keras_gans.doctor.report import diagnose
from keras_gans.doctor.report import diagnose_run
from keras_gans.doctor.rules import Diagnosis
from keras_gans.doctor.timeline import Timeline
from keras_gans.models import variants

__all__ = ["Diagnosis", "SampleProbe", "Timeline", "TrainingDoctor",
           "diagnose", "diagnose_run", "doctor_for_run", "probe_for_run"]


def doctor_for_run(config, spec, output_dir, history_path=None,
                   initial_batch=0, board=None):
    """The `TrainingDoctor` of a run (`train_lib` builds it when
    `config.doctor` is "on").

    Args:
        config: the resolved `TrainConfig`.
        spec: the dataset's `DataSpec`.
        output_dir: the run directory (where an evaluator may be).
        history_path: a resumed run's history.csv, else None.
        initial_batch: steps of the first epoch done before this `fit`.
        board: the run's `TensorBoardLog`, or None: it gets each
            diagnosis as text.
    """
    labelled = variants.get(config.model).conditioning in (
        "labels", "classifier")
    probe = probe_for_run(config, spec, run_dir=output_dir,
                          labelled=labelled)

    def to_board(found):
        board.add_text("doctor", found.line(), found.step)

    return TrainingDoctor(
        config, config.steps_per_epoch,
        every_steps=config.doctor_every_steps, probe=probe,
        initial_batch=initial_batch, history_path=history_path,
        on_diagnosis=None if board is None else to_board)
