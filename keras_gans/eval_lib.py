"""Scoring a generator: `python run.py --mode=eval` and the evaluation
that training runs every `eval_every` epochs.

`make_evaluation` picks the dataset's evaluator (and InceptionV3 when
`inception_weights` is given); `evaluate` scores a run's latest checkpoint
or an export and writes eval.json, eval.md and pictures
(`keras_gans.eval_report`).
"""

import dataclasses
import logging
import os


from keras_gans import datasets
from keras_gans import eval_report
from keras_gans import graded
from keras_gans import evaluation as evaluation_lib
from keras_gans import evaluators
from keras_gans import export as export_lib
from keras_gans import noise as noise_lib
from keras_gans import run_dir as run_dir_lib
from keras_gans import samplers
from keras_gans.datasets import codes

log = logging.getLogger("keras_gans")


def _generator_name(gan, model):
    """"dcgan generator", or which weights when the run has two."""
    if gan.ema_generator is None:
        return f"{model} generator"
    if gan.use_ema:
        return f"{model} generator (moving average, decay {gan.ema_decay})"
    return f"{model} generator (trained weights)"


def make_evaluation(config, spec, num_samples, run_dir=None):
    """The `evaluation.Evaluation` of a run: its dataset's evaluator (see
    `evaluators.find_evaluator`), InceptionV3 if `inception_weights`, the
    2015 Inception graph if `inception_graph` and a face counter if
    `face_cascade`."""
    inception = None
    if config.inception_weights:
        from keras_gans.metrics import inception as inception_lib

        model = inception_lib.build_inception_features(
            config.inception_weights)
        inception = (
            lambda images: inception_lib.inception_features(images, model),
            "InceptionV3",
        )
    try:
        evaluator = evaluators.find_evaluator(
            spec, data_dir=config.data_dir,
            evaluator_dir=config.evaluator_dir, run_dir=run_dir)
    except ValueError:
        if inception is None and not config.inception_graph:
            raise
        evaluator = None  # Inception features alone.
    graph = counter = None
    if spec.kind == "image" and config.inception_graph:
        from keras_gans.metrics import inception_graph as graph_lib

        graph = graph_lib.load_inception_graph(config.inception_graph)
    if spec.kind == "image" and config.face_cascade:
        from keras_gans.metrics import face_count

        counter = face_count.FaceCounter(config.face_cascade)
    return evaluation_lib.Evaluation(
        spec, evaluator=evaluator, inception=inception,
        num_samples=num_samples, data_dir=config.data_dir,
        inception_graph=graph, face_counter=counter,
    )


