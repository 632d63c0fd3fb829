"""What to try for each diagnosis, as flags a user can paste.

A remedy is a change of `TrainConfig` fields (their flags have the same
names). Each diagnosis lists the library's remedies for it, most direct
first, and keeps those that fit the run: a remedy the run already has, or
one its config would refuse (packing for a conditional model, label
smoothing for a loss without targets, a gradient penalty beside batch
norm), is left out, because each candidate is checked the way the command
line checks its flags (`config.resolve`).

Example:

```python
remedies(diagnosis, config)   # ('--d_learning_rate=5e-05', ...)
next_run_command(config, [diagnosis])
# 'python run.py --model=dcgan --dataset=ring --output_dir=runs/x_next
#  --d_learning_rate=5e-05'
```
"""

import dataclasses

from keras_gans import config as config_lib
from keras_gans import datasets
from keras_gans import losses
from keras_gans.models import variants

# Remedies listed per diagnosis, at most.
MAX_REMEDIES = 4
# What "a lower learning rate" divides by, per diagnosis.
LR_DIVISORS = {"d_wins": 4.0, "divergence": 10.0, "oscillation": 2.0}
# Fields a suggested command leaves out: where the run writes is given
# separately, and verbosity follows the terminal.
_NOT_REPEATED = ("output_dir", "verbose")


def _wasserstein_gp(config):
    """WGAN-GP's game in place of the run's: the critic loses batch norm
    (the penalty is per example) and the BCE-only options."""
    change = {"loss": "wasserstein", "penalty": "gradient_penalty"}
    if config.n_critic == 1:
        change["n_critic"] = 5
    if config.d_normalization == "batch":
        change["d_normalization"] = "layer"
    if config.label_smoothing:
        change["label_smoothing"] = 0.0
    return change


def _lower(rate, name):
    """A learning rate divided for diagnosis `name`, to 3 digits."""
    return float(f"{rate / LR_DIVISORS[name]:.3g}")


