#!/usr/bin/env bash
# The README's conditioning table: trains cGAN with each D scheme (G:
# concat), each other G scheme (D: projection), the matching-aware and the
# hinge/spectral-norm games, ACGAN and InfoGAN, all on the procedural faces
# at 32x32 for the same number of steps, then scores every run with the
# faces evaluator (benchmarks/conditioning.py, 2,000 samples each):
#
#     bash benchmarks/conditioning_runs.sh             # about 30 minutes on 2 cores
#     EPOCHS=8 OUT=runs/cond_long bash benchmarks/conditioning_runs.sh
#
# The quick start's ACGAN (64x64, 2,400 steps) is scored by
# `python run.py --mode=eval --output_dir=runs/default --eval_samples=10000`.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/conditioning}
EPOCHS=${EPOCHS:-4}  # x 300 steps
common=(--dataset=faces --image_size=32 --epochs="$EPOCHS" --export_format=
        --verbose=0)
train() {
  local name=$1; shift
  if [ ! -f "$OUT/$name/gan.keras" ]; then
    echo "training $OUT/$name: $*"
    python run.py "${common[@]}" --output_dir="$OUT/$name" "$@"
  fi
  runs+=("$OUT/$name")
}
runs=()
train acgan --model=acgan
for d in input first_conv projection; do
  train "cgan_concat_$d" --model=cgan --d_conditioning="$d"
done
for g in embedding dense cbn; do
  train "cgan_${g}_projection" --model=cgan --g_conditioning="$g"
done
train cgan_concat_input_matching --model=cgan --d_conditioning=input --matching_aware
train cgan_concat_projection_sngan --model=cgan --base_model=sngan
train infogan --model=infogan
python benchmarks/conditioning.py "${runs[@]}"