def evaluate(config, output_dir=None, export_dir=None, num_samples=None,
             seed=0, report_dir=None):
    """`--mode=eval`: scores a run's generator (or an export's) and writes
    eval.json, eval.md and pictures (see `keras_gans.eval_report`).

    Args:
        config: a `TrainConfig` for the evaluation options (evaluator_dir,
            inception_weights, data_dir); for a run, the run's own
            config supplies the dataset.
        output_dir: a run directory (its latest checkpoint).
        export_dir: an export directory instead (keras_gans.json names
            the dataset).
        num_samples: samples per side (default 10,000).
        seed: seed of the generated samples.
        report_dir: where to write (default `<run or export>/eval`).

    Returns:
        (result dict of `evaluation.Evaluation`, path of eval.json).
    """
    num_samples = num_samples or evaluation_lib.DEFAULT_NUM_SAMPLES
    if export_dir is not None:
        sample_fn, metadata = export_lib.load_exported(export_dir)
        sample_shape = metadata["sample_shape"]
        data_config = dataclasses.replace(config,
                                          dataset=metadata["dataset"])
        spec = datasets.dataset_spec(
            data_config.dataset, data_dir=data_config.data_dir,
            image_size=(sample_shape[0] if metadata["sample_kind"] == "image"
                        else None),
        )
        name = f"{metadata.get('model', 'exported')} export"
        exported_labels = metadata.get("labels")
        if exported_labels and spec.label_spec != sample_fn.label_spec:
            where = (f" in {data_config.data_dir}" if data_config.data_dir
                     else "")
            raise ValueError(
                "The export's labels are not those of dataset "
                f"{spec.name!r}{where}: it takes "
                f"{', '.join(exported_labels['tags'][:6])}, ...; give the "
                "data_dir it was trained on. Received: "
                f"data_dir={data_config.data_dir!r}"
            )

        # The noise the export was trained on (older exports: standard
        # normal), truncated as asked.
        trained = metadata["inputs"][export_lib.Z_INPUT].get("noise", {})
        noise = noise_lib.LatentNoise(
            trained.get("distribution", "normal"),
            trained.get("scale", 1.0), config.truncation)

        def make_sampler(evaluation):
            if metadata.get("labels"):
                # Labels drawn from the real reference's: the distances
                # compare like with like, and accuracy is measured.
                if evaluation.real_labels is None:
                    raise ValueError(
                        "A conditional export is evaluated on the labels "
                        f"of labelled real data; dataset {spec.name!r} "
                        "gave none."
                    )
                return samplers.generator_sampler(
                    sample_fn, metadata["latent_dim"], name=name,
                    condition_fn=evaluation.reference_labels, noise=noise)
            if metadata.get("codes"):
                code_spec = codes.CodeSpec.from_dict(metadata["codes"])
                return samplers.generator_sampler(
                    sample_fn, metadata["latent_dim"], name=name,
                    requested=False, condition_fn=code_spec.random,
                    noise=noise)
            return samplers.generator_sampler(
                sample_fn, metadata["latent_dim"], name=name, noise=noise)

        generate, latent_dim, labelled = (sample_fn, metadata["latent_dim"],
                                          bool(metadata.get("labels")))
        base, report_run = export_dir, None
        title = f"{metadata.get('model', 'export')} on {spec.name} " \
                f"({export_dir})"
    else:
        gan, run_config, spec = run_dir_lib.load_gan(
            output_dir, raw_generator=config.raw_generator)
        # This evaluation's options, not those the run trained with.
        data_config = dataclasses.replace(
            run_config, evaluator_dir=config.evaluator_dir,
            inception_weights=config.inception_weights,
            inception_graph=config.inception_graph,
            face_cascade=config.face_cascade)
        if config.data_dir:  # the data may have moved since training
            data_config = dataclasses.replace(data_config,
                                              data_dir=config.data_dir)
        def make_sampler(evaluation):
            return samplers.gan_sampler(
                gan, run_config.latent_dim, evaluation,
                name=_generator_name(gan, run_config.model),
                truncation=config.truncation)

        generate, latent_dim, labelled = (gan.generate, run_config.latent_dim,
                                          gan.label_spec is not None)
        noise = noise_lib.of_gan(gan, config.truncation)
        base = report_run = output_dir
        steps = int(gan.g_optimizer.iterations.numpy())
        title = f"{run_config.model} on {spec.name} ({output_dir}, " \
                f"{steps} generator steps)"
    if config.truncation is not None:
        title += f", z truncated at {config.truncation:g}"
    evaluation = make_evaluation(data_config, spec, num_samples,
                                 run_dir=report_run)
    sampler = make_sampler(evaluation)
    log.info("Scoring %d samples of the %s on %s.", num_samples,
             sampler.name, evaluation.feature_space)
    result = evaluation(sampler, seed=seed)
    if export_dir is None and gan.ema_generator is not None:
        # Side by side: the moving average and the trained weights, on
        # the same real reference, noise seed and requested labels.
        gan.use_ema = not gan.use_ema
        other = evaluation(make_sampler(evaluation), seed=seed)
        gan.use_ema = not gan.use_ema
        result["compared"] = {"sampler": other["sampler"],
                              "metrics": other["metrics"]}
    if labelled and evaluation.evaluator is not None:
        sets = graded.condition_sets(spec, data_config.data_dir,
                                     config.condition_file)
        if sets:
            # The graded score: a fixed condition set, several noise draws.
            def sample_for(conditions):
                return samplers.generator_sampler(
                    generate, latent_dim, noise=noise,
                    condition_fn=lambda num, seed: conditions)

            result["graded"] = graded.graded_accuracy(
                sample_for, evaluation.evaluator, sets,
                draws=config.condition_draws, seed=seed)
            log.info("Graded accuracy (%d noise draws per condition):\n%s",
                     config.condition_draws,
                     "\n".join(graded.table_lines(result["graded"])))
    elif config.condition_file is not None:
        raise ValueError(
            "condition_file grades a label-conditional generator (cgan, "
            "acgan) with an evaluator; this "
            + ("generator takes no labels" if not labelled else
               "dataset has no evaluator")
            + f". Received: condition_file={config.condition_file!r}")
    report_dir = report_dir or os.path.join(base, run_dir_lib.EVAL_DIR)
    path = eval_report.write_report(
        result, report_dir, spec, title,
        extra={"source": export_dir or output_dir, "seed": seed,
               "truncation": config.truncation},
    )
    return result, path
