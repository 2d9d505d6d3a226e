#!/usr/bin/env bash
# Usage: [PORT=29500] [PYTHON=python] bash tools/dist_train.sh CONFIG GPUS [ARGS...]
# Starts GPUS processes on this machine (gloo on CPU-only machines).

CONFIG=$1
GPUS=$2
PORT=${PORT:-29500}
PYTHON=${PYTHON:-python}

PYTHONPATH="$(dirname $0)/..":$PYTHONPATH \
$PYTHON -m torch.distributed.run --nproc_per_node=$GPUS --master_port=$PORT \
    $(dirname "$0")/train.py $CONFIG --launcher pytorch ${@:3}
