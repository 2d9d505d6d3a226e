#!/usr/bin/env bash
# The headline demo: top-down pose estimation on the bundled COCO sample
# photos (tests/data/demo), drawn into vis_results/vis_<i>.jpg.
#
# No pretrained weights can be downloaded here, so the pose model is a tiny
# network fitted to those same sample photos by tools/train_demo_model.py
# (trained on the first run, a few minutes on 2 CPU cores; the checkpoint is
# then reused). Its keypoints are meaningful on these photos only.
#
#   usage: bash demo/run_main_job.sh
#   env:   PYTHON (default .venv/bin/python), CKPT (checkpoint path),
#          OUT (output folder, default vis_results), TRAIN_ITERS, DEVICE
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
CONFIG=demo/configs/demo_res18_coco_128x96.py
CKPT=${CKPT:-work_dirs/demo/demo_res18_coco_128x96.pth}
OUT=${OUT:-vis_results}
DEVICE=${DEVICE:-cpu}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}

if [ ! -f "$CKPT" ]; then
    echo "[main job] no checkpoint at $CKPT: training the demo model on the" \
        "bundled sample photos first"
    ITERS_ARG=()
    if [ -n "${TRAIN_ITERS:-}" ]; then ITERS_ARG=(--iters "$TRAIN_ITERS"); fi
    "$PY" tools/train_demo_model.py --config "$CONFIG" --out "$CKPT" \
        --threads "$OMP_NUM_THREADS" "${ITERS_ARG[@]}"
fi

echo "[main job] NOTE: the weights in $CKPT come from a tiny model fitted to" \
    "the bundled sample photos (tests/data/demo), so its keypoints are" \
    "meaningful on those photos; it is not a general pose model."
"$PY" demo/top_down_img_demo.py "$CONFIG" "$CKPT" \
    --img-root tests/data/demo --json-file tests/data/demo/test_coco.json \
    --min-keypoints 1 --out-img-root "$OUT" --device "$DEVICE"
echo "[main job] done: visualised poses (ground-truth person boxes) in $OUT/"
