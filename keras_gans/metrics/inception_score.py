"""Inception Score of class probabilities (Salimans et al. 2016).

    IS = exp(E_x[KL(p(y|x) || p(y))])

computed as improved-gan's `inception_score/model.py` computes it, the
form published scores use: the samples are cut into `splits` (10)
consecutive parts, p(y) is each part's mean prediction, the score of a
part is exp of its mean KL divergence, and the result is the mean and the
(population) standard deviation of the parts' scores. Barratt and Sharma
(2018) point out that a mean of exponentials is not the exponential of
the mean; we keep the reference form so values stay comparable.

A zero probability contributes 0 (its limit) where the reference would
give NaN; otherwise the formula is the reference's, in float64.

Example:

```python
import numpy as np
from keras_gans.metrics.inception_score import inception_score

p = np.eye(10)[np.arange(1000) % 10]   # confident and uniform over 10
inception_score(p)                      # (10.0, 0.0)
```

Reference:
    - [Salimans et al., 2016](https://arxiv.org/abs/1606.03498)
    - [Barratt and Sharma, 2018](https://arxiv.org/abs/1801.01973)
"""

import numpy as np

from keras_gans import validation

SPLITS = 10


def inception_score(probabilities, splits=SPLITS):
    """Mean and standard deviation of the Inception Score over splits.

    Args:
        probabilities: array-like `(N, K)`, rows summing to 1 (a
            classifier's softmax), N >= splits.
        splits: number of consecutive parts (10 in published scores).

    Returns:
        `(mean, std)` as floats: between 1 (every sample gets the same
        prediction) and K (confident and evenly spread over K classes).

    Raises:
        ValueError: not 2-D, negative values, or fewer samples than
            splits.
    """
    splits = validation.check_int("splits", splits)
    p = np.asarray(probabilities, dtype="float64")
    if p.ndim != 2 or len(p) < splits:
        raise ValueError(
            "`probabilities` must have shape (N, K) with N >= splits "
            f"({splits}). Received: probabilities.shape={p.shape}")
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError(
            "`probabilities` must be finite and non-negative (a softmax). "
            f"Received: min={np.nanmin(p)}, finite={np.isfinite(p).all()}")
    n = len(p)
    scores = []
    for i in range(splits):
        part = p[i * n // splits:(i + 1) * n // splits]
        marginal = part.mean(axis=0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            kl = np.where(part > 0, part * (np.log(part) - np.log(marginal)),
                          0.0)
        scores.append(np.exp(kl.sum(axis=1).mean()))
    return float(np.mean(scores)), float(np.std(scores))
