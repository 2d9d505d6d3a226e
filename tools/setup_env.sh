#!/usr/bin/env bash
# Set up a virtual environment with torch 2.13, mmcv-full 1.7.2 (compiled
# from source against that torch), xtcocotools (compiled against NumPy 2),
# albumentations 1.4 (keeping opencv-python 4's cv2), mmtrack 0.14 (without
# its stale pins) and this package in editable mode with its test
# requirements.
# Idempotent: a second run only checks what is installed (seconds).
#   usage: bash tools/setup_env.sh        (env: VENV=.venv PYTHON=python3.11)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
VENV=${VENV:-.venv}
MMCV_VERSION=1.7.2
STAMP="$VENV/.mmpose-setup-done"

if [ ! -x "$VENV/bin/python" ]; then
    echo "[setup] creating virtual environment $VENV with $PYTHON"
    "$PYTHON" -m venv "$VENV"
fi
py="$VENV/bin/python"
pip() { "$py" -m pip "$@"; }

# Fast path: nothing changed since the last complete run.
if [ -f "$STAMP" ] && [ -z "$(find setup.py requirements -newer "$STAMP" 2>/dev/null)" ] &&
    "$py" -c 'import torch, mmcv.ops, xtcocotools.coco, albumentations, mmtrack, mmpose' 2>/dev/null; then
    echo "[setup] environment in $VENV is up to date"
    exit 0
fi

if ! "$py" -c 'import torch, torchvision, sys; sys.exit(not (torch.__version__.startswith("2.13.0") and torchvision.__version__.startswith("0.28.0")))' 2>/dev/null; then
    echo "[setup] installing torch 2.13.0 and torchvision 0.28.0"
    # '===' (arbitrary equality) keeps pip from picking a local '+cpu' build.
    pip install -q 'torch===2.13.0' 'torchvision==0.28.0'
fi

echo "[setup] installing build and runtime requirements"
pip install -q -r requirements/build.txt
# xtcocotools' PyPI wheel is built against NumPy 1 and fails to import under
# NumPy 2, so it is compiled here.
pip install -q --no-build-isolation --no-binary xtcocotools \
    -r requirements/runtime.txt -r requirements/tests.txt \
    -r requirements/optional.txt
# Without its opencv-python-headless requirement (see the file's header), so
# `import cv2` stays opencv-python 4.
pip install -q --no-deps -r requirements/albumentations.txt
# Without its stale pandas/scipy pins (see the file's header); what it
# imports came with tests.txt.
pip install -q --no-deps -r requirements/mmtrack.txt

if ! "$py" -c "import mmcv, mmcv.ops, sys; sys.exit(mmcv.__version__ != '$MMCV_VERSION')" 2>/dev/null; then
    echo "[setup] building mmcv-full==$MMCV_VERSION from source (about 10 minutes)"
    # PyPI has only the sdist; pip caches the wheel it builds (add
    # --no-cache-dir to rebuild after changing torch).
    MMCV_WITH_OPS=1 MAX_JOBS=${MAX_JOBS:-2} pip install -q --no-build-isolation \
        "mmcv-full==$MMCV_VERSION"
fi

echo "[setup] installing mmpose in editable mode"
pip install -q --no-build-isolation --no-deps -e .
"$py" -c 'import torch, mmcv, mmcv.ops, mmpose, numpy, xtcocotools, mmtrack.apis; print("[setup] ok: torch", torch.__version__, "| mmcv-full", mmcv.__version__, "| mmpose", mmpose.__version__, "| numpy", numpy.__version__, "| mmtrack", mmtrack.__version__)'
touch "$STAMP"
