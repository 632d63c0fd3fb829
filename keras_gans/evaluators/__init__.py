"""Learned evaluators: small classifiers of each dataset's labels whose
features feed the Frechet distance, KID and precision/recall, and whose
predictions score conditional generation (see `evaluator` and
`training`)."""

from keras_gans.evaluators.evaluator import SHIPPED_NAMES  # noqa: F401
from keras_gans.evaluators.evaluator import Evaluator  # noqa: F401
from keras_gans.evaluators.evaluator import default_evaluator_dir  # noqa
from keras_gans.evaluators.evaluator import find_evaluator  # noqa: F401
from keras_gans.evaluators.evaluator import load_evaluator  # noqa: F401
from keras_gans.evaluators.evaluator import load_shipped  # noqa: F401