def _candidates(name, config):
    """The remedies of diagnosis `name`, most direct first (dicts of
    field -> value; `remedies` drops those the run cannot take)."""
    kind = datasets.dataset_defaults(config.dataset).kind
    conditional = variants.get(config.model).conditional
    wasserstein = config.loss == "wasserstein"
    if name == "d_wins":
        # The saturating game's own cure first: -log D(G(z)) keeps the
        # gradient that log(1 - D(G(z))) loses to a confident D.
        if config.loss == "minimax":
            yield {"loss": "non_saturating"}
        yield {"d_learning_rate": _lower(config.d_learning_rate, name)}
        if config.loss in losses.TARGET_LOSSES:
            yield {"label_smoothing": 0.2}
        if config.n_critic > 1:
            yield {"n_critic": max(1, config.n_critic // 2)}
        yield {"g_updates": config.g_updates * 2}
        if not wasserstein:
            yield _wasserstein_gp(config)
        if kind == "image":
            yield {"diff_augment": ("translation", "cutout")}
    elif name == "divergence":
        yield {"d_learning_rate": _lower(config.d_learning_rate, name),
               "g_learning_rate": _lower(config.g_learning_rate, name)}
        if config.precision == "mixed_float16":
            yield {"precision": "float32"}
        if wasserstein and config.penalty == "none":
            yield {"penalty": "gradient_penalty",
                   **({"d_normalization": "layer"}
                      if config.d_normalization == "batch" else {})}
        yield {"d_normalization": "spectral"}
        if config.beta_1 > 0.5:
            yield {"beta_1": 0.5}
    elif name == "oscillation":
        yield {"d_learning_rate": _lower(config.d_learning_rate, name),
               "g_learning_rate": _lower(config.g_learning_rate, name)}
        yield {"ema_decay": 0.999}
        if not wasserstein:
            yield _wasserstein_gp(config)
        yield {"lr_decay": "linear"}
    elif name == "collapse":
        # In the collapse study's order of measured gain on faces
        # (README, "The collapse study"): packing halved the excess
        # MS-SSIM, DiffAugment kept every hair and eye color.
        if not conditional:
            yield {"pack": 2}
        # Not for ACGAN: its sharper classifier made the quick start's
        # faces within a label more alike (MS-SSIM 0.49 -> 0.76, README
        # "The defaults, from the study").
        if kind == "image" and config.model != "acgan":
            yield {"diff_augment": ("translation", "cutout")}
        yield {"ema_decay": 0.999}
        yield {"generator_objective": "both"}
        # It did not help a batch-norm discriminator (whose batch
        # statistics already mix the samples), in the study.
        if config.d_normalization != "batch":
            yield {"minibatch_std": 4}
        if not wasserstein:
            yield _wasserstein_gp(config)
    elif name == "ignores_labels":
        if config.model == "cgan":
            yield {"d_conditioning": "projection"}
            yield {"matching_aware": True}
        if config.model == "acgan":
            yield {"class_loss_weight": config.class_loss_weight * 2}
        yield {"g_conditioning": "cbn"}
        yield {"g_conditioning": "embedding"}


def _fits(config, change):
    """Whether `change` changes `config` into a config `resolve` takes."""
    if all(getattr(config, k) == v for k, v in change.items()):
        return False
    try:
        config_lib.resolve(dataclasses.replace(config, **change))
    except ValueError:
        return False
    return True


def _resolvable(config):
    try:
        config_lib.resolve(config)
    except ValueError:  # e.g. its data_dir has moved: check nothing
        return False
    return True


def flag(name, value):
    """One field as the run.py flag of the same name, e.g.
    `--d_learning_rate=5e-05`, `--matching_aware`, `--diff_augment=a,b`."""
    if isinstance(value, bool):
        return f"--{name}" if value else f"--no{name}"
    if isinstance(value, (tuple, list)):
        return f"--{name}={','.join(str(v) for v in value)}"
    if isinstance(value, float):
        text = f"{value:g}"  # 5e-05, not 5.0000000000000002e-05
        if float(text) != value:
            text = repr(value)  # all the digits the value has
        return f"--{name}={text}"
    return f"--{name}={value}"


def as_flags(change):
    """A remedy as one pasteable string of flags."""
    return " ".join(flag(k, v) for k, v in change.items())


def remedy_changes(name, config):
    """The remedies of diagnosis `name` that fit `config` (dicts)."""
    check = _resolvable(config)
    found = []
    for change in _candidates(name, config):
        if None in change.values() or (check and not _fits(config, change)):
            continue
        if change not in found:
            found.append(change)
        if len(found) == MAX_REMEDIES:
            break
    return found


def remedies(diagnosis, config):
    """`diagnosis`'s remedies for the run of `config`, as flag strings."""
    return tuple(as_flags(c) for c in remedy_changes(diagnosis.name, config))


def _own_flags(config):
    """The flags that set what the run's config holds beyond the defaults
    of its model and dataset (the saved config is resolved: comparing with
    a default resolution leaves what the user chose)."""
    keep = {"model": config.model, "dataset": config.dataset}
    for name in ("data_dir", "base_model"):
        if getattr(config, name) is not None:
            keep[name] = getattr(config, name)
    baseline = config_lib.TrainConfig(**keep)
    try:
        baseline = config_lib.resolve(baseline)
    except ValueError:
        pass
    changes = dict(keep)
    for field in dataclasses.fields(config):
        name = field.name
        value = getattr(config, name)
        if name in keep or name in _NOT_REPEATED or value is None:
            continue
        if value != getattr(baseline, name):
            changes[name] = value
    return changes


def next_run_command(config, diagnoses, output_dir=None):
    """The command of the next run: the run's own flags, a new
    output_dir, and the first remedy of each diagnosis (in order) that
    fits with the ones before it.

    Args:
        config: the run's resolved `TrainConfig`.
        diagnoses: `rules.Diagnosis` objects, by step.
        output_dir: where the next run writes (default: the run's
            directory + "_next").

    Returns:
        (command line, the remedy flags it adds).
    """
    changes = _own_flags(config)
    chosen = {}
    check = _resolvable(config)
    for diagnosis in diagnoses:
        for change in remedy_changes(diagnosis.name, config):
            if set(change) & set(chosen):
                continue
            trial = dict(chosen, **change)
            if check and not _fits(config, trial):
                continue
            chosen = trial
            break
    changes.update(chosen)
    output_dir = output_dir or f"{config.output_dir.rstrip('/')}_next"
    parts = ["python run.py"] + [flag(k, v) for k, v in changes.items()
                                 if k in ("model", "dataset")]
    parts.append(f"--output_dir={output_dir}")
    parts += [flag(k, v) for k, v in changes.items()
              if k not in ("model", "dataset")]
    return " ".join(parts), as_flags(chosen)
