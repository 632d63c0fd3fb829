"""Drawing samples from a trained run: `python run.py --mode=sample`.

`sample(output_dir, ...)` loads a run's latest checkpoint and writes a
picture and .npy arrays: samples for unconditional models, one row per
condition for `condition` (tags such as "blue hair, red eyes"), the model's
sample grids for label-conditional models, random codes for InfoGAN.
"""

import logging
import os

import numpy as np

from keras_gans import noise as noise_lib
from keras_gans import run_dir
from keras_gans import sample_grids
from keras_gans import visualize

log = logging.getLogger("keras_gans")


def parse_conditions(label_spec, condition):
    """The labels `--condition` names: one per ";"-separated condition.

    Args:
        label_spec: the model's `LabelSpec`.
        condition: text such as "blue hair, red eyes" or "red circle,
            blue square; green triangle" or "7".

    Returns:
        (labels, descriptions): labels (rows,) + label_spec.shape in the
        dataset's dtype, and each row's tags ("blue hair red eyes").

    Raises:
        UnknownTagError (a ValueError): a tag outside the vocabulary; the
            message lists the known tags.
        ValueError: an empty condition, or a label the spec refuses.
    """
    texts = [text.strip() for text in condition.split(";")]
    if not any(texts) or not all(texts):
        raise ValueError(
            "condition needs one condition per \";\"-separated part, "
            f"e.g. \"{' '.join(label_spec.tags[:2])}\". Known tags: "
            f"{', '.join(repr(t) for t in label_spec.tags)}. "
            f"Received: condition={condition!r}"
        )
    labels = np.stack([label_spec.parse_tags(text) for text in texts])
    descriptions = [label_spec.describe(label) for label in labels]
    return labels.astype(label_spec.dtype), descriptions


def sample(output_dir, num_samples, seed=0, path=None, condition=None,
           raw_generator=False, truncation=None):
    """Draws samples from a run's generator and writes a picture + .npy.

    - Unconditional models: `num_samples` samples.
    - Label-conditional models (cgan, acgan) with `condition`:
      `num_samples` samples per condition, one row per ";"-separated
      condition, the same noise in every row; the labels go to
      `<path stem>_labels.npy`.
    - Label-conditional models without `condition`: the model's sample
      grids (`keras_gans.sample_grids`: a row per class or attribute
      value, or the shapes condition sets; `sample_grids.COLUMNS`
      columns), the first at `path`, the others beside it as
      `<path stem>_<grid name>.png`; the .npy files hold every grid's
      samples and labels, in grid order.
    - InfoGAN: `num_samples` samples for random codes
      (`CodeSpec.sample` with `seed`), the codes in
      `<path stem>_codes.npy`.

    Args:
        output_dir: a run directory.
        num_samples: how many samples (per condition).
        seed: seed of the noise.
        path: PNG path; default `<output_dir>/samples/sample_seed<seed>.png`.
        condition: label-conditional models only: the labels to draw, as
            tags ("blue hair, red eyes", "red circle, blue square", "7");
            several separated by ";".
        raw_generator: draw from the trained generator, not its moving
            average (runs with `ema_decay`).
        truncation: None, or redraw z's coordinates beyond this many
            standard units (the truncation trick, `keras_gans.noise`).

    Returns:
        (samples array, PNG path). Images are uint8 NHWC, points float32.

    Raises:
        UnknownTagError (a ValueError): an unknown tag in `condition`; the
            message lists the known tags.
        ValueError: `condition` for a model that takes no labels.
    """
    gan, config, spec = run_dir.load_gan(output_dir, raw_generator)
    label_spec = gan.label_spec
    if condition is not None and label_spec is None:
        what = ("takes InfoGAN codes, not labels (sample without "
                "a condition: random codes)"
                if gan.code_spec is not None
                else "is unconditional")
        raise ValueError(
            "condition names labels of a label-conditional model "
            f"(cgan, acgan); model {config.model!r} {what}. "
            f"Received: condition={condition!r}"
        )
    path = path or os.path.join(
        output_dir, "samples", f"sample_seed{seed}.png"
    )
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    stem = os.path.splitext(path)[0]
    grids = []
    if label_spec is not None and condition is None:
        grids = sample_grids.grids(gan, spec, config.latent_dim, seed=seed,
                                   truncation=truncation)
    labels = codes = None
    if grids:
        samples, labels, written = [], [], []
        for i, grid in enumerate(grids):
            grid_path = path if i == 0 else f"{stem}_{grid.name}.png"
            images = visualize.to_uint8(
                sample_grids.generate_grid(gan, grid))
            visualize.save_image_grid(
                images, grid_path, num_rows=grid.num_rows,
                row_labels=grid.row_labels,
                title=f"{config.model}, seed {seed}: {grid.title}")
            samples.append(images)
            labels.append(np.asarray(grid.condition))
            written.append(grid_path)
        samples, labels = np.concatenate(samples), np.concatenate(labels)
        log.info("%d sample grids (%s): %s", len(grids),
                 ", ".join(grid.name for grid in grids), ", ".join(written))
    else:
        z = noise_lib.of_gan(gan, truncation).sample(
            seed, num_samples, config.latent_dim)
        if condition is not None:
            rows, descriptions = parse_conditions(label_spec, condition)
            # Column j has the same noise in every row.
            labels = np.repeat(rows, num_samples, axis=0)
            z = np.tile(z, (len(rows), 1))
            samples = sample_grids.generate_batched(gan, z, labels)
        elif gan.code_spec is not None:
            codes = gan.code_spec.sample(
                num_samples, np.asarray([seed, 0], "int64")).numpy()
            samples = sample_grids.generate_batched(gan, z, codes)
        else:
            samples = np.asarray(gan.generate(z))
        if spec.kind == "points":
            visualize.save_scatter(samples, path, modes=spec.modes,
                                   title=f"{config.model} on {spec.name}")
        else:
            samples = visualize.to_uint8(samples)
            if condition is None:
                visualize.save_image_grid(samples, path)
                if codes is not None:
                    log.info("InfoGAN samples for random codes; the "
                             "run's samples/ folder has its code "
                             "traversals.")
            elif len(descriptions) == 1:
                visualize.save_image_grid(samples, path,
                                          title=descriptions[0])
            else:
                visualize.save_image_grid(samples, path,
                                          row_labels=descriptions)
    np.save(stem + ".npy", samples)
    if labels is not None:
        np.save(stem + "_labels.npy", labels)
    if codes is not None:
        np.save(stem + "_codes.npy", codes)
    return samples, path
