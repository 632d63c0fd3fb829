#!/usr/bin/env bash
# The README's evaluation table: trains every core variant on `grid` (its
# defaults, 5 x 1200 steps) and on `faces` (1 x 300 generator steps, to keep
# the five runs within about half an hour on 2 CPU cores), evaluates each
# with `--mode=eval` (10,000 samples), then prints the table with the
# anchors (real vs real, one repeated sample):
#
#     bash benchmarks/eval_variants.sh            # ~45 min on 2 cores
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
for model in $MODELS; do
  for dataset in grid faces; do
    python run.py --mode=eval --output_dir="$OUT/${dataset}_${model}"
  done
done
python benchmarks/evaluation.py --table="$OUT"
