"""Does conditioning work? Each run's generator, scored by the evaluator.

    python benchmarks/conditioning.py runs/acgan runs/cgan_input ... \
        [--samples=2000] [--seed=0]

For label-conditional runs (cgan, acgan) it generates `--samples` images
for labels drawn from the real data's (`samplers.gan_sampler`) and prints
the evaluator's accuracy on the requested labels: per attribute, every
categorical attribute at once (faces: hair and eye colors both) and every
attribute; for multi-hot labels the top-k accuracy. Chance on faces: 1/12
for hair, 1/11 for eyes.

For InfoGAN runs (no labels), two figures for the first categorical code:
how often the Q head recovers it from the fakes, and the normalized mutual
information between it and each attribute the evaluator sees (0: the code
means nothing the evaluator knows; 1: it is that attribute).

For cGAN runs it also asks whether the discriminator reads the labels: on
1,000 real images, how often D(image, true labels) > D(image, labels with
one attribute changed) (`d_reads/hair`; 0.5: it ignores that attribute).
A discriminator that reads an attribute the generator still does not
draw points at the generator side.

Each run is scored with `eval_lib.evaluate`, which also writes its
`<run>/eval/` report. Run it alone: it uses the CPU fully.
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from keras_gans import TrainConfig  # noqa: E402
from keras_gans import evaluators  # noqa: E402
from keras_gans import eval_lib  # noqa: E402
from keras_gans import run_dir  # noqa: E402
from keras_gans import samplers  # noqa: E402
from keras_gans.doctor import reads_labels  # noqa: E402
from keras_gans.metrics import classification  # noqa: E402


def normalized_mutual_information(a, b):
    """NMI of two integer labelings, sqrt-normalized, in [0, 1]."""
    a = np.unique(a, return_inverse=True)[1]
    b = np.unique(b, return_inverse=True)[1]
    joint = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(joint, (a, b), 1.0)
    joint /= joint.sum()
    pa, pb = joint.sum(1), joint.sum(0)
    nz = joint > 0
    mi = float((joint[nz] * np.log(joint[nz] / np.outer(pa, pb)[nz])).sum())
    ha = -float((pa[pa > 0] * np.log(pa[pa > 0])).sum())
    hb = -float((pb[pb > 0] * np.log(pb[pb > 0])).sum())
    return mi / np.sqrt(ha * hb) if ha > 0 and hb > 0 else 0.0


def infogan_figures(run, num, seed):
    gan, config, spec = run_dir.load_gan(run)
    code_spec = gan.code_spec
    k = code_spec.categorical[0]
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((num, config.latent_dim)).astype("float32")
    categories = rng.integers(0, k, (num, len(code_spec.categorical)))
    continuous = rng.uniform(-1, 1, (num, code_spec.continuous))
    codes = code_spec.encode(categories=categories, continuous=continuous)
    images = np.concatenate([np.asarray(gan.generate(z[i:i + 500],
                                                     codes[i:i + 500]))
                             for i in range(0, num, 500)])
    q = np.concatenate([np.asarray(gan.discriminator(
        images[i:i + 500], training=False)[1]) for i in range(0, num, 500)])
    out = {"q_accuracy": float(np.mean(q[:, :k].argmax(1)
                                       == categories[:, 0]))}
    evaluator = evaluators.find_evaluator(spec, data_dir=config.data_dir)
    seen = classification.predict_labels(evaluator.scores(images),
                                         spec.label_spec)
    if spec.label_spec.kind == "attributes":
        for i, attribute in enumerate(spec.label_spec.attributes):
            out[f"nmi/{attribute.name}"] = normalized_mutual_information(
                categories[:, 0], seen[:, i])
    return out


def discriminator_reads_labels(run, num=1000, seed=0):
    """For each categorical attribute (or the class), the fraction of real
    images whose true labels D scores above the same labels with that
    attribute moved to another value (uniformly); see
    `keras_gans.doctor.reads_labels`."""
    gan, config, spec = run_dir.load_gan(run)
    images, labels = samplers.real_samples(spec, num, seed=seed + 1,
                                             data_dir=config.data_dir)
    return reads_labels.discriminator_reads_labels(
        gan.discriminator, images, labels, spec.label_spec, seed=seed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = []
    for run in args.runs:
        config = run_dir.read_config(run)
        steps = config.epochs * config.steps_per_epoch
        scheme = f"{config.g_conditioning} / {config.d_conditioning}"
        if config.matching_aware:
            scheme += ", matching-aware"
        if config.base_model:
            scheme += f", {config.base_model} game"
        scheme += f", {config.image_size}px"
        if config.model == "infogan":
            figures = infogan_figures(run, args.samples, args.seed)
            detail = ", ".join(f"{k} {v:.3f}" for k, v in figures.items())
            rows.append((run, config.model, scheme, steps, "", detail))
            continue
        result, _ = eval_lib.evaluate(TrainConfig(), output_dir=run,
                                       num_samples=args.samples,
                                       seed=args.seed)
        m = result["metrics"]
        keys = [k for k in m if k.startswith("accuracy") or k in (
            "categorical_correct", "all_correct", "image_accuracy")]
        detail = ", ".join(f"{k} {m[k]:.3f}" for k in keys)
        if config.model == "cgan":
            detail += "; " + ", ".join(
                f"{k} {v:.2f}"
                for k, v in discriminator_reads_labels(run).items())
        rows.append((run, config.model, scheme, steps,
                     f"{m['fd']:.1f}", detail))
    print(f"\n{args.samples} samples per run, seed {args.seed}\n")
    print("| run | model | G / D conditioning | steps | FD (evaluator) "
          "| conditioning |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(v) for v in row) + " |")


if __name__ == "__main__":
    main()
