#!/usr/bin/env bash
# The README's evaluation table: trains every core variant on `grid` (its
# defaults, 5 x 1200 steps) and on `faces` (1 x 300 generator steps, to keep
# the five runs within about half an hour on 2 CPU cores), evaluates each
# with `--mode=eval` (10,000 samples), then prints the table with the
# anchors (real vs real, one repeated sample) and the default DCGAN run
# (3 x 300 steps on faces):
#
#     bash benchmarks/eval_variants.sh            # about 1 hour on 2 cores
#     OUT=runs/table MODELS="dcgan lsgan" bash benchmarks/eval_variants.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/eval_table}
MODELS=${MODELS:-"dcgan wgan wgan_gp lsgan sngan"}
for model in $MODELS; do
  for dataset in grid faces; do
    run="$OUT/${dataset}_${model}"
    steps=()
    if [ "$dataset" = faces ]; then steps=(--epochs=1 --steps_per_epoch=300); fi
    if [ ! -f "$run/gan.keras" ]; then
      python run.py --model="$model" --dataset="$dataset" "${steps[@]}" \
        --output_dir="$run" --export_format= --verbose=2
    fi
  done
done
# The default run (python run.py: DCGAN, 3 x 300 steps on faces).
if [ ! -f "$OUT/faces_dcgan_900/gan.keras" ]; then
  python run.py --output_dir="$OUT/faces_dcgan_900" --export_format= --verbose=2
fi
for run in "$OUT/faces_dcgan_900" $(for model in $MODELS; do
    echo "$OUT/grid_$model" "$OUT/faces_$model"; done); do
  python run.py --mode=eval --output_dir="$run"
done
python benchmarks/evaluation.py --table="$OUT"
