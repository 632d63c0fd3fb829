"""`--mode=eval`'s outputs: eval.json, a Markdown report and its pictures.

    <dir>/eval.json           the metrics, their display names, settings
    <dir>/eval.md             a short report: metric table, pictures
    <dir>/eval_samples.png    the first 64 evaluated samples (2-D: scatter)
    <dir>/eval_classes.png    per-class accuracy (conditional samplers) or
                              the classes the evaluator sees in the
                              samples next to the real data's
"""

import json
import math
import os

from keras_gans import evaluation
from keras_gans import graded
from keras_gans import visualize

JSON_FILE = "eval.json"
REPORT_FILE = "eval.md"
SAMPLES_FILE = "eval_samples.png"
CLASSES_FILE = "eval_classes.png"


def _json_value(value):
    value = float(value)
    return None if math.isnan(value) else value


def _format(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{value:.4g}"


def _total_of(key, totals):
    """How many there are of what `key` counts ("distinct/hair" -> the
    number of hair colors), or None."""
    if key == "modes_covered":
        return totals.get("num_modes")
    if key.startswith("distinct/"):
        return totals.get("num_values/" + key.split("/", 1)[1])
    if key == "distinct_combinations":
        return totals.get("num_combinations")
    if key == "distinct_classes":
        return totals.get("num_classes")
    return None


def metric_table(result):
    """Markdown table rows (metric, value, better) of a result; with a
    `compared` sampler (a run's moving average and its trained weights),
    one value column per sampler."""
    names = result["names"]
    compared = result.get("compared")
    if compared:
        lines = [f"| metric | {result['sampler']} | {compared['sampler']} "
                 "| better |", "|---|---|---|---|"]
    else:
        lines = ["| metric | value | better |", "|---|---|---|"]
    for key, value in result["metrics"].items():
        if key.startswith("kid_std") or key.endswith("_std"):
            continue
        shown = _format(value)
        std_key = (key.replace("kid", "kid_std", 1) if key.startswith("kid")
                   else key + "_std")  # is_inception_graph_std
        if std_key in result["metrics"]:
            shown += f" ± {_format(result['metrics'][std_key])}"
        total = _total_of(key, result.get("totals", {}))
        if total is not None:
            shown += f" of {total}"
        if compared:
            shown += f" | {_format(compared['metrics'].get(key))}"
        if key.endswith("_real"):
            better = "the data's own"
        else:
            better = ("higher" if evaluation.higher_is_better(key)
                      else "lower")
        lines.append(f"| {names.get(key, key)} | {shown} | {better} |")
    return lines


def write_report(result, output_dir, spec, title, extra=None):
    """Writes eval.json, eval.md and the pictures of one evaluation.

    Args:
        result: what `evaluation.Evaluation.__call__` returned.
        output_dir: where to write (created if missing).
        spec: the dataset's `DataSpec`.
        title: the report's heading, e.g. "dcgan on faces (runs/x)".
        extra: optional dict merged into eval.json (the run, the command).

    Returns:
        The path of eval.json.
    """
    os.makedirs(output_dir, exist_ok=True)
    samples_path = os.path.join(output_dir, SAMPLES_FILE)
    if spec.kind == "points":
        visualize.save_scatter(result["samples"], samples_path,
                               modes=spec.modes, title=title)
    else:
        visualize.save_image_grid(result["samples"], samples_path)
    classes_path = None
    caption = ""
    if result.get("per_class"):
        classes_path = os.path.join(output_dir, CLASSES_FILE)
        visualize.save_bar_chart(
            result["per_class"], classes_path, xlabel="accuracy",
            title="Evaluator accuracy per requested label")
        caption = "Evaluator accuracy per requested label"
    elif result.get("histogram"):
        classes_path = os.path.join(output_dir, CLASSES_FILE)
        visualize.save_bar_chart(
            result["histogram"]["generated"], classes_path,
            xlabel="fraction of samples",
            reference=result["histogram"]["real"],
            title="What the evaluator sees: samples vs real data")
        caption = ("Labels the evaluator predicts in the samples, next to "
                   "the real data")

    data = {
        "title": title,
        "dataset": spec.name,
        "sampler": result["sampler"],
        "num_samples": result["num_samples"],
        "feature_space": result["feature_space"],
        "metrics": {k: _json_value(v) for k, v in result["metrics"].items()},
        "names": result["names"],
        "totals": result.get("totals", {}),
    }
    if result.get("compared"):
        data["compared"] = {
            "sampler": result["compared"]["sampler"],
            "metrics": {k: _json_value(v) for k, v in
                        result["compared"]["metrics"].items()}}
    if result.get("per_class"):
        data["per_class"] = [
            {"label": tag, "accuracy": _json_value(acc), "count": int(n)}
            for tag, acc, n in result["per_class"]]
    if result.get("histogram"):
        data["histogram"] = {
            side: {tag: _json_value(v) for tag, v in entries}
            for side, entries in result["histogram"].items()}
    if result.get("graded"):
        data["graded"] = result["graded"]
    data.update(extra or {})
    json_path = os.path.join(output_dir, JSON_FILE)
    with open(json_path, "w") as f:
        json.dump(data, f, indent=2)

    lines = [f"# {title}", "",
             f"{result['num_samples']} samples of the {result['sampler']} "
             f"against {result['num_samples']} real ones; features: "
             f"{result['feature_space']}.", ""]
    lines += metric_table(result)
    if result.get("graded"):
        lines += ["", "Graded accuracy on the fixed condition sets (the "
                  "evaluator's top-k rule of the multi-object course; "
                  "each condition generated once per noise draw):", ""]
        lines += graded.table_lines(result["graded"])
    lines += ["", f"![samples]({SAMPLES_FILE})", ""]
    if classes_path:
        lines += [f"{caption}:", "", f"![classes]({CLASSES_FILE})", ""]
    if (spec.kind == "image" and result["feature_space"] != "InceptionV3"
            and "fid_inception" not in result["metrics"]
            and "fid_inception_graph" not in result["metrics"]):
        lines += ["The distances use the evaluator's features, not "
                  "Inception's: they compare runs on this dataset, not "
                  "with published FIDs (give --inception_graph for "
                  "those).", ""]
    with open(os.path.join(output_dir, REPORT_FILE), "w") as f:
        f.write("\n".join(lines))
    return json_path


def format_metrics(result):
    """One line per metric (and per graded set), for the console."""
    lines = metric_table(result)[2:]
    if result.get("graded"):
        lines += [f"| graded accuracy, {name} | {g['accuracy']:.4f} "
                  f"(std {g['std']:.4f} over {g['draws']} draws) |"
                  for name, g in result["graded"].items()]
    return "\n".join(lines).replace("| ", "").replace(" |", "")

